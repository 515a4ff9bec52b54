"""The offline app's assignment (``/api/field/assignment``): the households of the user's open rounds that the
user may survey, nothing else; citizen IDs masked; the standards' own JSON for the phone's scoring."""

from __future__ import annotations

import pytest

from giamngheo.reviews.models import RoundHousehold
from giamngheo.reviews.services import review_round_open, round_households_seed
from giamngheo.standards.loader import get_standard

MAI_HA = "18133-01"


@pytest.fixture
def round_2024(demo_register):  # type: ignore[no-untyped-def]
    review_round = review_round_open(commune=demo_register, year=2024)
    round_households_seed(review_round=review_round)
    return review_round


def households(api, user) -> list[dict]:  # type: ignore[no-untyped-def]
    items, cursor = [], None
    while True:
        params = {"limit": 50, **({"cursor": cursor} if cursor else {})}
        page = api.get(user, "/api/field/assignment/households", **params)
        assert page.status_code == 200, page.content
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if not cursor:
            return items


def test_a_village_head_gets_their_village_only_with_masked_ids(api, village_head, round_2024):
    meta = api.get(village_head, "/api/field/assignment")
    assert meta.status_code == 200
    body = meta.json()
    expected = RoundHousehold.objects.filter(review_round=round_2024, household__village__code=MAI_HA)
    assert body["households"] == expected.count() > 0
    assert [r["villages"] for r in body["rounds"]] == [["Mai Hà"]]
    standard = get_standard(round_2024.standard_id)
    assert body["standards"][standard.id]["income"] == dict(standard.raw)["income"]
    assert body["phieu_a"][standard.id]["questions"]
    items = households(api, village_head)
    assert sorted(i["entry_id"] for i in items) == sorted(expected.values_list("pk", flat=True))
    assert all(i["village"] == "Mai Hà" for i in items)
    ids = [i["head_citizen_id"] for i in items if i["head_citizen_id"]]
    assert ids and all("*" in cid for cid in ids)
    assert set(items[0]["facts_deprived"]) == set(standard.indicator_codes)


def test_the_officer_gets_the_commune_and_others_nothing(
    api, officer, other_officer, province_viewer, round_2024
):
    everything = RoundHousehold.objects.filter(review_round=round_2024).count()
    assert api.get(officer, "/api/field/assignment").json()["households"] == everything
    for user in (other_officer, province_viewer):
        assert api.get(user, "/api/field/assignment").json()["households"] == 0
        assert households(api, user) == []
    assert api.get(None, "/api/field/assignment").status_code == 401


def test_a_decided_round_is_not_downloaded(api, village_head, demo_register):
    assert api.get(village_head, "/api/field/assignment").json()["rounds"] == []
    assert households(api, village_head) == []
