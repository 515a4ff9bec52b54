"""What the home page shows for the user's unit: poverty against the plan's targets per unit below, the trend
over the years, indicator coverage, supports and spending, and the households that need attention.

The figures are the progress report's (``giamngheo.figures``), taken at the end of the year shown
(or today, for the current year): the page and the PDF report say the same thing. Each figure is one grouped
query, so the page costs the same number of queries for a village, a commune or a province.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from giamngheo import figures
from giamngheo.accounts.models import User
from giamngheo.common.language import is_english
from giamngheo.reports.concurrent import (
    figures_at_once,
    indicator_jobs,
    indicator_results,
    may_run_concurrently,
)
from giamngheo.reports.plan_link import INDICATOR_LABELS, plan_targets
from giamngheo.reviews.models import ReviewRound, RoundState, effective_date
from giamngheo.standards.formatting import percent
from giamngheo.support.kinds import SupportKind
from giamngheo.support.models import EscapePlan
from giamngheo.units.models import Unit
from giamngheo.units.selectors import scope_q


@dataclass
class UnitLine:
    unit: Unit
    households: int = 0
    poor: int = 0
    near_poor: int = 0
    poor_rate: Decimal = Decimal("0.00")
    near_poor_rate: Decimal = Decimal("0.00")
    poor_target: Decimal | None = None
    near_poor_target: Decimal | None = None

    @property
    def poor_met(self) -> bool | None:
        return None if self.poor_target is None else self.poor_rate <= self.poor_target

    @property
    def near_poor_met(self) -> bool | None:
        return None if self.near_poor_target is None else self.near_poor_rate <= self.near_poor_target


@dataclass
class HomeOverview:
    unit: Unit | None
    ancestors: list[Unit]
    children: list[Unit]
    units_below_by_level: list[tuple[str, int]]
    year: int | None = None
    as_of: datetime.date | None = None
    has_data: bool = False
    total: UnitLine | None = None
    lines: list[UnitLine] = field(default_factory=list)
    trend: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    supports: list[dict[str, Any]] = field(default_factory=list)
    supports_total: dict[str, int] = field(default_factory=dict)
    sources: list[dict[str, Any]] = field(default_factory=list)
    attention: dict[str, list[Any]] = field(default_factory=dict)
    attention_more: dict[str, bool] = field(default_factory=dict)
    charts: dict[str, Any] = field(default_factory=dict)


def _tree(user: User, unit: Unit) -> tuple[list[Unit], list[Unit]]:
    """Ancestors (for the breadcrumb) and children in official order, in one query."""
    codes = unit.path.strip("/").split("/")[:-1]
    rows = list(
        Unit.objects.filter(Q(code__in=codes) | (Q(parent=unit) & scope_q(user)))
        .select_related("level")
        .order_by("depth", "sort_order", "name")
    )
    ancestors = [u for u in rows if u.code in codes and u.parent_id != unit.pk]
    children = [u for u in rows if u.parent_id == unit.pk]
    return ancestors, children


def dashboard_year(user: User, unit: Unit, today: datetime.date) -> int:
    """The latest year with data in the unit — escape plans, or a decided review in effect today — up to this
    year; this year when there is none."""
    plans = EscapePlan.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path)
    reviews = (
        ReviewRound.objects.filter(state=RoundState.DECIDED)
        .filter(Q(commune__path__startswith=unit.path) | Q(commune__code__in=unit.path.strip("/").split("/")))
        .annotate(effective=effective_date())
        .filter(effective__lte=today)
        .values_list("year", flat=True)
    )
    # One query: the distinct years of both (a handful of rows).
    latest = max(plans.values_list("year", flat=True).order_by().union(reviews.order_by()), default=None)
    return min(latest, today.year) if latest else today.year


def home_overview(
    *, user: User, unit: Unit | None = None, year: int | None = None, today: datetime.date | None = None
) -> HomeOverview:
    """The overview of ``unit`` (default: the user's own; the view checks that it is in the user's scope)."""
    unit = unit or user.unit
    # Above a commune the figures' queries take seconds: they run at once on extra connections (as the
    # progress report's); a commune's take milliseconds, less than opening the connections would.
    concurrent = unit is not None and unit.level.code not in ATTENTION_LEVELS and may_run_concurrently()
    with figures.aggregate_session():
        return _home_overview(user=user, unit=unit, year=year, today=today, concurrent=concurrent)


# Lists of households needing attention are a commune's (and a village's) work list; above, the page shows
# figures per commune, each linking to the commune's own overview (the lists over a province cost seconds).
ATTENTION_LEVELS = frozenset({"commune", "village"})


def _home_overview(
    *, user: User, unit: Unit | None, year: int | None, today: datetime.date | None, concurrent: bool = False
) -> HomeOverview:
    if unit is None:
        return HomeOverview(unit=None, ancestors=[], children=[], units_below_by_level=[])
    english = is_english()
    today = today or timezone.localdate()
    ancestors, all_children = _tree(user, unit)
    overview = HomeOverview(unit=unit, ancestors=ancestors, children=all_children, units_below_by_level=[])
    year = year or dashboard_year(user, unit, today)
    as_of = min(today, datetime.date(year, 12, 31))
    overview.year, overview.as_of = year, as_of

    basis = figures.status_basis(unit=unit, on=as_of)
    if basis.empty:
        # Nothing reviewed yet: the page shows the unit and what lies below it.
        below = (
            Unit.objects.filter(scope_q(user), path__startswith=unit.path)
            .exclude(pk=unit.pk)
            .values("level__name_vi", "level__name_en", "level__rank")
            .annotate(n=Count("id"))
            .order_by("level__rank")
        )
        overview.units_below_by_level = [
            (row["level__name_en"] if english else row["level__name_vi"], row["n"]) for row in below
        ]
        return overview
    overview.has_data = True
    over = figures.overrides(user=user, unit=unit, basis=basis)
    # Indicators and attention are about the lists in force during the year (the plan's households).
    lists, lists_over = figures.lists_in_force(
        user=user, unit=unit, on=as_of, year=year, status=basis, status_over=over
    )
    start = datetime.date(year, 1, 1)
    scope: figures.Scope = {"user": user, "unit": unit}
    jobs: dict[str, Callable[[], Any]] = {
        **indicator_jobs(**scope, basis=lists, over=lists_over),
        "counts": functools.partial(figures.status_counts, **scope, basis=basis, over=over),
        "trend": functools.partial(figures.yearly_trend, **scope),
        "supports": functools.partial(figures.supports_delivered, **scope, start=start, end=as_of),
        "sources": functools.partial(figures.money_by_source, **scope, start=start, end=as_of),
        "targets": functools.partial(plan_targets, unit=unit, year=year),
    }
    if unit.level.code in ATTENTION_LEVELS:
        jobs["attention"] = functools.partial(
            figures.attention, **scope, basis=lists, over=lists_over, year=year
        )
    found = figures_at_once(jobs, concurrent=concurrent)
    total_counts, child_counts = figures.rollup(found["counts"], unit)
    targets = found["targets"]
    total_targets, child_targets = figures.rollup(targets.by_path, unit)
    children = [c for c in all_children if not c.level.is_legacy and c.is_valid_on(as_of)]

    def line(target: Unit, counts: dict[str, int], goal: dict[str, int]) -> UnitLine:
        households = counts.get("households", 0)
        base = goal.get("households", 0)
        assigned = targets.assigned.get(target.path)
        poor_target = percent(goal["poor_end"], base) if base and "poor_end" in goal else None
        near_target = percent(goal["near_poor_end"], base) if base and "near_poor_end" in goal else None
        if assigned:
            poor_target = assigned[0] if assigned[0] is not None else poor_target
            near_target = assigned[1] if assigned[1] is not None else near_target
        return UnitLine(
            unit=target,
            households=households,
            poor=counts.get("poor", 0),
            near_poor=counts.get("near_poor", 0),
            poor_rate=percent(counts.get("poor", 0), households),
            near_poor_rate=percent(counts.get("near_poor", 0), households),
            poor_target=poor_target,
            near_poor_target=near_target,
        )

    overview.total = line(unit, total_counts, total_targets)
    overview.lines = [line(c, child_counts.get(c.path, {}), child_targets.get(c.path, {})) for c in children]
    overview.trend = found["trend"]
    indicator_totals, _by_child = figures.rollup(indicator_results(found), unit)
    values = figures.indicator_values(indicator_totals)
    overview.indicators = [
        {
            "code": item.code,
            "label": INDICATOR_LABELS.get(item.code, item.code),
            "text": item.name_en if english else item.name_vi,
            "target": item.target,
            **values.get(item.code, {"numerator": 0, "denominator": 0, "percent": None}),
        }
        for item in targets.indicators
    ]

    supports_totals, _ = figures.rollup(found["supports"], unit)
    overview.supports = [
        {
            "kind": kind,
            "label": label,
            "count": supports_totals.get(f"{kind}__count", 0),
            "households": supports_totals.get(f"{kind}__households", 0),
            "amount": supports_totals.get(f"{kind}__amount", 0),
        }
        for kind, label in SupportKind.choices
        if supports_totals.get(f"{kind}__count")
    ]
    overview.supports_total = {
        "count": supports_totals.get("count", 0),
        "amount": supports_totals.get("amount", 0),
    }
    overview.sources = found["sources"]

    if "attention" in found:
        attention = found["attention"]
        limit = 8
        overview.attention = {key: rows[:limit] for key, rows in attention.items()}
        overview.attention_more = {key: len(rows) > limit for key, rows in attention.items()}
    overview.charts = _charts(overview, english)
    return overview


def _charts(overview: HomeOverview, english: bool) -> dict[str, Any]:
    from django.utils.translation import gettext as _

    lines = overview.lines or ([overview.total] if overview.total else [])
    return {
        "labels": [line.unit.name for line in lines],
        "poor": [float(line.poor_rate) for line in lines],
        "near_poor": [float(line.near_poor_rate) for line in lines],
        "poor_target": [float(line.poor_target) if line.poor_target is not None else None for line in lines],
        "years": [row["year"] for row in overview.trend],
        "trend_poor": [float(row["poor_rate"]) for row in overview.trend],
        "trend_near_poor": [float(row["near_poor_rate"]) for row in overview.trend],
        "indicator_labels": [str(item["label"]) for item in overview.indicators],
        "indicator_actual": [
            float(item["percent"]) if item["percent"] is not None else None for item in overview.indicators
        ],
        "indicator_target": [
            float(item["target"]) if item["target"] is not None else None for item in overview.indicators
        ],
        "kind_labels": [str(item["label"]) for item in overview.supports],
        "kind_counts": [item["count"] for item in overview.supports],
        "source_labels": [item["name"] for item in overview.sources],
        "received": [item["received"] for item in overview.sources],
        "spent": [item["spent"] for item in overview.sources],
        "label_poor": _("Poor"),
        "label_near_poor": _("Near-poor"),
        "label_target": _("Target"),
        "label_actual": _("Actual"),
        "label_received": _("Received"),
        "label_spent": _("Spent"),
        "label_count": _("Supports"),
    }
