"""``giamngheo report targets``: the seed's table reproduced from the demo register, in every format."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from giamngheo.demo.sontrung import VILLAGE_TABLE

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / "son-trung-2023-village-targets.csv"


def report(*args: str) -> str:
    out = io.StringIO()
    call_command("report_targets", *args, stdout=out)
    return out.getvalue()


def test_the_csv_reproduces_the_seed_table_exactly(demo_register):
    text = report("--unit", "Sơn Trung", "--year", "2023", "--format", "csv")
    assert text == VILLAGE_TABLE.read_text(encoding="utf-8")
    if SHARED.exists():  # ../shared/data, when the project's shared folder is beside the repository
        assert text == SHARED.read_text(encoding="utf-8")


def test_the_unit_may_be_named_without_accents_or_by_code(demo_register):
    assert report("--unit", "XA SON TRUNG", "--year", "2023") == report("--unit", "18133", "--year", "2023")


def test_generic_column_names_on_request(demo_register):
    header = report("--unit", "Sơn Trung", "--year", "2023", "--columns", "generic").splitlines()[0]
    assert header.startswith("stt,unit,households_total,poor_start,poor_start_pct,poor_reduction,")


def test_the_workbook_has_numbers_not_text(demo_register, tmp_path):
    out = tmp_path / "bieu.xlsx"
    call_command(
        "report_targets", "--unit", "Sơn Trung", "--year", "2023", "--output", str(out), stderr=io.StringIO()
    )
    ws = load_workbook(out).active
    total = next(row for row in ws.iter_rows() if row[1].value == "Tổng cộng")
    assert [c.value for c in total[2:5]] == [1545, 63, 4.08]
    assert total[2].number_format == "#,##0" and total[4].number_format == "0.00" and total[2].font.b


@pytest.mark.slow
def test_the_pdf_and_the_html_show_vietnamese_formats(demo_register, tmp_path):
    from giamngheo.testing.pdf import pdf_text

    out = tmp_path / "bieu.pdf"
    call_command(
        "report_targets", "--unit", "Sơn Trung", "--year", "2023", "--output", str(out), stderr=io.StringIO()
    )
    text = pdf_text(out.read_bytes())
    assert "CHỈ TIÊU GIẢM HỘ NGHÈO" in text and "1.545" in text and "4,08" in text
    html = report("--unit", "Sơn Trung", "--year", "2023", "--format", "html")
    assert '<td class="num">1.545</td>' in html and "Hộ nghèo cuối năm 2022" in html


def test_a_binary_format_needs_an_output_file(demo_register):
    with pytest.raises(CommandError) as error:
        report("--unit", "Sơn Trung", "--year", "2023", "--format", "xlsx")
    assert error.value.returncode == 2 and "--output" in str(error.value)


def test_a_year_without_a_plan_is_an_error_with_the_fix(demo_register, tmp_path):
    out = tmp_path / "none.csv"
    with pytest.raises(CommandError) as error:
        call_command("report_targets", "--unit", "Sơn Trung", "--year", "2031", "--output", str(out))
    assert error.value.returncode == 2 and "import targets" in str(error.value)
    assert not out.exists()


def test_a_village_is_not_a_plans_unit(demo_register):
    with pytest.raises(CommandError) as error:
        report("--unit", "Mai Hà", "--year", "2023")
    assert error.value.returncode == 2 and "không phải là xã" in str(error.value)


def test_an_unknown_unit_is_an_error(demo_register):
    with pytest.raises(CommandError) as error:
        report("--unit", "Sơn Mỹ", "--year", "2023")
    assert error.value.returncode == 2
