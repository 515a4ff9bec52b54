"""Issue 11 B: a decided or imported round lists its households.

The demo's end-2023 review came as an imported, decided list (no steps in the system). The commune officer
opens it: the round page counts every household of the list, the poor and near-poor counts equal the official
lists', and each village page lists every household with its result. A village head sees their village.
"""

from __future__ import annotations

import re

from django.urls import reverse

from giamngheo.reviews.models import ReviewResult, ReviewRound, Status
from giamngheo.reviews.selectors import official_list, round_overview, village_entries
from giamngheo.units.models import Unit


def _round_2023(commune) -> ReviewRound:  # type: ignore[no-untyped-def]
    return ReviewRound.objects.get(commune=commune, year=2023, kind="regular")


def test_the_round_overview_counts_every_household_of_the_imported_list(officer, demo_register):
    review_round = _round_2023(demo_register)
    results = ReviewResult.objects.filter(review_round=review_round)
    assert results.exists() and not review_round.households.exists()  # imported: results, no steps
    overview = round_overview(user=officer, review_round=review_round)
    assert overview.total.total == results.count()
    assert overview.total.poor == len(official_list(user=officer, review_round=review_round, kind="poor"))
    assert overview.total.near_poor == len(
        official_list(user=officer, review_round=review_round, kind="near_poor")
    )
    assert overview.total.poor == results.filter(status=Status.POOR).count() == 52


def test_the_round_page_and_the_village_page_list_the_households(
    client, officer, village_head, demo_register
):
    review_round = _round_2023(demo_register)
    mai_ha = Unit.objects.get(code="18133-01")
    client.force_login(officer)
    page = client.get(reverse("reviews:round_detail", args=[review_round.pk])).content.decode()
    total = ReviewResult.objects.filter(review_round=review_round).count()
    assert re.search(rf'<span class="value">{total:,}</span>'.replace(",", "."), page) or (
        f'<span class="value">{total}</span>' in page
    )
    village_results = ReviewResult.objects.filter(review_round=review_round, unit_path=mai_ha.path)
    rows = village_entries(user=officer, review_round=review_round, village=mai_ha)
    assert [row.household.code for row in rows] == sorted(
        village_results.values_list("household__code", flat=True)
    )
    assert all(row.result is not None for row in rows)
    # The "decided" step shows them too; another step shows none.
    assert len(village_entries(user=officer, review_round=review_round, village=mai_ha, step=60)) == len(rows)
    assert village_entries(user=officer, review_round=review_round, village=mai_ha, step=30) == []
    poor = village_results.filter(status=Status.POOR).select_related("household").first()
    for user in (officer, village_head):
        client.force_login(user)
        page = client.get(
            reverse("reviews:round_village", args=[review_round.pk, mai_ha.code])
        ).content.decode()
        assert f'id="ho-{poor.household.code}"' in page
        assert "Thôn không có hộ nào" not in page and "No household of this village" not in page
        assert reverse("reviews:certificate_one", args=[review_round.pk, poor.household.pk]) in page
