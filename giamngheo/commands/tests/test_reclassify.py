"""Reclassifying a commune in bulk writes what the per-household path would, into the open round only."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamngheo.bulk.reclassify import register_reclassify
from giamngheo.errors import InputError
from giamngheo.households.facts import household_facts
from giamngheo.households.models import Household
from giamngheo.reviews.models import ReviewResult, RoundState
from giamngheo.reviews.services import (
    SurveyInput,
    review_round_open,
    round_household_add,
    survey_record,
)
from giamngheo.standards.classify import classify
from giamngheo.standards.indicators import has_no_labour_capacity
from giamngheo.standards.loader import get_standard
from giamngheo.testing.random_register import adult, create_rows, household, register_rows, villages

FIELDS = (
    "status",
    "deprivation_count",
    "deprived",
    "b2_score",
    "income_per_capita",
    "b1_score",
    "members",
    "labour_capacity",
    "explanation_vi",
    "explanation_en",
    "source",
)


def expected_result(h: Household, standard, on) -> dict | None:  # type: ignore[no-untyped-def]
    """What the per-household path computes (``reviews.services.survey_record`` without a survey)."""
    facts = household_facts(h, list(h.members.order_by("pk")))
    try:
        result = classify(facts, standard, on)
    except InputError:
        return None
    none_able = has_no_labour_capacity(facts, standard, on)
    derived = None if none_able is None else not none_able
    return {
        "status": result.status,
        "deprivation_count": result.deprivation_count,
        "deprived": ";".join(result.deprived),
        "b2_score": result.b2_score,
        "income_per_capita": result.income_per_capita,
        "b1_score": None,
        "members": facts.member_count or h.size,
        "labour_capacity": h.labour_capacity if h.labour_capacity is not None else derived,
        "explanation_vi": result.explanation_vi,
        "explanation_en": result.explanation_en,
        "source": "survey",
    }


def recorded(review_round) -> dict[int, dict]:  # type: ignore[no-untyped-def]
    return {
        row["household_id"]: {k: row[k] for k in FIELDS}
        for row in ReviewResult.objects.filter(review_round=review_round).values("household_id", *FIELDS)
    }


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(register=register_rows(), standard_id=st.sampled_from(["VN-2022-2025", "VN-2027-2030"]))
def test_bulk_reclassification_writes_what_the_per_household_path_computes(
    son_trung, officer, register, standard_id
):
    on, rows = register
    standard = get_standard(standard_id)
    with transaction.atomic():
        created = create_rows(rows, son_trung)
        review_round = review_round_open(
            commune=son_trung, year=on.year, standard_id=standard_id, review_date=on, actor=officer
        )
        summary = register_reclassify(actor=officer, review_round=review_round)
        written = recorded(review_round)
        skipped = 0
        for h in created:
            expected = expected_result(h, standard, on) if h.dissolved_on is None else None
            if expected is None:
                assert h.pk not in written
                skipped += h.dissolved_on is None
                continue
            assert written[h.pk] == expected
        assert summary.recorded == len(written) and summary.skipped == skipped
        transaction.set_rollback(True)


@pytest.fixture
def reclassify_register(son_trung):  # type: ignore[no-untyped-def]
    mai_ha, ha_trang = villages(son_trung)[:2]
    poor = household(mai_ha, "R1", 1_000_000, safe_water=False, hygienic_latrine=False, internet_use=False)
    adult(poor, "Nguyễn Văn An")
    household(mai_ha, "R2", None, size=3)  # no income: cannot be classified
    household(ha_trang, "R3", 4_000_000, size=1)
    return son_trung


@pytest.fixture
def open_round(reclassify_register, officer):  # type: ignore[no-untyped-def]
    return review_round_open(commune=reclassify_register, year=2027, actor=officer)


def test_every_classifiable_household_gets_a_result_and_the_others_are_listed(open_round, officer):
    summary = register_reclassify(actor=officer, review_round=open_round)
    assert (summary.recorded, summary.skipped, summary.skipped_codes) == (2, 1, ["R2"])
    assert summary.by_status == {"poor": 1, "not_poor": 1}
    r1 = ReviewResult.objects.get(review_round=open_round, household__code="R1")
    assert r1.deprived == "drinking_water;sanitation;telecom" and r1.b2_score == 30
    assert r1.explanation_vi.startswith("Thu nhập 1.000.000 đ/người/tháng ≤ chuẩn 2.200.000 đ (nông thôn)")
    assert r1.history.get().history_user == officer


def test_running_it_again_replaces_the_results_and_follows_the_register(open_round, officer):
    register_reclassify(actor=officer, review_round=open_round)
    Household.objects.filter(code="R1").update(income_per_capita=3_000_000)
    register_reclassify(actor=officer, review_round=open_round)
    results = ReviewResult.objects.filter(review_round=open_round)
    assert results.count() == 2
    assert results.get(household__code="R1").status == "average"


@time_machine.travel(datetime.datetime(2027, 11, 2), tick=False)  # surveyed on 01/10/2027, in the past
def test_a_surveyed_household_keeps_its_phieu_b_answers_and_score(open_round, officer):
    r3 = Household.objects.get(code="R3")
    entry = round_household_add(review_round=open_round, household=r3, reason="added", actor=officer)
    data = SurveyInput(
        b1_score=120, income_per_capita=None, answers={"sanitation": True, "waste": True, "telecom": False}
    )
    survey_record(entry=entry, data=data, surveyed_on=datetime.date(2027, 10, 1), actor=officer)
    by_survey = recorded(open_round)[r3.pk]
    register_reclassify(actor=officer, review_round=open_round)
    assert recorded(open_round)[r3.pk] == by_survey
    assert by_survey["status"] == "near_poor" and by_survey["b1_score"] == 120  # B1 120 ≤ 140, 2 deprivations


def test_a_decided_round_is_refused_and_nothing_is_written(open_round, officer):
    type(open_round).objects.filter(pk=open_round.pk).update(state=RoundState.DECIDED)
    with pytest.raises(InputError):
        register_reclassify(actor=officer, review_round=open_round)
    assert not ReviewResult.objects.filter(review_round=open_round).exists()


def test_the_number_of_queries_does_not_grow_with_the_households(
    open_round, officer, son_trung, django_assert_max_num_queries
):
    mai_ha = villages(son_trung)[0]
    for n in range(30):
        household(mai_ha, f"M{n:02d}", 900_000 + n, size=2, safe_water=False)
    with django_assert_max_num_queries(16):
        summary = register_reclassify(actor=officer, review_round=open_round)
    assert summary.recorded == 32


# --- the command ----------------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("reclassify", *args, stdout=out)
    return out.getvalue()


def test_the_command_opens_the_round_and_reports_counts_and_skipped_households(reclassify_register):
    text = run("--unit", "Sơn Trung", "--year", "2027", "--user", "canbo.sontrung")
    assert "đã ghi / recorded 2" in text and "nghèo / poor 1" in text and "R2" in text
    result = ReviewResult.objects.get(household__code="R1")
    assert (
        result.review_round.standard_id == "VN-2027-2030"
        and result.history.get().history_user.username == ("canbo.sontrung")
    )


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--unit", "Mai Hà", "--year", "2027"], "Mai Hà"),  # a village, not a commune
        (["--unit", "18133", "--year", "2027", "--user", "tinh.hatinh"], "tinh.hatinh"),  # read-only
        (["--unit", "18133", "--year", "2027", "--kind", "adhoc"], "1–12"),  # ad-hoc without a month
    ],
)
def test_bad_input_exits_2_and_writes_nothing(reclassify_register, args, fragment):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 2 and fragment in str(error.value)
    assert not ReviewResult.objects.exists()


def test_a_decided_round_exits_2(open_round):
    type(open_round).objects.filter(pk=open_round.pk).update(state=RoundState.DECIDED)
    with pytest.raises(CommandError) as error:
        run("--unit", "18133", "--year", "2027")
    assert error.value.returncode == 2
