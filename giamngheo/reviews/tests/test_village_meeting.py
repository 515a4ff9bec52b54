"""The village meeting: at least half of the attendees must agree, else the household is surveyed again."""

import dataclasses
import datetime

import pytest
from django.urls import reverse

from giamngheo.errors import InputError
from giamngheo.reviews.models import MeetingVote, RoundHousehold, Step, VillageMeeting
from giamngheo.reviews.procedure import meeting_agreed, meeting_agreement
from giamngheo.reviews.services import round_households_seed, village_meeting_record
from giamngheo.standards.loader import get_standard
from giamngheo.testing.language import vi
from giamngheo.testing.pdf import pdf_words
from giamngheo.testing.registers import DEPRIVED_3, survey


@pytest.fixture
def surveyed(round_2023):
    round_households_seed(review_round=round_2023)
    entries = {
        e.household.code: e
        for e in RoundHousehold.objects.filter(review_round=round_2023).select_related("household")
    }
    survey(entries["RV-01"], income=1_000_000, answers=DEPRIVED_3)
    survey(entries["RV-02"], income=1_300_000, answers={})
    return entries


def meet(review_round, village, votes, attendees=40, front_supervisor_name="Nguyễn Thị Mặt Trận", **kwargs):
    return village_meeting_record(
        review_round=review_round,
        village=village,
        held_on=datetime.date(2023, 11, 6),
        chair_name="Trần Văn Hùng",
        front_supervisor_name=front_supervisor_name,
        attendees=attendees,
        votes=votes,
        **kwargs,
    )


def test_half_of_the_attendees_is_enough_and_one_vote_less_is_not():
    assert meeting_agreed(votes_for=20, attendees=40, percent=50)
    assert not meeting_agreed(votes_for=19, attendees=40, percent=50)
    assert meeting_agreed(votes_for=4, attendees=7, percent=50) and not meeting_agreed(
        votes_for=3, attendees=7, percent=50
    )


def test_the_share_needed_comes_from_the_standard_when_its_data_sets_it():
    standard = get_standard("VN-2022-2025")
    assert meeting_agreement(standard).percent == 50
    raised = dataclasses.replace(
        standard, raw={**standard.raw, "review_procedure": {"meeting_agreement_percent": 60}}
    )
    assert (meeting_agreement(raised).percent, meeting_agreement(raised).from_standard) == (60, True)


def test_an_agreed_household_moves_on_and_a_rejected_one_goes_back_to_the_survey(
    round_2023, surveyed, mai_ha
):
    meeting = meet(round_2023, mai_ha, {surveyed["RV-01"].pk: 25, surveyed["RV-02"].pk: 12})
    agreed, rejected = (RoundHousehold.objects.get(pk=surveyed[c].pk) for c in ("RV-01", "RV-02"))
    assert (agreed.step, agreed.back_to_survey) == (Step.AGREED, False)
    assert (rejected.step, rejected.back_to_survey) == (Step.LISTED, True)
    vote = MeetingVote.objects.get(meeting=meeting, entry=agreed)
    assert (vote.proposed_status, vote.votes_for, vote.agreed) == ("poor", 25, True)
    assert meeting.agreement_percent == 50 and meeting.history.count() == 1
    # Surveyed again, then met on again: agreed this time.
    survey(rejected, income=1_300_000, answers={})
    meet(round_2023, mai_ha, {rejected.pk: 30})
    rejected.refresh_from_db()
    assert (rejected.step, rejected.back_to_survey) == (Step.AGREED, False)
    assert VillageMeeting.objects.filter(review_round=round_2023, village=mai_ha).count() == 2


def test_votes_must_be_possible_and_the_household_surveyed(round_2023, surveyed, mai_ha, review_register):
    with pytest.raises(InputError) as too_many:
        meet(round_2023, mai_ha, {surveyed["RV-01"].pk: 41})
    assert "RV-01" in str(too_many.value)
    meet(round_2023, mai_ha, {surveyed["RV-01"].pk: 30})
    with pytest.raises(InputError) as twice:
        meet(round_2023, mai_ha, {surveyed["RV-01"].pk: 30})
    assert "RV-01" in str(twice.value)
    with pytest.raises(InputError):
        meet(round_2023, mai_ha, {surveyed["RV-02"].pk: 30}, front_supervisor_name="")
    assert VillageMeeting.objects.count() == 1  # the refused meetings wrote nothing


def test_a_meeting_can_only_discuss_households_of_its_village(round_2023, surveyed, ha_trang):
    with pytest.raises(InputError) as error:
        meet(round_2023, ha_trang, {surveyed["RV-01"].pk: 30})
    assert "Hà Tràng" in str(error.value)


def test_the_village_head_records_the_meeting_on_the_page(
    client, village_head, round_2023, surveyed, mai_ha, ha_trang
):
    client.force_login(village_head)
    url = reverse("reviews:meeting_new", args=[round_2023.pk, mai_ha.code])
    page = client.get(url).content.decode()
    assert "RV-01" in page and "RV-02" in page and "x-model" in page
    response = client.post(
        url,
        {
            "held_on": "2023-11-06",
            "chair_name": "Trần Văn Hùng",
            "front_supervisor_name": "Nguyễn Thị Mặt Trận",
            "attendees": "40",
            f"votes_{surveyed['RV-01'].pk}": "31",
            f"votes_{surveyed['RV-02'].pk}": "",
        },
    )
    assert response.status_code == 302
    assert RoundHousehold.objects.get(pk=surveyed["RV-01"].pk).step == Step.AGREED
    assert (
        RoundHousehold.objects.get(pk=surveyed["RV-02"].pk).step == Step.SURVEYED
    )  # kept for a later meeting
    assert client.get(reverse("reviews:meeting_new", args=[round_2023.pk, ha_trang.code])).status_code == 404


def test_the_minutes_print_in_vietnamese(client, officer, round_2023, surveyed, mai_ha):
    meeting = meet(
        round_2023, mai_ha, {surveyed["RV-01"].pk: 25, surveyed["RV-02"].pk: 12}, place="Nhà văn hóa thôn"
    )
    client.force_login(officer)
    response = client.get(reverse("reviews:meeting_minutes", args=[round_2023.pk, meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_words(response.content)
    for expected in (
        "Nguyễn Văn Đức",
        "Trần Thị Hoa",
        "Nguyễn Thị Mặt Trận",
        "thôn Mai Hà",
        "XÃ SƠN TRUNG",
        "62,50%",
        "30,00%",
        vi("MINUTES OF THE VILLAGE MEETING"),
        vi("Back to the survey"),
    ):
        assert expected in text, expected


def test_the_minutes_record_who_was_invited_and_who_attended(
    client, village_head, round_2023, surveyed, mai_ha
):
    """Issue 17 C5: invited households and the attendees by group, on the page and in the minutes."""
    client.force_login(village_head)
    url = reverse("reviews:meeting_new", args=[round_2023.pk, mai_ha.code])
    fields = {
        "held_on": "2023-11-06",
        "chair_name": "Trần Văn Hùng",
        "front_supervisor_name": "Nguyễn Thị Mặt Trận",
        "attendees": "40",
        "invited_households": "45",
        "attending_households": "38",
        "steering_committee": "Lê Văn Ban (Phó Chủ tịch UBND xã)",
        "party_secretary": "Hoàng Văn Bí",
        "mass_organisations": "Hội Phụ nữ: Trần Thị Hội; Đoàn Thanh niên: Lê Văn Đoàn",
        "reviewers": "Nguyễn Văn Điều",
        f"votes_{surveyed['RV-01'].pk}": "31",
    }
    refused = client.post(url, {**fields, "attending_households": "46"})
    assert refused.status_code == 200 and not VillageMeeting.objects.exists()  # more present than invited
    assert client.post(url, fields).status_code == 302
    meeting = VillageMeeting.objects.get()
    assert (meeting.invited_households, meeting.attending_households, meeting.party_secretary) == (
        45,
        38,
        "Hoàng Văn Bí",
    )
    response = client.get(reverse("reviews:meeting_minutes", args=[round_2023.pk, meeting.pk]))
    text = pdf_words(response.content)
    for expected in ("45", "38", "Lê Văn Ban", "Hoàng Văn Bí", "Trần Thị Hội", "Nguyễn Văn Điều"):
        assert expected in text, expected
