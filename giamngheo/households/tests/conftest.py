"""A small register on the demo tree, for the register tests.

Sơn Trung (officer, village head of Mai Hà) and Sơn Hồng (other officer); decided regular reviews of 2022–2024
written directly (the review workflow has its own tests). Codes start with ``T-`` so assertions can ignore any
household the demo itself may load.
"""

from __future__ import annotations

import datetime

import pytest

from giamngheo.households.models import Household
from giamngheo.households.services import household_create, member_add
from giamngheo.reviews.models import ReviewResult, ReviewRound, RoundKind, RoundState
from giamngheo.reviews.statuses import household_statuses_refresh
from giamngheo.units.models import Unit


def decided_round(commune: Unit, year: int) -> ReviewRound:
    return ReviewRound.objects.get_or_create(
        commune=commune,
        year=year,
        kind=RoundKind.REGULAR,
        month=None,
        defaults={
            "standard_id": "VN-2022-2025",
            "standard_version": "1",
            "review_date": datetime.date(year, 12, 14),
            "state": RoundState.DECIDED,
            "decision_number": f"{year}/QĐ-UBND",
            "decision_date": datetime.date(year, 12, 20),
        },
    )[0]


def record(household: Household, statuses: dict[int, str]) -> None:
    """Results of decided rounds, then the stored status refreshed as a decision does (writes refresh it)."""
    for year, status in statuses.items():
        ReviewResult.objects.create(
            review_round=decided_round(household.commune, year),
            household=household,
            unit_path=household.unit_path,
            status=status,
            members=household.size,
        )
    household_statuses_refresh(commune=household.commune)


@pytest.fixture
def register(demo, officer):  # type: ignore[no-untyped-def]
    mai_ha = Unit.objects.get(code="18133-01")
    ha_trang = Unit.objects.get(code="18133-02")
    son_hong_1 = Unit.objects.get(code="18136-01")
    h1 = household_create(
        actor=officer,
        village=mai_ha,
        code="T-001",
        head_name="Nguyễn Văn Đức",
        size=3,
        social_protection=True,
    )
    member_add(
        actor=officer,
        household=h1,
        full_name="Nguyễn Văn Đức",
        relation="head",
        sex="male",
        birth_date=datetime.date(1980, 3, 2),
        citizen_id="042080000123",
        able_to_work=True,
    )
    member_add(
        actor=officer,
        household=h1,
        full_name="Trần Thị Hoa",
        relation="spouse",
        sex="female",
        birth_date=datetime.date(1983, 7, 9),
        citizen_id="042183000456",
        able_to_work=True,
    )
    member_add(
        actor=officer,
        household=h1,
        full_name="Nguyễn Văn An",
        relation="child",
        sex="male",
        birth_date=datetime.date(2012, 1, 5),
    )
    h2 = household_create(actor=officer, village=ha_trang, code="T-002", head_name="Lê Thị Lan", size=1)
    member_add(
        actor=officer,
        household=h2,
        full_name="Lê Thị Lan",
        relation="head",
        sex="female",
        birth_date=datetime.date(1940, 5, 1),
        able_to_work=False,
    )
    h3 = household_create(
        actor=officer,
        village=mai_ha,
        code="T-003",
        head_name="Đặng Văn Bình",
        size=2,
        ethnic_minority=True,
        meritorious=True,
    )
    member_add(
        actor=officer,
        household=h3,
        full_name="Đặng Văn Bình",
        relation="head",
        sex="male",
        birth_date=datetime.date(1975, 1, 1),
        able_to_work=True,
    )
    h4 = household_create(actor=None, village=son_hong_1, code="T-004", head_name="Nguyễn Văn Đức", size=2)
    record(h1, {2022: "poor", 2023: "poor", 2024: "near_poor"})
    record(h2, {2022: "poor", 2023: "not_poor", 2024: "not_poor"})
    record(h3, {2022: "not_poor", 2023: "not_poor", 2024: "not_poor"})
    record(h4, {2024: "poor"})
    return {"h1": h1, "h2": h2, "h3": h3, "h4": h4, "mai_ha": mai_ha, "ha_trang": ha_trang}
