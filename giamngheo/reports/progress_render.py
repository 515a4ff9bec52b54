"""The progress report's renderers: the tables every document shows, the charts, and the files (CSV, XLSX,
DOCX, PDF) — from the JSON-able data the builder (``progress``) made, so an approved report renders the same
forever, in every format."""

from __future__ import annotations

import datetime
import io
import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from giamngheo.accounts.models import User
from giamngheo.documents.docx import (
    LANDSCAPE_MM,
    column_widths,
    heading_block,
    new_document,
    repeat_header,
    set_grid,
    signature_block,
)
from giamngheo.documents.heading import Heading, Signature, official_heading, official_signature
from giamngheo.reports.progress import Progress, build_progress
from giamngheo.standards.formatting import number_vi, percent_vi
from giamngheo.support.kinds import SupportKind
from giamngheo.support.models import ActivityKind, OrganisationKind, PlanStatus, SourceKind
from giamngheo.tabular.writer import csv_dict_writer
from giamngheo.units.models import Unit

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

    from giamngheo.reports.plan_link import INDICATOR_LABELS

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
    writer = csv_dict_writer(buffer, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in progress_csv_rows(progress):
        writer.writerow({key: row.get(key, "") for key in CSV_COLUMNS})
    return buffer.getvalue().encode("utf-8")


# --- the tables every document shows (title + header + rows), in the report's language ---------------------


def _t(language: str, vi: str, en: str) -> str:
    return vi if language == "vi" else en


Cell = tuple[str, bool, Any, str]


class _Cells:
    """Cell makers in the report's language. A cell is (text as shown, right-aligned?, the value for a
    spreadsheet, its kind: int, pct or text)."""

    def __init__(self, language: str) -> None:
        self.language = language

    def n(self, value: int | None) -> Cell:
        return fmt_int(value, self.language), True, value, "int"

    def p(self, value: str | None) -> Cell:
        return fmt_pct(value, self.language), True, (Decimal(value) if value is not None else None), "pct"

    def t(self, text: str) -> Cell:
        return text, False, text, "text"

    def met(self, flag: bool | None) -> Cell:
        if flag is None:
            return self.t("—")
        return self.t(_t(self.language, "Đạt", "Met") if flag else _t(self.language, "Chưa đạt", "Not met"))


Words = tuple[str, str]  # (Vietnamese, English)


def _table(
    language: str, title: Words, header: Sequence[Words | str], rows: list[list[Cell]], **flags: bool
) -> dict:
    """A titled table in the report's language; header entries are (vi, en) pairs or text already chosen."""
    return {
        "title": _t(language, *title),
        "header": [h if isinstance(h, str) else _t(language, *h) for h in header],
        "rows": rows,
        **flags,
    }


def _per_unit_table(
    progress: Progress, language: str, *, title: Words, header: Sequence[Words | str], cells: Any
) -> dict[str, Any]:
    """A table with a row per unit: the unit's total first (its full name), then each unit below it;
    ``cells(row)`` gives the cells after the unit's name."""
    c = _Cells(language)
    name = "display_name_vi" if language == "vi" else "display_name_en"
    rows = [[c.t(r[name] if i == 0 else r["name"]), *cells(r)] for i, r in enumerate(progress.rows)]
    return _table(language, title, [("Đơn vị", "Unit"), *header], rows, total_first=True)


def _numbered(tables: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**table, "title": f"{number}. {table['title']}"} for number, table in enumerate(tables, start=1)]


RATE, TARGET, RESULT = ("Tỷ lệ", "Rate"), ("Chỉ tiêu", "Target"), ("Đánh giá", "Result")
SUPPORTS, VALUE, TOTAL = (
    ("Lượt hỗ trợ", "Supports"),
    ("Giá trị (đồng)", "Value (VND)"),
    ("Tổng cộng", "Total"),
)


def _poverty_table(progress: Progress, language: str, *, compact: bool = False) -> dict[str, Any]:
    """Households, poor and near-poor against their targets per unit. Compact (a large unit's PDF): no
    result columns, a rate above its target flagged instead (bold red in the PDF)."""
    c = _Cells(language)

    def status_cells(r: dict[str, Any], status: str) -> list[Cell]:
        rate = c.p(r[f"{status}_rate"])
        met = r[f"{status}_met"]
        if compact:
            return [
                c.n(r[status]),
                (*rate[:3], "pct-missed" if met is False else "pct"),
                c.p(r[f"{status}_target_rate"]),
            ]
        return [c.n(r[status]), rate, c.p(r[f"{status}_target_rate"]), c.met(met)]

    result = [] if compact else [RESULT]
    return _per_unit_table(
        progress,
        language,
        title=("Tỷ lệ hộ nghèo, cận nghèo so với chỉ tiêu", "Poverty rates against targets"),
        header=[("Tổng số hộ", "Households"), ("Hộ nghèo", "Poor"), RATE, TARGET, *result]
        + [("Hộ cận nghèo", "Near-poor"), RATE, TARGET, *result],
        cells=lambda r: [c.n(r["households"]), *status_cells(r, "poor"), *status_cells(r, "near_poor")],
    )


def _indicator_targets_table(progress: Progress, language: str) -> dict[str, Any]:
    L, c = language, _Cells(language)
    rows = [
        [
            c.t(item["name_vi"] if L == "vi" else item["name_en"]),
            c.p(item["target"]),
            c.p(item["actual"]),
            c.t(f"{fmt_int(item['numerator'], L)}/{fmt_int(item['denominator'], L)}"),
            c.met(item["met"]),
        ]
        for item in progress.data["indicator_targets"]
    ]
    header = [("Chỉ tiêu", "Indicator"), ("Kế hoạch", "Target"), ("Thực hiện", "Actual")]
    header += [("Đạt/tổng số", "Reached/total"), RESULT]
    title = ("Các chỉ tiêu hỗ trợ so với kết quả thực hiện", "Indicator targets against actual values")
    return _table(L, title, header, rows)


def _indicators_by_unit_table(progress: Progress, language: str) -> dict[str, Any]:
    c = _Cells(language)
    codes = [item["code"] for item in progress.data["indicator_targets"]]
    return _per_unit_table(
        progress,
        language,
        title=("Kết quả các chỉ tiêu theo đơn vị (%)", "Indicator values by unit (%)"),
        header=[indicator_label(code, language) for code in codes],
        cells=lambda r: [c.p(r["indicators"].get(code, {}).get("percent")) for code in codes],
    )


def _supports_by_kind_table(progress: Progress, language: str) -> dict[str, Any]:
    L, c, d = language, _Cells(language), progress.data
    rows = [
        [c.t(label(SupportKind, s["kind"], L)), c.n(s["count"]), c.n(s["households"]), c.n(s["amount"])]
        for s in d["supports_by_kind"]
    ]
    total = d["total"]["supports"]
    rows.append([c.t(_t(L, *TOTAL)), c.n(total["count"]), c.t(""), c.n(total["amount"])])
    title = ("Hỗ trợ đã thực hiện trong kỳ", "Supports delivered in the period")
    header = [("Loại hỗ trợ", "Kind of support"), ("Lượt", "Supports"), ("Số hộ", "Households"), VALUE]
    return _table(L, title, header, rows, total_last=True)


def _spending_by_unit_table(progress: Progress, language: str) -> dict[str, Any]:
    c = _Cells(language)
    return _per_unit_table(
        progress,
        language,
        title=("Hỗ trợ và kinh phí theo đơn vị", "Supports and spending by unit"),
        header=[SUPPORTS, VALUE, ("Đã chi (đồng)", "Spent (VND)")],
        cells=lambda r: [c.n(r["supports"]["count"]), c.n(r["supports"]["amount"]), c.n(r["spent"])],
    )


def _sources_table(progress: Progress, language: str) -> dict[str, Any]:
    L, c, sources = language, _Cells(language), progress.data["sources"]
    keys = ("received", "spent", "balance")
    rows = [
        [
            c.t(s["name"] or label(SourceKind, s["kind"], L)),
            c.t(label(SourceKind, s["kind"], L)),
            *[c.n(s[key]) for key in keys],
        ]
        for s in sources
    ]
    if rows:
        rows.append([c.t(_t(L, *TOTAL)), c.t(""), *[c.n(sum(s[key] for s in sources)) for key in keys]])
    title = (
        "Nguồn lực: tiếp nhận, chi và số dư theo nguồn",
        "Resources: received, spent and balance by source",
    )
    header = [("Nguồn", "Source"), ("Loại", "Kind"), ("Tiếp nhận trong kỳ", "Received")]
    header += [("Chi trong kỳ", "Spent"), ("Số dư cuối kỳ", "Balance at the end")]
    return _table(L, title, header, rows, total_last=bool(sources))


def _plans_by_unit_table(progress: Progress, language: str) -> dict[str, Any]:
    c = _Cells(language)
    counters = ["total", *PlanStatus.values, "milestones_due", "milestones_done", "milestones_late"]
    return _per_unit_table(
        progress,
        language,
        title=("Kế hoạch thoát nghèo của hộ", "Households' escape plans"),
        header=[
            ("Số kế hoạch", "Plans"),
            *[label(PlanStatus, s, language) for s in PlanStatus.values],
            ("Mốc đến hạn", "Milestones due"),
            ("Mốc hoàn thành", "Milestones done"),
            ("Mốc trễ hạn", "Milestones late"),
        ],
        cells=lambda r: [c.n(r["plans"][key]) for key in counters],
    )


def _organisations_table(progress: Progress, language: str) -> dict[str, Any]:
    L, c = language, _Cells(language)

    def name(o: dict[str, Any]) -> str:
        if o["name"]:
            return str(o["name"])
        return label(OrganisationKind, o["kind"], L) if o["kind"] else _t(L, "Chưa phân công", "Not assigned")

    keys = ("caseload", "achieved", "improved", "supports", "amount")
    rows = [[c.t(name(o)), *[c.n(o[key]) for key in keys]] for o in progress.data["organisations"]]
    header = [("Tổ chức", "Organisation"), ("Số hộ phụ trách", "Households in charge")]
    header += [("Đã thoát nghèo (theo kế hoạch)", "Achieved (plan)")]
    header += [("Ra khỏi danh sách (rà soát)", "Out of poverty (review)"), SUPPORTS, VALUE]
    return _table(L, ("Kết quả của các tổ chức, đoàn thể", "Organisations' results"), header, rows)


def _activities_table(progress: Progress, language: str) -> dict[str, Any]:
    L, c = language, _Cells(language)
    rows = [
        [c.t(label(ActivityKind, a["kind"], L)), c.n(a["count"]), c.n(a["reach"])]
        for a in progress.data["activities_by_kind"]
    ]
    header = [("Hình thức", "Kind"), ("Số hoạt động", "Activities")]
    header += [("Số người tham gia/được tiếp cận", "People reached")]
    return _table(L, ("Công tác tuyên truyền", "Communication"), header, rows)


def document_tables(progress: Progress, language: str = "vi") -> list[dict[str, Any]]:
    """The report as numbered, titled tables: the same content in the page, XLSX, DOCX and (for a unit with
    few units below it) the PDF. The per-unit tables are left out when there is no unit below."""
    by_unit = len(progress.rows) > 1
    tables = [
        _poverty_table(progress, language),
        _indicator_targets_table(progress, language),
        *([_indicators_by_unit_table(progress, language)] if by_unit else []),
        _supports_by_kind_table(progress, language),
        *([_spending_by_unit_table(progress, language)] if by_unit else []),
        _sources_table(progress, language),
        _plans_by_unit_table(progress, language),
        _organisations_table(progress, language),
        _activities_table(progress, language),
    ]
    return _numbered(tables)


# A PDF lays out every cell (WeasyPrint: ~1.5 ms of CPU a cell, whatever the styling), so the document of
# a unit with many units below it (a province: 100 communes) keeps one table with a row per unit — the
# poverty rates, a rate above its target in bold — and the unit's own totals; the per-unit indicators,
# supports and plans stay in the page, XLSX, DOCX and CSV (bench/RESULTS-progress.md).
PDF_UNITS_IN_FULL = 30


def pdf_tables(progress: Progress, language: str = "vi") -> list[dict[str, Any]]:
    """The PDF's tables: ``document_tables`` for a unit with up to ``PDF_UNITS_IN_FULL`` units below it, else
    the compact layout (a row per unit for the poverty rates, the unit's totals for the rest)."""
    if len(progress.data["children"]) <= PDF_UNITS_IN_FULL:
        return document_tables(progress, language)
    return _numbered(
        [
            _poverty_table(progress, language, compact=True),
            _indicator_targets_table(progress, language),
            _supports_by_kind_table(progress, language),
            _sources_table(progress, language),
            _organisations_table(progress, language),
            _activities_table(progress, language),
        ]
    )


def _pdf_rows(table: dict[str, Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Rows as (row class, [(text, cell class)]): the template writes the fewest attributes it can."""
    last = len(table["rows"]) - 1
    rows = []
    for index, cells in enumerate(table["rows"]):
        total = (index == 0 and table.get("total_first")) or (index == last and table.get("total_last"))
        rows.append(
            (
                "total" if total else "",
                [
                    (text, ("n x" if kind == "pct-missed" else "n") if right else "")
                    for text, right, _v, kind in cells
                ],
            )
        )
    return rows


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


LABEL_CHARS = 22  # a chart's group label is cut to this many characters


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

    # The group labels are drawn slanted (35°) under the axis: the space below and left of the plot grows
    # with the longest label (≈ 5.2 px a character at 9 px), so no label is cut at the drawing's edge.
    shown = [name[:LABEL_CHARS] for name in labels]
    label_w = 5.2 * max((len(name) for name in shown), default=0)
    plot_h = height - 22 - 58
    left, right, top, bottom = 44, 10, 22, max(30, math.ceil(label_w * 0.58) + 16)
    height = top + plot_h + bottom
    left = max(left, math.ceil(label_w * 0.82 - (width - left - right) / max(len(labels), 1) / 2) + 4)
    plot_w = width - left - right
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
        'font-family="GN Serif, serif" font-size="9">'
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
    for g in range(len(labels)):
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
        target = targets[g] if targets and g < len(targets) else None
        if target is not None:
            y = top + plot_h - plot_h * (target / scale_max)
            parts.append(
                f'<line x1="{x0 - 2:.1f}" y1="{y:.1f}" x2="{x0 + bar_w * len(series) + 1:.1f}" y2="{y:.1f}" '
                'stroke="#000" stroke-width="1.5" stroke-dasharray="3,2"/>'
            )
        cx = left + g * group_w + group_w / 2
        parts.append(
            f'<text x="{cx:.1f}" y="{top + plot_h + 10}" text-anchor="end" '
            f'transform="rotate(-35 {cx:.1f} {top + plot_h + 10})" '
            f'fill="#222">{escape(shown[g])}</text>'
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

    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _axis(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


CHART_UNITS = 25  # the PDF's rates chart: a readable bar per unit, for the units with the highest rates


def report_charts(
    progress: Progress, language: str = "vi", *, most: int | None = None
) -> list[dict[str, str]]:
    """The dashboard's figures as SVG: poverty rates against targets by unit, and indicator coverage. With
    ``most``, the rates chart shows only the ``most`` highest-rate units, in their order."""
    rows = progress.data["children"] or [progress.data["total"]]
    rates_title = _t(language, "Tỷ lệ hộ nghèo, cận nghèo so với chỉ tiêu", "Poverty rates against targets")
    if most is not None and len(rows) > most:
        highest = sorted(range(len(rows)), key=lambda i: -Decimal(rows[i]["poor_rate"] or 0))[:most]
        rows = [rows[i] for i in sorted(highest)]
        rates_title += _t(
            language,
            f" ({most} đơn vị có tỷ lệ hộ nghèo cao nhất)",
            f" (the {most} units with the highest poverty rates)",
        )
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
        {"title": rates_title, "svg": rates},
        {"title": _t(language, "Mức độ đạt các chỉ tiêu hỗ trợ", "Indicator coverage"), "svg": coverage},
    ]


# --- XLSX, DOCX, PDF ----------------------------------------------------------------------------------------


def render_xlsx(progress: Progress, language: str = "vi") -> bytes:
    """One sheet per table, through the reports' generic Excel writer (``reports.xlsx``): numbers stay
    numbers (counts ``#,##0``, percentages as points ``0.00"%"``), the unit's total row in bold at the end."""
    from giamngheo.documents.xlsx import INT, PERCENT_POINTS, Column, HeaderCell, Sheet, workbook_bytes

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


def _docx_append_rows(table: Any, table_data: dict[str, Any]) -> None:
    """The body rows as WordprocessingML parsed in one go: python-docx's cell-by-cell API (add_row, add_run,
    alignment) costs ~0.4 ms a cell — over a second for a province's 3,000 cells. The XML is what
    ``add_row`` + ``add_run`` write: each cell the width of its grid column, numbers right-aligned, the
    total row in bold."""
    from xml.sax.saxutils import escape

    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Length

    widths = [Length(column.w).twips for column in table._tbl.tblGrid.gridCol_lst]
    last = len(table_data["rows"]) - 1
    rows = []
    for index, cells in enumerate(table_data["rows"]):
        total = (index == 0 and table_data.get("total_first")) or (
            index == last and table_data.get("total_last")
        )
        run_style = f'<w:rPr>{"<w:b/>" if total else ""}<w:sz w:val="{DOCX_TABLE_PT * 2}"/></w:rPr>'
        rows.append(
            "<w:tr>"
            + "".join(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p>'
                + ('<w:pPr><w:jc w:val="right"/></w:pPr>' if is_number else "")
                + f'<w:r>{run_style}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>'
                for (text, is_number, _value, _kind), width in zip(cells, widths, strict=True)
            )
            + "</w:tr>"
        )
    for row in parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows)}</w:tbl>"):
        table._tbl.append(row)


DOCX_TABLE_PT = 11  # the tables of the Word report; its text is 13 pt


def report_heading(progress: Progress, language: str = "vi") -> Heading:
    """The report is issued by the unit's People's Committee: "ỦY BAN NHÂN DÂN" / "XÃ SƠN TRUNG",
    "Số: …/BC-UBND", the place and a date the signer writes."""
    unit = progress.data["unit"]
    body = unit["display_name_vi"] if language == "vi" else unit["display_name_en"]
    number = _t(language, "Số: …/BC-UBND", "No.: …/BC-UBND")
    return official_heading(body=body, place=unit["name"], number=number, language=language)


def report_signature(language: str = "vi") -> Signature:
    return official_signature(
        recipients=[_t(language, "- Cấp trên trực tiếp (để báo cáo);", "- The level above (for report);")],
        language=language,
    )


def _docx_columns(table_data: dict[str, Any]) -> list[list[tuple[str, bool, bool]]]:
    """Each column's texts (bold: the header, the total row; wrapping: the header), to size the table."""
    last = len(table_data["rows"]) - 1
    columns: list[list[tuple[str, bool, bool]]] = [[(text, True, True)] for text in table_data["header"]]
    for index, cells in enumerate(table_data["rows"]):
        bold = bool(
            (index == 0 and table_data.get("total_first")) or (index == last and table_data.get("total_last"))
        )
        for column, (text, _right, _value, _kind) in zip(columns, cells, strict=True):
            column.append((text, bold, False))
    return columns


def render_docx(progress: Progress, language: str = "vi") -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = new_document(landscape=True)  # A4 landscape, Times New Roman 13
    d = progress.data
    heading_block(document, report_heading(progress, language), width_mm=LANDSCAPE_MM)
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
        widths = column_widths(_docx_columns(table_data), width_mm=LANDSCAPE_MM, font_pt=DOCX_TABLE_PT)
        set_grid(table, widths)
        for cell, text in zip(table.rows[0].cells, table_data["header"], strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold, run.font.size = True, Pt(DOCX_TABLE_PT)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        repeat_header(table, 1)
        _docx_append_rows(table, table_data)
    signature_block(document, report_signature(language), width_mm=LANDSCAPE_MM)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_pdf(progress: Progress, language: str = "vi") -> bytes:
    from giamngheo.documents.pdf import render_pdf as pdf_from_template

    title, subtitle = report_title(progress, language)
    return pdf_from_template(
        "reports/progress_print.html",
        {
            "title": title,
            "subtitle": subtitle,
            "data": progress.data,
            "tables": [{**table, "rows": _pdf_rows(table)} for table in pdf_tables(progress, language)],
            "compact": len(progress.data["children"]) > PDF_UNITS_IN_FULL,
            "charts": report_charts(progress, language, most=CHART_UNITS),
            "language": language,
            "as_of": fmt_date(progress.data["period"]["as_of"], language),
            "heading": report_heading(progress, language),
            "signature": report_signature(language),
        },
    )


def render_for_job(user: User, params: dict[str, Any]) -> bytes:
    """A ``DocumentJob``'s renderer (``reports.services``): the report of ``params`` as ``user`` sees it."""
    from giamngheo.errors import InputError
    from giamngheo.units.selectors import scope_q

    unit = Unit.objects.filter(scope_q(user), code=params["unit"]).select_related("level").first()
    if unit is None:
        raise InputError.single(
            "Đơn vị không còn trong phạm vi của bạn",
            "The unit is no longer in your scope",
            column="unit",
        )
    progress = build_progress(user=user, unit=unit, period=params["period"])
    return render(progress, params["format"], params.get("language", "vi"))


# A renderer takes the report, and the language but for CSV (whose columns carry both).
FORMATS: dict[str, tuple[str, Callable[..., bytes]]] = {
    "csv": ("text/csv; charset=utf-8", render_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", render_xlsx),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", render_docx),
    "pdf": ("application/pdf", render_pdf),
}


def render(progress: Progress, fmt: str, language: str = "vi") -> bytes:
    _content_type, renderer = FORMATS[fmt]
    if fmt == "csv":
        return renderer(progress)
    return renderer(progress, language)
