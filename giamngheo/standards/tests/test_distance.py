"""How far a poor or near-poor household is from leaving the lists."""

from __future__ import annotations

from giamngheo.standards.classify import classify
from giamngheo.standards.distance import distance_to_exit
from giamngheo.standards.loader import get_standard
from giamngheo.testing.facts import REVIEW, answers, household

OLD = get_standard("VN-2022-2025")


def distance(listed: str | None = None, **facts: object):
    return distance_to_exit(classify(household(**facts), OLD, REVIEW), OLD, listed=listed)


def test_a_poor_household_with_three_deprivations_becomes_near_poor_by_resolving_any_one():
    d = distance(income_per_capita=1_200_000, answers=answers("health_insurance", "sanitation", "telecom"))
    assert d.income_gap == 300_000 and d.income_increase_to_exit == 300_001
    assert d.resolve_to_near_poor == 1 and d.resolvable == ("health_insurance", "sanitation", "telecom")
    assert "bất kỳ 1 trong 3" in d.text_vi and "any 1 deprivation of 3" in d.text_en


def test_a_poor_household_with_five_deprivations_must_resolve_three():
    codes = ("employment", "nutrition", "health_insurance", "sanitation", "telecom")
    assert distance(answers=answers(*codes)).resolve_to_near_poor == 3


def test_a_near_poor_household_leaves_the_lists_only_through_income():
    d = distance(income_per_capita=1_500_000, answers=answers("sanitation"))
    assert d.income_gap == 0 and d.income_increase_to_exit == 1 and d.resolve_to_near_poor is None
    assert "thoát cận nghèo" in d.text_vi


def test_with_a_b1_score_the_distance_is_in_points():
    d = distance(income_per_capita=None, b1_score=120)
    assert d.b1_points_to_exit == 21 and d.income_gap is None


def test_a_household_off_the_lists_has_no_distance_to_exit():
    assert distance(income_per_capita=2_000_000) is None


def test_a_household_on_the_near_poor_list_is_told_how_to_leave_near_poverty_even_if_its_facts_look_poor():
    """Its facts today (three deprivations) would make it poor, but it is on the near-poor list until the next
    review: the text speaks of leaving near-poverty, never of leaving poverty."""
    d = distance(
        listed="near_poor",
        income_per_capita=1_200_000,
        answers=answers("health_insurance", "sanitation", "telecom"),
    )
    assert d.status == "near_poor" and d.resolve_to_near_poor is None
    assert d.text_vi.startswith("Để thoát cận nghèo:") and "thoát nghèo" not in d.text_vi
    assert d.text_en.startswith("To leave near-poverty:") and "poverty;" not in d.text_en


def test_a_household_on_the_poor_list_whose_facts_are_near_poor_is_told_how_to_leave_poverty():
    d = distance(listed="poor", income_per_capita=1_200_000, answers=answers("sanitation"))
    assert d.status == "poor" and d.text_vi.startswith("Để thoát nghèo:") and "cận nghèo" not in d.text_vi
