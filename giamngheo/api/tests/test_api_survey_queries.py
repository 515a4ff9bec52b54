"""One Phiếu B upload through ``POST /api/surveys`` costs a fixed, small number of queries, and each more
survey of a ``POST /api/surveys/batch`` only its own writes (the offline app's sync of 100 surveys is bound
by this per-survey work): fails when a count regresses."""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from giamngheo.reviews.models import RoundHousehold
from giamngheo.testing.api import phieu_b_upload

MAI_HA = "18133-01"
# 22 for the request (token, the entry in scope and of a visible round, idempotency key, household lock, round
# lock, entry with its household and Phiếu B, members, Phiếu B + history, result + history, entry + history,
# complaints, answer, key; savepoints) + 3 for the test's own new token. Before the survey_record path was
# trimmed: 28 + 3; before the entry's round visibility joined the entry's query: 23 + 3.
# A new query on this path must earn its place here (SHOW_QUERIES=1 prints them, SHOW_PROFILE=1 profiles).
MAX_QUERIES = 25
# Each more survey of a batch: its own writes and their savepoints (18); the entries, their rounds and the
# keys already recorded are read once per batch (21 a survey before).
PER_SURVEY = 18


@pytest.fixture
def mai_ha_entries(round_2024):  # type: ignore[no-untyped-def]
    review_round = round_2024
    return list(
        RoundHousehold.objects.filter(review_round=review_round, household__village__code=MAI_HA)
        .select_related("household")
        .order_by("pk")[:5]  # the demo's five in Mai Hà
    )


def test_a_phieu_b_upload_stays_within_its_query_budget(api, village_head, mai_ha_entries):
    first, second = mai_ha_entries[:2]
    # the first upload warms what is loaded once per process (the standard, the token's user)
    assert api.post(village_head, "/api/surveys", phieu_b_upload(first, "budget-0001")).status_code == 201
    with CaptureQueriesContext(connection) as queries:
        if os.environ.get("SHOW_PROFILE"):
            import cProfile
            import pstats

            with cProfile.Profile() as profile:
                answer = api.post(village_head, "/api/surveys", phieu_b_upload(second, "budget-0002"))
            pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
        else:
            answer = api.post(village_head, "/api/surveys", phieu_b_upload(second, "budget-0002"))
    assert answer.status_code == 201, answer.content
    if os.environ.get("SHOW_QUERIES"):
        for q in queries.captured_queries:
            print(q["sql"][:300])
    assert len(queries) <= MAX_QUERIES, f"{len(queries)} queries for one Phiếu B upload"


def test_each_more_survey_of_a_batch_costs_only_its_own_writes(api, village_head, mai_ha_entries):
    # The batch reads its entries, their rounds' visibility and the keys already recorded once, whatever
    # its size: a batch of 3 costs at most PER_SURVEY more queries a survey than a batch of 1.
    warm, alone, *three = mai_ha_entries
    api.post(village_head, "/api/surveys/batch", {"surveys": [phieu_b_upload(warm, "per-0000")]})
    with CaptureQueriesContext(connection) as one:
        api.post(village_head, "/api/surveys/batch", {"surveys": [phieu_b_upload(alone, "per-0001")]})
    batch = [phieu_b_upload(entry, f"per-{i + 2:04d}") for i, entry in enumerate(three)]
    with CaptureQueriesContext(connection) as more:
        answer = api.post(village_head, "/api/surveys/batch", {"surveys": batch})
    assert [r["outcome"] for r in answer.json()["results"]] == ["accepted"] * 3, answer.content
    extra = (len(more) - len(one)) / 2
    if os.environ.get("SHOW_QUERIES"):
        print(len(one), len(more))
    assert extra <= PER_SURVEY, f"{extra:.1f} queries for each more survey of a batch"
