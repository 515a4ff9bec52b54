"""Classification under each standard, the income test (income or B1) and the explanation."""

from __future__ import annotations

import pytest

from giamngheo.errors import InputError
from giamngheo.standards.classify import classify
from giamngheo.standards.loader import get_standard
from giamngheo.testing.facts import REVIEW, answers, household

OLD = get_standard("VN-2022-2025")
NEW = get_standard("VN-2027-2030")
THREE = answers("health_insurance", "sanitation", "telecom")


def status(standard=OLD, **facts: object) -> str:
    return classify(household(**facts), standard, REVIEW).status


def test_income_exactly_at_the_line_is_at_or_below_it():
    assert status(income_per_capita=1_500_000, answers=THREE) == "poor"
    assert status(income_per_capita=1_500_000, answers=answers("sanitation")) == "near_poor"


def test_one_dong_above_the_line_is_the_average_band():
    assert status(income_per_capita=1_500_001, answers=THREE) == "average"


def test_the_average_band_ends_at_its_upper_bound_inclusive():
    assert status(income_per_capita=2_250_000) == "average"
    assert status(income_per_capita=2_250_001) == "not_poor"


def test_urban_households_have_their_own_line():
    assert status(area="urban", income_per_capita=2_000_000, answers=THREE) == "poor"
    assert status(area="urban", income_per_capita=2_000_001) == "average"
    assert status(area="rural", income_per_capita=2_000_000) == "average"


def test_two_deprivations_below_the_line_is_near_poor_and_three_is_poor():
    assert status(answers=answers("sanitation", "telecom")) == "near_poor"
    assert status(answers=THREE) == "poor"


@pytest.mark.parametrize(
    ("area", "score", "expected"),
    [("rural", 140, "poor"), ("rural", 141, "not_poor"), ("urban", 175, "poor"), ("urban", 176, "not_poor")],
)
def test_the_b1_score_at_or_below_its_cut_off_means_income_at_or_below_the_line(area, score, expected):
    result = classify(
        household(area=area, income_per_capita=None, b1_score=score, answers=THREE), OLD, REVIEW
    )
    assert result.status == expected and result.income_test == "b1" and result.b1_score == score


def test_surveyed_income_is_preferred_to_the_b1_score():
    result = classify(household(income_per_capita=3_000_000, b1_score=100), OLD, REVIEW)
    assert result.income_test == "income" and result.status == "not_poor" and result.b1_score is None


def test_a_household_with_neither_income_nor_b1_is_a_clear_error():
    with pytest.raises(InputError) as error:
        classify(household(household_id="H9", income_per_capita=None), OLD, REVIEW)
    assert "H9" in str(error.value) and "B1" in str(error.value)


def test_a_household_without_an_area_is_a_clear_error():
    with pytest.raises(InputError):
        classify(household(area=None), OLD, REVIEW)


def test_2027_has_no_information_devices_indicator_and_adds_waste():
    deprived = answers("information_devices", "sanitation", "telecom")
    assert status(OLD, answers=deprived) == "poor"
    assert status(NEW, answers=deprived) == "near_poor"
    assert status(NEW, answers=answers("waste", "sanitation", "telecom")) == "poor"


def test_2027_uses_its_own_income_lines():
    assert status(NEW, income_per_capita=2_200_000, answers=THREE) == "poor"
    assert status(NEW, income_per_capita=2_200_001) == "average"


def test_deprived_codes_follow_the_standards_order_and_b2_counts_ten_points_each():
    result = classify(household(answers=answers("telecom", "employment", "sanitation")), OLD, REVIEW)
    assert result.deprived == ("employment", "sanitation", "telecom")
    assert result.b2_score == 30 and result.deprivation_count == 3


def test_the_explanation_says_why_in_vietnamese_and_english():
    result = classify(household(income_per_capita=1_200_000, answers=THREE), OLD, REVIEW)
    assert result.explanation_vi == (
        "Thu nhập 1.200.000 đ/người/tháng ≤ chuẩn 1.500.000 đ (nông thôn) và thiếu hụt 3 chỉ số "
        "(BHYT, nhà tiêu hợp vệ sinh, internet) → hộ nghèo"
    )
    assert result.explanation_en == (
        "Income 1,200,000 VND/person/month ≤ line 1,500,000 VND (rural) and deprived in 3 indicators "
        "(health insurance, hygienic latrine, internet) → poor household"
    )


@pytest.mark.parametrize(
    ("facts", "vi", "en"),
    [
        (
            {"answers": answers("sanitation")},
            "Thu nhập 1.000.000 đ/người/tháng ≤ chuẩn 1.500.000 đ (nông thôn) và thiếu hụt 1 chỉ số "
            "(nhà tiêu hợp vệ sinh), dưới 3 → hộ cận nghèo",
            "deprived in 1 indicator (hygienic latrine), fewer than 3 → near-poor household",
        ),
        ({}, "và không thiếu hụt chỉ số nào → hộ cận nghèo", "and no deprivation → near-poor household"),
        (
            {"income_per_capita": 1_800_000},
            "Thu nhập 1.800.000 đ/người/tháng > chuẩn 1.500.000 đ và ≤ 2.250.000 đ (nông thôn) "
            "→ hộ có mức sống trung bình",
            "→ average living standard household",
        ),
        (
            {"income_per_capita": 5_000_000},
            "> 2.250.000 đ, trên mức thu nhập tối đa của hộ có mức sống trung bình (nông thôn) "
            "→ hộ không nghèo",
            "→ not poor",
        ),
        (
            {"income_per_capita": None, "b1_score": 130},
            "Điểm B1 130 ≤ ngưỡng 140 (nông thôn) và",
            "B1 score 130 ≤ cut-off 140 (rural)",
        ),
        (
            {"income_per_capita": None, "b1_score": 150},
            "Điểm B1 150 > ngưỡng 140 (nông thôn) → hộ không nghèo",
            "cannot be told from a B1 score",
        ),
    ],
)
def test_every_case_has_its_sentence(facts, vi, en):
    result = classify(household(**facts), OLD, REVIEW)
    assert vi in result.explanation_vi and en in result.explanation_en


def test_a_result_names_the_provisional_parameters_it_depended_on():
    below = classify(household(answers=THREE), NEW, REVIEW)
    assert "indicators" in below.provisional and "indicators.waste" in below.provisional
    average = classify(household(income_per_capita=3_000_000), NEW, REVIEW)
    assert average.provisional == ("income.average_upper",)
    assert classify(household(income_per_capita=9_000_000), OLD, REVIEW).provisional == ()


def test_a_result_converts_to_a_plain_dict():
    data = classify(household(household_id="H1", answers=THREE), OLD, REVIEW).to_dict()
    assert data["household_id"] == "H1" and data["review_date"] == "2024-11-15" and data["status"] == "poor"
