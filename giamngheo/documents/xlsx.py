"""Writing official tables to Excel (openpyxl): the layouts communes print and sign.

Generic, for every report: a ``Sheet`` is title lines, a header of one or more rows with merged cells
(``HeaderCell`` with ``colspan``/``rowspan``, laid out as in an HTML table), typed columns, data rows, an
optional bold total row and note lines under the table. Cells hold **numbers**, never formatted text: the
number format shows them, and Excel renders the separators of the reader's locale (a Vietnamese Excel
shows ``1.545`` and ``4,08``). Formats: ``INT`` ``#,##0``; ``DEC2`` ``0.00`` (for a column under a "%"
heading, as the seed's table); ``PERCENT_POINTS`` ``0.00"%"`` (the value 4.08 shown as 4.08%, for a
column whose heading does not say %); ``VND`` ``#,##0`` (whole đồng); ``DATE`` ``dd/mm/yyyy``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from giamngheo.tabular.writer import protect_workbook

INT = "#,##0"
VND = "#,##0"
DEC2 = "0.00"
PERCENT_POINTS = '0.00"%"'
DATE = "dd/mm/yyyy"

FONT_NAME = "Times New Roman"  # the font of Vietnamese administrative documents (Decree 30/2020/NĐ-CP)


@dataclass(frozen=True)
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Column:
    width: float = 12  # in Excel's character units
    number_format: str | None = None  # None: text (left-aligned)
    align: str | None = None  # "left", "center", "right"; default: right for numbers, left for text


@dataclass
class Sheet:
    name: str
    header_rows: list[list[HeaderCell]]
    columns: list[Column]
    rows: Sequence[Sequence[Any]]
    title_lines: list[str] = field(default_factory=list)
    total_row: Sequence[Any] | None = None
    note_lines: list[str] = field(default_factory=list)
    landscape: bool = True


def _cell_value(value: Any) -> Any:
    """openpyxl stores Decimal as a number already; keep None as an empty cell."""
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return value


def place_header(rows: Sequence[Sequence[HeaderCell]]) -> list[tuple[int, int, HeaderCell]]:
    """(row, column, cell) positions, 0-based, skipping slots taken by cells spanning from above or left —
    the same placement rule as an HTML table."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return placed


FOOTER = "Trang &P/&N"  # "Trang 3/12": the page and the number of pages, in the footer's centre


def print_setup(ws: Any, *, repeat_rows: tuple[int, int] | None, landscape: bool = True) -> None:
    """How a worksheet prints, for every XLSX the project writes: A4, landscape unless said otherwise, one
    page wide (as many pages down as it takes), rows ``repeat_rows`` (first, last: the title and the
    column headings) at the top of every page, centred, "Trang 3/12" in the footer. Works on normal and
    write-only worksheets (call it before the first row of a write-only sheet)."""
    ws.page_setup.paperSize = 9  # A4 (Worksheet.PAPERSIZE_A4; a write-only sheet lacks the name)
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # 0: as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.size = 10
    if repeat_rows is not None:
        ws.print_title_rows = f"{repeat_rows[0]}:{repeat_rows[1]}"


LINE_POINTS = 15.0  # the height of a line of 11-point text in a row


def fit_row_height(ws: Any, row: int, texts: Sequence[tuple[str, float]], *, size: float = 11) -> None:
    """Make ``row`` tall enough for its wrapped texts, each given with the width it has (in Excel's
    character units; a merged cell: the sum of its columns). Excel and LibreOffice never grow a row for a
    merged or a wrapped cell by themselves when the file says nothing."""
    lines = 1
    for text, width in texts:
        per_line = max(int(width * 11 / size * 1.1) - 1, 1)  # bold capitals are wider than the unit's "0"
        wrapped = 0
        for paragraph in str(text).split("\n"):
            length, count = 0, 1
            for word in paragraph.split():
                if length and length + 1 + len(word) > per_line:
                    count, length = count + 1, len(word)
                else:
                    length += (1 if length else 0) + len(word)
            wrapped += count
        lines = max(lines, wrapped)
    ws.row_dimensions[row].height = max(lines * LINE_POINTS * size / 11, LINE_POINTS) + 3


def _safe_sheet_name(name: str) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, " ")
    return name[:31] or "Sheet"


def _body_style(workbook: Any, *, bold: bool, align: str, wrap: bool, number_format: str) -> str:
    """The name of a body cell's style (font, border, alignment, number format), registered once per
    workbook: assigning a named style copies its ids, where setting font, border and alignment on each cell
    makes openpyxl hash every style object (most of a province report's XLSX time)."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

    name = f"gn-{'bold' if bold else 'regular'}-{align}-{'wrap' if wrap else 'nowrap'}-{number_format}"
    if name not in workbook.named_styles:
        thin = Side(style="thin", color="000000")
        style = NamedStyle(name=name, number_format=number_format)
        style.font = Font(name=FONT_NAME, size=11, bold=bold)
        style.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        style.alignment = Alignment(horizontal=align, vertical="center", wrap_text=wrap)
        workbook.add_named_style(style)
    return name


def write_sheet(workbook: Any, sheet: Sheet) -> Any:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    ws = workbook.create_sheet(_safe_sheet_name(sheet.name))
    width = len(sheet.columns)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(name=FONT_NAME, size=11, bold=True)

    row_no = 1
    for index, line in enumerate(sheet.title_lines):
        ws.cell(row=row_no, column=1, value=line).font = Font(
            name=FONT_NAME, size=13 if index == 0 else 11, bold=index == 0
        )
        ws.cell(row=row_no, column=1).alignment = Alignment(
            horizontal="center", vertical="center", wrap_text=True
        )
        ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=width)
        total_width = sum(column.width for column in sheet.columns)
        fit_row_height(ws, row_no, [(line, total_width)], size=13 if index == 0 else 11)
        row_no += 1
    if sheet.title_lines:
        row_no += 1

    header_top = row_no
    for r, c, cell in place_header(sheet.header_rows):
        target = ws.cell(row=header_top + r, column=c + 1, value=cell.text)
        target.font = bold
        target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(
                start_row=header_top + r,
                start_column=c + 1,
                end_row=header_top + r + cell.rowspan - 1,
                end_column=c + cell.colspan,
            )
    header_height = len(sheet.header_rows)
    widths = [column.width for column in sheet.columns]
    by_row: dict[int, list[tuple[str, float]]] = {}
    for r, c, cell in place_header(sheet.header_rows):  # a cell spanning rows shares its lines among them
        by_row.setdefault(r + cell.rowspan - 1, []).append(
            (cell.text, sum(widths[c : c + cell.colspan]) * cell.rowspan)
        )
    for r, texts in by_row.items():
        fit_row_height(ws, header_top + r, texts)
    for r in range(header_height):  # borders on every cell of the header, merged ones included
        for c in range(width):
            ws.cell(row=header_top + r, column=c + 1).border = border
    row_no = header_top + header_height

    def write_row(values: Sequence[Any], bold_row: bool) -> None:
        nonlocal row_no
        for c, (value, column) in enumerate(zip(values, sheet.columns, strict=True)):
            target = ws.cell(row=row_no, column=c + 1, value=_cell_value(value))
            is_number = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
            number_format = "General"
            if column.number_format and is_number:
                number_format = column.number_format
            elif column.number_format == DATE and isinstance(value, date | datetime):
                number_format = DATE
            align = column.align or ("right" if is_number else "left")
            target.style = _body_style(
                workbook, bold=bold_row, align=align, wrap=not is_number, number_format=number_format
            )
        row_no += 1

    for values in sheet.rows:
        write_row(values, False)
    if sheet.total_row is not None:
        write_row(sheet.total_row, True)

    if sheet.note_lines:
        row_no += 1
        for line in sheet.note_lines:
            ws.cell(row=row_no, column=1, value=line).font = Font(name=FONT_NAME, size=10, italic=True)
            row_no += 1

    for c, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(c)].width = column.width
    ws.freeze_panes = ws.cell(row=header_top + header_height, column=1)
    print_setup(ws, repeat_rows=(1, header_top + header_height - 1), landscape=sheet.landscape)
    return ws


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        write_sheet(workbook, sheet)
    protect_workbook(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_workbook(sheets: Sequence[Sheet], target: str | Path | IO[bytes]) -> None:
    data = workbook_bytes(sheets)
    if isinstance(target, str | Path):
        Path(target).write_bytes(data)
    else:
        target.write(data)
