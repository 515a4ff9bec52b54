"""Pure helpers: amounts as people type them, per-kind details, report periods."""

import datetime

import pytest

from giamngheo.errors import InputError
from giamngheo.reports.periods import parse_period, periods_of_year
from giamngheo.support.kinds import FORMS_OF, SupportForm, SupportKind, clean_details, parse_vnd


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1.500.000", 1_500_000),
        ("1,500,000", 1_500_000),
        ("1 500 000", 1_500_000),
        ("1500000", 1_500_000),
        ("0", 0),
        ("20.000.000 đ", 20_000_000),
        (40_000_000, 40_000_000),
    ],
)
def test_amounts_are_read_as_people_type_them(typed, value):
    assert parse_vnd(typed, column="amount") == value


@pytest.mark.parametrize("typed", ["-500000", "abc", "1.500,5", "1500.5", "", "12.34.5"])
def test_negative_fractional_or_non_numeric_amounts_are_refused_naming_the_column(typed):
    with pytest.raises(InputError) as error:
        parse_vnd(typed, column="amount")
    assert error.value.problems[0].column == "amount"


def test_every_kind_has_forms_and_each_form_belongs_to_the_choices():
    assert set(FORMS_OF) == set(SupportKind.values)
    for forms in FORMS_OF.values():
        assert forms and set(forms) <= set(SupportForm.values)


def test_details_keep_only_the_kinds_fields_and_parse_them():
    details = clean_details(
        SupportKind.LOAN,
        {"term_months": "36", "outstanding": "50.000.000", "card_number": "x", "lender": " VBSP "},
    )
    assert details == {"term_months": 36, "outstanding": 50_000_000, "lender": "VBSP"}


def test_bad_details_are_all_reported_together():
    with pytest.raises(InputError) as error:
        clean_details(SupportKind.INCOME_SUPPORT, {"dossier_status": "lost", "monthly_amount": "-1"})
    assert {p.column for p in error.value.problems} == {"dossier_status", "monthly_amount"}


@pytest.mark.parametrize(
    ("text", "code", "start", "end"),
    [
        ("2023-05", "2023-05", (2023, 5, 1), (2023, 5, 31)),
        ("2023-q2", "2023-Q2", (2023, 4, 1), (2023, 6, 30)),
        ("2023", "2023", (2023, 1, 1), (2023, 12, 31)),
        ("2024-2", "2024-02", (2024, 2, 1), (2024, 2, 29)),
    ],
)
def test_a_period_is_a_month_a_quarter_or_a_year(text, code, start, end):
    period = parse_period(text, today=datetime.date(2025, 1, 1))
    assert (period.code, period.start, period.end) == (code, datetime.date(*start), datetime.date(*end))


@pytest.mark.parametrize("text", ["2023-13", "2023-Q5", "Q2-2023", "", "năm 2023"])
def test_a_malformed_period_is_a_user_error(text):
    with pytest.raises(InputError) as error:
        parse_period(text)
    assert error.value.problems[0].column == "--period"


def test_a_period_that_has_not_started_is_refused():
    with pytest.raises(InputError):
        parse_period("2031-01", today=datetime.date(2030, 12, 31))


def test_the_picker_lists_months_quarters_and_the_year():
    codes = [p.code for p in periods_of_year(2023)]
    assert codes[0] == "2023-01" and "2023-Q4" in codes and codes[-1] == "2023" and len(codes) == 17
