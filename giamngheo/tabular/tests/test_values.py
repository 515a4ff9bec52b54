"""Cells as communes write them: yes/no, numbers in Vietnamese formats, dates, area words."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from giamngheo.tabular.values import (
    CellError,
    cell_text,
    parse_area,
    parse_date,
    parse_decimal,
    parse_int,
    parse_yes_no,
)


@pytest.mark.parametrize("text", ["1", "x", "X", "yes", "Có", "CÓ", "co", "true", "TRUE", 1, 1.0, True])
def test_yes_values(text):
    assert parse_yes_no(text) is True


@pytest.mark.parametrize("text", ["0", "no", "Không", "KHONG", "false", 0, False])
def test_no_values(text):
    assert parse_yes_no(text) is False


def test_an_empty_yes_no_cell_is_unknown():
    assert parse_yes_no("") is None and parse_yes_no("  ") is None and parse_yes_no(None) is None


def test_a_bad_yes_no_value_says_what_to_write():
    with pytest.raises(CellError) as error:
        parse_yes_no("maybe")
    assert "1 hoặc 0" in error.value.fix_vi and "yes or no" in error.value.fix_en


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1500000", 1_500_000),
        ("1.500.000", 1_500_000),
        ("1,500,000", 1_500_000),
        ("1 500 000", 1_500_000),
        ("1500000.0", 1_500_000),
        ("1.500.000 đ", 1_500_000),
        ("1,5E+06", 1_500_000),
        ("1.000", 1000),
        (" 42 ", 42),
        (7.0, 7),
    ],
)
def test_whole_numbers_in_the_formats_people_use(text, value):
    assert parse_int(text) == value


@pytest.mark.parametrize("text", ["abc", "1.5", "12,50", "1.500,000", "1,2,3"])
def test_what_is_not_a_whole_number_is_refused(text):
    with pytest.raises(CellError):
        parse_int(text)


def test_a_number_below_the_minimum_is_refused():
    with pytest.raises(CellError) as error:
        parse_int("-5", minimum=0)
    assert "≥ 0" in error.value.fix_vi


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("7,99", "7.99"),
        ("7.99", "7.99"),
        ("8", "8"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("0,500", "0.500"),
        ("1.234.567", "1234567"),
        (7.5, "7.5"),
    ],
)
def test_decimals_with_a_comma_or_a_dot(text, value):
    assert parse_decimal(text) == Decimal(value)


def test_an_ambiguous_decimal_is_refused_with_the_fix():
    with pytest.raises(CellError) as error:
        parse_decimal("1.500")
    assert "1500" in error.value.fix_vi


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("05/09/2024", date(2024, 9, 5)),
        ("5/9/2024", date(2024, 9, 5)),
        ("05-09-2024", date(2024, 9, 5)),
        ("2024-09-05", date(2024, 9, 5)),
        (datetime(2024, 9, 5, 0, 0), date(2024, 9, 5)),
    ],
)
def test_dates_day_first_or_iso(text, value):
    assert parse_date(text) == value


@pytest.mark.parametrize("text", ["31/02/2024", "2024/13/01", "05/09/24", "yesterday"])
def test_impossible_or_ambiguous_dates_are_refused(text):
    with pytest.raises(CellError):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("rural", "rural"),
        ("Nông thôn", "rural"),
        ("NONG THON", "rural"),
        ("urban", "urban"),
        ("Thành thị", "urban"),
        ("đô thị", "urban"),
    ],
)
def test_area_words(text, area):
    assert parse_area(text) == area


def test_an_unknown_area_is_refused():
    with pytest.raises(CellError):
        parse_area("miền núi")


def test_typed_spreadsheet_cells_read_as_their_text():
    assert (
        cell_text(1500000.0) == "1500000"
        and cell_text(7.99) == "7.99"
        and cell_text(date(2024, 1, 2)) == "2024-01-02"
    )
    assert cell_text(None) == "" and cell_text(True) == "TRUE"
