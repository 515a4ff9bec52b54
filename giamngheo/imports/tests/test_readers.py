"""Reading uploads: file types are checked by name and content, then ``tabular`` reads them."""

from __future__ import annotations

import pytest

from giamngheo.errors import InputError
from giamngheo.imports import readers
from giamngheo.imports.household_list import specs
from giamngheo.tabular.reader import read_table
from giamngheo.testing.files import commune_workbook


def test_a_workbook_saved_under_a_csv_name_is_read_as_the_workbook_it_is(tmp_path):
    workbook = commune_workbook(tmp_path / "l.xlsx")
    renamed = tmp_path / "danh-sach.csv"
    renamed.write_bytes(workbook.read_bytes())
    table = readers.open_table(renamed, specs())
    expected = read_table(workbook, specs())
    assert table.frame.equals(expected.frame) and table.frame.height == 5  # no total row, no signatures
    assert (table.file, table.header_row) == ("danh-sach.csv [DS hộ]", expected.header_row)


def test_a_named_sheet_is_found_without_accents_or_case(tmp_path):
    path = commune_workbook(tmp_path / "l.xlsx", sheet="Danh sách 2024")
    assert readers.open_table(path, specs(), sheet="DANH SACH 2024").frame.height == 5
    with pytest.raises(InputError, match="Danh sách 2024"):
        readers.open_table(path, specs(), sheet="Khác")


@pytest.mark.parametrize(
    ("name", "content"), [("a.docx", b"PK\x03\x04zip"), ("a.json", b"{}"), ("a.xlsx", b"a,b\n")]
)
def test_files_that_are_not_lists_are_refused_before_reading(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        readers.open_table(path, specs())
    assert caught.value.problems[0].file == name


def test_the_raw_rows_of_a_file_keep_excel_row_numbers(tmp_path):
    path = commune_workbook(tmp_path / "l.xlsx")
    _sheet, rows = readers.iter_raw_rows(path, path.name)
    rows = list(rows)
    assert rows[0][0] == "UBND XÃ SƠN TRUNG" and rows[8][1] == "ST001"  # row 9 in Excel
