"""The progress report (báo cáo tiến độ) of a unit for a month, a quarter or a year — the builder and its
renderers (CSV, XLSX, DOCX, PDF).

The builder gathers, for the unit and each unit directly below it:

* poverty at the end of the period (status from the latest decided review, with ad-hoc results within the
  period) against the plan's targets;
* each indicator target of the plan against its actual value at the end of the period;
* supports delivered in the period (count, households, value) by kind;
* money received and spent in the period and balances at its end, by source;
* the escape plans of the year by status, their milestones; each organisation's caseload and results;
* communication activities in the period.

Every figure comes from ``giamngheo.support.figures``: a fixed number of grouped queries whatever the size
of the unit (a province of 100 communes costs the same number of queries as a commune). The result is plain
JSON-able data (``Progress.data``): a submitted report stores exactly this, so an approved report renders
the same forever, in every format.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.reports.numbers import number_vi, percent, percent_vi
from giamngheo.support import figures
from giamngheo.support.kinds import SupportKind
from giamngheo.support.models import ActivityKind, OrganisationKind, PlanStatus, SourceKind
from giamngheo.support.periods import Period, parse_period
from giamngheo.support.plan_link import plan_targets
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
    with figures.aggregate_session():
        return _build_progress(user=user, unit=unit, period=period, today=today)


def _build_progress(*, user: User, unit: Unit, period: Period | str, today: datetime.date | None) -> Progress:
    if isinstance(period, str):
        period = parse_period(period, today=today)
    today = today or timezone.localdate()
    as_of = min(period.end, today)
    year = period.year

    # Rates: the status at the end of the period. Indicators: the lists in force during the period's year.
    basis = figures.status_basis(unit=unit, on=as_of)
    over = figures.overrides(user=user, unit=unit, basis=basis)
    lists, lists_over = figures.lists_in_force(
        user=user, unit=unit, on=as_of, year=year, status=basis, status_over=over
    )
    counts = figures.status_counts(user=user, unit=unit, basis=basis, over=over)
    indicators = figures.indicator_counts(user=user, unit=unit, basis=lists, over=lists_over)
    supports = figures.supports_delivered(user=user, unit=unit, start=period.start, end=as_of)
    spending = figures.spending_by_target(user=user, unit=unit, start=period.start, end=as_of)
    plans = figures.plan_counts(user=user, unit=unit, year=year, start=period.start, end=as_of)
    activities = figures.activity_counts(user=user, unit=unit, start=period.start, end=as_of)
    sources = figures.money_by_source(user=user, unit=unit, start=period.start, end=as_of)
    organisations = figures.organisation_results(
        user=user, unit=unit, year=year, start=period.start, end=as_of, basis=basis, over=over
    )
    targets = plan_targets(unit=unit, year=year)

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
            "regular_rounds": len(basis.base_round_ids),
            "adhoc_rounds": len(basis.adhoc_round_ids),
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


# --- labels (the renderers work without a request: the report names its language) --------------------------


def label(choices: Any, code: str, language: str) -> str:
    from django.utils import translation

    if not code:
        return "—"
    with translation.override(language):
        try:
            return str(choices(code).label)
        except ValueError:
            return code


def indicator_label(code: str, language: str) -> str:
    from django.utils import translation

    from giamngheo.support.plan_link import INDICATOR_LABELS

    with translation.override(language):
        return str(INDICATOR_LABELS.get(code, code))


def fmt_int(value: int | None, language: str) -> str:
    if value is None:
        return "—"
    return number_vi(value) if language == "vi" else f"{value:,}"


def fmt_pct(value: str | None, language: str) -> str:
    if value is None:
        return "—"
    return percent_vi(Decimal(value)) if language == "vi" else f"{Decimal(value):.2f}%"


def fmt_date(value: str, language: str) -> str:
    day = datetime.date.fromisoformat(value)
    return f"{day:%d/%m/%Y}"


# --- CSV ----------------------------------------------------------------------------------------------------

CSV_COLUMNS = [
    "section",
    "unit_code",
    "unit",
    "item",
    "target",
    "actual",
    "numerator",
    "denominator",
    "count",
    "amount",
]


def progress_csv_rows(progress: Progress) -> list[dict[str, Any]]:
    """One long table (section, unit, item, figures): machine-readable, dot decimals, ISO dates."""
    out: list[dict[str, Any]] = []

    def add(section: str, row: dict[str, Any] | None, item: str, **values: Any) -> None:
        out.append(
            {
                "section": section,
                "unit_code": row["code"] if row else "",
                "unit": row["name"] if row else "",
                "item": item,
                **{k: ("" if v is None else v) for k, v in values.items()},
            }
        )

    for row in progress.rows:
        add("poverty", row, "households", actual=row["households"])
        add("poverty", row, "people", actual=row["people"])
        add("poverty", row, "poor", target=row["poor_target_count"], actual=row["poor"])
        add("poverty", row, "poor_rate", target=row["poor_target_rate"], actual=row["poor_rate"])
        add("poverty", row, "near_poor", target=row["near_poor_target_count"], actual=row["near_poor"])
        add(
            "poverty",
            row,
            "near_poor_rate",
            target=row["near_poor_target_rate"],
            actual=row["near_poor_rate"],
        )
    targets = {item["code"]: item["target"] for item in progress.data["indicator_targets"]}
    for row in progress.rows:
        for code, value in row["indicators"].items():
            add(
                "indicator",
                row,
                code,
                target=targets.get(code),
                actual=value["percent"],
                numerator=value["numerator"],
                denominator=value["denominator"],
            )
    for row in progress.rows:
        add("supports", row, "all", count=row["supports"]["count"], amount=row["supports"]["amount"])
        for kind in SupportKind.values:
            value = row["supports"][kind]
            if value["count"]:
                add(
                    "supports",
                    row,
                    kind,
                    count=value["count"],
                    numerator=value["households"],
                    amount=value["amount"],
                )
        add("spending", row, "spent_on_unit", amount=row["spent"])
    total = progress.data["total"]
    for source in progress.data["sources"]:
        item = f"{source['kind']}:{source['name']}" if source["name"] else source["kind"]
        add("sources", total, f"{item}:received", amount=source["received"])
        add("sources", total, f"{item}:spent", amount=source["spent"])
        add("sources", total, f"{item}:balance", amount=source["balance"])
    for row in progress.rows:
        for key in ("total", *PlanStatus.values, "milestones_due", "milestones_done", "milestones_late"):
            add("escape_plans", row, key, count=row["plans"][key])
    for org in progress.data["organisations"]:
        item = org["name"] or org["kind"] or "unassigned"
        add("organisations", total, f"{item}:caseload", count=org["caseload"])
        add("organisations", total, f"{item}:achieved", count=org["achieved"])
        add("organisations", total, f"{item}:out_of_poverty", count=org["improved"])
        add("organisations", total, f"{item}:supports", count=org["supports"], amount=org["amount"])
    for activity in progress.data["activities_by_kind"]:
        add("communication", total, activity["kind"], count=activity["count"], numerator=activity["reach"])
    return out


def render_csv(progress: Progress) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in progress_csv_rows(progress):
        writer.writerow({key: row.get(key, "") for key in CSV_COLUMNS})
    return buffer.getvalue().encode("utf-8")


# --- the tables every document shows (title + header + rows), in the report's language ---------------------


def _t(language: str, vi: str, en: str) -> str:
    return vi if language == "vi" else en


def document_tables(progress: Progress, language: str = "vi") -> list[dict[str, Any]]:
    """The report as titled tables: the same content in XLSX, DOCX and PDF. Cells are (text, is_number)."""
    L = language
    d = progress.data
    rows = progress.rows
    name = "display_name_vi" if L == "vi" else "display_name_en"
    tables: list[dict[str, Any]] = []

    # A cell: (text as shown, right-aligned?, the value for a spreadsheet, its kind: int, pct or text).
    def n(value: int | None) -> tuple[str, bool, Any, str]:
        return fmt_int(value, L), True, value, "int"

    def p(value: str | None) -> tuple[str, bool, Any, str]:
        return fmt_pct(value, L), True, (Decimal(value) if value is not None else None), "pct"

    def t(text: str) -> tuple[str, bool, Any, str]:
        return text, False, text, "text"

    def met(flag: bool | None) -> tuple[str, bool, Any, str]:
        text = "—" if flag is None else (_t(L, "Đạt", "Met") if flag else _t(L, "Chưa đạt", "Not met"))
        return t(text)

    tables.append(
        {
            "title": _t(
                L, "1. Tỷ lệ hộ nghèo, cận nghèo so với chỉ tiêu", "1. Poverty rates against targets"
            ),
            "header": [
                _t(L, "Đơn vị", "Unit"),
                _t(L, "Tổng số hộ", "Households"),
                _t(L, "Hộ nghèo", "Poor"),
                _t(L, "Tỷ lệ", "Rate"),
                _t(L, "Chỉ tiêu", "Target"),
                _t(L, "Đánh giá", "Result"),
                _t(L, "Hộ cận nghèo", "Near-poor"),
                _t(L, "Tỷ lệ", "Rate"),
                _t(L, "Chỉ tiêu", "Target"),
                _t(L, "Đánh giá", "Result"),
            ],
            "rows": [
                [
                    t(r[name] if i == 0 else r["name"]),
                    n(r["households"]),
                    n(r["poor"]),
                    p(r["poor_rate"]),
                    p(r["poor_target_rate"]),
                    met(r["poor_met"]),
                    n(r["near_poor"]),
                    p(r["near_poor_rate"]),
                    p(r["near_poor_target_rate"]),
                    met(r["near_poor_met"]),
                ]
                for i, r in enumerate(rows)
            ],
            "total_first": True,
        }
    )
    tables.append(
        {
            "title": _t(
                L,
                "2. Các chỉ tiêu hỗ trợ so với kết quả thực hiện",
                "2. Indicator targets against actual values",
            ),
            "header": [
                _t(L, "Chỉ tiêu", "Indicator"),
                _t(L, "Kế hoạch", "Target"),
                _t(L, "Thực hiện", "Actual"),
                _t(L, "Đạt/tổng số", "Reached/total"),
                _t(L, "Đánh giá", "Result"),
            ],
            "rows": [
                [
                    t(item["name_vi"] if L == "vi" else item["name_en"]),
                    p(item["target"]),
                    p(item["actual"]),
                    t(f"{fmt_int(item['numerator'], L)}/{fmt_int(item['denominator'], L)}"),
                    met(item["met"]),
                ]
                for item in d["indicator_targets"]
            ],
        }
    )
    codes = [item["code"] for item in d["indicator_targets"]]
    if len(rows) > 1:
        tables.append(
            {
                "title": _t(L, "3. Kết quả các chỉ tiêu theo đơn vị (%)", "3. Indicator values by unit (%)"),
                "header": [_t(L, "Đơn vị", "Unit"), *[indicator_label(code, L) for code in codes]],
                "rows": [
                    [
                        t(r[name] if i == 0 else r["name"]),
                        *[p(r["indicators"].get(code, {}).get("percent")) for code in codes],
                    ]
                    for i, r in enumerate(rows)
                ],
                "total_first": True,
            }
        )
    tables.append(
        {
            "title": _t(L, "4. Hỗ trợ đã thực hiện trong kỳ", "4. Supports delivered in the period"),
            "header": [
                _t(L, "Loại hỗ trợ", "Kind of support"),
                _t(L, "Lượt", "Supports"),
                _t(L, "Số hộ", "Households"),
                _t(L, "Giá trị (đồng)", "Value (VND)"),
            ],
            "rows": [
                [
                    t(label(SupportKind, item["kind"], L)),
                    n(item["count"]),
                    n(item["households"]),
                    n(item["amount"]),
                ]
                for item in d["supports_by_kind"]
            ]
            + [
                [
                    t(_t(L, "Tổng cộng", "Total")),
                    n(d["total"]["supports"]["count"]),
                    t(""),
                    n(d["total"]["supports"]["amount"]),
                ]
            ],
            "total_last": True,
        }
    )
    if len(rows) > 1:
        tables.append(
            {
                "title": _t(L, "5. Hỗ trợ và kinh phí theo đơn vị", "5. Supports and spending by unit"),
                "header": [
                    _t(L, "Đơn vị", "Unit"),
                    _t(L, "Lượt hỗ trợ", "Supports"),
                    _t(L, "Giá trị (đồng)", "Value (VND)"),
                    _t(L, "Đã chi (đồng)", "Spent (VND)"),
                ],
                "rows": [
                    [
                        t(r[name] if i == 0 else r["name"]),
                        n(r["supports"]["count"]),
                        n(r["supports"]["amount"]),
                        n(r["spent"]),
                    ]
                    for i, r in enumerate(rows)
                ],
                "total_first": True,
            }
        )
    tables.append(
        {
            "title": _t(
                L,
                "6. Nguồn lực: tiếp nhận, chi và số dư theo nguồn",
                "6. Resources: received, spent and balance by source",
            ),
            "header": [
                _t(L, "Nguồn", "Source"),
                _t(L, "Loại", "Kind"),
                _t(L, "Tiếp nhận trong kỳ", "Received"),
                _t(L, "Chi trong kỳ", "Spent"),
                _t(L, "Số dư cuối kỳ", "Balance at the end"),
            ],
            "rows": [
                [
                    t(s["name"] or label(SourceKind, s["kind"], L)),
                    t(label(SourceKind, s["kind"], L)),
                    n(s["received"]),
                    n(s["spent"]),
                    n(s["balance"]),
                ]
                for s in d["sources"]
            ]
            + (
                [
                    [
                        t(_t(L, "Tổng cộng", "Total")),
                        t(""),
                        n(sum(s["received"] for s in d["sources"])),
                        n(sum(s["spent"] for s in d["sources"])),
                        n(sum(s["balance"] for s in d["sources"])),
                    ]
                ]
                if d["sources"]
                else []
            ),
            "total_last": bool(d["sources"]),
        }
    )
    plan_statuses = list(PlanStatus.values)
    tables.append(
        {
            "title": _t(L, "7. Kế hoạch thoát nghèo của hộ", "7. Households' escape plans"),
            "header": [
                _t(L, "Đơn vị", "Unit"),
                _t(L, "Số kế hoạch", "Plans"),
                *[label(PlanStatus, s, L) for s in plan_statuses],
                _t(L, "Mốc đến hạn", "Milestones due"),
                _t(L, "Mốc hoàn thành", "Milestones done"),
                _t(L, "Mốc trễ hạn", "Milestones late"),
            ],
            "rows": [
                [
                    t(r[name] if i == 0 else r["name"]),
                    n(r["plans"]["total"]),
                    *[n(r["plans"][s]) for s in plan_statuses],
                    n(r["plans"]["milestones_due"]),
                    n(r["plans"]["milestones_done"]),
                    n(r["plans"]["milestones_late"]),
                ]
                for i, r in enumerate(rows)
            ],
            "total_first": True,
        }
    )
    tables.append(
        {
            "title": _t(L, "8. Kết quả của các tổ chức, đoàn thể", "8. Organisations' results"),
            "header": [
                _t(L, "Tổ chức", "Organisation"),
                _t(L, "Số hộ phụ trách", "Households in charge"),
                _t(L, "Đã thoát nghèo (theo kế hoạch)", "Achieved (plan)"),
                _t(L, "Ra khỏi danh sách (rà soát)", "Out of poverty (review)"),
                _t(L, "Lượt hỗ trợ", "Supports"),
                _t(L, "Giá trị (đồng)", "Value (VND)"),
            ],
            "rows": [
                [
                    t(
                        o["name"]
                        or (
                            label(OrganisationKind, o["kind"], L)
                            if o["kind"]
                            else _t(L, "Chưa phân công", "Not assigned")
                        )
                    ),
                    n(o["caseload"]),
                    n(o["achieved"]),
                    n(o["improved"]),
                    n(o["supports"]),
                    n(o["amount"]),
                ]
                for o in d["organisations"]
            ],
        }
    )
    tables.append(
        {
            "title": _t(L, "9. Công tác tuyên truyền", "9. Communication"),
            "header": [
                _t(L, "Hình thức", "Kind"),
                _t(L, "Số hoạt động", "Activities"),
                _t(L, "Số người tham gia/được tiếp cận", "People reached"),
            ],
            "rows": [
                [t(label(ActivityKind, a["kind"], L)), n(a["count"]), n(a["reach"])]
                for a in d["activities_by_kind"]
            ],
        }
    )
    return tables


def report_title(progress: Progress, language: str = "vi") -> tuple[str, str]:
    d = progress.data
    if language == "vi":
        return (
            "BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH MTQG GIẢM NGHÈO BỀN VỮNG",
            f"{d['unit']['display_name_vi']} — {d['period']['label_vi']}",
        )
    return (
        "PROGRESS REPORT — NATIONAL TARGET PROGRAM ON SUSTAINABLE POVERTY REDUCTION",
        f"{d['unit']['display_name_en']} — {d['period']['label_en']}",
    )


# --- charts (SVG, drawn here: no plotting library is installed, and a PDF needs no JavaScript) -------------


def svg_bar_chart(
    *,
    labels: list[str],
    series: list[tuple[str, list[float | None], str]],
    targets: list[float | None] | None = None,
    width: int = 640,
    height: int = 240,
    unit: str = "%",
) -> str:
    """A grouped bar chart as an SVG string: one group per label, one bar per series, an optional target
    tick per group. Values are plain numbers (percentages or counts)."""
    from html import escape

    left, right, top, bottom = 44, 10, 22, 58
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _name, vs, _c in series for v in vs if v is not None] + [
        v for v in (targets or []) if v is not None
    ]
    top_value = max(values or [1.0])
    scale_max = _nice_ceiling(top_value)
    groups = max(len(labels), 1)
    group_w = plot_w / groups
    bar_w = max(min(group_w * 0.8 / max(len(series), 1), 28), 2)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" '
        'font-family="Be Vietnam Pro, sans-serif" font-size="9">'
    ]
    for i in range(5):
        value = scale_max * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            'stroke="#ddd" stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end" fill="#555">'
            f"{_axis(value)}{escape(unit)}</text>"
        )
    for g, name in enumerate(labels):
        x0 = left + g * group_w + (group_w - bar_w * len(series)) / 2
        for s, (_series_name, vs, colour) in enumerate(series):
            v = vs[g] if g < len(vs) else None
            if v is None:
                continue
            h = plot_h * (v / scale_max) if scale_max else 0
            x = x0 + s * bar_w
            parts.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 1:.1f}" '
                f'height="{h:.1f}" fill="{colour}"/>'
            )
        if targets and g < len(targets) and targets[g] is not None:
            y = top + plot_h - plot_h * (targets[g] / scale_max)
            parts.append(
                f'<line x1="{x0 - 2:.1f}" y1="{y:.1f}" x2="{x0 + bar_w * len(series) + 1:.1f}" y2="{y:.1f}" '
                'stroke="#000" stroke-width="1.5" stroke-dasharray="3,2"/>'
            )
        cx = left + g * group_w + group_w / 2
        parts.append(
            f'<text x="{cx:.1f}" y="{top + plot_h + 10}" text-anchor="end" '
            f'transform="rotate(-35 {cx:.1f} {top + plot_h + 10})" '
            f'fill="#222">{escape(name[:22])}</text>'
        )
    legend_x = left
    for series_name, _vs, colour in series:
        parts.append(f'<rect x="{legend_x}" y="6" width="9" height="9" fill="{colour}"/>')
        parts.append(f'<text x="{legend_x + 12}" y="14" fill="#222">{escape(series_name)}</text>')
        legend_x += 14 + 6 * len(series_name) + 10
    if targets:
        parts.append(
            f'<line x1="{legend_x}" y1="10" x2="{legend_x + 14}" y2="10" '
            'stroke="#000" stroke-width="1.5" stroke-dasharray="3,2"/>'
        )
        parts.append(f'<text x="{legend_x + 18}" y="14" fill="#222">{{target}}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    import math

    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _axis(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def report_charts(progress: Progress, language: str = "vi") -> list[dict[str, str]]:
    """The dashboard's figures as SVG: poverty rates against targets by unit, and indicator coverage."""
    rows = progress.data["children"] or [progress.data["total"]]
    names = [r["name"] for r in rows]

    def f(value: str | None) -> float | None:
        return float(value) if value is not None else None

    target_word = _t(language, "chỉ tiêu", "target")
    rates = svg_bar_chart(
        labels=names,
        series=[
            (_t(language, "Hộ nghèo", "Poor"), [f(r["poor_rate"]) for r in rows], "#b3261e"),
            (_t(language, "Hộ cận nghèo", "Near-poor"), [f(r["near_poor_rate"]) for r in rows], "#f2a93b"),
        ],
        targets=[f(r["poor_target_rate"]) for r in rows],
    ).replace("{target}", target_word + " (" + _t(language, "nghèo", "poor") + ")")
    items = progress.data["indicator_targets"]
    coverage = svg_bar_chart(
        labels=[indicator_label(i["code"], language) for i in items],
        series=[(_t(language, "Thực hiện", "Actual"), [f(i["actual"]) for i in items], "#1e7b34")],
        targets=[f(i["target"]) for i in items],
    ).replace("{target}", target_word)
    return [
        {
            "title": _t(
                language, "Tỷ lệ hộ nghèo, cận nghèo so với chỉ tiêu", "Poverty rates against targets"
            ),
            "svg": rates,
        },
        {"title": _t(language, "Mức độ đạt các chỉ tiêu hỗ trợ", "Indicator coverage"), "svg": coverage},
    ]


# --- XLSX, DOCX, PDF ----------------------------------------------------------------------------------------


def render_xlsx(progress: Progress, language: str = "vi") -> bytes:
    """One sheet per table, through the reports' generic Excel writer (``reports.xlsx``): numbers stay
    numbers (counts ``#,##0``, percentages as points ``0.00"%"``), the unit's total row in bold at the end."""
    from giamngheo.reports.xlsx import INT, PERCENT_POINTS, Column, HeaderCell, Sheet, workbook_bytes

    title, subtitle = report_title(progress, language)
    as_of = fmt_date(progress.data["period"]["as_of"], language)
    sheets = []
    for number, table in enumerate(document_tables(progress, language), start=1):
        rows = [[value for _text, _number, value, _kind in cells] for cells in table["rows"]]
        total = None
        if table.get("total_first") and rows:
            total, rows = rows[0], rows[1:]
        elif table.get("total_last") and rows:
            rows, total = rows[:-1], rows[-1]
        kinds = [
            next((cells[i][3] for cells in table["rows"] if cells[i][2] is not None), "text")
            for i in range(len(table["header"]))
        ]
        columns = [
            Column(width=34 if i == 0 else 15, number_format={"int": INT, "pct": PERCENT_POINTS}.get(kind))
            for i, kind in enumerate(kinds)
        ]
        sheets.append(
            Sheet(
                name=_t(language, f"Bảng {number}", f"Table {number}"),
                header_rows=[[HeaderCell(text) for text in table["header"]]],
                columns=columns,
                rows=rows,
                title_lines=[title, subtitle, table["title"]],
                total_row=total,
                note_lines=[_t(language, f"Số liệu đến ngày {as_of}.", f"Figures as of {as_of}.")],
            )
        )
    return workbook_bytes(sheets)


def render_docx(progress: Progress, language: str = "vi") -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    d = progress.data
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    unit_name = d["unit"]["display_name_vi"] if language == "vi" else d["unit"]["display_name_en"]
    left.paragraphs[0].add_run(unit_name.upper()).bold = True
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    left.add_paragraph(
        _t(language, "Số: ....../BC-UBND", "No.: ....../BC")
    ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    right.paragraphs[0].add_run(
        _t(language, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM")
    ).bold = True
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    motto = right.add_paragraph()
    motto.add_run(
        _t(language, "Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness")
    ).bold = True
    motto.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title, subtitle = report_title(progress, language)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.add_run(title).bold = True
    sub = document.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub.add_run(subtitle).italic = True
    as_of = fmt_date(d["period"]["as_of"], language)
    document.add_paragraph(_t(language, f"Số liệu đến ngày {as_of}.", f"Figures as of {as_of}."))
    for table_data in document_tables(progress, language):
        document.add_paragraph().add_run(table_data["title"]).bold = True
        table = document.add_table(rows=1, cols=len(table_data["header"]))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, table_data["header"], strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        for index, cells in enumerate(table_data["rows"]):
            row = table.add_row().cells
            is_total = (index == 0 and table_data.get("total_first")) or (
                index == len(table_data["rows"]) - 1 and table_data.get("total_last")
            )
            for cell, (text, is_number, _value, _kind) in zip(row, cells, strict=True):
                run = cell.paragraphs[0].add_run(text)
                run.bold = bool(is_total)
                if is_number:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature = document.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.add_run(_t(language, "NGƯỜI LẬP BÁO CÁO", "PREPARED BY")).bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_pdf(progress: Progress, language: str = "vi") -> bytes:
    from giamngheo.reports.pdf import render_pdf as pdf_from_template

    title, subtitle = report_title(progress, language)
    return pdf_from_template(
        "reports/progress_print.html",
        {
            "title": title,
            "subtitle": subtitle,
            "data": progress.data,
            "tables": document_tables(progress, language),
            "charts": report_charts(progress, language),
            "language": language,
            "as_of": fmt_date(progress.data["period"]["as_of"], language),
        },
    )


FORMATS = {
    "csv": ("text/csv; charset=utf-8", render_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", render_xlsx),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", render_docx),
    "pdf": ("application/pdf", render_pdf),
}


def render(progress: Progress, fmt: str, language: str = "vi") -> bytes:
    _content_type, renderer = FORMATS[fmt]
    if fmt == "csv":
        return renderer(progress)  # type: ignore[call-arg]
    return renderer(progress, language)  # type: ignore[call-arg]
