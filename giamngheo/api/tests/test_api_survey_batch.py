"""``POST /api/surveys/batch``: several surveys in one request, each recorded as ``POST /api/surveys`` would,
in its own transaction — a conflict or a refusal answers for that survey only; a batch sent again replays."""

from __future__ import annotations

import pytest

from giamngheo.api.models import SurveyUpload
from giamngheo.households.services import household_update
from giamngheo.reviews.models import ReviewResult, RoundHousehold, Survey
from giamngheo.testing.api import phieu_b_upload

MAI_HA = "18133-01"


@pytest.fixture
def batch_entries(round_2024):  # type: ignore[no-untyped-def]
    review_round = round_2024
    mine = list(
        RoundHousehold.objects.filter(review_round=review_round, household__village__code=MAI_HA)
        .select_related("household")
        .order_by("pk")[:3]
    )
    other = (
        RoundHousehold.objects.filter(review_round=review_round)
        .exclude(household__village__code=MAI_HA)
        .select_related("household")
        .order_by("pk")
        .first()
    )
    return mine, other


def test_each_survey_of_a_batch_gets_its_own_outcome_and_a_conflict_blocks_no_other(
    api, village_head, batch_entries
):
    (first, changed, third), other_village = batch_entries
    household_update(
        actor=None, household=changed.household, expected_version=changed.household.version, size=7
    )
    batch = [
        phieu_b_upload(first, "batch-0001"),
        phieu_b_upload(changed, "batch-0002"),  # started from the version before the change: conflict
        phieu_b_upload(other_village, "batch-0003"),  # not the village head's village: refused
        phieu_b_upload(third, "batch-0004"),
    ]
    answer = api.post(village_head, "/api/surveys/batch", {"surveys": batch})
    assert answer.status_code == 200, answer.content
    results = answer.json()["results"]
    assert [(r["idempotency_key"], r["outcome"], r["status"]) for r in results] == [
        ("batch-0001", "accepted", 201),
        ("batch-0002", "conflict", 409),
        ("batch-0003", "refused", 404),
        ("batch-0004", "accepted", 201),
    ]
    assert results[0]["survey"]["status"] == "poor"
    assert (
        results[1]["error"]["code"] == "conflict"
        and "nothing was saved" in results[1]["error"]["problems"][0]["message_en"]
    )
    assert set(Survey.objects.values_list("entry_id", flat=True)) == {first.pk, third.pk}
    this_round = ReviewResult.objects.filter(review_round_id=first.review_round_id)
    assert this_round.filter(household__in=[first.household, third.household]).count() == 2
    assert not this_round.filter(household=changed.household).exists()


def test_a_batch_sent_again_replays_and_writes_nothing_more(api, village_head, batch_entries):
    (first, second, _third), _other = batch_entries
    batch = {"surveys": [phieu_b_upload(first, "again-0001"), phieu_b_upload(second, "again-0002")]}
    assert [r["outcome"] for r in api.post(village_head, "/api/surveys/batch", batch).json()["results"]] == [
        "accepted",
        "accepted",
    ]
    again = api.post(village_head, "/api/surveys/batch", batch).json()["results"]
    assert [(r["outcome"], r["status"], r["survey"]["replayed"]) for r in again] == [
        ("replayed", 200, True),
        ("replayed", 200, True),
    ]
    assert Survey.objects.count() == 2 and SurveyUpload.objects.count() == 2
    # a survey already sent alone answers the same in a batch (the key is the survey's, not the request's)
    alone = api.post(village_head, "/api/surveys", phieu_b_upload(first, "again-0001"))
    assert alone.status_code == 200


def test_a_key_twice_in_one_batch_records_one_survey(api, village_head, batch_entries):
    # the keys already recorded are read once for the batch: the second copy must still answer as a retry,
    # and the same key with other content as a misuse
    (first, second, _third), _other = batch_entries
    body = phieu_b_upload(first, "twice-0001")
    other = phieu_b_upload(second, "twice-0001")
    results = api.post(village_head, "/api/surveys/batch", {"surveys": [body, body, other]}).json()["results"]
    assert [(r["outcome"], r["status"]) for r in results] == [
        ("accepted", 201),
        ("replayed", 200),
        ("refused", 422),
    ]
    assert results[1]["survey"]["replayed"] is True
    assert "idempotency" in results[2]["error"]["problems"][0]["message_en"]
    assert Survey.objects.count() == 1 and SurveyUpload.objects.count() == 1


def test_a_batch_needs_a_surveyor_and_at_most_its_limit(api, village_head, province_viewer, batch_entries):
    (first, _second, _third), _other = batch_entries
    refused = api.post(
        province_viewer, "/api/surveys/batch", {"surveys": [phieu_b_upload(first, "scope-0001")]}
    )
    assert refused.json()["results"][0]["outcome"] == "refused"
    assert refused.json()["results"][0]["status"] in (403, 404)
    assert not Survey.objects.exists()
    assert (
        api.post(None, "/api/surveys/batch", {"surveys": [phieu_b_upload(first, "scope-0002")]}).status_code
        == 401
    )
    too_many = {"surveys": [phieu_b_upload(first, f"many-{i:04d}") for i in range(26)]}
    assert api.post(village_head, "/api/surveys/batch", too_many).status_code == 422
    assert api.post(village_head, "/api/surveys/batch", {"surveys": []}).status_code == 422
