"""Every XLSX the project writes prints well: A4 landscape, one page wide, the title and the headings on
every page, page numbers in the footer, group headings as tall as their lines."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from giamngheo.plans.documents.render import TableTitle, targets_xlsx
from giamngheo.plans.documents.targets import build_target_table
from giamngheo.testing.documents import VILLAGES, assert_printable


def targets_sheet():  # type: ignore[no-untyped-def]
    title = TableTitle(issuer="UBND XÃ SƠN TRUNG", title="CHỈ TIÊU NĂM 2023", subtitle="(Kèm theo)")
    data = targets_xlsx(build_target_table(VILLAGES, year=2023), title)
    return load_workbook(io.BytesIO(data)).worksheets[0]


def test_the_target_table_prints_one_page_wide_with_its_title_and_headings_on_every_page():
    ws = targets_sheet()
    header_top = next(row for row in range(1, 10) if ws.cell(row=row, column=1).value == "TT")
    assert_printable(ws, repeat=f"$1:${header_top + 1}")  # three title lines, a blank row, two heading rows


def test_a_group_heading_gets_a_row_tall_enough_for_its_wrapped_lines():
    ws = targets_sheet()
    header_top = next(row for row in range(1, 10) if ws.cell(row=row, column=1).value == "TT")
    assert "Hộ nghèo cuối năm 2022" in [ws.cell(row=header_top, column=c).value for c in range(1, 16)]
    assert ws.row_dimensions[header_top].height >= 2 * 15  # "Hộ nghèo cuối năm / 2022" over two columns
