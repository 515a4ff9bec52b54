"""The progress report (báo cáo tiến độ) of a unit for a month, a quarter or a year — the builder (its
renderers, CSV, XLSX, DOCX, PDF, are in ``progress_render``).

The builder gathers, for the unit and each unit directly below it:

* poverty at the end of the period (status from the latest decided review, with ad-hoc results within the
  period) against the plan's targets;
* each indicator target of the plan against its actual value at the end of the period;
* supports delivered in the period (count, households, value) by kind;
* money received and spent in the period and balances at its end, by source;
* the escape plans of the year by status, their milestones; each organisation's caseload and results;
* communication activities in the period.

Every figure comes from ``giamngheo.figures``: a fixed number of grouped queries whatever the size
of the unit (a province of 100 communes costs the same number of queries as a commune). The result is plain
JSON-able data (``Progress.data``): a submitted report stores exactly this, so an approved report renders
the same forever, in every format.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from giamngheo import figures
from giamngheo.accounts.models import User
from giamngheo.reports.concurrent import (
    figures_at_once,
    indicator_jobs,
    indicator_results,
    may_run_concurrently,
)
from giamngheo.reports.periods import Period, parse_period
from giamngheo.reports.plan_link import plan_targets
from giamngheo.standards.formatting import percent
from giamngheo.support.kinds import SupportKind
from giamngheo.support.models import ActivityKind, OrganisationKind, PlanStatus, SourceKind
from giamngheo.units.models import Unit
from giamngheo.units.selectors import unit_children

SCHEMA = 1


def _pct(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _unit_info(unit: Unit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "display_name_vi": f"{unit.level.name_vi[:1].upper()}{unit.level.name_vi[1:]} {unit.name}",
        "display_name_en": f"{unit.level.name_en[:1].upper()}{unit.level.name_en[1:]} {unit.name}",
        "level": unit.level.code,
        "path": unit.path,
    }


@dataclass
class Progress:
    """The report's data (JSON-able: ints, ISO dates, percentages as "3.30" strings)."""

    data: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return self.data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Progress:
        return cls(data)

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The unit's total row first, then each unit below it."""
        return [self.data["total"], *self.data["children"]]


def _unit_row(
    info: dict[str, Any],
    *,
    counts: dict[str, int],
    targets: dict[str, int],
    assigned: tuple[Decimal | None, Decimal | None] | None,
    indicators: dict[str, int],
    supports: dict[str, int],
    spent: dict[str, int],
    plans: dict[str, int],
    activities: dict[str, int],
) -> dict[str, Any]:
    households = counts.get("households", 0)
    base_households = targets.get("households", 0)
    poor_target = (
        percent(targets["poor_end"], base_households) if base_households and "poor_end" in targets else None
    )
    near_target = (
        percent(targets["near_poor_end"], base_households)
        if base_households and "near_poor_end" in targets
        else None
    )
    if assigned is not None:  # the rates assigned from above take precedence for a commune
        poor_target = assigned[0] if assigned[0] is not None else poor_target
        near_target = assigned[1] if assigned[1] is not None else near_target
    poor_rate = percent(counts.get("poor", 0), households)
    near_rate = percent(counts.get("near_poor", 0), households)
    return {
        **info,
        "households": households,
        "people": counts.get("people", 0),
        "poor": counts.get("poor", 0),
        "poor_people": counts.get("poor_people", 0),
        "near_poor": counts.get("near_poor", 0),
        "near_poor_people": counts.get("near_poor_people", 0),
        "poor_rate": _pct(poor_rate),
        "near_poor_rate": _pct(near_rate),
        "poor_target_count": targets.get("poor_end"),
        "near_poor_target_count": targets.get("near_poor_end"),
        "poor_target_rate": _pct(poor_target),
        "near_poor_target_rate": _pct(near_target),
        "poor_met": None if poor_target is None else poor_rate <= poor_target,
        "near_poor_met": None if near_target is None else near_rate <= near_target,
        "indicators": {
            code: {**value, "percent": _pct(value["percent"])}
            for code, value in figures.indicator_values(indicators).items()
        },
        "supports": {
            "count": supports.get("count", 0),
            "amount": supports.get("amount", 0),
            **{
                kind: {
                    "count": supports.get(f"{kind}__count", 0),
                    "households": supports.get(f"{kind}__households", 0),
                    "amount": supports.get(f"{kind}__amount", 0),
                }
                for kind in SupportKind.values
            },
        },
        "spent": spent.get("spent", 0),
        "plans": {
            "total": plans.get("plans", 0),
            **{status: plans.get(f"plans_{status}", 0) for status in PlanStatus.values},
            "with_organisation": plans.get("with_organisation", 0),
            "milestones_due": plans.get("milestones_due", 0),
            "milestones_done": plans.get("milestones_done", 0),
            "milestones_done_in_period": plans.get("milestones_done_in_period", 0),
            "milestones_late": plans.get("milestones_late", 0),
        },
        "activities": {"count": activities.get("activities", 0), "reach": activities.get("reach", 0)},
    }


def build_progress(
    *, user: User, unit: Unit, period: Period | str, today: datetime.date | None = None
) -> Progress:
    """The progress report of ``unit`` for ``period``, as the acting user may see it."""
    # The period is checked before the read transaction opens: an error inside it (``savepoint=False``)
    # would leave a caller's own transaction unusable.
    if isinstance(period, str):
        period = parse_period(period, today=today)
    concurrent = may_run_concurrently()
    with figures.aggregate_session():
        return _build_progress(user=user, unit=unit, period=period, today=today, concurrent=concurrent)


def _build_progress(
    *, user: User, unit: Unit, period: Period, today: datetime.date | None, concurrent: bool = False
) -> Progress:
    today = today or timezone.localdate()
    as_of = min(period.end, today)
    year = period.year
    start = period.start

    # Rates: the status at the end of the period. Indicators: the lists in force during the period's year.
    basis = figures.status_basis(unit=unit, on=as_of)
    over = figures.overrides(user=user, unit=unit, basis=basis)
    lists, lists_over = figures.lists_in_force(
        user=user, unit=unit, on=as_of, year=year, status=basis, status_over=over
    )
    scope: figures.Scope = {"user": user, "unit": unit}
    # Longest first: the threads take them in this order.
    found = figures_at_once(
        {
            **indicator_jobs(**scope, basis=lists, over=lists_over),
            "organisations": lambda: figures.organisation_results(
                **scope, year=year, start=start, end=as_of, basis=basis, over=over
            ),
            "counts": lambda: figures.status_counts(**scope, basis=basis, over=over),
            "supports": lambda: figures.supports_delivered(**scope, start=start, end=as_of),
            "sources": lambda: figures.money_by_source(**scope, start=start, end=as_of),
            "plans": lambda: figures.plan_counts(**scope, year=year, start=start, end=as_of),
            "spending": lambda: figures.spending_by_target(**scope, start=start, end=as_of),
            "activities": lambda: figures.activity_counts(**scope, start=start, end=as_of),
            "targets": lambda: plan_targets(unit=unit, year=year),
        },
        concurrent=concurrent,
    )
    indicators = indicator_results(found)
    counts, supports = found["counts"], found["supports"]
    spending, plans, activities = found["spending"], found["plans"], found["activities"]
    sources, organisations, targets = found["sources"], found["organisations"], found["targets"]

    children = [
        child
        for child in unit_children(user=user, unit=unit).select_related("level")
        if not child.level.is_legacy and child.is_valid_on(as_of)
    ]
    sections = {
        "counts": figures.rollup(counts, unit),
        "targets": figures.rollup(targets.by_path, unit),
        "indicators": figures.rollup(indicators, unit),
        "supports": figures.rollup(supports, unit),
        "spent": figures.rollup(spending, unit),
        "plans": figures.rollup(plans, unit),
        "activities": figures.rollup(activities, unit),
    }

    def row_for(target: Unit, *, is_total: bool) -> dict[str, Any]:
        values = {
            name: (total if is_total else by_child.get(target.path, {}))
            for name, (total, by_child) in sections.items()
        }
        return _unit_row(
            _unit_info(target),
            counts=values["counts"],
            targets=values["targets"],
            assigned=targets.assigned.get(target.path),
            indicators=values["indicators"],
            supports=values["supports"],
            spent=values["spent"],
            plans=values["plans"],
            activities=values["activities"],
        )

    total = row_for(unit, is_total=True)
    rows = [row_for(child, is_total=False) for child in children]

    indicator_rows = []
    for item in targets.indicators:
        actual = total["indicators"].get(item.code, {"numerator": 0, "denominator": 0, "percent": None})
        met = None
        if item.target is not None and actual["percent"] is not None:
            met = Decimal(actual["percent"]) >= item.target
        indicator_rows.append(
            {
                "code": item.code,
                "name_vi": item.name_vi,
                "name_en": item.name_en,
                "target": _pct(item.target),
                "actual": actual["percent"],
                "numerator": actual["numerator"],
                "denominator": actual["denominator"],
                "met": met,
            }
        )

    by_kind = [
        {"kind": kind, **total["supports"][kind]}
        for kind in SupportKind.values
        if total["supports"][kind]["count"]
    ]
    source_rows = _sources_for_report(sources, unit)
    organisation_rows = _organisations_for_report(organisations, unit)
    activity_rows = _activities_by_kind(activities)

    data = {
        "schema": SCHEMA,
        "unit": _unit_info(unit),
        "period": {
            "code": period.code,
            "kind": period.kind,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "as_of": as_of.isoformat(),
            "label_vi": period.label_vi,
            "label_en": period.label_en,
            "in_progress": as_of < period.end,
        },
        "basis": {
            "regular_rounds": len({*basis.base_round_ids, *(r for r, _path in basis.base_scoped)}),
            "adhoc_rounds": len({*basis.adhoc_round_ids, *(r for r, _path in basis.adhoc_scoped)}),
            "adhoc_households": len(over.latest),
            "review_years": sorted(set(basis.base_years.values())),
            "lists_years": sorted(set(lists.base_years.values())),
        },
        "total": total,
        "children": rows,
        "indicator_targets": indicator_rows,
        "supports_by_kind": by_kind,
        "sources": source_rows,
        "organisations": organisation_rows,
        "activities_by_kind": activity_rows,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "generated_by": user.display() if hasattr(user, "display") else str(user),
    }
    return Progress(data)


def _sources_for_report(sources: list[dict[str, Any]], unit: Unit) -> list[dict[str, Any]]:
    """A commune (or village) lists each source; a larger unit sums its communes' sources by kind."""
    if unit.level.code in ("commune", "village") or len(sources) <= 12:
        return [
            {
                "name": s["name"],
                "kind": s["kind"],
                "received": s["received"],
                "spent": s["spent"],
                "balance": s["balance"],
            }
            for s in sources
        ]
    by_kind: dict[str, dict[str, Any]] = {}
    for s in sources:
        entry = by_kind.setdefault(
            s["kind"], {"name": "", "kind": s["kind"], "received": 0, "spent": 0, "balance": 0, "sources": 0}
        )
        for key in ("received", "spent", "balance"):
            entry[key] += s[key]
        entry["sources"] += 1
    order = {kind: i for i, kind in enumerate(SourceKind.values)}
    return sorted(by_kind.values(), key=lambda e: order.get(e["kind"], 99))


def _organisations_for_report(rows: list[dict[str, Any]], unit: Unit) -> list[dict[str, Any]]:
    """A commune lists its organisations; a larger unit sums them by kind (all communes' women's unions…)."""
    keys = ("caseload", "achieved", "in_progress", "improved", "supports", "amount")
    if unit.level.code in ("commune", "village"):
        return [
            {"name": r["name"] or "", "kind": r["kind"] or "", **{k: r[k] for k in keys}}
            for r in rows
            if r["organisation_id"] is not None
        ] + [
            {"name": "", "kind": "", **{k: r[k] for k in keys}} for r in rows if r["organisation_id"] is None
        ]
    by_kind: dict[str, dict[str, Any]] = {}
    for r in rows:
        kind = r["kind"] or ""
        entry = by_kind.setdefault(kind, {"name": "", "kind": kind, **dict.fromkeys(keys, 0)})
        for k in keys:
            entry[k] += r[k]
    order = {kind: i for i, kind in enumerate([*OrganisationKind.values, ""])}
    return sorted(by_kind.values(), key=lambda e: order.get(e["kind"], 99))


def _activities_by_kind(activities: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    totals: dict[str, dict[str, int]] = {}
    for values in activities.values():
        for kind in ActivityKind.values:
            if values.get(f"{kind}__count"):
                entry = totals.setdefault(kind, {"count": 0, "reach": 0})
                entry["count"] += values[f"{kind}__count"]
                entry["reach"] += values.get(f"{kind}__reach", 0)
    return [{"kind": kind, **totals[kind]} for kind in ActivityKind.values if kind in totals]
