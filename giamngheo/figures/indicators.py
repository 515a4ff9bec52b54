"""The plan's indicator targets (loans, health insurance, schooling, housing, jobs): numerators and
denominators per village path for the people and households on the lists, the one definition every page
reads."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q

from giamngheo.accounts.models import User
from giamngheo.figures.common import LIVE, rollup
from giamngheo.figures.status import Basis, Overrides, on_list_q, overrides, status_basis
from giamngheo.households.models import Household, Member
from giamngheo.reviews.models import ReviewResult
from giamngheo.standards.ages import add_months
from giamngheo.standards.formatting import percent
from giamngheo.standards.loader import standard_for_year
from giamngheo.standards.transitions import ON_LISTS
from giamngheo.support.kinds import SupportKind, SupportStatus
from giamngheo.support.models import (
    Support,
)
from giamngheo.units.models import Unit
from giamngheo.units.selectors import scope_q

INDICATOR_CODES = ("loans", "health_insurance", "schooling", "housing", "jobs")


def _years_before(day: datetime.date, years: int) -> datetime.date:
    return add_months(day, -12 * years)


def _school_ages(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Birth-date bounds of the children the schooling indicator counts (its ages are the standard's)."""
    standard = standard_for_year(on.year)
    params = standard.indicator("child_schooling").params
    youngest_born_by = _years_before(on, params["min_age"])  # born on or before → at least min_age
    oldest_born_after = _years_before(on, params["under_age"])  # born after → under under_age
    return oldest_born_after, youngest_born_by


MEMBER_INDICATORS = frozenset({"health_insurance", "schooling", "jobs"})


def indicator_counts(
    *,
    user: User,
    unit: Unit,
    basis: Basis,
    over: Overrides,
    codes: Iterable[str] = INDICATOR_CODES,
) -> dict[str, dict[str, int]]:
    """Numerators and denominators of the plan's indicator targets on ``basis.on``, per village path.

    * ``health_insurance``: people of poor and near-poor households / those with a valid card (the register's
      fact, or a delivered card whose validity covers the day);
    * ``schooling``: their children of school age (the standard's ages) / those attending school (the
      register's fact, or a schooling support delivered in the 12 months before the day);
    * ``jobs``: their members who need job help (a job support recorded) / those who got it (delivered);
    * ``loans``: poor, near-poor and newly-escaped households (on a list at a decided review within the
      standard's ``newly_escaped_years``) that need a loan (a loan recorded, met or not) / those that got one;
    * ``housing``: poor and near-poor households with a damaged house (the standard's deprived dwellings) or a
      housing support / those whose house was surveyed or helped (a housing support recorded).

    Three queries: over members, over households, over loan records — only those the ``codes`` asked for
    need (the plan page asks for loans and jobs alone: two).
    """
    if basis.empty:
        return {}
    wanted = set(codes)
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    if wanted & MEMBER_INDICATORS:
        _member_counts(counts, user=user, unit=unit, basis=basis, over=over)
    if "housing" in wanted:
        _housing_counts(counts, user=user, unit=unit, basis=basis, over=over)
    if "loans" in wanted:
        _loan_counts(counts, user=user, unit=unit, basis=basis, over=over)
    return dict(counts)


def _member_counts(
    counts: dict[str, dict[str, int]], *, user: User, unit: Unit, basis: Basis, over: Overrides
) -> None:
    on = basis.on
    on_list = on_list_q(basis, over)
    oldest_born_after, youngest_born_by = _school_ages(on)
    member_supports = Support.objects.filter(LIVE, member_id=OuterRef("pk"), date__lte=on)
    valid_card = member_supports.filter(
        kind=SupportKind.HEALTH_INSURANCE, status=SupportStatus.DELIVERED
    ).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    school_help = member_supports.filter(
        kind=SupportKind.SCHOOLING, status=SupportStatus.DELIVERED, date__gt=_years_before(on, 1)
    )
    job_need = member_supports.filter(kind=SupportKind.JOB)
    job_met = job_need.filter(status=SupportStatus.DELIVERED)
    child = Q(birth_date__gt=oldest_born_after, birth_date__lte=youngest_born_by)
    members = (
        Member.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path)
        .filter(on_list)
        .values("unit_path")
        .annotate(
            people=Count("id"),
            insured=Count("id", filter=Q(has_health_insurance=True) | Q(Exists(valid_card))),
            insurance_unknown=Count(
                "id", filter=Q(has_health_insurance__isnull=True) & ~Q(Exists(valid_card))
            ),
            children=Count("id", filter=child),
            attending=Count("id", filter=child & (Q(attending_school=True) | Q(Exists(school_help)))),
            job_need=Count("id", filter=Q(Exists(job_need))),
            job_met=Count("id", filter=Q(Exists(job_met))),
        )
    )
    for row in members:
        counts[row.pop("unit_path")].update(row)


def _housing_counts(
    counts: dict[str, dict[str, int]], *, user: User, unit: Unit, basis: Basis, over: Overrides
) -> None:
    """The households on the lists (one semi-join), each with or without a housing support."""
    on = basis.on
    deprived_dwellings = standard_for_year(on.year).indicator("housing_quality").params["deprived_dwellings"]
    housing_help = Support.objects.filter(
        LIVE, household_id=OuterRef("pk"), date__lte=on, kind=SupportKind.HOUSING
    )
    households = (
        Household.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path)
        .filter(on_list_q(basis, over, field="pk"))
        .values("unit_path")
        .annotate(
            households_listed=Count("id"),
            housing_need=Count("id", filter=Q(dwelling__in=deprived_dwellings) | Q(Exists(housing_help))),
            housing_met=Count("id", filter=Q(Exists(housing_help))),
        )
    )
    for row in households:
        counts[row.pop("unit_path")].update(row)


def _loan_counts(
    counts: dict[str, dict[str, int]],
    *,
    user: User,
    unit: Unit,
    basis: Basis,
    over: Overrides,
) -> None:
    """Driven from the loan records (few), kept when the household is on a list now or was at a decided
    review within the standard's newly-escaped period (hộ mới thoát nghèo keep their loan eligibility)."""
    on = basis.on
    escaped_years = standard_for_year(on.year).transitions.newly_escaped_years
    recent = [r for r, day in basis.rounds if day > _years_before(on, escaped_years)]
    recently_on = ReviewResult.objects.filter(review_round_id__in=recent, status__in=ON_LISTS).values(
        "household_id"
    )
    eligible = Q(household_id__in=recently_on)
    if over.ids_with(ON_LISTS):
        eligible |= Q(household_id__in=over.ids_with(ON_LISTS))
    loans = (
        Support.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path)
        .filter(LIVE, kind=SupportKind.LOAN, date__lte=on)
        .filter(eligible)
        .values("unit_path")
        .annotate(
            loan_need=Count("household_id", distinct=True),
            loan_met=Count("household_id", distinct=True, filter=Q(status=SupportStatus.DELIVERED)),
        )
    )
    for row in loans:
        counts[row.pop("unit_path")].update(row)


def indicators_in_force(
    *, user: User, unit: Unit, year: int, on: datetime.date
) -> tuple[dict[str, dict], dict[str, int]]:
    """Each indicator of ``unit`` (numerator, denominator, percentage) for the people and households on the
    lists in force during ``year``, read on ``on``; and the summed counts behind them. The one definition of
    the indicators: the plan page reads them here, the dashboard and the progress report through the same
    ``lists_in_force`` basis and ``indicator_counts`` (issue 11 A: one figure per indicator everywhere)."""
    basis = status_basis(unit=unit, on=on, in_force_for=year)
    over = overrides(user=user, unit=unit, basis=basis)
    total, _children = rollup(indicator_counts(user=user, unit=unit, basis=basis, over=over), unit)
    return indicator_values(total), total


def indicator_values(totals: dict[str, int]) -> dict[str, dict]:
    """From summed counts to each indicator's numerator, denominator and percentage (None without a need)."""
    pairs = {
        "loans": ("loan_met", "loan_need"),
        "health_insurance": ("insured", "people"),
        "schooling": ("attending", "children"),
        "housing": ("housing_met", "housing_need"),
        "jobs": ("job_met", "job_need"),
    }
    values = {}
    for code, (num, den) in pairs.items():
        n, d = totals.get(num, 0), totals.get(den, 0)
        values[code] = {"numerator": n, "denominator": d, "percent": percent(n, d) if d else None}
    return values
