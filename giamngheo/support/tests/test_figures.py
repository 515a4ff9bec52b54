"""The figures behind the dashboard and the reports: status at a date (with ad-hoc reviews), the lists in
force during a year, indicator values, roll-up to the units below — a fixed number of queries."""

import datetime
from decimal import Decimal

from giamngheo import figures
from giamngheo.support import services

END_2023 = datetime.date(2023, 12, 31)


def _counts(user, unit, on, **kwargs):
    basis = figures.status_basis(unit=unit, on=on, **kwargs)
    return figures.rollup(figures.status_counts(user=user, unit=unit, basis=basis), unit)


def test_mid_year_status_is_the_last_yearly_review_amended_by_ad_hoc_reviews(support_register, officer):
    total, children = _counts(officer, support_register.commune, datetime.date(2023, 7, 1))
    assert (total["households"], total["poor"], total["near_poor"]) == (6, 2, 3)
    assert (
        children[support_register.mai_ha.path]["poor"],
        children[support_register.ha_trang.path]["near_poor"],
    ) == (2, 3)


def test_before_the_ad_hoc_review_the_household_keeps_its_yearly_status(support_register, officer):
    total, _children = _counts(officer, support_register.commune, datetime.date(2023, 5, 31))
    assert (total["poor"], total["near_poor"]) == (2, 2)


def test_at_the_end_of_the_year_the_yearly_review_gives_the_rates(support_register, officer):
    total, _children = _counts(officer, support_register.commune, END_2023)
    assert (total["poor"], total["near_poor"]) == (1, 3)
    assert figures.rates(total) == {"poor_rate": Decimal("16.67"), "near_poor_rate": Decimal("50.00")}


def test_the_lists_in_force_during_a_year_leave_out_that_years_own_review(support_register, officer):
    total, _children = _counts(officer, support_register.commune, END_2023, in_force_for=2023)
    assert (total["poor"], total["near_poor"]) == (2, 3)


def test_a_village_sees_its_commune_s_rounds_and_only_its_households(support_register, village_head):
    total, children = _counts(village_head, support_register.mai_ha, END_2023)
    assert (total["households"], total["poor"], total["near_poor"]) == (3, 1, 1) and children == {}


def test_a_province_rolls_up_to_its_communes(support_register, province_viewer):
    total, children = _counts(province_viewer, province_viewer.unit, datetime.date(2023, 7, 1))
    assert (total["households"], total["poor"]) == (7, 3)
    assert children[support_register.commune.path]["poor"] == 2 and children["/42/18136/"]["poor"] == 1


def test_another_communes_officer_sees_nothing_of_sơn_trung(support_register, other_officer):
    total, _children = _counts(other_officer, support_register.commune, END_2023)
    assert total.get("households", 0) == 0


def _indicators(user, unit, on=END_2023, year=2023):
    basis = figures.status_basis(unit=unit, on=on, in_force_for=year)
    over = figures.overrides(user=user, unit=unit, basis=basis)
    total, _ = figures.rollup(figures.indicator_counts(user=user, unit=unit, basis=basis, over=over), unit)
    return figures.indicator_values(total)


def test_indicators_count_the_register_and_the_supports(support_register, officer):
    before = _indicators(officer, support_register.commune)
    assert (before["health_insurance"]["numerator"], before["health_insurance"]["denominator"]) == (3, 4)
    assert (before["schooling"]["numerator"], before["schooling"]["denominator"]) == (1, 2)
    assert (before["housing"]["numerator"], before["housing"]["denominator"]) == (0, 1)
    assert before["loans"]["denominator"] == 0 and before["loans"]["percent"] is None

    members, household = support_register.members, support_register["T01"]
    services.support_record(
        actor=officer,
        household=household,
        kind="health_insurance",
        form="hi_state_full",
        member=members["elder"],
        date="2023-01-10",
        valid_from=datetime.date(2023, 1, 1),
        valid_to=datetime.date(2023, 12, 31),
    )
    services.support_record(
        actor=officer,
        household=household,
        kind="schooling",
        form="school_supplies",
        member=members["child"],
        date="2023-09-05",
    )
    services.support_record(
        actor=officer,
        household=support_register["T02"],
        kind="housing",
        form="housing_survey",
        date="2023-03-20",
    )
    services.support_record(
        actor=officer, household=household, kind="loan", form="loan_poor", status="needed", date="2023-03-01"
    )
    services.support_record(
        actor=officer,
        household=support_register["T02"],
        kind="loan",
        form="loan_poor",
        date="2023-03-01",
        amount=50_000_000,
    )
    services.support_record(
        actor=officer,
        household=household,
        kind="job",
        form="job_counselling",
        status="needed",
        member=members["adult"],
        date="2023-06-01",
    )
    after = _indicators(officer, support_register.commune)
    assert after["health_insurance"]["percent"] == 100
    assert after["schooling"]["numerator"] == 2
    assert (after["housing"]["numerator"], after["housing"]["denominator"]) == (1, 1)
    assert (after["loans"]["numerator"], after["loans"]["denominator"], str(after["loans"]["percent"])) == (
        1,
        2,
        "50.00",
    )
    assert (after["jobs"]["numerator"], after["jobs"]["denominator"]) == (0, 1)


def test_an_expired_card_does_not_count(support_register, officer):
    services.support_record(
        actor=officer,
        household=support_register["T01"],
        kind="health_insurance",
        form="hi_state_full",
        member=support_register.members["elder"],
        date="2023-01-10",
        valid_from=datetime.date(2023, 1, 1),
        valid_to=datetime.date(2023, 6, 30),
    )
    assert _indicators(officer, support_register.commune)["health_insurance"]["numerator"] == 3


def test_attention_lists_the_households_that_need_it(support_register, officer):
    services.escape_plan_create(
        actor=officer, household=support_register["T01"], year=2023, group="has_labour"
    )
    basis = figures.status_basis(unit=support_register.commune, on=END_2023, in_force_for=2023)
    over = figures.overrides(user=officer, unit=support_register.commune, basis=basis)
    found = figures.attention(user=officer, unit=support_register.commune, basis=basis, over=over, year=2023)
    assert [h.code for h in found["no_plan"]] == ["T02", "T03", "T04", "T06"]
    assert [m.full_name for m in found["out_of_school"]] == ["Nguyễn Thị Bé (test)"]
    assert [m.full_name for m in found["uninsured"]] == ["Nguyễn Văn Cụ (test)"]


def test_the_figures_cost_a_fixed_number_of_queries(
    support_register, province_viewer, django_assert_max_num_queries
):
    unit = province_viewer.unit
    # 13 on PostgreSQL: the status counts' denominators are the register's households (one grouped query).
    with django_assert_max_num_queries(13):
        basis = figures.status_basis(unit=unit, on=END_2023)
        over = figures.overrides(user=province_viewer, unit=unit, basis=basis)
        figures.status_counts(user=province_viewer, unit=unit, basis=basis, over=over)
        figures.indicator_counts(user=province_viewer, unit=unit, basis=basis, over=over)
        figures.supports_delivered(
            user=province_viewer, unit=unit, start=datetime.date(2023, 1, 1), end=END_2023
        )
        figures.money_by_source(
            user=province_viewer, unit=unit, start=datetime.date(2023, 1, 1), end=END_2023
        )
        figures.plan_counts(
            user=province_viewer, unit=unit, year=2023, start=datetime.date(2023, 1, 1), end=END_2023
        )
        figures.activity_counts(
            user=province_viewer, unit=unit, start=datetime.date(2023, 1, 1), end=END_2023
        )
