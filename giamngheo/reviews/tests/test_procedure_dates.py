"""Issue 17 C1: the dates of the procedure are checked against today and against each other; issue 17 E: a
posting's record never changes after the fact.

The commune officer runs the 2023 round of the fixtures (surveys 02/10/2023, Mai Hà's meeting 06/11/2023,
its posting 13–15/11/2023) and makes the mistakes an officer makes when typing dates.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from giamngheo.errors import InputError
from giamngheo.reviews.models import Posting, RoundHousehold
from giamngheo.reviews.services import (
    complaint_record,
    complaint_resolve,
    posting_record,
    review_round_decide,
    round_households_seed,
    village_meeting_record,
)
from giamngheo.testing.registers import DEPRIVED_3, survey, take_through_posting

TODAY = datetime.datetime(2026, 12, 7, 9, 0)


def _entries(review_round) -> dict[str, RoundHousehold]:  # type: ignore[no-untyped-def]
    return {
        e.household.code: e
        for e in RoundHousehold.objects.filter(review_round=review_round).select_related(
            "household", "posting"
        )
    }


@pytest.fixture
def posted_in_both_villages(round_2023, mai_ha, ha_trang):  # type: ignore[no-untyped-def]
    round_households_seed(review_round=round_2023)
    take_through_posting(
        round_2023, mai_ha, {"RV-01": (1_000_000, DEPRIVED_3), "RV-02": (1_300_000, {"sanitation": False})}
    )
    take_through_posting(round_2023, ha_trang, {"RV-11": (2_600_000, {})})
    return _entries(round_2023)


def _problem_columns(error: pytest.ExceptionInfo) -> list[str]:
    return [problem.column for problem in error.value.problems]


@time_machine.travel(TODAY, tick=False)
def test_no_decision_dated_in_the_future(posted_in_both_villages, round_2023):
    with pytest.raises(InputError) as error:  # entered on 07/12/2026, dated 14/12/2026
        review_round_decide(
            review_round=round_2023, decision_number="5/QĐ", decision_date=datetime.date(2026, 12, 14)
        )
    assert _problem_columns(error) == ["decision_date"]
    assert "07/12/2026" in error.value.problems[0].message_vi
    review_round_decide(
        review_round=round_2023, decision_number="5/QĐ", decision_date=datetime.date(2026, 12, 7)
    )


def test_the_decision_comes_after_every_posting_has_ended(posted_in_both_villages, round_2023):
    with pytest.raises(InputError) as error:
        review_round_decide(
            review_round=round_2023, decision_number="5/QĐ", decision_date=datetime.date(2023, 11, 15)
        )
    assert _problem_columns(error) == ["decision_date", "decision_date"]  # Mai Hà and Hà Tràng


def test_no_posting_before_its_villages_meeting(round_2023, mai_ha):
    round_households_seed(review_round=round_2023)
    entries = _entries(round_2023)
    survey(entries["RV-01"], income=1_000_000, answers=DEPRIVED_3)
    village_meeting_record(
        review_round=round_2023,
        village=mai_ha,
        held_on=datetime.date(2023, 11, 6),
        chair_name="Trần Văn Hùng",
        front_supervisor_name="Nguyễn Thị Mặt Trận",
        attendees=40,
        votes={entries["RV-01"].pk: 30},
    )
    with pytest.raises(InputError) as error:
        posting_record(review_round=round_2023, village=mai_ha, starts_on=datetime.date(2023, 11, 3))
    assert _problem_columns(error) == ["starts_on"]
    posting = posting_record(review_round=round_2023, village=mai_ha, starts_on=datetime.date(2023, 11, 6))
    assert posting.household_count == 1


def test_no_meeting_before_the_survey_and_none_in_the_future(round_2023, mai_ha):
    round_households_seed(review_round=round_2023)
    entries = _entries(round_2023)
    survey(entries["RV-01"], income=1_000_000, answers=DEPRIVED_3)  # surveyed on 02/10/2023
    meeting = {
        "review_round": round_2023,
        "village": mai_ha,
        "chair_name": "Trần Văn Hùng",
        "front_supervisor_name": "Nguyễn Thị Mặt Trận",
        "attendees": 40,
        "votes": {entries["RV-01"].pk: 30},
    }
    with pytest.raises(InputError) as error:
        village_meeting_record(held_on=datetime.date(2023, 9, 30), **meeting)
    assert _problem_columns(error) == ["held_on"] and "RV-01" in error.value.problems[0].message_vi
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(InputError) as error:
        village_meeting_record(held_on=tomorrow, **meeting)
    assert _problem_columns(error) == ["held_on"]


def test_no_complaint_dated_before_the_posting_or_in_the_future(posted_in_both_villages):
    entry = posted_in_both_villages["RV-01"]  # posted from 13/11/2023
    with pytest.raises(InputError) as error:
        complaint_record(entry=entry, complainant="A", content="B", received_on=datetime.date(2023, 11, 10))
    assert _problem_columns(error) == ["received_on"]
    with pytest.raises(InputError):
        complaint_record(
            entry=entry,
            complainant="A",
            content="B",
            received_on=datetime.date.today() + datetime.timedelta(days=1),
        )
    complaint = complaint_record(
        entry=entry, complainant="A", content="B", received_on=datetime.date(2023, 11, 13)
    )
    with pytest.raises(InputError) as error:
        complaint_resolve(complaint=complaint, rechecked_on=datetime.date(2023, 11, 12), finding="x")
    assert _problem_columns(error) == ["rechecked_on"]


def test_a_posting_record_never_changes_after_the_fact(
    client, officer, posted_in_both_villages, round_2023, mai_ha
):
    posting = posted_in_both_villages["RV-01"].posting
    assert (posting.household_count, posting.household_codes) == (2, ["RV-01", "RV-02"])
    complaint = complaint_record(
        entry=posted_in_both_villages["RV-02"],
        complainant="A",
        content="B",
        received_on=datetime.date(2023, 11, 14),
    )
    complaint_resolve(
        complaint=complaint, rechecked_on=datetime.date(2023, 11, 15), finding="x", resurvey=True
    )
    survey(
        posted_in_both_villages["RV-02"], income=2_600_000, answers={}
    )  # surveyed again: it leaves the posting
    posting = Posting.objects.get(pk=posting.pk)
    assert posting.households.count() == 1
    assert (posting.household_count, posting.household_codes) == (2, ["RV-01", "RV-02"])
    assert posting.history.count() == 1
    client.force_login(officer)
    page = client.get(reverse("reviews:round_village", args=[round_2023.pk, mai_ha.code])).content.decode()
    assert '<td class="num">2</td>' in page
