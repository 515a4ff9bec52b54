"""``giamngheo classify``'s one-pass path for plain CSV files (issue 15): taken for a machine export; and
every file — plain or not — gives byte for byte what the general reader, classifier and writer give."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from giamngheo.commands.management.commands.classify import _plain_csv_table
from giamngheo.standards.format_a import classify_table, format_a_specs
from giamngheo.standards.loader import standard_for_year
from giamngheo.tabular.reader import read_table
from giamngheo.tabular.writer import neutralise_frame

HEADER = "household_id,area,income_per_capita,b1_score,health_insurance,sanitation,telecom,waste\n"
ROWS = "H1,rural,1200000,,1,1,1,0\nH2,urban,,176,1,1,1,1\nH3,rural,1800000,,0,0,0,1\n"
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
    assert _plain_csv_table(source, format_a_specs()) is not None
    assert command(source, tmp_path) == general(source)
    out = io.StringIO()
    call_command("classify", str(source), "--year", "2024", stdout=out)
    assert out.getvalue().encode("utf-8") == general(source)


@pytest.mark.parametrize("case", sorted(NOT_PLAIN))
def test_anything_else_goes_the_general_way_with_the_same_result(tmp_path, case):
    source = tmp_path / "in.csv"
    source.write_text(NOT_PLAIN[case], encoding="utf-8", newline="")
    if case not in ("a minus sign elsewhere", "crlf", "tab inside"):  # those are plain cell by cell
        assert _plain_csv_table(source, format_a_specs()) is None
    assert command(source, tmp_path) == general(source)
