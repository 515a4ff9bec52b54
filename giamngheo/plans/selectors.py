"""Scoped reads of plans: the target table, the analysis, the rate checks, target against actual, the
indicator targets with their live values, the plan document's data.

Every function takes the acting user and applies the unit scope: a village head sees the plan of their
commune limited to their village; a province viewer sees every commune's plan. The command line reads as
``COMMAND_LINE`` (the server's operator: everything, editing nothing).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q, QuerySet

from giamngheo.accounts.models import User
from giamngheo.households.selectors import households_visible_to
from giamngheo.plans import template as plan_text
from giamngheo.plans.baseline import VillageCounts, counts_by_group, counts_by_village
from giamngheo.plans.documents.analysis import PovertyAnalysis, build_poverty_analysis, template_values
from giamngheo.plans.documents.plan_document import PlanDocument, build_plan_document
from giamngheo.plans.documents.targets import TargetTable, UnitFigures, build_target_table
from giamngheo.plans.measures import LiveValue, as_of_date, live_values
from giamngheo.plans.models import IndicatorTarget, Plan, PlanTemplate, VillageTarget
from giamngheo.plans.sharing import ShareError, reduction_needed, share
from giamngheo.reviews.models import ReviewRound, RoundKind, RoundState
from giamngheo.reviews.selectors import decided_regular_round, results_visible_to
from giamngheo.standards.formatting import number_vi, percent, percent_vi
from giamngheo.units.models import Unit
from giamngheo.units.selectors import scope_q, unit_children


class CommandLineReader:
    """The acting "user" of command-line reports: whoever runs the server's commands reads every unit."""

    is_authenticated = True
    is_system_admin = True
    is_active = True
    can_edit = False
    unit_id = None
    unit = None
    pk = None

    def __str__(self) -> str:
        return "command line"


COMMAND_LINE: Any = CommandLineReader()


def _ancestor_paths(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts))]


def plans_visible_to(user: User) -> QuerySet[Plan]:
    """Plans of the user's unit and below, and the plan of the commune above a village head's village."""
    q = scope_q(user, field="unit_path")
    if not user.is_system_admin and user.unit is not None:
        q |= Q(unit_path__in=_ancestor_paths(user.unit.path))
    return Plan.objects.filter(q).select_related("commune", "commune__level", "baseline_round")


def next_plan_year(communes: list[Unit], today: datetime.date | None = None) -> int:
    """The year the "open a plan" form starts on: the year after the latest decided regular review of the
    communes (a plan opens on the review of the year before), else this year."""
    latest = ReviewRound.objects.filter(
        commune__in=communes, kind=RoundKind.REGULAR, state=RoundState.DECIDED
    ).aggregate(year=Max("year"))["year"]
    return latest + 1 if latest else (today or datetime.date.today()).year


def plan_for(*, user: User, commune: Unit, year: int) -> Plan | None:
    return plans_visible_to(user).filter(commune=commune, year=year).first()


def communes_for_plans(user: User) -> list[Unit]:
    """Communes the user may open a plan page for (their own and below; a village head's commune)."""
    from giamngheo.units.selectors import units_visible_to

    communes = list(units_visible_to(user).filter(level__code="commune").order_by("path"))
    if not communes and user.unit is not None and not user.is_system_admin:
        communes = list(
            Unit.objects.filter(
                path__in=_ancestor_paths(user.unit.path), level__code="commune"
            ).select_related("level")
        )
    return communes


# --- the target table --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VillageLine:
    village: Unit
    counts: VillageCounts
    poor_reduction: int
    near_poor_reduction: int


@dataclass(frozen=True)
class PlanFigures:
    plan: Plan
    lines: list[VillageLine]
    table: TargetTable
    whole_commune: bool  # the user sees every village of the commune (the total is the commune's)


def plan_figures(*, user: User, plan: Plan) -> PlanFigures:
    """Villages (visible to the user) with their baseline counts and targets: three queries."""
    villages = [v for v in unit_children(user=user, unit=plan.commune) if v.level.code == "village"]
    counts = counts_by_village(
        results_visible_to(user),
        households_visible_to(user),
        review_round=plan.baseline_round,
        under=plan.unit_path,
    )
    targets = {
        t.village_id: t for t in VillageTarget.objects.filter(scope_q(user, field="unit_path"), plan=plan)
    }
    lines = []
    for village in villages:
        target = targets.get(village.pk)
        if target is None and village.path not in counts:  # created after the plan year's start
            continue
        lines.append(
            VillageLine(
                village=village,
                counts=counts.get(village.path, VillageCounts()),
                poor_reduction=target.poor_reduction if target else 0,
                near_poor_reduction=target.near_poor_reduction if target else 0,
            )
        )
    table = build_target_table(
        [
            UnitFigures(
                name=line.village.name,
                households_total=line.counts.households,
                poor_start=line.counts.poor,
                poor_reduction=line.poor_reduction,
                near_poor_start=line.counts.near_poor,
                near_poor_reduction=line.near_poor_reduction,
            )
            for line in lines
        ],
        year=plan.year,
    )
    whole = user.is_system_admin or (user.unit is not None and plan.commune.path.startswith(user.unit.path))
    return PlanFigures(plan=plan, lines=lines, table=table, whole_commune=whole)


# --- rates against the assigned ones -----------------------------------------------------------------------


@dataclass(frozen=True)
class RateCheck:
    group: str  # poor, near_poor
    start_rate: Decimal
    planned_rate: Decimal  # at the end of the year, with the villages' targets
    assigned_rate: Decimal | None
    planned_reduction: int
    needed_reduction: int | None  # the commune total the assigned rate asks for
    households: int

    @property
    def met(self) -> bool | None:
        return None if self.assigned_rate is None else self.planned_rate <= self.assigned_rate

    @property
    def missing(self) -> int:
        """How many more households the villages' targets must reduce to meet the assigned rate."""
        if self.needed_reduction is None:
            return 0
        return max(self.needed_reduction - self.planned_reduction, 0)


def rate_checks(figures: PlanFigures) -> list[RateCheck]:
    """Planned rates against the assigned ones (only for a user who sees the whole commune: a village's
    own rate is not what the level above assigned)."""
    plan, total = figures.plan, figures.table.total
    checks = []
    for group, start, reduction, assigned in (
        ("poor", total.poor_start, total.poor_reduction, plan.assigned_poor_rate),
        ("near_poor", total.near_poor_start, total.near_poor_reduction, plan.assigned_near_poor_rate),
    ):
        needed = (
            reduction_needed(start=start, households=total.households_total, assigned_rate=assigned)
            if assigned is not None
            else None
        )
        if not figures.whole_commune:
            assigned, needed = None, None
        checks.append(
            RateCheck(
                group=group,
                start_rate=percent(start, total.households_total),
                planned_rate=percent(start - reduction, total.households_total),
                assigned_rate=assigned,
                planned_reduction=reduction,
                needed_reduction=needed,
                households=total.households_total,
            )
        )
    return checks


# --- proposal ----------------------------------------------------------------------------------------------

BASES = ("labour", "households")


@dataclass(frozen=True)
class Proposal:
    poor: dict[int, int]  # village pk → reduction
    near_poor: dict[int, int]
    poor_total: int
    near_poor_total: int
    basis: str
    problems: list[str] = field(default_factory=list)


def propose(
    figures: PlanFigures, *, poor_total: int | None, near_poor_total: int | None, basis: str = "labour"
) -> Proposal:
    """Share commune totals among the villages (default totals: what the assigned rates need), in proportion
    to households with labour capacity (``labour``) or to households (``households``) of each group."""
    checks = {c.group: c for c in rate_checks(figures)}
    lines = figures.lines
    result: dict[str, dict[int, int]] = {}
    totals: dict[str, int] = {}
    problems = []
    for group, given in (("poor", poor_total), ("near_poor", near_poor_total)):
        check = checks[group]
        total = (
            given
            if given is not None
            else (check.needed_reduction if check.needed_reduction is not None else check.planned_reduction)
        )
        caps = {line.village.pk: getattr(line.counts, group) for line in lines}
        if basis == "households":
            weights = dict(caps)
        else:
            weights = {line.village.pk: getattr(line.counts, f"{group}_with_labour") for line in lines}
        try:
            result[group] = share(total, weights, caps)
        except ShareError:
            problems.append(group)
            result[group] = {line.village.pk: getattr(line, f"{group}_reduction") for line in lines}
            total = sum(result[group].values())
        totals[group] = total
    return Proposal(
        poor=result["poor"],
        near_poor=result["near_poor"],
        poor_total=totals["poor"],
        near_poor_total=totals["near_poor"],
        basis=basis,
        problems=problems,
    )


# --- the analysis ------------------------------------------------------------------------------------------


def plan_analysis(*, user: User, plan: Plan, figures: PlanFigures) -> PovertyAnalysis:
    groups = counts_by_group(results_visible_to(user), review_round=plan.baseline_round, under=plan.unit_path)
    return build_poverty_analysis(
        baseline_year=plan.year - 1,
        households_total=figures.table.total.households_total,
        poor=groups["poor"],
        near_poor=groups["near_poor"],
    )


# --- target against actual ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActualLine:
    name: str
    households: int
    poor_target: int
    poor_actual: int
    near_poor_target: int
    near_poor_actual: int
    is_total: bool = False

    @property
    def poor_met(self) -> bool:
        return self.poor_actual <= self.poor_target

    @property
    def near_poor_met(self) -> bool:
        return self.near_poor_actual <= self.near_poor_target

    @property
    def poor_rate(self) -> Decimal:
        return percent(self.poor_actual, self.households)

    @property
    def near_poor_rate(self) -> Decimal:
        return percent(self.near_poor_actual, self.households)


@dataclass(frozen=True)
class Actual:
    review_round: ReviewRound
    lines: list[ActualLine]
    total: ActualLine


def plan_actual(*, user: User, plan: Plan, figures: PlanFigures) -> Actual | None:
    """End-of-year counts from the decided regular review of the plan year, against the targets."""
    review_round = decided_regular_round(commune=plan.commune, year=plan.year)
    if review_round is None:
        return None
    counts = counts_by_village(
        results_visible_to(user), households_visible_to(user), review_round=review_round, under=plan.unit_path
    )
    lines = []
    for line, row in zip(figures.lines, figures.table.rows, strict=True):
        actual = counts.get(line.village.path, VillageCounts())
        lines.append(
            ActualLine(
                name=line.village.name,
                households=actual.households,
                poor_target=row.poor_end,
                poor_actual=actual.poor,
                near_poor_target=row.near_poor_end,
                near_poor_actual=actual.near_poor,
            )
        )
    total = ActualLine(
        name="Tổng cộng",
        households=sum(line.households for line in lines),
        poor_target=sum(line.poor_target for line in lines),
        poor_actual=sum(line.poor_actual for line in lines),
        near_poor_target=sum(line.near_poor_target for line in lines),
        near_poor_actual=sum(line.near_poor_actual for line in lines),
        is_total=True,
    )
    return Actual(review_round=review_round, lines=lines, total=total)


# --- indicator targets -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorLine:
    target: IndicatorTarget
    value: LiveValue

    @property
    def met(self) -> bool | None:
        return self.value.met(self.target.target_percent)


def indicator_lines(
    *, user: User, plan: Plan, today: datetime.date | None = None
) -> tuple[list[IndicatorLine], datetime.date]:
    on = as_of_date(plan, today)
    values = live_values(user=user, plan=plan, as_of=on)
    targets = list(IndicatorTarget.objects.filter(plan=plan).order_by("sort_order", "pk"))
    return [IndicatorLine(target=t, value=values[t.measure]) for t in targets], on


# --- the page ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanPage:
    plan: Plan
    figures: PlanFigures
    checks: list[RateCheck]
    analysis: PovertyAnalysis
    actual: Actual | None
    indicators: list[IndicatorLine]
    as_of: datetime.date


def plan_page(*, user: User, plan: Plan) -> PlanPage:
    figures = plan_figures(user=user, plan=plan)
    indicators, on = indicator_lines(user=user, plan=plan)
    return PlanPage(
        plan=plan,
        figures=figures,
        checks=rate_checks(figures),
        analysis=plan_analysis(user=user, plan=plan, figures=figures),
        actual=plan_actual(user=user, plan=plan, figures=figures),
        indicators=indicators,
        as_of=on,
    )


# --- the commune's text and the document -------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateText:
    sections: dict[str, str]
    version: int | None  # None: the default text (no row yet)
    is_default: bool


def plan_template_for(commune: Unit) -> TemplateText:
    row = PlanTemplate.objects.filter(commune=commune).first()
    if row is None:
        return TemplateText(sections=dict(plan_text.DEFAULTS), version=None, is_default=True)
    sections = {name: getattr(row, name) for name in plan_text.SECTIONS}
    return TemplateText(sections=sections, version=row.version, is_default=sections == plan_text.DEFAULTS)


def document_values(*, plan: Plan, figures: PlanFigures, analysis: PovertyAnalysis) -> dict[str, str]:
    total = figures.table.total
    commune = plan.commune
    values = {
        "year": str(plan.year),
        "previous_year": str(plan.year - 1),
        "commune": commune.name,
        "commune_full": f"{commune.level.name_vi} {commune.name}",
        **template_values(analysis),
        "poor_reduction": number_vi(total.poor_reduction),
        "poor_end": number_vi(total.poor_end),
        "poor_end_rate": percent_vi(total.poor_end_pct),
        "near_poor_reduction": number_vi(total.near_poor_reduction),
        "near_poor_end": number_vi(total.near_poor_end),
        "near_poor_end_rate": percent_vi(total.near_poor_end_pct),
        "assigned_poor_rate": percent_vi(plan.assigned_poor_rate)
        if plan.assigned_poor_rate is not None
        else "…",
        "assigned_near_poor_rate": percent_vi(plan.assigned_near_poor_rate)
        if plan.assigned_near_poor_rate is not None
        else "…",
    }
    return values


def plan_document(*, user: User, plan: Plan) -> PlanDocument:
    """Everything the DOCX and PDF renderers need, computed from the data and the commune's text."""
    figures = plan_figures(user=user, plan=plan)
    analysis = plan_analysis(user=user, plan=plan, figures=figures)
    indicators = list(IndicatorTarget.objects.filter(plan=plan).order_by("sort_order", "pk"))
    return build_plan_document(
        commune_name=plan.commune.name,
        commune_level=plan.commune.level.name_vi,
        year=plan.year,
        sections=plan_template_for(plan.commune).sections,
        values=document_values(plan=plan, figures=figures, analysis=analysis),
        indicator_texts=[t.text for t in indicators],
        table=figures.table,
    )
