"""Each indicator from household and member facts, at its boundaries, at the review date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from giamngheo.standards.ages import add_months, age_on, is_working_age, retirement_date
from giamngheo.standards.classify import classify
from giamngheo.standards.facts import MemberFacts, Sex
from giamngheo.standards.indicators import evaluate, has_no_labour_capacity
from giamngheo.standards.loader import get_standard
from giamngheo.testing.facts import REVIEW, born, household, member

OLD = get_standard("VN-2022-2025")
NEW = get_standard("VN-2027-2030")


def deprived(code: str, standard=OLD, on: date = REVIEW, **facts: object) -> bool | None:
    evaluation = next(e for e in evaluate(household(**facts), standard, on) if e.code == code)
    return None if evaluation.source == "unknown" else evaluation.deprived


# --- ages ---------------------------------------------------------------------------------------------------


def test_age_is_counted_in_completed_years_to_the_day():
    assert age_on(date(2018, 11, 15), REVIEW) == 6
    assert age_on(date(2018, 11, 16), REVIEW) == 5


def test_someone_born_on_29_february_is_a_year_older_on_1_march():
    assert age_on(date(2008, 2, 29), date(2025, 2, 28)) == 16
    assert age_on(date(2008, 2, 29), date(2025, 3, 1)) == 17


def test_adding_months_clamps_to_the_end_of_the_month():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)


def test_retirement_age_follows_the_2019_labour_code_schedule():
    wa = OLD.working_age
    assert retirement_date(date(1961, 1, 10), Sex.MALE, wa) == date(2021, 4, 10)  # 60 years 3 months
    assert retirement_date(date(1961, 10, 10), Sex.MALE, wa) == date(2022, 4, 10)  # reached in 2022: 60y6m
    assert retirement_date(date(1970, 5, 1), Sex.MALE, wa) == date(2032, 5, 1)  # capped at 62
    assert retirement_date(date(1966, 1, 1), Sex.FEMALE, wa) == date(2021, 5, 1)  # 55 years 4 months
    assert retirement_date(date(1980, 1, 1), Sex.FEMALE, wa) == date(2040, 1, 1)  # capped at 60
    assert retirement_date(date(1960, 6, 1), Sex.MALE, wa) == date(2020, 6, 1)  # before the schedule: 60


def test_working_age_runs_from_15_to_the_day_before_retirement():
    wa = OLD.working_age
    assert is_working_age(member(14), REVIEW, wa) is False
    assert is_working_age(member(15), REVIEW, wa) is True
    man = MemberFacts(
        birth_date=date(1963, 1, 1), sex="male"
    )  # reaches 60y9m in 2023: retires 1 October 2023
    assert is_working_age(man, date(2023, 9, 30), wa) is True
    assert is_working_age(man, date(2023, 10, 1), wa) is False
    assert is_working_age(MemberFacts(birth_date=born(40)), REVIEW, wa) is True  # sex unknown, both agree
    assert is_working_age(MemberFacts(birth_date=born(58)), REVIEW, wa) is None  # depends on sex
    assert is_working_age(MemberFacts(), REVIEW, wa) is None


# --- employment, dependants, nutrition --------------------------------------------------------------------


def test_a_working_age_member_without_a_labour_contract_is_an_employment_deprivation():
    assert deprived("employment", members=[member(30, employment="employed_without_contract")]) is True
    assert deprived("employment", members=[member(30, employment="unemployed")]) is True
    assert deprived("employment", members=[member(30, employment="employed_with_contract")]) is False
    assert deprived("employment", members=[member(30, employment="self_employed")]) is False
    assert deprived("employment", members=[member(14, employment="unemployed")]) is False
    assert deprived("employment", members=[member(70, sex="male", employment="unemployed")]) is False


def test_dependants_at_exactly_half_of_the_members_are_not_a_deprivation():
    adults = [member(35), member(40)]
    assert deprived("dependants", members=[*adults, member(3), member(70)]) is False  # 2 of 4
    assert deprived("dependants", members=[*adults, member(3), member(70), member(10)]) is True  # 3 of 5


def test_a_severely_disabled_member_who_cannot_work_is_a_dependant():
    disabled = member(40, severe_disability=True, able_to_work=False)
    assert deprived("dependants", members=[member(35), disabled, member(5)]) is True
    able = member(40, severe_disability=True, able_to_work=True)
    assert deprived("dependants", members=[member(35), able, member(5)]) is False


def test_a_child_of_16_is_no_longer_a_dependant():
    assert deprived("dependants", members=[member(35), member(15), member(14)]) is True
    assert deprived("dependants", members=[member(35), member(16), member(14)]) is False


def test_nutrition_counts_children_under_16_only():
    assert deprived("nutrition", members=[member(35), member(15, stunted_or_underweight=True)]) is True
    assert deprived("nutrition", members=[member(35), member(16, stunted_or_underweight=True)]) is False


# --- health insurance, education --------------------------------------------------------------------------


def test_health_insurance_counts_members_from_age_6():
    assert (
        deprived(
            "health_insurance",
            members=[member(30, has_health_insurance=True), member(5, has_health_insurance=False)],
        )
        is False
    )
    assert (
        deprived(
            "health_insurance",
            members=[member(30, has_health_insurance=True), member(6, has_health_insurance=False)],
        )
        is True
    )
    one_day_short = MemberFacts(birth_date=born(6, days_before_birthday=1), has_health_insurance=False)
    assert deprived("health_insurance", members=[one_day_short]) is False


@pytest.mark.parametrize(("age", "expected"), [(15, False), (16, True), (30, True), (31, False)])
def test_adult_education_covers_ages_16_to_30(age, expected):
    person = member(age, education_level="primary", in_training=False, has_vocational_certificate=False)
    assert deprived("adult_education", members=[person]) is expected


def test_adult_education_is_met_by_training_the_diploma_or_from_18_a_vocational_certificate():
    assert (
        deprived("adult_education", members=[member(20, education_level="primary", in_training=True)])
        is False
    )
    assert (
        deprived(
            "adult_education", members=[member(20, education_level="upper_secondary", in_training=False)]
        )
        is False
    )
    vocational = member(
        20, education_level="lower_secondary", in_training=False, has_vocational_certificate=True
    )
    assert deprived("adult_education", members=[vocational]) is False
    assert (
        deprived(
            "adult_education", members=[member(17, education_level="lower_secondary", in_training=False)]
        )
        is False
    )


@pytest.mark.parametrize(("age", "expected"), [(2, False), (3, True), (15, True), (16, False)])
def test_child_schooling_covers_children_from_3_to_under_16(age, expected):
    assert deprived("child_schooling", members=[member(age, attending_school=False)]) is expected


def test_a_child_attending_below_the_level_of_their_school_age_is_deprived():
    # born in 2013: school age 11 in the school year that began in September 2024 — lower secondary
    assert (
        deprived(
            "child_schooling",
            members=[
                MemberFacts(birth_date=date(2013, 12, 1), attending_school=True, school_level="primary")
            ],
        )
        is True
    )
    assert (
        deprived(
            "child_schooling",
            members=[
                MemberFacts(
                    birth_date=date(2013, 12, 1), attending_school=True, school_level="lower_secondary"
                )
            ],
        )
        is False
    )
    # the same child in June 2024 is still finishing primary school
    assert (
        deprived(
            "child_schooling",
            on=date(2024, 6, 1),
            members=[
                MemberFacts(birth_date=date(2013, 12, 1), attending_school=True, school_level="primary")
            ],
        )
        is False
    )


# --- housing, water, information --------------------------------------------------------------------------


def test_floor_area_below_8_square_metres_per_person_is_a_deprivation():
    people = [member(30), member(30)]
    assert deprived("housing_area", floor_area_m2=Decimal("15.98"), members=people) is True  # 7.99 m² each
    assert deprived("housing_area", floor_area_m2=16, members=people) is False  # exactly 8 m² each
    assert deprived("housing_area", floor_area_m2=7.99, size=1) is True
    assert deprived("housing_area", floor_area_m2=8.0, size=1) is False


def test_a_dwelling_that_is_not_solid_is_a_housing_quality_deprivation():
    assert deprived("housing_quality", dwelling="semi_solid") is True
    assert deprived("housing_quality", dwelling="makeshift") is True
    assert deprived("housing_quality", dwelling="solid") is False


def test_household_level_services_are_deprivations_when_missing():
    assert deprived("drinking_water", safe_water=False) is True
    assert deprived("sanitation", hygienic_latrine=False) is True
    assert deprived("telecom", internet_use=False) is True
    assert deprived("information_devices", owns_info_device=False) is True
    assert deprived("waste", NEW, waste_handled=False) is True
    assert deprived("sanitation", hygienic_latrine=True) is False


# --- unknowns, answers, labour capacity -------------------------------------------------------------------


def test_an_undecidable_indicator_counts_as_not_deprived_and_is_listed_as_unknown():
    result = classify(household(hygienic_latrine=None), OLD, REVIEW)
    assert "sanitation" not in result.deprived and "sanitation" in result.unknown


def test_a_direct_answer_wins_over_the_facts_and_the_disagreement_is_reported():
    result = classify(household(hygienic_latrine=True, answers={"sanitation": True}), OLD, REVIEW)
    assert "sanitation" in result.deprived
    assert [(d.code, d.answer, d.from_facts) for d in result.discrepancies] == [("sanitation", True, False)]


def test_an_answer_for_an_indicator_the_standard_does_not_have_is_ignored():
    result = classify(household(answers={"information_devices": True}), NEW, REVIEW)
    assert result.deprivation_count == 0


def test_a_household_with_no_working_age_member_able_to_work_has_no_labour_capacity():
    elderly = [member(75, sex="male", able_to_work=True), member(72, sex="female", able_to_work=True)]
    assert has_no_labour_capacity(household(members=elderly), OLD, REVIEW) is True
    unable = [member(40, sex="male", able_to_work=False), member(10)]
    assert has_no_labour_capacity(household(members=unable), OLD, REVIEW) is True
    able = [member(40, sex="male", able_to_work=True), member(80)]
    assert has_no_labour_capacity(household(members=able), OLD, REVIEW) is False
    assert has_no_labour_capacity(household(members=[member(40, sex="male")]), OLD, REVIEW) is None
