"""The generic XLSX writer: two-row merged headers, numeric cells with number formats, a bold total."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from giamngheo.documents.xlsx import (
    DEC2,
    INT,
    PERCENT_POINTS,
    Column,
    HeaderCell,
    Sheet,
    place_header,
    workbook_bytes,
)
from giamngheo.plans.documents.render import TableTitle, targets_xlsx
from giamngheo.plans.documents.targets import UnitFigures, build_target_table


def test_header_cells_are_placed_like_an_html_table():
    rows = [[HeaderCell("A", rowspan=2), HeaderCell("B", colspan=2)], [HeaderCell("b1"), HeaderCell("b2")]]
    assert [(r, c, cell.text) for r, c, cell in place_header(rows)] == [
        (0, 0, "A"),
        (0, 1, "B"),
        (1, 1, "b1"),
        (1, 2, "b2"),
    ]


def test_a_generic_sheet_keeps_numbers_numeric_with_their_formats():
    sheet = Sheet(
        name="Thử",
        title_lines=["TIÊU ĐỀ"],
        header_rows=[[HeaderCell("Tên"), HeaderCell("Số"), HeaderCell("Tỷ lệ")]],
        columns=[Column(width=20), Column(number_format=INT), Column(number_format=PERCENT_POINTS)],
        rows=[["Mai Hà", 1545, Decimal("4.08")]],
        total_row=["Tổng", 1545, Decimal("4.08")],
    )
    ws = load_workbook(io.BytesIO(workbook_bytes([sheet]))).active
    assert ws["A1"].value == "TIÊU ĐỀ"
    assert ws["A3"].value == "Tên" and ws["A3"].font.b
    assert ws["B4"].value == 1545 and ws["B4"].number_format == INT
    assert ws["C4"].value == 4.08 and ws["C4"].number_format == PERCENT_POINTS
    assert ws["A5"].font.b and ws["B5"].font.b
    assert ws.column_dimensions["A"].width == 20


def test_the_target_table_workbook_has_the_seed_header_and_a_numeric_total_row():
    table = build_target_table(
        [UnitFigures("Mai Hà", 202, 3, 1, 4, 1), UnitFigures("Hà Tràng", 113, 3, 0, 5, 1)], year=2023
    )
    title = TableTitle.for_plan(commune_level="xã", commune_name="Sơn Trung", year=2023)
    ws = load_workbook(io.BytesIO(targets_xlsx(table, title))).active
    assert ws["A1"].value == "UBND XÃ SƠN TRUNG"
    header = 5  # three title lines, an empty row, then the header
    assert ws.cell(header, 1).value == "TT" and ws.cell(header, 4).value == "Hộ nghèo cuối năm 2022"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert f"A{header}:A{header + 1}" in merged and f"D{header}:E{header}" in merged
    assert [ws.cell(header + 1, c).value for c in (4, 5)] == ["TS", "%"]
    first = header + 2
    assert ws.cell(first, 2).value == "Mai Hà" and ws.cell(first, 3).value == 202
    assert ws.cell(first, 5).value == 1.49 and ws.cell(first, 5).number_format == DEC2
    total = first + 2
    assert (
        ws.cell(total, 2).value == "Tổng cộng" and ws.cell(total, 3).value == 315 and ws.cell(total, 3).font.b
    )
    assert ws.freeze_panes == f"A{first}"


def test_a_text_cell_that_starts_like_a_formula_is_stored_as_text_and_a_negative_number_as_a_number():
    from giamngheo.plans.documents.render import csv_text

    sheet = Sheet(
        name="Thử",
        title_lines=["=TIÊU ĐỀ"],
        header_rows=[[HeaderCell("Tên"), HeaderCell("Số")]],
        columns=[Column(width=20), Column(number_format=INT)],
        rows=[['=HYPERLINK("http://x")', -3], ["+Mai Hà", 5]],
    )
    ws = load_workbook(io.BytesIO(workbook_bytes([sheet]))).active
    texts = [ws["A1"], ws["A4"], ws["A5"]]
    assert [c.value for c in texts] == ["=TIÊU ĐỀ", '=HYPERLINK("http://x")', "+Mai Hà"]
    assert all(c.data_type == "s" for c in texts) and ws["B4"].value == -3 and ws["B4"].data_type == "n"
    assert csv_text(["unit", "n"], [["@Mai Hà", "-3"]]) == "unit,n\n'@Mai Hà,-3\n"
