"""The demo register: invented households whose end-2022 review gives the seed's figures exactly."""

from collections import Counter

import pytest

from giamngheo.demo.register import (
    MOVES_2023,
    build_register,
    register_summary,
    village_counts,
)
from giamngheo.demo.sontrung import village_rows
from giamngheo.households.models import Household, Member
from giamngheo.reviews.models import ReviewResult

VILLAGES = village_counts(village_rows())


@pytest.fixture(scope="module")
def generated_register():
    return build_register(VILLAGES)


def test_the_register_gives_the_seed_figures(generated_register):
    summary = register_summary(generated_register)
    assert summary["households"] == 1545
    assert (summary["poor"], summary["poor_people"]) == (63, 113)
    assert (summary["near_poor"], summary["near_poor_people"]) == (69, 195)
    assert (summary["poor_social_protection"], summary["poor_income_support"]) == (35, 2)


def test_the_labour_split_adds_up_47_and_16_for_the_poor_and_19_and_50_for_the_near_poor(generated_register):
    poor = [s for s in generated_register if s.status_2022 == "poor"]
    near = [s for s in generated_register if s.status_2022 == "near_poor"]
    assert Counter(s.labour_2022 for s in poor) == {False: 47, True: 16}
    assert Counter(s.labour_2022 for s in near) == {False: 19, True: 50}


def test_every_village_has_the_seed_counts(generated_register):
    for index, village in enumerate(VILLAGES):
        here = [s for s in generated_register if s.village_index == index]
        assert len(here) == village.households
        assert sum(s.status_2022 == "poor" for s in here) == village.poor
        assert sum(s.status_2022 == "near_poor" for s in here) == village.near_poor


def test_the_2023_review_moves_the_planned_households(generated_register):
    moved = sum(s.status_2023 != s.status_2022 for s in generated_register)
    assert moved == sum(sum(m.values()) for m in MOVES_2023)
    end = Counter(s.status_2023 for s in generated_register)
    assert (end["poor"], end["near_poor"]) == (52, 54)


def test_the_register_is_the_same_every_time(generated_register):
    again = build_register(VILLAGES)
    assert [(s.code, s.members[0]["full_name"], s.facts_2022) for s in again] == [
        (s.code, s.members[0]["full_name"], s.facts_2022) for s in generated_register
    ]


def test_invented_citizen_ids_cannot_be_real_ones(generated_register):
    ids = [m["citizen_id"] for s in generated_register for m in s.members if m["citizen_id"]]
    assert all(i.startswith("099") and len(i) == 12 for i in ids) and len(ids) == len(set(ids))


def test_building_the_register_is_deterministic(generated_register):
    # Its speed is measured in bench/, not asserted here: a loaded machine must not fail the suite.
    assert build_register(VILLAGES) == generated_register


@pytest.mark.slow
def test_the_engine_agrees_with_every_status_in_both_years():
    build_register(VILLAGES, verify_all=True)  # raises if any household's facts give another status


def test_the_loaded_register_records_history_and_snapshots(demo_register):
    households = Household.objects.filter(commune=demo_register)
    assert (
        households.count() == 1545 and Member.objects.filter(household__commune=demo_register).count() > 5000
    )
    assert Household.history.filter(commune_id=demo_register.pk).count() >= 1545
    result = ReviewResult.objects.filter(review_round__year=2022, status="poor").first()
    assert result.deprivation_count >= 3 and result.explanation_vi.endswith("hộ nghèo")
    assert "dữ liệu mẫu" in households.first().address
