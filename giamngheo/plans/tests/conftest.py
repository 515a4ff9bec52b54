"""Fixtures of the plan tests.

- ``demo_register`` (shared, see ``giamngheo.demo.testing``): Sơn Trung with its full register, the decided
  reviews of 2022 and 2023 and the seed's 2023 plan — loaded once for this package.
- ``son_hong``: the neighbouring commune with a small register of its own (villages "1" and "2") and a decided
  end-2022 review, so service tests run fast and never touch Sơn Trung's figures.
"""

from __future__ import annotations

import datetime

import pytest

from giamngheo.demo.testing import demo_register, register_loaded  # noqa: F401 - shared fixtures
from giamngheo.households.services import household_create
from giamngheo.reviews.services import ResultRow, results_record, review_round_decide, review_round_open
from giamngheo.units.models import Unit

# village code suffix → statuses of its households at the end of 2022 (labour capacity: True for "p+", "n+")
SON_HONG_2022 = {
    "01": ["p+", "p", "p", "n+", "n", "x", "x", "x", "x", "x"],
    "02": ["p+", "n+", "n+", "x", "x", "x", "x", "x"],
}
STATUS = {"p": "poor", "n": "near_poor", "x": "not_poor"}


def son_hong_register(*, decided: bool = True, year: int = 2022) -> Unit:
    commune = Unit.objects.select_related("level").get(code="18136")
    review_round = review_round_open(commune=commune, year=year)
    rows = []
    for suffix, statuses in SON_HONG_2022.items():
        village = Unit.objects.select_related("level", "parent").get(code=f"18136-{suffix}")
        for number, code in enumerate(statuses, start=1):
            household = household_create(
                actor=None,
                village=village,
                code=f"SH{suffix}{number:02d}{year}",
                head_name=f"Hộ thử {number}",
                size=2,
            )
            rows.append(
                ResultRow(household=household, status=STATUS[code[0]], labour_capacity=code.endswith("+"))
            )
    results_record(review_round=review_round, rows=rows)
    if decided:
        review_round_decide(
            review_round=review_round, decision_number="9/QĐ-UBND", decision_date=datetime.date(year, 12, 20)
        )
    return commune


@pytest.fixture
def son_hong(demo) -> Unit:  # type: ignore[no-untyped-def]
    return son_hong_register()
