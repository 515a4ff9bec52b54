"""Public posting for the standard's working days; complaints and their re-check (phúc tra)."""

import dataclasses
import datetime

import pytest
from django.urls import reverse

from giamngheo.errors import InputError
from giamngheo.reviews.models import Complaint, ReviewResult, RoundHousehold, Step
from giamngheo.reviews.procedure import add_working_days
from giamngheo.reviews.services import (
    complaint_record,
    complaint_resolve,
    posting_record,
    review_round_decide,
    round_households_seed,
)
from giamngheo.reviews.services import posting as posting_services
from giamngheo.standards.loader import get_standard
from giamngheo.testing.registers import DEPRIVED_3, survey, take_through_posting

MONDAY = datetime.date(2023, 11, 13)


@pytest.fixture
def posted(round_2023, mai_ha):
    round_households_seed(review_round=round_2023)
    take_through_posting(
        round_2023, mai_ha, {"RV-01": (1_000_000, DEPRIVED_3), "RV-02": (1_300_000, {"sanitation": False})}
    )
    return {
        e.household.code: e
        for e in RoundHousehold.objects.filter(review_round=round_2023).select_related("household")
    }


def test_posting_days_are_working_days():
    assert add_working_days(MONDAY, 3) == datetime.date(2023, 11, 15)
    assert add_working_days(datetime.date(2023, 11, 17), 3) == datetime.date(2023, 11, 21)  # Fri → Tue
    assert add_working_days(datetime.date(2023, 11, 18), 3) == datetime.date(2023, 11, 22)  # Sat: from Monday
    assert add_working_days(MONDAY, 1) == MONDAY


def test_posting_moves_the_agreed_households_and_ends_after_the_standards_days(posted):
    posting = posted["RV-01"].posting
    assert posted["RV-01"].step == Step.POSTED and posted["RV-02"].posting == posting
    assert (posting.starts_on, posting.ends_on, posting.working_days) == (
        MONDAY,
        datetime.date(2023, 11, 15),
        3,
    )
    assert posting.history.count() == 1


def test_the_number_of_posting_days_is_read_from_the_standard(round_2023, posted, mai_ha, monkeypatch):
    five = dataclasses.replace(get_standard("VN-2022-2025"), posting_working_days=5)
    monkeypatch.setattr(posting_services, "get_standard", lambda _id: five)
    RoundHousehold.objects.filter(pk=posted["RV-01"].pk).update(step=Step.AGREED)
    posting = posting_record(review_round=round_2023, village=mai_ha, starts_on=MONDAY)
    assert (posting.working_days, posting.ends_on) == (5, datetime.date(2023, 11, 17))


def test_posting_a_village_with_nothing_agreed_is_refused(round_2023, posted, ha_trang):
    with pytest.raises(InputError) as error:
        posting_record(review_round=round_2023, village=ha_trang, starts_on=MONDAY)
    assert "Hà Tràng" in str(error.value)


def test_a_re_check_with_grounds_sends_the_household_back_to_the_survey(posted, officer, mai_ha):
    """Issue 17 C2: the status changes only through a new Phiếu B, then the meeting and the posting again."""
    complaint = complaint_record(
        entry=posted["RV-02"],
        complainant="Lê Văn Tám",
        content="Hộ có xe máy mới, thu nhập cao hơn",
        received_on=datetime.date(2023, 11, 14),
        actor=officer,
    )
    assert complaint.is_open and complaint.unit_path == posted["RV-02"].unit_path
    result = ReviewResult.objects.get(
        review_round=complaint.review_round, household=posted["RV-02"].household
    )
    before = result.status
    complaint = complaint_resolve(
        complaint=complaint,
        rechecked_on=datetime.date(2023, 11, 16),
        finding="Thu nhập thực tế 2,6 triệu",
        resurvey=True,
        actor=officer,
    )
    assert (complaint.outcome, complaint.status_before, complaint.status_after) == ("resurvey", before, "")
    entry = RoundHousehold.objects.get(pk=posted["RV-02"].pk)
    assert entry.step < Step.SURVEYED and entry.back_to_survey and entry.posting is None
    assert ReviewResult.objects.get(pk=result.pk).status == before  # nothing set by hand
    with pytest.raises(InputError):  # not through the steps again yet
        review_round_decide(
            review_round=complaint.review_round,
            decision_number="1",
            decision_date=datetime.date(2023, 11, 30),
        )
    survey(entry, income=2_600_000, answers={})
    result = ReviewResult.objects.get(review_round=complaint.review_round, household=entry.household)
    assert result.status == "not_poor" and "không nghèo" in result.explanation_vi  # the survey's own words
    assert Complaint.objects.get(pk=complaint.pk).status_after == "not_poor"
    with pytest.raises(InputError):
        complaint_resolve(complaint=complaint, rechecked_on=datetime.date(2023, 11, 17), finding="again")


def test_a_re_check_may_confirm_the_result(posted):
    complaint = complaint_record(
        entry=posted["RV-01"], complainant="A", content="B", received_on=datetime.date(2023, 11, 14)
    )
    complaint = complaint_resolve(
        complaint=complaint, rechecked_on=datetime.date(2023, 11, 15), finding="Đúng"
    )
    assert complaint.outcome == "kept" and complaint.status_after == complaint.status_before == "poor"


def test_a_re_check_before_the_complaint_is_refused(posted):
    complaint = complaint_record(
        entry=posted["RV-01"], complainant="A", content="B", received_on=datetime.date(2023, 11, 14)
    )
    with pytest.raises(InputError) as error:
        complaint_resolve(complaint=complaint, rechecked_on=datetime.date(2023, 11, 1), finding="x")
    assert error.value.problems[0].column == "rechecked_on"


def test_the_decision_waits_for_open_complaints_and_for_the_posting_to_end(round_2023, posted, ha_trang):
    take_through_posting(round_2023, ha_trang, {"RV-11": (1_000_000, DEPRIVED_3)})
    complaint = complaint_record(
        entry=posted["RV-01"], complainant="A", content="B", received_on=datetime.date(2023, 11, 14)
    )
    with pytest.raises(InputError) as error:
        review_round_decide(
            review_round=round_2023, decision_number="1/QĐ", decision_date=datetime.date(2023, 11, 14)
        )
    message = str(error.value)
    assert "complaints have not been re-checked" in message and "posted until 2023-11-15" in message
    complaint_resolve(complaint=complaint, rechecked_on=datetime.date(2023, 11, 15), finding="Đúng")
    review_round_decide(
        review_round=round_2023, decision_number="1/QĐ", decision_date=datetime.date(2023, 11, 20)
    )


def test_the_officer_posts_and_records_complaints_on_the_pages(client, officer, round_2023, mai_ha):
    round_households_seed(review_round=round_2023)
    take_through_posting(round_2023, mai_ha, {"RV-01": (1_000_000, DEPRIVED_3)})
    client.force_login(officer)
    entry = RoundHousehold.objects.get(review_round=round_2023, household__code="RV-01")
    url = reverse("reviews:complaints", args=[round_2023.pk])
    response = client.post(
        url, {"entry": entry.pk, "complainant": "Lê Văn Tám", "content": "Sai", "received_on": "2023-11-14"}
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert "Lê Văn Tám" in client.get(url).content.decode()
    response = client.post(
        reverse("reviews:complaint_recheck", args=[round_2023.pk, complaint.pk]),
        {"rechecked_on": "2023-11-15", "finding": "Đúng quy định", "outcome": "kept"},
    )
    assert response.status_code == 302 and Complaint.objects.get().outcome == "kept"


def test_a_village_head_may_not_post_or_re_check(client, village_head, round_2023, mai_ha):
    client.force_login(village_head)
    assert client.get(reverse("reviews:posting_new", args=[round_2023.pk, mai_ha.code])).status_code == 403
    assert client.post(reverse("reviews:complaints", args=[round_2023.pk]), {}).status_code == 403
