"""``giamngheo classify``: format A in, CSV out; bad input exits 2 and writes nothing."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

GIAMNGHEO = Path(sys.executable).parent / "giamngheo"
RESULT_COLUMNS = ["standard", "deprivation_count", "deprived", "status"]


def run(*args: str) -> list[dict[str, str]]:
    out = io.StringIO()
    call_command("classify", *args, stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def run_to_file(tmp_path: Path, source: Path, *args: str) -> list[dict[str, str]]:
    target = tmp_path / "out.csv"
    call_command("classify", str(source), "--output", str(target), *args)
    with target.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def bad_input(tmp_path: Path, content: str, *args: str) -> str:
    source = tmp_path / "in.csv"
    source.write_text(content, encoding="utf-8")
    target = tmp_path / "out.csv"
    with pytest.raises(CommandError) as error:
        call_command("classify", str(source), "--output", str(target), *args)
    assert error.value.returncode == 2
    assert not target.exists() and list(tmp_path.iterdir()) == [source]  # no output, no temporary file
    return str(error.value)


GOOD = (
    "household_id,area,income_per_capita,b1_score,health_insurance,sanitation,telecom,information_devices,waste\n"
    "H1,rural,1200000,,1,1,1,0,0\n"
    "H2,urban,,176,1,1,1,1,1\n"
    "H3,rural,1800000,,0,0,0,1,1\n"
)


def test_every_input_column_then_the_results(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(GOOD, encoding="utf-8")
    rows = run(str(source), "--year", "2024")
    assert list(rows[0]) == GOOD.splitlines()[0].split(",") + RESULT_COLUMNS
    assert [(r["household_id"], r["status"], r["deprivation_count"]) for r in rows] == [
        ("H1", "poor", "3"),
        ("H2", "not_poor", "4"),
        ("H3", "average", "1"),
    ]
    assert (
        rows[0]["deprived"] == "health_insurance;sanitation;telecom" and rows[0]["standard"] == "VN-2022-2025"
    )
    assert rows[0]["income_per_capita"] == "1200000" and rows[1]["income_per_capita"] == ""


def test_2027_ignores_information_devices_and_counts_waste(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(GOOD, encoding="utf-8")
    rows = run(str(source), "--standard", "VN-2027-2030")
    assert rows[2]["deprived"] == "waste" and rows[2]["standard"] == "VN-2027-2030"


def test_a_commune_file_with_title_rows_semicolons_a_bom_and_a_total_row(tmp_path):
    source = tmp_path / "in.csv"
    content = (
        "UBND XÃ SƠN TRUNG;;;;\n"
        "DANH SÁCH HỘ RÀ SOÁT NĂM 2024;;;;\n"
        "Mã hộ;Khu vực;Thu nhập bình quân;BHYT;Nhà tiêu hợp vệ sinh\n"
        "H1;Nông thôn;1.200.000;x;x\n"
        "H2;Thành thị;2.500.000;;x\n"
        "Tổng cộng;;3.700.000;1;2\n"
        ";;;;\n"
        "Người lập biểu;;;;\n"
    )
    source.write_bytes("\ufeff".encode() + content.encode("utf-8"))
    rows = run_to_file(tmp_path, source, "--year", "2024")
    assert [(r["Mã hộ"], r["status"], r["deprived"]) for r in rows] == [
        ("H1", "near_poor", "health_insurance;sanitation"),
        ("H2", "average", "sanitation"),
    ]
    assert list(tmp_path.iterdir()) == [source, tmp_path / "out.csv"]


def test_an_xlsx_input(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH HỘ"])
    sheet.append([])
    sheet.append(["Mã hộ", "Khu vực", "Điểm B1", "Dinh dưỡng", "Bảo hiểm y tế", "Nguồn nước sinh hoạt"])
    sheet.append(["H1", "nông thôn", 140, "x", "x", "x"])
    sheet.append(["H2", "nông thôn", 141, "x", "x", "x"])
    source = tmp_path / "in.xlsx"
    book.save(source)
    rows = run(str(source), "--year", "2025")
    assert [r["status"] for r in rows] == ["poor", "not_poor"]
    assert rows[0]["deprived"] == "nutrition;health_insurance;drinking_water"


def test_an_unknown_standard_or_year_lists_the_standards(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(GOOD, encoding="utf-8")
    for args in (["--standard", "XX"], ["--year", "2019"]):
        with pytest.raises(CommandError) as error:
            run(str(source), *args)
        assert (
            error.value.returncode == 2
            and "VN-2022-2025" in str(error.value)
            and "VN-2027-2030" in str(error.value)
        )


def test_a_missing_required_column_names_it(tmp_path):
    message = bad_input(tmp_path, "household_id,income_per_capita\nH1,1\n")
    assert "area" in message and "Khu vực" in message


def test_a_file_with_neither_income_nor_b1_column_is_refused(tmp_path):
    assert "b1_score" in bad_input(tmp_path, "household_id,area\nH1,rural\n")


def test_an_unknown_area_names_the_row_and_column(tmp_path):
    message = bad_input(tmp_path, "household_id,area,income_per_capita\nH1,rural,1\nH2,miền núi,1\n")
    assert "dòng/row 3" in message and "cột/column area" in message and "miền núi" in message


def test_non_numeric_and_negative_income_are_refused(tmp_path):
    message = bad_input(tmp_path, "household_id,area,income_per_capita\nH1,rural,abc\nH2,rural,-5\n")
    assert "dòng/row 2" in message and "dòng/row 3" in message and "income_per_capita" in message


def test_a_duplicate_household_id_is_refused(tmp_path):
    message = bad_input(tmp_path, "household_id,area,income_per_capita\nH1,rural,1\nH1,urban,2\n")
    assert "H1" in message and "dòng/row 3" in message


def test_a_bad_yes_no_is_refused(tmp_path):
    message = bad_input(tmp_path, "household_id,area,income_per_capita,sanitation\nH1,rural,1,maybe\n")
    assert "sanitation" in message and "maybe" in message


def test_a_row_with_neither_income_nor_b1_is_refused(tmp_path):
    message = bad_input(tmp_path, "household_id,area,income_per_capita,b1_score\nH1,rural,,\nH2,rural,1,\n")
    assert "dòng/row 2" in message


def test_the_console_script_exits_2_with_the_message_on_standard_error(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("household_id,area,income_per_capita\nH1,nowhere,1\n", encoding="utf-8")
    target = tmp_path / "out.csv"
    result = subprocess.run(
        [GIAMNGHEO, "classify", source, "--year", "2024", "--output", target], capture_output=True, text=True
    )
    assert (
        result.returncode == 2 and "nowhere" in result.stderr and result.stdout == "" and not target.exists()
    )


def test_the_console_script_writes_csv_to_standard_output(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(GOOD, encoding="utf-8")
    result = subprocess.run([GIAMNGHEO, "classify", source, "--year", "2024"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.splitlines()[1].endswith("VN-2022-2025,3,health_insurance;sanitation;telecom,poor")
