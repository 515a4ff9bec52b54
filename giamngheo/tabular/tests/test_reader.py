"""Files as communes keep them: title rows, separators, BOM, merged headers, totals, signatures."""

from __future__ import annotations

import openpyxl
import pytest

from giamngheo.errors import InputError
from giamngheo.tabular.columns import duplicates, int_column, yes_no_column
from giamngheo.tabular.header import ColumnSpec
from giamngheo.tabular.reader import ROW, read_table

SPECS = [
    ColumnSpec("household_id", ("mã hộ",), required=True),
    ColumnSpec("area", ("khu vực",), required=True),
    ColumnSpec("income_per_capita", ("thu nhập bình quân",)),
    ColumnSpec("sanitation", ("nhà tiêu hợp vệ sinh",)),
]


def write(tmp_path, text: str, name: str = "in.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def ids(table) -> list[str]:
    return table.frame[table.found["household_id"]].to_list()


def test_the_header_row_is_found_under_title_rows_and_a_decision_reference(tmp_path):
    path = write(
        tmp_path,
        'UBND XÃ SƠN TRUNG,,\n"Kèm theo Quyết định số 12/QĐ-UBND, ngày 05/01/2024",,\n,,\n'
        "Mã hộ,Khu vực,Thu nhập bình quân\nH1,nông thôn,1200000\n",
    )
    table = read_table(path, SPECS)
    assert table.header_row == 4 and ids(table) == ["H1"] and table.frame[ROW].to_list() == [5]


def test_a_semicolon_file_with_a_bom_and_vietnamese_headers_is_read(tmp_path):
    path = write(
        tmp_path,
        "\ufeffMÃ HỘ;KHU VỰC;Thu nhập bình quân (đồng/người/tháng)\nH1;rural;1.200.000\nH2;urban;2.000.000\n",
    )
    table = read_table(path, SPECS)
    assert (
        ids(table) == ["H1", "H2"]
        and table.found["income_per_capita"] == "Thu nhập bình quân (đồng/người/tháng)"
    )


def test_headers_match_without_case_accents_spaces_or_underscores(tmp_path):
    path = write(tmp_path, "HOUSEHOLD ID,Area,Income_Per_Capita\nH1,rural,1\n")
    assert set(read_table(path, SPECS).found) == {"household_id", "area", "income_per_capita"}


def test_the_data_stops_at_a_total_row_and_empty_rows_inside_are_skipped(tmp_path):
    path = write(tmp_path, "Mã hộ,Khu vực\nH1,rural\n,\nH2,urban\nTổng cộng,\nGhi chú,\n")
    table = read_table(path, SPECS)
    assert ids(table) == ["H1", "H2"] and table.frame[ROW].to_list() == [2, 4]


def test_a_signature_block_after_an_empty_row_is_not_data(tmp_path):
    path = write(tmp_path, "Mã hộ,Khu vực\nH1,rural\n,\n,Sơn Trung ngày 05/01/2024\nNgười lập biểu,\n")
    assert ids(read_table(path, SPECS)) == ["H1"]


def test_a_row_missing_a_required_value_inside_the_data_is_kept_for_validation(tmp_path):
    path = write(tmp_path, "Mã hộ,Khu vực\nH1,\nH2,rural\n")
    assert ids(read_table(path, SPECS)) == ["H1", "H2"]


def test_a_numbering_row_under_the_header_is_skipped(tmp_path):
    path = write(tmp_path, "Mã hộ;Khu vực;Thu nhập bình quân\n(1);(2);(3)\nH1;rural;5\n")
    table = read_table(path, SPECS)
    assert ids(table) == ["H1"] and table.frame[ROW].to_list() == [3]


def test_a_file_that_is_not_utf8_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(b"M\xe3 h\xf4,Khu v\xf9c\nH1,rural\n")  # a legacy Windows-1258 export
    with pytest.raises(InputError) as error:
        read_table(path, SPECS)
    assert "UTF-8" in str(error.value) and "in.csv" in str(error.value)


def test_a_file_without_the_expected_header_says_which_columns_are_needed(tmp_path):
    path = write(tmp_path, "a,b\n1,2\n")
    with pytest.raises(InputError) as error:
        read_table(path, SPECS)
    assert "household_id" in str(error.value)


def test_an_xlsx_with_a_merged_title_and_a_header_split_over_two_rows(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "DANH SÁCH HỘ NGHÈO NĂM 2024"
    sheet.merge_cells("A1:D1")
    sheet["A3"], sheet["B3"], sheet["C3"] = "Mã hộ", "Khu vực", "Chỉ số thiếu hụt"
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("B3:B4")
    sheet.merge_cells("C3:D3")
    sheet["C4"], sheet["D4"] = "Nhà tiêu hợp vệ sinh", "Thu nhập bình quân"
    sheet.append(["H1", "Nông thôn", 1, 1200000.0])
    sheet.append(["H2", "Thành thị", None, 2500000])
    sheet.append(["Tổng cộng", None, 1, 3700000])
    path = tmp_path / "in.xlsx"
    book.save(path)
    table = read_table(path, SPECS)
    assert table.header_row == 4 and ids(table) == ["H1", "H2"]
    assert table.frame[table.found["income_per_capita"]].to_list() == ["1200000", "2500000"]
    assert table.frame[ROW].to_list() == [5, 6]


def test_a_named_sheet_is_read_and_an_unknown_one_lists_the_sheets(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Bìa"
    data = book.create_sheet("Danh sách")
    data.append(["Mã hộ", "Khu vực"])
    data.append(["H1", "rural"])
    path = tmp_path / "in.xlsx"
    book.save(path)
    assert ids(read_table(path, SPECS, sheet="danh sach")) == ["H1"]
    with pytest.raises(InputError) as error:
        read_table(path, SPECS, sheet="Khác")
    assert "Danh sách" in str(error.value)


def test_bad_values_are_reported_with_file_row_and_column(tmp_path):
    path = write(
        tmp_path,
        "Mã hộ,Khu vực,Thu nhập bình quân,Nhà tiêu hợp vệ sinh\n"
        "H1,rural,abc,1\nH2,rural,-5,maybe\nH1,rural,1.500.000,x\n",
    )
    table = read_table(path, SPECS)
    problems: list = []
    incomes = int_column(table, "Thu nhập bình quân", problems, minimum=0)
    flags = yes_no_column(table, "Nhà tiêu hợp vệ sinh", problems)
    duplicates(table, "Mã hộ", problems)
    where = {(p.file, p.row, p.column) for p in problems}
    assert ("in.csv", 2, "Thu nhập bình quân") in where and ("in.csv", 3, "Thu nhập bình quân") in where
    assert ("in.csv", 3, "Nhà tiêu hợp vệ sinh") in where and ("in.csv", 4, "Mã hộ") in where
    assert incomes.to_list() == [None, None, 1_500_000] and flags.to_list() == [True, None, True]
