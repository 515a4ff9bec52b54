"""Files as communes keep them: title rows, separators, BOM, merged headers, totals, signatures."""

from __future__ import annotations

import datetime
import tracemalloc

import openpyxl
import pytest

from giamngheo.errors import InputError
from giamngheo.tabular import reader
from giamngheo.tabular.columns import duplicates, int_column, yes_no_column
from giamngheo.tabular.header import ColumnSpec
from giamngheo.tabular.reader import ROW, is_signature_row, iter_sheet_rows, read_table

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


# --- end of the data: total rows ---------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["Tổng cộng", "CỘNG:", "Tổng", "Tong so", "Toàn xã", "TOTAL"])
def test_a_total_row_with_every_column_filled_ends_the_data(tmp_path, label):
    path = write(
        tmp_path,
        f"Mã hộ,Khu vực,Thu nhập bình quân\nH1,rural,5\nH2,urban,6\n{label},2 hộ,11\nGhi chú: đến 31/12,,\n",
    )
    table = read_table(path, SPECS)
    assert ids(table) == ["H1", "H2"]


def test_a_total_row_in_the_second_column_under_an_empty_number_ends_the_data_of_a_workbook(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["STT", "Mã hộ", "Khu vực", "Thu nhập bình quân"])
    sheet.append([1, "H1", "Nông thôn", 1_200_000])
    sheet.append([2, "H2", "Thành thị", 2_500_000])
    sheet.append([None, "Tổng cộng", "2 hộ", 3_700_000])
    path = tmp_path / "in.xlsx"
    book.save(path)
    assert ids(read_table(path, SPECS)) == ["H1", "H2"]


def test_a_subtotal_followed_by_more_data_is_skipped_and_the_last_total_ends_the_data(tmp_path):
    path = write(
        tmp_path,
        "Mã hộ,Khu vực\nToàn xã,3 hộ\nH1,rural\nCộng,1 hộ\nH2,urban\nH3,urban\nTổng cộng,3 hộ\n",
    )
    table = read_table(path, SPECS)
    assert ids(table) == ["H1", "H2", "H3"] and table.frame[ROW].to_list() == [3, 5, 6]


def test_a_village_whose_name_begins_with_a_total_word_is_data(tmp_path):
    specs = [
        ColumnSpec("village", ("thôn",), required=True),
        ColumnSpec("poor", ("giảm nghèo",), required=True),
    ]
    path = write(tmp_path, "Thôn,Giảm nghèo\nCộng Hòa,2\nTổng Xá,1\nTổng,3\n")
    assert read_table(path, specs).frame["Thôn"].to_list() == ["Cộng Hòa", "Tổng Xá"]


# --- end of the data: signature blocks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "signature",
    [
        "Người lập biểu,TM. UBND xã",
        ',"Sơn Trung, ngày 05 tháng 01 năm 2024"',
        '"Sơn Trung, ngày … tháng … năm 2024",',
        '"Sơn Trung, ngày 05/01/2024",',
        "NGƯỜI LẬP BIỂU,KT. CHỦ TỊCH",
        ",Chủ tịch",
        '"(Ký, ghi rõ họ tên)","(Ký tên, đóng dấu)"',
        "Xác nhận của UBND xã,T/M ỦY BAN NHÂN DÂN",
    ],
)
def test_a_signature_block_right_after_the_data_is_not_data(tmp_path, signature):
    path = write(tmp_path, f"Mã hộ,Khu vực\nH1,rural\nH2,urban\n{signature}\nNguyễn Văn A,Trần Văn B\n")
    table = read_table(path, SPECS)
    assert ids(table) == ["H1", "H2"] and table.frame[ROW].to_list() == [2, 3]


def test_a_data_row_with_a_date_or_a_role_in_a_note_is_data(tmp_path):
    path = write(
        tmp_path,
        'Mã hộ,Khu vực,Ghi chú\nH1,rural,"thoát nghèo ngày 05 tháng 3 năm 2024"\nH2,urban,Chủ tịch hội\n'
        "H3,rural,\n",
    )
    assert ids(read_table(path, SPECS)) == ["H1", "H2", "H3"]


def test_a_commune_workbook_with_a_signature_block_under_the_total_without_an_empty_row(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["STT", "Mã hộ", "Khu vực"])
    sheet.append([1, "H1", "Nông thôn"])
    sheet.append([2, "H2", "Thành thị"])
    sheet.append([None, None, "Sơn Trung, ngày 20 tháng 12 năm 2024"])
    sheet.append([None, "NGƯỜI LẬP BIỂU", "TM. ỦY BAN NHÂN DÂN"])
    sheet.append([None, "Nguyễn Văn A", "Trần Văn B"])
    path = tmp_path / "in.xlsx"
    book.save(path)
    assert ids(read_table(path, SPECS)) == ["H1", "H2"]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["Người lập biểu", "", "TM. UBND XÃ"], True),
        (["", "Sơn Trung, ngày ..... tháng ..... năm 2024"], True),
        (["(Đã ký)"], True),
        (["H1", "Người lập biểu"], False),
        (["Kỳ Văn Anh"], False),
        (["", ""], False),
    ],
)
def test_a_signature_row_is_one_whose_every_filled_cell_belongs_to_a_signature(cells, expected):
    assert is_signature_row(cells) is expected


# --- numbering row -----------------------------------------------------------------------------------------


def test_a_first_row_of_small_numbers_is_data_not_a_numbering_row(tmp_path):
    specs = [
        ColumnSpec("village", ("mã thôn",), required=True),
        ColumnSpec("poor", ("giảm nghèo",), required=True),
        ColumnSpec("near_poor", ("giảm cận nghèo",), required=True),
    ]
    path = write(tmp_path, "Mã thôn,Giảm nghèo,Giảm cận nghèo\n7,2,1\n8,0,3\n")
    table = read_table(path, specs)
    assert table.frame["Mã thôn"].to_list() == ["7", "8"] and table.frame[ROW].to_list() == [2, 3]


@pytest.mark.parametrize(
    ("numbering", "skipped"),
    [
        ("1;2;3;4", True),
        ("(1);(2);(3);(4)", True),
        ("1.;2.;3.;4.", True),
        ("A;B;1;2", True),
        ("(A);(B);(1);(2)", True),
        ("1;2;4;3", False),
        ("2;3;4;5", False),
        ("1;2;3;", False),  # the fourth named column is not numbered
        ("1;2;3;4;5", False),  # a number outside the header
        ("A;B;C;D", False),
        ("1;A;2;3", False),
    ],
)
def test_a_numbering_row_must_number_the_header_columns_in_order(tmp_path, numbering, skipped):
    path = write(tmp_path, f"STT;Mã hộ;Khu vực;Thu nhập bình quân\n{numbering}\n1;H1;rural;5\n")
    table = read_table(path, SPECS)
    assert (table.frame[ROW].to_list()[0] == 3) is skipped


# --- workbooks: streamed ------------------------------------------------------------------------------------


def test_a_workbook_read_in_small_chunks_gives_the_same_rows_with_excel_row_numbers(tmp_path, monkeypatch):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["B3"], sheet["C3"], sheet["D3"] = "Mã hộ", "Khu vực", "Thu nhập bình quân"  # starts at column B
    for n in range(1, 8):
        sheet.append([None, f"H{n}", "rural", n * 100_000.0])
    sheet.append([None, "Tổng cộng", None, 2_800_000])
    path = tmp_path / "in.xlsx"
    book.save(path)
    monkeypatch.setattr(reader, "CHUNK_ROWS", 2)
    table = read_table(path, SPECS)
    assert ids(table) == [f"H{n}" for n in range(1, 8)] and table.frame[ROW].to_list() == list(range(4, 11))
    assert table.frame["Thu nhập bình quân"].to_list()[:2] == ["100000", "200000"]
    assert table.columns == ["Mã hộ", "Khu vực", "Thu nhập bình quân"]  # the empty column A is dropped


def test_a_large_workbook_never_holds_all_its_rows_as_python_objects(tmp_path, monkeypatch):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("DS")
    sheet.append(["Mã hộ", "Khu vực", *(f"Cột {i}" for i in range(10))])
    for n in range(5_000):
        sheet.append([f"H{n:06d}", "nông thôn", *(f"giá trị {n} {i}" for i in range(10))])
    path = tmp_path / "big.xlsx"
    book.save(path)
    monkeypatch.setattr(reader, "CHUNK_ROWS", 250)
    tracemalloc.start()
    try:
        table = read_table(path, SPECS)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # 60,000 cells as Python strings and lists take ~6 MB; one 250-row chunk a fortieth of that
    assert table.frame.height == 5_000 and peak < 2_000_000


def test_the_rows_of_a_sheet_stream_as_text_from_excel_row_one(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Bìa"
    data = book.create_sheet("Danh sách")
    data["B2"], data["C3"] = "Tiêu đề", 1500000.0
    path = tmp_path / "in.xlsx"
    book.save(path)
    name, rows = iter_sheet_rows(path, sheet="danh sach")
    assert name == "Danh sách" and list(rows) == [["", "", ""], ["", "Tiêu đề", ""], ["", "", "1500000"]]


def test_the_rows_of_a_table_come_in_batches_with_their_row_numbers(tmp_path):
    path = write(tmp_path, "Mã hộ,Khu vực\nH1,rural\nH2,urban\nH3,rural\n")
    batches = list(read_table(path, SPECS).batches(2, columns=["Mã hộ"]))
    assert batches == [[{"Mã hộ": "H1", ROW: 2}, {"Mã hộ": "H2", ROW: 3}], [{"Mã hộ": "H3", ROW: 4}]]


def test_the_former_private_names_used_outside_the_package_still_work():
    assert reader._finish is reader.finish_table and reader._no_header is reader.no_header_error


def test_a_total_row_after_rows_that_all_miss_a_required_value_ends_the_data(tmp_path):
    path = write(tmp_path, "Mã hộ,Khu vực\nH1,\nH2,\nTổng cộng,\nNgười lập biểu,\n")
    table = read_table(path, SPECS)
    assert ids(table) == ["H1", "H2"]


def test_workbook_cells_read_as_the_text_a_user_sees_in_every_kind_of_column(tmp_path):
    values = {
        "text": [" H1 ", "H2", None, "Nguyễn Văn An"],
        "numbers": [1_500_000, 0.1, 1e20, 42080001234],
        "mixed": [1, True, datetime.date(2024, 1, 5), "x"],
    }
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mã hộ", "Khu vực", "numbers", "mixed"])
    for i in range(4):
        sheet.append([f"H{i}", values["text"][i], values["numbers"][i], values["mixed"][i]])
    path = tmp_path / "in.xlsx"
    book.save(path)
    frame = read_table(path, SPECS).frame
    assert frame["Khu vực"].to_list() == ["H1", "H2", None, "Nguyễn Văn An"]
    assert frame["numbers"].to_list() == ["1500000", "0.1", "100000000000000000000", "42080001234"]
    assert frame["mixed"].to_list() == ["1", "TRUE", "2024-01-05", "x"]


def test_a_workbook_saved_under_a_csv_name_is_read_as_the_workbook_it_is(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Mã hộ", "Khu vực"])
    book.active.append(["H1", "rural"])
    path = tmp_path / "danh-sach.csv"
    book.save(path)
    table = read_table(path, SPECS)
    assert ids(table) == ["H1"] and table.file.startswith("danh-sach.csv [")


def test_a_heading_that_looks_like_a_signature_above_more_households_does_not_end_a_short_list(tmp_path):
    path = write(
        tmp_path, "Mã hộ,Khu vực\nH1,rural\nTrưởng thôn: Nguyễn Văn A,\nH2,rural\nH3,urban\nH4,rural\n"
    )
    assert ids(read_table(path, SPECS)) == ["H1", "Trưởng thôn: Nguyễn Văn A", "H2", "H3", "H4"]


def test_a_total_label_typed_with_extra_spaces_is_still_a_total(tmp_path):
    path = write(tmp_path, "Mã hộ,Khu vực\nH1,rural\nTỔNG  CỘNG :,1 hộ\n")
    assert ids(read_table(path, SPECS)) == ["H1"]
