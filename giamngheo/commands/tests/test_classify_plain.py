"""``giamngheo classify``'s one-pass path for plain CSV files (issue 15): taken for a machine export; and
every file — plain or not — gives byte for byte what the general reader, classifier and writer give, and
the same error for bad input."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from giamngheo.commands.classify_file import _plain_csv_table, _row_numbers
from giamngheo.standards.format_a import classify_table, format_a_specs
from giamngheo.standards.loader import standard_for_year
from giamngheo.tabular.reader import read_table
from giamngheo.tabular.writer import neutralise_frame

HEADER = "household_id,area,income_per_capita,b1_score,health_insurance,sanitation,telecom,waste\n"
ROWS = (
    "H1,rural,1200000,,1,1,1,0\nH2,urban,,176,1,1,1,1\nH3,rural,1800000,,0,0,0,1\nH5,urban,3000000,,0,0,0,0\n"
)
PLAIN = "DANH SÁCH HỘ\n" + HEADER + ROWS

NOT_PLAIN = {
    "formula": HEADER + ROWS + "H4,rural,1500000,,0,0,0,=1+1\n",
    "our prefix": HEADER + ROWS.replace("H2,", "'=H2,"),
    "a minus sign elsewhere": HEADER + ROWS.replace("H3", "H-3"),
    "total row": HEADER + ROWS + "Tổng cộng,,,,2,2,2,2\n",
    "blank row then a note": HEADER + ROWS + ",,,,,,,\nGhi chú: số liệu tạm\n",
    "signature": HEADER + ROWS + "Người lập biểu,,,,,,,\n",
    "no digit in the first cell": HEADER + ROWS.replace("H2,", "Hai,"),
    "extra column": HEADER + ROWS.replace("H3,rural,1800000,,0,0,0,1", "H3,rural,1800000,,0,0,0,1,x"),
    "old results": HEADER.replace("\n", ",status\n") + ROWS.replace("\n", ",poor\n"),
    "crlf": (HEADER + ROWS).replace("\n", "\r\n"),
    "tab inside": HEADER + ROWS.replace("H1,", '"H1\tx",'),
    "an empty quoted id": HEADER + ROWS.replace("H2,", '"",'),
}


def general(source: Path) -> bytes:
    """What the command wrote before the one-pass path: the general reader, classifier and writer."""
    frame = classify_table(read_table(source, format_a_specs()), standard_for_year(2024))
    return neutralise_frame(frame).write_csv().encode("utf-8")


def command(source: Path, tmp_path: Path) -> bytes:
    target = tmp_path / "out.csv"
    call_command("classify", str(source), "--year", "2024", "--output", str(target))
    return target.read_bytes()


def test_a_plain_export_takes_the_one_pass_path_and_writes_the_same_bytes(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(PLAIN, encoding="utf-8")
    found = _plain_csv_table(source, format_a_specs(), standard_for_year(2024))
    assert found is not None and found[1] and found[2]  # the cells too: no parsing, and no quotes to write
    assert command(source, tmp_path) == general(source)
    out = io.StringIO()
    call_command("classify", str(source), "--year", "2024", stdout=out)
    assert out.getvalue().encode("utf-8") == general(source)


@pytest.mark.parametrize("case", sorted(NOT_PLAIN))
def test_anything_else_goes_the_general_way_with_the_same_result(tmp_path, case):
    source = tmp_path / "in.csv"
    source.write_text(NOT_PLAIN[case], encoding="utf-8", newline="")
    if case not in ("a minus sign elsewhere", "crlf", "tab inside"):  # those are plain cell by cell
        assert _plain_csv_table(source, format_a_specs(), standard_for_year(2024)) is None
    assert command(source, tmp_path) == general(source)


# Plain CSV whose cells are not in a machine export's plain form: read in one pass, parsed value by value.
CELLS_NOT_PLAIN = {
    "yes/no in words": PLAIN.replace("H1,rural,1200000,,1,1,1,0", "H1,rural,1200000,,có,1,1,không"),
    "area in Vietnamese": PLAIN.replace("H3,rural", "H3,Nông thôn"),
    "income with dots": PLAIN.replace("1800000", "1.800.000"),
    "padded id": PLAIN.replace("H2,", " H2,"),
}
BAD = {  # plain CSV, bad cells: the general parser's errors, rows and all
    "duplicate id": (PLAIN.replace("H3,", "H1,"), "dòng/row 5"),
    "unknown area": (PLAIN.replace("H2,urban", "H2,miền núi"), "miền núi"),
    "no income nor B1": (PLAIN.replace("H3,rural,1800000", "H3,rural,"), "dòng/row 5"),
    "a flag of 2": (PLAIN.replace("H2,urban,,176,1", "H2,urban,,176,2"), "health_insurance"),
    "a blank area": (PLAIN.replace("H2,urban", 'H2," "'), "area"),
}


@pytest.mark.parametrize("case", sorted(CELLS_NOT_PLAIN))
def test_cells_a_machine_would_not_write_are_parsed_value_by_value_with_the_same_result(tmp_path, case):
    source = tmp_path / "in.csv"
    source.write_text(CELLS_NOT_PLAIN[case], encoding="utf-8")
    found = _plain_csv_table(source, format_a_specs(), standard_for_year(2024))
    assert found is not None and not found[1]
    assert command(source, tmp_path) == general(source)


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_cells_of_a_plain_file_are_reported_as_the_general_reader_reports_them(tmp_path, case):
    content, fragment = BAD[case]
    source = tmp_path / "in.csv"
    source.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        command(source, tmp_path)
    assert error.value.returncode == 2 and fragment in str(error.value)
    assert list(tmp_path.iterdir()) == [source]  # nothing written
    with pytest.raises(Exception) as expected:
        general(source)
    assert str(expected.value) in str(error.value)


def test_row_numbers_follow_the_readers_chunks():
    frame = pl.concat([pl.DataFrame({"a": ["x"] * n}) for n in (3, 1, 2)], rechunk=False)
    rows = _row_numbers(frame, 4)
    assert rows.to_list() == [4, 5, 6, 7, 8, 9]
    assert [chunk.len() for chunk in rows.get_chunks()] == [3, 1, 2]


# Plain CSV with cells that need quotes when written with commas: written with them, as the general writer.
QUOTED = {
    "a quoted comma": HEADER.replace("\n", ",note\n") + ROWS.replace("\n", ',"thôn 1, xóm 2"\n'),
    "a comma in a semicolon file": (HEADER.replace("\n", ",note\n") + ROWS.replace("\n", ",thôn 1, xóm 2\n"))
    .replace(",", ";")
    .replace("thôn 1; xóm 2", "thôn 1, xóm 2"),
    "a quote inside": HEADER.replace("\n", ",note\n") + ROWS.replace("\n", ',"nhà ""B"""\n'),
}


@pytest.mark.parametrize("case", sorted(QUOTED))
def test_cells_that_need_quotes_are_quoted_as_the_general_writer_quotes_them(tmp_path, case):
    source = tmp_path / "in.csv"
    source.write_text(QUOTED[case], encoding="utf-8")
    found = _plain_csv_table(source, format_a_specs(), standard_for_year(2024))
    assert found is not None and found[1] and not found[2]
    written = command(source, tmp_path)
    assert written == general(source) and b'"' in written
