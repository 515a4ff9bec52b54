"""Filters of the list: unit, status of the latest decided review, categories, newly escaped; sort orders."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from giamngheo.households.labour import household_no_labour_capacity
from giamngheo.households.selectors import STATUS_NONE, RegisterQuery, register_page
from giamngheo.households.services import household_create

pytestmark = pytest.mark.django_db


def codes(user, **query) -> list[str]:  # type: ignore[no-untyped-def]
    page = register_page(user, RegisterQuery(**query), page_size=200)
    return sorted(h.code for h in page.rows if h.code.startswith("T-"))


def test_status_is_the_one_of_the_latest_decided_review(household_register, officer):
    assert codes(officer, status="near_poor") == ["T-001"]
    assert codes(officer, status="poor") == []
    assert codes(officer, status="not_poor") == ["T-002", "T-003"]


def test_an_open_round_does_not_change_the_status_shown(household_register, officer):
    from giamngheo.reviews.models import ReviewResult, RoundState
    from giamngheo.testing.registers import decided_round

    open_round = decided_round(household_register["h1"].commune, 2025)
    open_round.state = RoundState.OPEN
    open_round.save()
    ReviewResult.objects.create(
        review_round=open_round,
        household=household_register["h1"],
        unit_path=household_register["h1"].unit_path,
        status="poor",
        members=3,
    )
    assert codes(officer, status="near_poor") == ["T-001"]


def test_households_never_reviewed_have_their_own_filter(household_register, officer):
    household_create(
        actor=officer, village=household_register["mai_ha"], code="T-NEW", head_name="Hồ Văn Mới", size=1
    )
    assert codes(officer, status=STATUS_NONE) == ["T-NEW"]


def test_the_list_row_carries_the_latest_status(household_register, officer):
    page = register_page(officer, RegisterQuery(text="t-001"))
    assert page.rows[0].status == "near_poor"


def test_a_village_narrows_the_list(household_register, officer):
    assert codes(officer, unit=household_register["mai_ha"]) == ["T-001", "T-003"]


def test_declared_categories_filter_the_list(household_register, officer):
    assert codes(officer, categories=("social_protection",)) == ["T-001"]
    assert codes(officer, categories=("ethnic_minority", "meritorious")) == ["T-003"]
    assert codes(officer, categories=("provincial_income_support",)) == []


@time_machine.travel(datetime.datetime(2025, 6, 1, 9, tzinfo=datetime.UTC))
def test_no_labour_capacity_is_derived_from_the_members_when_not_declared(household_register, officer):
    # Lê Thị Lan, 85 and unable to work, lives alone; the others have working-age members able to work.
    assert codes(officer, categories=("no_labour",)) == ["T-002"]
    h2 = household_register["h2"]
    assert household_no_labour_capacity(h2, list(h2.members.all()), datetime.date(2025, 6, 1)) == (True, True)


def test_a_declared_labour_capacity_wins_over_the_members(household_register, officer):
    from giamngheo.households.services import household_update

    h1 = household_register["h1"]
    household_update(actor=officer, household=h1, expected_version=h1.version, labour_capacity=False)
    assert "T-001" in codes(officer, categories=("no_labour",))


@time_machine.travel(datetime.datetime(2025, 6, 1, 9, tzinfo=datetime.UTC))
def test_newly_escaped_means_left_the_lists_within_three_years(household_register, officer):
    # T-002 was poor at the end of 2022 and off the lists from the 2023 review: newly escaped until 12/2026.
    assert codes(officer, newly_escaped=True) == ["T-002"]


@time_machine.travel(datetime.datetime(2027, 1, 10, 9, tzinfo=datetime.UTC))
def test_newly_escaped_ends_three_years_after_leaving(household_register, officer):
    assert codes(officer, newly_escaped=True) == []


def test_names_sort_in_vietnamese_order(household_register, officer):
    household_create(
        actor=officer, village=household_register["mai_ha"], code="T-010", head_name="Đào Văn Ân", size=1
    )
    household_create(
        actor=officer, village=household_register["mai_ha"], code="T-011", head_name="Dương Văn Bảo", size=1
    )
    page = register_page(officer, RegisterQuery(unit=household_register["mai_ha"]), page_size=200)
    names = [h.head_name for h in page.rows if h.code.startswith("T-")]
    # Accent-insensitive order at least: "Dao…", "Dang…" and "Duong…" before "Nguyen…"; Đ after D where the
    # database has the Vietnamese collation (PostgreSQL with ICU).
    assert names.index("Nguyễn Văn Đức") == len(names) - 1
    assert set(names[:3]) == {"Đào Văn Ân", "Dương Văn Bảo", "Đặng Văn Bình"}


def test_code_order_groups_households_by_village(household_register, officer):
    page = register_page(officer, RegisterQuery(sort="code"), page_size=200)
    ours = [h.code for h in page.rows if h.code.startswith("T-")]
    assert ours == ["T-001", "T-003", "T-002"]  # Mai Hà (village 01) before Hà Tràng (02)


def test_a_newly_decided_round_shows_in_the_list_without_any_other_step(household_register, officer):
    from giamngheo.testing.registers import record

    assert codes(officer, status="near_poor") == ["T-001"]
    record(household_register["h1"], {2025: "poor"})  # a new round, decided
    assert codes(officer, status="poor") == ["T-001"]
    assert codes(officer, status="near_poor") == []
