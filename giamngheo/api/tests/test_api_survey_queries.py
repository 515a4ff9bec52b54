"""One Phiếu B upload through ``POST /api/surveys`` costs a fixed, small number of queries (the offline
app's sync of 100 surveys is bound by this per-survey work): fails when the count regresses."""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from giamngheo.reviews.models import RoundHousehold
from giamngheo.testing.api import phieu_b_upload

MAI_HA = "18133-01"
# 23 for the request (token, entry, scope, idempotency key, household lock, round lock, entry with its
# household and Phiếu B, members, Phiếu B + history, result + history, entry + history, complaints, answer,
# key; savepoints) + 3 for the test's own new token. Before the survey_record path was trimmed: 28 + 3.
# A new query on this path must earn its place here (SHOW_QUERIES=1 prints them, SHOW_PROFILE=1 profiles).
MAX_QUERIES = 26


@pytest.fixture
def mai_ha_entries(round_2024):  # type: ignore[no-untyped-def]
    review_round = round_2024
    return list(
        RoundHousehold.objects.filter(review_round=review_round, household__village__code=MAI_HA)
        .select_related("household")
        .order_by("pk")[:2]
    )


def test_a_phieu_b_upload_stays_within_its_query_budget(api, village_head, mai_ha_entries):
    first, second = mai_ha_entries
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
