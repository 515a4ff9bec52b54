"""Layout E — the per-unit target table of a yearly plan (the seed's "biểu"), as a pure builder.

Input: for each unit (a village of the commune, in official order) its households at the baseline, its
poor and near-poor households at the baseline and the planned reductions. Output: the rows with every
count and percentage, and the total row. Every ``_pct`` is of the unit's ``households_total``, two
decimals, half-up (4/128 → 3.13), so the table is the same in the page, CSV, XLSX, PDF and the document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from giamngheo.documents.xlsx import DEC2, INT, Column, HeaderCell, Sheet
from giamngheo.standards.formatting import number_vi, percent, percent_machine

TOTAL_LABEL = "Tổng cộng"

# interfaces.md, layout E: the column names, in order.
COLUMNS = (
    "stt",
    "unit",
    "households_total",
    "poor_start",
    "poor_start_pct",
    "poor_reduction",
    "poor_reduction_pct",
    "poor_end",
    "poor_end_pct",
    "near_poor_start",
    "near_poor_start_pct",
    "near_poor_reduction",
    "near_poor_reduction_pct",
    "near_poor_end",
    "near_poor_end_pct",
)
COUNT_KEYS = (
    "poor_start",
    "poor_reduction",
    "poor_end",
    "near_poor_start",
    "near_poor_reduction",
    "near_poor_end",
)


@dataclass(frozen=True)
class UnitFigures:
    """What the table needs of one unit."""

    name: str
    households_total: int
    poor_start: int
    poor_reduction: int
    near_poor_start: int
    near_poor_reduction: int


@dataclass(frozen=True)
class TargetRow:
    stt: int | None  # None on the total row
    unit: str
    households_total: int
    poor_start: int
    poor_reduction: int
    near_poor_start: int
    near_poor_reduction: int
    is_total: bool = False

    @property
    def poor_end(self) -> int:
        return self.poor_start - self.poor_reduction

    @property
    def near_poor_end(self) -> int:
        return self.near_poor_start - self.near_poor_reduction

    def pct(self, key: str) -> Decimal:
        return percent(getattr(self, key), self.households_total)

    @property
    def poor_start_pct(self) -> Decimal:
        return self.pct("poor_start")

    @property
    def poor_reduction_pct(self) -> Decimal:
        return self.pct("poor_reduction")

    @property
    def poor_end_pct(self) -> Decimal:
        return self.pct("poor_end")

    @property
    def near_poor_start_pct(self) -> Decimal:
        return self.pct("near_poor_start")

    @property
    def near_poor_reduction_pct(self) -> Decimal:
        return self.pct("near_poor_reduction")

    @property
    def near_poor_end_pct(self) -> Decimal:
        return self.pct("near_poor_end")

    def values(self) -> list[int | Decimal | str | None]:
        """The row's values in ``COLUMNS`` order (numbers as numbers)."""
        return [self.stt, self.unit, *(getattr(self, key) for key in COLUMNS[2:])]

    def cells_vi(self) -> list[str]:
        """The row as printed: Vietnamese number formats (1.545; 4,08)."""
        out: list[str] = ["" if self.stt is None else str(self.stt), self.unit]
        for key in COLUMNS[2:]:
            value = getattr(self, key)
            out.append(number_vi(value, 2) if key.endswith("_pct") else number_vi(value))
        return out


@dataclass(frozen=True)
class TargetTable:
    year: int  # the plan year; the baseline is the end of year − 1
    rows: tuple[TargetRow, ...]
    total: TargetRow

    @property
    def all_rows(self) -> tuple[TargetRow, ...]:
        return (*self.rows, self.total)


def build_target_table(units: Sequence[UnitFigures], *, year: int) -> TargetTable:
    rows = tuple(
        TargetRow(
            stt=index,
            unit=u.name,
            households_total=u.households_total,
            poor_start=u.poor_start,
            poor_reduction=u.poor_reduction,
            near_poor_start=u.near_poor_start,
            near_poor_reduction=u.near_poor_reduction,
        )
        for index, u in enumerate(units, start=1)
    )
    total = TargetRow(
        stt=None,
        unit=TOTAL_LABEL,
        households_total=sum(r.households_total for r in rows),
        poor_start=sum(r.poor_start for r in rows),
        poor_reduction=sum(r.poor_reduction for r in rows),
        near_poor_start=sum(r.near_poor_start for r in rows),
        near_poor_reduction=sum(r.near_poor_reduction for r in rows),
        is_total=True,
    )
    return TargetTable(year=year, rows=rows, total=total)


# --- CSV ---------------------------------------------------------------------------------------------------


def csv_header(year: int, *, dated: bool = True, unit_column: str = "village") -> list[str]:
    """Column names of the CSV.

    ``dated`` (the default) names the years, as the seed's data file does (``poor_end_2022``,
    ``poor_reduction_2023`` …) and calls the unit column ``village``; otherwise the generic names of
    interfaces.md (``unit``, ``poor_start`` …), which stay the same from year to year.
    """
    if not dated:
        return list(COLUMNS)
    before, this = year - 1, year
    names = {
        "unit": unit_column,
        "poor_start": f"poor_end_{before}",
        "poor_reduction": f"poor_reduction_{this}",
        "poor_end": f"poor_end_{this}",
        "near_poor_start": f"near_poor_end_{before}",
        "near_poor_reduction": f"near_poor_reduction_{this}",
        "near_poor_end": f"near_poor_end_{this}",
    }
    out = []
    for column in COLUMNS:
        base = column.removesuffix("_pct")
        name = names.get(base, base)
        out.append(f"{name}_pct" if column.endswith("_pct") else name)
    return out


def csv_rows(table: TargetTable) -> list[list[str]]:
    """Machine format: plain integers, percentages with a dot and two decimals, empty ``stt`` on the total."""
    out = []
    for row in table.all_rows:
        cells = []
        for column, value in zip(COLUMNS, row.values(), strict=True):
            if value is None:
                cells.append("")
            elif column.endswith("_pct"):
                cells.append(percent_machine(value))  # type: ignore[arg-type]
            else:
                cells.append(str(value))
        out.append(cells)
    return out


# --- the seed's two-row header (XLSX, HTML, PDF, DOCX) ------------------------------------------------------


def group_labels(year: int) -> list[str]:
    """The six column groups of the seed's header, each over a "TS" and a "%" column."""
    before = year - 1
    return [
        f"Hộ nghèo cuối năm {before}",
        f"Giảm hộ nghèo trong năm {year}",
        f"Hộ nghèo cuối năm {year}",
        f"Hộ cận nghèo cuối năm {before}",
        f"Giảm CN trong năm {year}",
        f"Hộ CN cuối năm {year}",
    ]


def header_rows(year: int, *, unit_label: str = "Đơn vị") -> list[list[HeaderCell]]:
    first = [
        HeaderCell("TT", rowspan=2),
        HeaderCell(unit_label, rowspan=2),
        HeaderCell("Tổng số hộ gia đình", rowspan=2),
        *(HeaderCell(label, colspan=2) for label in group_labels(year)),
    ]
    second = [cell for _ in range(6) for cell in (HeaderCell("TS"), HeaderCell("%"))]
    return [first, second]


def xlsx_sheet(
    table: TargetTable, *, title_lines: Sequence[str] = (), note_lines: Sequence[str] = ()
) -> Sheet:
    """The table as a worksheet: numeric cells with number formats (``#,##0``; ``0.00`` under "%")."""
    columns = [
        Column(width=5, number_format=INT, align="center"),
        Column(width=18),
        Column(width=11, number_format=INT),
    ]
    for _ in range(6):
        columns += [Column(width=7, number_format=INT), Column(width=7, number_format=DEC2)]
    rows = [row.values() for row in table.rows]
    return Sheet(
        name=f"Chỉ tiêu {table.year}",
        title_lines=list(title_lines),
        header_rows=header_rows(table.year),
        columns=columns,
        rows=rows,
        total_row=table.total.values(),
        note_lines=list(note_lines),
    )
