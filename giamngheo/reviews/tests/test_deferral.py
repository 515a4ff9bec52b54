"""Issue 17 D: "leave for a later round", which the decision page promises.

The commune officer has Mai Hà through the posting but Hà Tràng's RV-11 is away: the decision is refused
until RV-11 is left for a later round (with the reason); the round is then decided without it, and the next
round (a monthly one in March 2024) brings it in.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from giamngheo.errors import InputError
from giamngheo.reviews.models import ReviewResult, RoundHousehold, RoundKind
from giamngheo.reviews.selectors import round_overview
from giamngheo.reviews.services import (
    review_round_decide,
    review_round_open,
    round_households_seed,
)
from giamngheo.testing.registers import DEPRIVED_3, survey, take_through_posting


def test_a_household_left_for_a_later_round(client, officer, son_trung, round_2023, mai_ha, review_register):
    round_households_seed(review_round=round_2023)
    take_through_posting(
        round_2023, mai_ha, {"RV-01": (1_000_000, DEPRIVED_3), "RV-02": (1_300_000, {"sanitation": False})}
    )
    entry = RoundHousehold.objects.get(review_round=round_2023, household__code="RV-11")
    survey(entry, income=900_000, answers=DEPRIVED_3)  # surveyed, then the household left for work
    decide = {
        "review_round": round_2023,
        "decision_number": "9/QĐ",
        "decision_date": datetime.date(2023, 12, 1),
    }
    with pytest.raises(InputError) as error:
        review_round_decide(**decide)
    assert "RV-11" in str(error.value)

    client.force_login(officer)
    url = reverse("reviews:entry_defer", args=[round_2023.pk, entry.pk])
    client.post(url, {"reason": ""})
    assert not RoundHousehold.objects.get(pk=entry.pk).deferred  # a reason is needed
    response = client.post(url, {"reason": "Đi làm ăn xa đến tháng 3/2024"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.deferred and entry.deferred_reason == "Đi làm ăn xa đến tháng 3/2024"
    assert not ReviewResult.objects.filter(review_round=round_2023, household__code="RV-11").exists()
    assert round_overview(user=officer, review_round=round_2023).total.deferred == 1
    with pytest.raises(InputError):  # no Phiếu B in this round any more
        survey(entry, income=900_000, answers=DEPRIVED_3)

    review_round_decide(**decide)
    assert RoundHousehold.objects.get(pk=entry.pk).step != 60  # not decided here

    march = review_round_open(commune=son_trung, year=2024, kind=RoundKind.ADHOC, month=3)
    assert round_households_seed(review_round=march) == 1
    brought = RoundHousehold.objects.get(review_round=march)
    assert brought.household.code == "RV-11" and "2023" in brought.note and not brought.deferred
    assert round_households_seed(review_round=march) == 0  # idempotent
