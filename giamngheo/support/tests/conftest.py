"""A small register for the support tracker's tests, written through the register's and reviews' services.

Sơn Trung (the demo commune), end-2022 and end-2023 decided reviews, and a decided ad-hoc round in June 2023:

| code | village | 2022 | 06/2023 (ad-hoc) | 2023 | notes |
|---|---|---|---|---|---|
| T01 | Mai Hà | poor | | poor | an unemployed adult, a child of 10 out of school, an elder without BHYT |
| T02 | Mai Hà | poor | | near_poor | a damaged house |
| T03 | Hà Tràng | near_poor | | not_poor | |
| T04 | Hà Tràng | not_poor | near_poor | near_poor | fell into near-poverty in June |
| T05 | Mai Hà | not_poor | | not_poor | |
| T06 | Hà Tràng | near_poor | | near_poor | |
| H01 | Sơn Hồng 1 | poor | | poor | another commune: outside the officer's unit |
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from giamngheo.households.models import Household, Member
from giamngheo.households.services import household_create, member_add
from giamngheo.reviews.models import ReviewRound, RoundKind
from giamngheo.reviews.services import ResultRow, results_record, review_round_decide, review_round_open
from giamngheo.units.models import Unit

STATUSES = {
    # code: (village code, 2022, adhoc June 2023 or None, 2023)
    "T01": ("18133-01", "poor", None, "poor"),
    "T02": ("18133-01", "poor", None, "near_poor"),
    "T03": ("18133-02", "near_poor", None, "not_poor"),
    "T04": ("18133-02", "not_poor", "near_poor", "near_poor"),
    "T05": ("18133-01", "not_poor", None, "not_poor"),
    "T06": ("18133-02", "near_poor", None, "near_poor"),
    "H01": ("18136-01", "poor", None, "poor"),
}


@dataclass
class Register:
    households: dict[str, Household]
    members: dict[str, Member]
    commune: Unit
    mai_ha: Unit
    ha_trang: Unit

    def __getitem__(self, code: str) -> Household:
        return self.households[code]


def _decide(commune: Unit, year: int, rows: list[ResultRow], *, month: int | None = None) -> ReviewRound:
    kind = RoundKind.ADHOC if month else RoundKind.REGULAR
    review_date = datetime.date(year, month, 15) if month else datetime.date(year, 12, 14)
    review_round = review_round_open(
        commune=commune, year=year, kind=kind, month=month, review_date=review_date
    )
    results_record(review_round=review_round, rows=rows)
    return review_round_decide(
        review_round=review_round, decision_number=f"{year}-{month or 0}/QĐ (test)", decision_date=review_date
    )


def build_register() -> Register:
    units = {
        u.code: u
        for u in Unit.objects.filter(code__in=["18133", "18136", "18133-01", "18133-02", "18136-01"])
    }
    households: dict[str, Household] = {}
    members: dict[str, Member] = {}
    for code, (village_code, *_statuses) in STATUSES.items():
        village = units[village_code]
        households[code] = household_create(
            actor=None,
            village=village,
            code=code,
            head_name=f"Chủ hộ {code} (test)",
            size=3,
            income_per_capita=1_200_000 if code in ("T01", "T02", "H01") else 2_500_000,
            dwelling="semi_solid" if code == "T02" else "solid",
        )
    t01 = households["T01"]
    members["adult"] = member_add(
        actor=None,
        household=t01,
        full_name="Nguyễn Văn Lao (test)",
        birth_date=datetime.date(1985, 3, 1),
        sex="male",
        able_to_work=True,
        employment="unemployed",
        has_health_insurance=True,
    )
    members["child"] = member_add(
        actor=None,
        household=t01,
        full_name="Nguyễn Thị Bé (test)",
        birth_date=datetime.date(2013, 5, 1),
        sex="female",
        attending_school=False,
        has_health_insurance=True,
    )
    members["elder"] = member_add(
        actor=None,
        household=t01,
        full_name="Nguyễn Văn Cụ (test)",
        birth_date=datetime.date(1940, 1, 1),
        sex="male",
        able_to_work=False,
        has_health_insurance=False,
    )
    members["t06_child"] = member_add(
        actor=None,
        household=households["T06"],
        full_name="Lê Văn Học (test)",
        birth_date=datetime.date(2012, 2, 2),
        sex="male",
        attending_school=True,
        has_health_insurance=True,
    )
    members["other"] = member_add(
        actor=None,
        household=households["H01"],
        full_name="Võ Thị Khác (test)",
        birth_date=datetime.date(1980, 1, 1),
        sex="female",
        has_health_insurance=False,
    )
    communes = {"18133": units["18133"], "18136": units["18136"]}
    for commune in communes.values():
        mine = {c: h for c, h in households.items() if h.commune_id == commune.pk}
        _decide(commune, 2022, [ResultRow(h, STATUSES[c][1]) for c, h in mine.items()])
        adhoc = [ResultRow(h, STATUSES[c][2]) for c, h in mine.items() if STATUSES[c][2]]
        if adhoc:
            _decide(commune, 2023, adhoc, month=6)
        _decide(commune, 2023, [ResultRow(h, STATUSES[c][3]) for c, h in mine.items()])
    return Register(households, members, units["18133"], units["18133-01"], units["18133-02"])


@pytest.fixture
def register(demo) -> Register:  # type: ignore[no-untyped-def]
    return build_register()


@pytest.fixture
def women_user(demo):  # type: ignore[no-untyped-def]
    from giamngheo.accounts.models import User

    return User.objects.select_related("unit").get(username="hoiphunu.sontrung")


@pytest.fixture
def steering_user(demo):  # type: ignore[no-untyped-def]
    from giamngheo.accounts.models import User

    return User.objects.select_related("unit").get(username="bcd.sontrung")


@pytest.fixture
def admin_user(demo):  # type: ignore[no-untyped-def]
    from giamngheo.accounts.models import User

    return User.objects.select_related("unit").get(username="quantri")
