"""Escape plans: for poor and near-poor households, with an organisation, milestones and progress; what a
mass-organisation member may do for the households assigned to it."""

import datetime

import pytest

from giamngheo.errors import InputError
from giamngheo.support import services
from giamngheo.support.models import EscapePlan, PlanGroup, PlanStatus
from giamngheo.support.selectors import organisation_list, plan_list


@pytest.fixture
def women(support_register, officer, women_user):
    union = services.organisation_create(
        actor=officer, unit=support_register.commune, kind="womens_union", name="Hội Phụ nữ"
    )
    services.organisation_member_add(
        actor=officer,
        organisation=union,
        full_name="Phạm Thị Hoa",
        user=women_user,
        village=support_register.mai_ha,
        assignment="Thôn Mai Hà",
    )
    return union


@pytest.fixture
def farmers(support_register, officer):
    return services.organisation_create(
        actor=officer, unit=support_register.commune, kind="farmers_union", name="Hội Nông dân"
    )


def test_a_poor_household_gets_a_plan_with_its_organisation_and_milestones(support_register, officer, women):
    helper = women.members.get()
    plan = services.escape_plan_create(
        actor=officer,
        household=support_register["T01"],
        year=2023,
        group=PlanGroup.HAS_LABOUR,
        solutions=["loan", "production", "loan"],
        organisation=women,
        helper=helper,
        milestones=[("Vay vốn", datetime.date(2023, 3, 31)), ("Nhận bò giống", datetime.date(2023, 6, 30))],
    )
    assert plan.status_at_start == "poor" and plan.solutions == ["loan", "production"]
    assert plan.milestones.count() == 2 and plan.history.first().history_user == officer


def test_the_status_is_that_of_the_lists_in_force_during_the_year(support_register, officer):
    # T04 was not poor at the end of 2022 and became near-poor at the ad-hoc review of June 2023.
    plan = services.escape_plan_create(
        actor=officer, household=support_register["T04"], year=2023, group=PlanGroup.HAS_LABOUR
    )
    assert plan.status_at_start == "near_poor"
    # T03 was near-poor for 2023 (end-2022 review) even though the end-2023 review lifted it out.
    assert (
        services.escape_plan_create(
            actor=officer, household=support_register["T03"], year=2023, group=PlanGroup.HAS_LABOUR
        ).status_at_start
        == "near_poor"
    )


def test_a_household_not_on_the_lists_gets_no_plan(support_register, officer):
    with pytest.raises(InputError):
        services.escape_plan_create(
            actor=officer, household=support_register["T05"], year=2023, group=PlanGroup.HAS_LABOUR
        )
    assert not EscapePlan.objects.exists()


def test_one_plan_per_household_and_year(support_register, officer):
    services.escape_plan_create(
        actor=officer, household=support_register["T01"], year=2023, group=PlanGroup.HAS_LABOUR
    )
    with pytest.raises(InputError):
        services.escape_plan_create(
            actor=officer, household=support_register["T01"], year=2023, group=PlanGroup.HAS_LABOUR
        )


def test_bad_groups_solutions_and_helpers_are_refused(support_register, officer, women, farmers):
    household = support_register["T01"]
    with pytest.raises(InputError):
        services.escape_plan_create(actor=officer, household=household, year=2023, group="rich")
    with pytest.raises(InputError):
        services.escape_plan_create(
            actor=officer, household=household, year=2023, group="has_labour", solutions=["magic"]
        )
    with pytest.raises(InputError) as error:
        services.escape_plan_create(
            actor=officer,
            household=household,
            year=2023,
            group="has_labour",
            organisation=farmers,
            helper=women.members.get(),
        )
    assert error.value.problems[0].column == "helper"
    assert not EscapePlan.objects.exists()


def test_a_milestone_outside_the_plans_year_is_refused(support_register, officer):
    plan = services.escape_plan_create(
        actor=officer, household=support_register["T01"], year=2023, group="has_labour"
    )
    with pytest.raises(InputError) as error:
        services.milestone_add(actor=officer, plan=plan, title="Quá hạn", due_date=datetime.date(2024, 2, 1))
    assert error.value.problems[0].column == "due_date"
    milestone = services.milestone_add(actor=officer, plan=plan, title="Vay vốn", due_date="2023-03-31")
    with pytest.raises(InputError):
        services.milestone_done(actor=officer, milestone=milestone, done_on=datetime.date(2022, 12, 1))
    assert services.milestone_done(
        actor=officer, milestone=milestone, done_on="2023-03-20"
    ).done_on == datetime.date(2023, 3, 20)


def test_a_plan_written_after_the_fact_comes_with_its_outcome_and_the_milestones_met(
    support_register, officer
):
    plan = services.escape_plan_create(
        actor=officer,
        household=support_register["T02"],
        year=2023,
        group="has_labour",
        status=PlanStatus.ACHIEVED,
        milestones=[
            ("Vay vốn", datetime.date(2023, 3, 31), datetime.date(2023, 3, 20)),
            ("Đánh giá cuối năm", datetime.date(2023, 11, 30), None),
        ],
    )
    assert plan.status == PlanStatus.ACHIEVED and plan.version == 1
    assert list(plan.milestones.values_list("done_on", flat=True)) == [datetime.date(2023, 3, 20), None]
    for status, done_on, column in [
        ("finished", None, "status"),
        (PlanStatus.IN_PROGRESS, datetime.date(2022, 12, 31), "done_on"),  # before the plan's year
        (PlanStatus.IN_PROGRESS, datetime.date(2999, 1, 1), "done_on"),  # not yet happened
    ]:
        with pytest.raises(InputError) as error:
            services.escape_plan_create(
                actor=officer,
                household=support_register["T06"],
                year=2023,
                group="has_labour",
                status=status,
                milestones=[("Vay vốn", datetime.date(2023, 3, 31), done_on)],
            )
        assert error.value.problems[0].column == column
    assert not EscapePlan.objects.filter(household=support_register["T06"]).exists()  # nothing written


def test_a_mass_organisation_member_records_progress_for_assigned_households_only(
    support_register, officer, women, women_user
):
    mine = services.escape_plan_create(
        actor=officer, household=support_register["T01"], year=2023, group="has_labour", organisation=women
    )
    other = services.escape_plan_create(
        actor=officer, household=support_register["T02"], year=2023, group="has_labour"
    )
    services.escape_plan_update(
        actor=women_user, plan=mine, expected_version=1, status=PlanStatus.IN_PROGRESS, notes="Đã thăm hộ"
    )
    services.milestone_add(actor=women_user, plan=mine, title="Thăm hộ", due_date="2023-04-01")
    services.support_record(
        actor=women_user,
        household=support_register["T01"],
        kind="donation",
        form="donation_in_kind",
        date="2023-04-02",
        details={"items": "Gạo"},
    )
    with pytest.raises(InputError):
        services.escape_plan_update(
            actor=women_user, plan=other, expected_version=1, status=PlanStatus.IN_PROGRESS
        )
    with pytest.raises(InputError):
        services.support_record(
            actor=women_user,
            household=support_register["T02"],
            kind="donation",
            form="donation_cash",
            date="2023-04-02",
        )
    with pytest.raises(InputError):  # reassigning is the officer's decision
        services.escape_plan_update(actor=women_user, plan=mine, expected_version=2, organisation=None)
    with pytest.raises(InputError):
        services.escape_plan_create(
            actor=women_user, household=support_register["T06"], year=2023, group="has_labour"
        )


def test_an_inactive_member_loses_the_right(support_register, officer, women, women_user):
    plan = services.escape_plan_create(
        actor=officer, household=support_register["T01"], year=2023, group="has_labour", organisation=women
    )
    services.organisation_member_update(actor=officer, member=women.members.get(), active=False)
    with pytest.raises(InputError):
        services.escape_plan_update(
            actor=women_user, plan=plan, expected_version=1, status=PlanStatus.IN_PROGRESS
        )


def test_caseload_and_results_per_organisation(support_register, officer, women, farmers):
    services.escape_plan_create(
        actor=officer, household=support_register["T01"], year=2023, group="has_labour", organisation=women
    )
    plan = services.escape_plan_create(
        actor=officer, household=support_register["T02"], year=2023, group="has_labour", organisation=women
    )
    services.escape_plan_update(actor=officer, plan=plan, expected_version=1, status=PlanStatus.ACHIEVED)
    services.escape_plan_create(
        actor=officer, household=support_register["T06"], year=2023, group="has_labour", organisation=farmers
    )
    rows = {
        o.name: (o.caseload, o.achieved)
        for o in organisation_list(user=officer, unit=support_register.commune, year=2023)
    }
    assert rows == {"Hội Phụ nữ": (2, 1), "Hội Nông dân": (1, 0)}
    assert [
        p.household.code
        for p in plan_list(user=officer, unit=support_register.commune, year=2023, organisation_id=women.pk)
    ] == ["T01", "T02"]


def test_the_group_is_suggested_from_labour_capacity_and_missing_services():
    assert services.suggest_group(labour_capacity=False, deprived=[]) == PlanGroup.ELDERLY_NO_LABOUR
    assert (
        services.suggest_group(labour_capacity=True, deprived=["housing_quality", "sanitation"])
        == PlanGroup.HAS_LABOUR
    )
    assert (
        services.suggest_group(labour_capacity=None, deprived=["housing_quality", "sanitation"])
        == PlanGroup.LACKING_SERVICES
    )
