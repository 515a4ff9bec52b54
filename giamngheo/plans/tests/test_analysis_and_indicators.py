"""The analysis (seed §II) and the indicator targets' live values, computed from the demo register."""

import datetime
from decimal import Decimal

from django.db.models import Q
from django.urls import reverse

from giamngheo.households.models import Member
from giamngheo.plans.measures import live_values
from giamngheo.plans.models import Plan
from giamngheo.plans.selectors import (
    COMMAND_LINE,
    indicator_lines,
    plan_actual,
    plan_analysis,
    plan_figures,
    rate_checks,
)
from giamngheo.plans.services import plan_open
from giamngheo.reviews.models import ReviewResult
from giamngheo.standards.formatting import percent
from giamngheo.support import services
from giamngheo.support.models import Support


def test_the_analysis_gives_the_seeds_figures_with_a_labour_split_that_adds_up(demo_register, officer):
    plan = Plan.objects.get(commune=demo_register, year=2023)
    analysis = plan_analysis(user=officer, plan=plan, figures=plan_figures(user=officer, plan=plan))
    poor, near = analysis.poor, analysis.near_poor
    assert (poor.households, poor.people, poor.rate) == (63, 113, Decimal("4.08"))
    assert (poor.without_labour, poor.with_labour, poor.labour_unknown) == (
        47,
        16,
        0,
    )  # the seed's 48 + 16 ≠ 63
    assert (poor.split("social_protection").yes, poor.split("provincial_income_support").yes) == (35, 2)
    assert (near.households, near.people, near.rate) == (69, 195, Decimal("4.47"))
    assert (near.without_labour, near.with_labour) == (19, 50)


def test_the_analysis_of_a_village_head_is_their_village(demo_register, village_head):
    plan = Plan.objects.get(commune=demo_register, year=2023)
    figures = plan_figures(user=village_head, plan=plan)
    analysis = plan_analysis(user=village_head, plan=plan, figures=figures)
    assert analysis.households_total == 202 and analysis.poor.households == 3
    assert not figures.whole_commune and all(c.assigned_rate is None for c in rate_checks(figures))


def test_the_seed_rates_meet_the_assigned_rates(demo_register):
    plan = Plan.objects.get(commune=demo_register, year=2023)
    checks = {c.group: c for c in rate_checks(plan_figures(user=COMMAND_LINE, plan=plan))}
    assert checks["poor"].planned_rate == Decimal("3.30") and checks["poor"].met
    assert checks["near_poor"].planned_rate == Decimal("3.50") and checks["near_poor"].met
    assert checks["poor"].needed_reduction == 12 and checks["poor"].missing == 0


def test_the_end_2023_review_shows_target_against_actual(demo_register):
    plan = Plan.objects.get(commune=demo_register, year=2023)
    actual = plan_actual(user=COMMAND_LINE, plan=plan, figures=plan_figures(user=COMMAND_LINE, plan=plan))
    assert (actual.total.poor_target, actual.total.poor_actual) == (51, 52)
    assert (actual.total.near_poor_target, actual.total.near_poor_actual) == (54, 54)
    misses = {line.name for line in actual.lines if not line.poor_met or not line.near_poor_met}
    assert misses == {"Mỹ Sơn", "Tân Tràng"}


def test_health_insurance_coverage_counts_the_members_of_listed_households(demo_register):
    plan = Plan.objects.get(commune=demo_register, year=2023)
    listed = ReviewResult.objects.filter(
        review_round=plan.baseline_round, status__in=["poor", "near_poor"]
    ).values("household_id")
    members = Member.objects.filter(household_id__in=listed)
    end = datetime.date(2023, 12, 31)
    value = live_values(user=COMMAND_LINE, plan=plan, as_of=end)["health_insurance"]
    assert value.denominator == members.count() == 113 + 195
    # Insured: the register says so, or the tracker delivered a card valid on the day (issue 11 A: the one
    # definition the dashboard and the progress report use too).
    cards = Support.objects.filter(
        kind="health_insurance", status="delivered", date__lte=end, valid_from__lte=end, valid_to__gte=end
    ).values("member_id")
    assert members.filter(has_health_insurance=True).count() == 308 - 12
    insured = members.filter(Q(has_health_insurance=True) | Q(pk__in=cards)).count()
    assert value.numerator == insured and 308 - 12 < insured < 308
    assert value.percent == percent(insured, 308) and not value.met(Decimal("100"))


def test_loans_and_job_counselling_come_from_the_support_tracker(demo_register):
    """The demo's year of supports feeds the two targets the register cannot measure; the values are the
    tracker's own records, counted here independently of ``figures``."""
    plan = Plan.objects.get(commune=demo_register, year=2023)
    lines, on = indicator_lines(user=COMMAND_LINE, plan=plan, today=datetime.date(2026, 1, 1))
    assert on == datetime.date(2023, 12, 31)
    by_measure = {line.target.measure: line for line in lines}
    listed = ReviewResult.objects.filter(
        review_round=plan.baseline_round, status__in=["poor", "near_poor"]
    ).values("household_id")
    loans = Support.objects.filter(kind="loan", household_id__in=listed).exclude(status="cancelled")
    loan = by_measure["loans"].value
    assert loan.available and loan.concerned == 132
    assert loan.denominator == loans.values("household_id").distinct().count() > 0
    assert loan.numerator == loans.filter(status="delivered").values("household_id").distinct().count()
    assert 0 < loan.numerator < loan.denominator  # a few needs are not met by the end of the year
    assert by_measure["loans"].met is False  # the target is 100%
    jobs = Support.objects.filter(kind="job", member__household_id__in=listed).exclude(status="cancelled")
    job = by_measure["job_counselling"].value
    assert job.available and job.concerned > 0
    assert job.denominator == jobs.values("member_id").distinct().count() > 0
    assert job.numerator == jobs.filter(status="delivered").values("member_id").distinct().count()
    school = by_measure["school_attendance"].value
    # One child is out of school in the register; the schooling support delivered to it that year counts it
    # as attending (the definition the dashboard and the progress report share).
    out = Member.objects.filter(household_id__in=listed, attending_school=False)
    helped = Support.objects.filter(kind="schooling", status="delivered", member__in=out, date__year=2023)
    assert helped.count() == 1 and school.denominator > 0 and school.numerator == school.denominator


def test_a_recorded_loan_changes_the_live_value_on_the_plan_page(demo_register, officer, client):
    plan = Plan.objects.get(commune=demo_register, year=2023)
    client.force_login(officer)
    client.cookies["django_language"] = "en"  # chosen with the language switch
    url = reverse("plans:detail", args=[demo_register.code, 2023])
    before = live_values(user=officer, plan=plan)["loans"]
    sentence = "{} of {} households that need a preferential loan got one"
    assert sentence.format(before.numerator, before.denominator) in client.get(url).content.decode()
    without_loan = (
        ReviewResult.objects.filter(review_round=plan.baseline_round, status="poor")
        .exclude(household__supports__kind="loan")
        .select_related("household")
        .first()
        .household
    )
    services.support_record(
        actor=officer,
        household=without_loan,
        kind="loan",
        form="loan_poor",
        date=datetime.date(2023, 6, 1),
        amount=50_000_000,
        provider="NHCSXH (test)",
    )
    after = live_values(user=officer, plan=plan)["loans"]
    assert (after.numerator, after.denominator) == (before.numerator + 1, before.denominator + 1)
    assert sentence.format(after.numerator, after.denominator) in client.get(url).content.decode()


def test_a_plan_without_recorded_needs_says_so_and_a_recorded_need_counts(son_hong_register, other_officer):
    """Sơn Hồng has no support recorded: the loan target shows the households concerned and no value; a need
    recorded (not met yet) makes it measurable, at 0%."""
    plan = plan_open(actor=None, commune=son_hong_register, year=2023)
    value = live_values(user=COMMAND_LINE, plan=plan)["loans"]
    assert value.available and value.denominator == 0 and value.percent is None
    assert value.concerned == 8 and value.met(Decimal("100")) is None
    household = ReviewResult.objects.filter(review_round=plan.baseline_round, status="poor").first().household
    services.support_record(
        actor=other_officer,
        household=household,
        kind="loan",
        form="loan_poor",
        status="needed",
        date=datetime.date(2023, 3, 1),
    )
    value = live_values(user=COMMAND_LINE, plan=plan)["loans"]
    assert (value.numerator, value.denominator, value.percent) == (0, 1, Decimal("0.00"))
    assert value.met(Decimal("100")) is False
