"""Survey uploads from the offline app: once per idempotency key, refused when the household changed since
the surveyor started, through the same services as the Phiếu A/B pages, by the people who may survey."""

from __future__ import annotations

import pytest

from giamngheo.api.models import SurveyUpload
from giamngheo.households.services import household_update
from giamngheo.reviews.models import (
    ReviewResult,
    ReviewRound,
    RoundHousehold,
    RoundState,
    Screening,
    Step,
    Survey,
)
from giamngheo.reviews.procedure import phieu_a
from giamngheo.standards.loader import get_standard
from giamngheo.testing.api import phieu_b_upload

MAI_HA = "18133-01"


@pytest.fixture
def entry(round_2024) -> RoundHousehold:  # type: ignore[no-untyped-def]
    return (
        RoundHousehold.objects.filter(review_round=round_2024, household__village__code=MAI_HA)
        .select_related("household")
        .order_by("pk")
        .first()
    )


@pytest.fixture
def other_village_entry(round_2024) -> RoundHousehold:  # type: ignore[no-untyped-def]
    return (
        RoundHousehold.objects.filter(review_round=round_2024)
        .exclude(household__village__code=MAI_HA)
        .select_related("household")
        .order_by("pk")
        .first()
    )


def test_a_village_head_uploads_phieu_b_and_the_round_gets_its_result(api, village_head, entry):
    answer = api.post(village_head, "/api/surveys", phieu_b_upload(entry))
    assert answer.status_code == 201, answer.content
    body = answer.json()
    result = ReviewResult.objects.get(review_round=entry.review_round, household=entry.household)
    assert body["status"] == result.status == "poor"
    assert body["step"] == Step.SURVEYED
    assert Survey.objects.get(entry=entry).interviewer == "Điều tra viên"
    assert result.history.first().history_user == village_head


def test_a_retried_upload_answers_the_first_answer_and_writes_nothing_more(api, village_head, entry, client):
    from giamngheo.testing.api import bearer

    headers = bearer(village_head)
    body = phieu_b_upload(entry)
    first = client.post("/api/surveys", body, content_type="application/json", headers=headers)
    history = Survey.history.filter(entry_id=entry.pk).count()
    again = client.post("/api/surveys", body, content_type="application/json", headers=headers)
    assert first.status_code == 201 and again.status_code == 200
    assert {**again.json(), "replayed": False} == first.json()
    assert again.json()["replayed"] is True
    assert Survey.history.filter(entry_id=entry.pk).count() == history
    assert SurveyUpload.objects.filter(key=body["idempotency_key"]).count() == 1
    # The same key for a different survey is refused.
    other = client.post(
        "/api/surveys",
        {**body, "income_per_capita": 9_000_000},
        content_type="application/json",
        headers=headers,
    )
    assert other.status_code == 422
    assert other.json()["problems"][0]["field"] == "idempotency_key"


def test_a_household_changed_since_the_survey_started_is_a_conflict_and_nothing_is_written(
    api, village_head, officer, entry
):
    started_from = entry.household.version
    household_update(
        actor=officer, household=entry.household, expected_version=started_from, phone="0912000000"
    )
    answer = api.post(village_head, "/api/surveys", phieu_b_upload(entry, household_version=started_from))
    assert answer.status_code == 409
    assert answer.json()["code"] == "conflict"
    assert answer.json()["problems"][0]["field"] == "household_version"
    assert not Survey.objects.filter(entry=entry).exists()
    assert not ReviewResult.objects.filter(
        review_round=entry.review_round, household=entry.household
    ).exists()
    assert not SurveyUpload.objects.exists()


def test_phieu_a_is_uploaded_the_same_way(api, officer, entry):
    codes = phieu_a(get_standard(entry.review_round.standard_id)).codes
    body = {**phieu_b_upload(entry, key="phieu-a-0001"), "form": "A", "answers": dict.fromkeys(codes, False)}
    answer = api.post(officer, "/api/surveys", body)
    assert answer.status_code == 201, answer.content
    assert answer.json()["step"] == Step.SCREENED
    assert Screening.objects.filter(entry=entry).exists()


def test_an_incomplete_phieu_a_names_the_problem(api, officer, entry):
    body = {**phieu_b_upload(entry, key="phieu-a-0002"), "form": "A", "answers": {"x": True}}
    answer = api.post(officer, "/api/surveys", body)
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == "phieu_a"


@pytest.mark.parametrize(("persona", "status"), [("province_viewer", 403), ("other_officer", 404)])
def test_people_who_may_not_survey_are_refused(request, api, entry, persona, status):
    answer = api.post(request.getfixturevalue(persona), "/api/surveys", phieu_b_upload(entry))
    assert answer.status_code == status
    assert not Survey.objects.filter(entry=entry).exists()


def test_a_village_head_cannot_survey_another_village(api, village_head, other_village_entry):
    answer = api.post(village_head, "/api/surveys", phieu_b_upload(other_village_entry))
    assert answer.status_code == 404


def test_a_decided_round_refuses_uploads(api, officer, entry):
    # As if the commune chair had just decided the round (the decision itself is tested in reviews).
    ReviewRound.objects.filter(pk=entry.review_round_id).update(state=RoundState.DECIDED)
    answer = api.post(officer, "/api/surveys", phieu_b_upload(entry))
    assert answer.status_code == 422
    assert "locked" in answer.json()["problems"][0]["message_en"]
    assert not Survey.objects.filter(entry=entry).exists()


def test_the_offline_app_finds_the_entries_and_versions_to_survey(api, village_head, round_2024, entry):
    page = api.get(village_head, f"/api/review-rounds/{round_2024.pk}/entries", limit=200).json()
    by_id = {e["id"]: e for e in page["items"]}
    assert by_id[entry.pk]["household_version"] == entry.household.version
    assert all(RoundHousehold.objects.get(pk=pk).household.village.code == MAI_HA for pk in by_id)
