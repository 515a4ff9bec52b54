"""Exporting a review year's household list in format C, and the round trip export → import → no change."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook

from giamngheo.errors import InputError
from giamngheo.households.models import Household, Member
from giamngheo.imports.household_export import export_households
from giamngheo.imports.household_list import households_import
from giamngheo.reviews.models import ReviewResult, ReviewRound
from giamngheo.testing.files import commune_workbook
from giamngheo.units.models import Unit

pytestmark = pytest.mark.django_db


def history_rows() -> tuple[int, int, int, int]:
    return (
        Household.history.count(),
        Member.history.count(),
        ReviewResult.history.count(),
        ReviewRound.history.count(),
    )


@pytest.fixture
def imported(son_trung, tmp_path):  # type: ignore[no-untyped-def]
    households_import(path=commune_workbook(tmp_path / "list.xlsx"), year=2024, decision_number="123/QĐ-UBND")
    return son_trung


def test_the_csv_export_has_format_c_headers_and_one_row_per_household_in_village_order(imported, capsys):
    call_command("export_households", "--unit", "xã Sơn Trung", "--year", "2024")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == [
        "household_id", "village", "village_code", "head_name", "members", "status", "head_citizen_id",
        "labour_capacity", "social_protection", "ethnic_minority", "meritorious", "farm_household",
    ]  # fmt: skip
    assert [r["household_id"] for r in rows] == ["ST001", "ST002", "ST003", "ST004", "ST005"]
    first = rows[0]
    assert (first["village"], first["village_code"], first["status"], first["members"]) == (
        "Mai Hà",
        "18133-01",
        "poor",
        "4",
    )
    assert (first["head_citizen_id"], first["labour_capacity"], first["social_protection"]) == (
        "0********234",  # masked unless asked for (below)
        "1",
        "1",
    )
    assert rows[1]["labour_capacity"] == ""  # unknown stays unknown
    assert rows[4]["village"] == "Hải Thượng"  # the 11th village comes last


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_then_import_changes_nothing_including_history(imported, tmp_path, suffix):
    out = tmp_path / f"export.{suffix}"
    assert export_households(unit=imported, year=2024, output=out) == 5
    before = history_rows()
    report = households_import(path=out, year=2024)
    assert not report.changed
    assert (report.households.unchanged, report.heads.unchanged, report.results.unchanged) == (5, 5, 5)
    assert history_rows() == before


def test_the_xlsx_export_reads_like_a_commune_list(imported, tmp_path):
    out = tmp_path / "ds.xlsx"
    export_households(unit=imported, year=2024, output=out, full_citizen_ids=True)
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert rows[0][0].startswith("DANH SÁCH HỘ GIA ĐÌNH") and rows[1][0] == "Xã Sơn Trung"
    assert rows[3][:6] == ["Mã hộ", "Thôn", "Mã thôn", "Họ và tên chủ hộ", "Số khẩu", "Phân loại"]
    assert rows[4][5] == "nghèo" and rows[4][6] == "042080001234"


def test_a_village_exports_only_its_own_households(imported, tmp_path):
    out = tmp_path / "maiha.csv"
    assert export_households(unit=Unit.objects.get(code="18133-01"), year=2024, output=out) == 2


def test_an_export_for_a_year_without_results_exits_2_and_writes_no_file(imported, tmp_path):
    out = tmp_path / "none.xlsx"
    with pytest.raises(CommandError) as caught:
        call_command("export_households", "--unit", "18133", "--year", "2019", "--output", str(out))
    assert caught.value.returncode == 2 and "2019" in str(caught.value)
    assert not out.exists() and list(tmp_path.iterdir()) == [tmp_path / "list.xlsx"]


def test_an_ambiguous_or_unknown_unit_exits_2(imported):
    with pytest.raises(CommandError) as caught:
        call_command("export_households", "--unit", "Không Tồn Tại", "--year", "2024")
    assert caught.value.returncode == 2


def test_the_export_reads_in_a_fixed_number_of_queries(imported, tmp_path, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        export_households(unit=imported, year=2024, output=tmp_path / "q.csv")


def test_the_xlsx_export_says_co_or_khong_and_prints_one_page_wide_with_its_headings_on_every_page(
    imported, tmp_path
):
    from openpyxl import load_workbook

    from giamngheo.testing.documents import assert_printable

    out = tmp_path / "ds.xlsx"
    export_households(unit=imported, year=2024, output=out)
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    for heading in ("BTXH", "DTTS", "Người có công"):
        values = {row[rows[3].index(heading)] for row in rows[4:]}
        assert values and values <= {"Có", "Không"}
    assert_printable(load_workbook(out).worksheets[0], repeat="$1:$4")


FORMULA_NAMES = {"ST001": '=HYPERLINK("http://x","bấm")', "ST002": "-Trần Thị Bình", "ST003": "@Lê Văn Cường"}


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_names_that_start_like_a_formula_are_neutralised_and_import_back_exactly(imported, tmp_path, suffix):
    for code, name in FORMULA_NAMES.items():
        Household.objects.filter(code=code).update(head_name=name)
        Member.objects.filter(household__code=code, relation="head").update(full_name=name)
    out = tmp_path / f"export.{suffix}"
    export_households(unit=imported, year=2024, output=out)
    if suffix == "csv":
        text = out.read_text(encoding="utf-8")
        assert "'=HYPERLINK" in text and ",'-Trần Thị Bình," in text and ",'@Lê Văn Cường," in text
    else:
        from openpyxl import load_workbook

        cells = [
            c
            for row in load_workbook(out).active.iter_rows()
            for c in row
            if c.value in FORMULA_NAMES.values()
        ]
        assert len(cells) == 3 and all(c.data_type == "s" and c.quotePrefix for c in cells)
    before = history_rows()
    report = households_import(path=out, year=2024)
    assert not report.changed and history_rows() == before
    assert Household.objects.get(code="ST001").head_name == FORMULA_NAMES["ST001"]


def test_the_error_workbook_keeps_a_cell_that_starts_like_a_formula_as_text(son_trung):
    from openpyxl import load_workbook

    from giamngheo.imports.error_workbook import error_workbook
    from giamngheo.imports.models import ImportJob

    content = "Mã hộ,Thôn,Họ và tên chủ hộ,Số khẩu,Phân loại\nA1,Mai Hà,=1+2,x,nghèo\n".encode()
    problem = {
        "row": 2,
        "column": "Số khẩu",
        "message_vi": "=sai",
        "message_en": "-bad",
        "fix_vi": "",
        "fix_en": "",
    }
    job = ImportJob(file_name="bad.csv", problems=[problem], problems_total=1)
    book = load_workbook(io.BytesIO(error_workbook(job=job, content=content)))
    formula_like = [
        c for ws in book.worksheets for row in ws.iter_rows() for c in row if str(c.value)[:1] in "=-"
    ]
    assert {c.value for c in formula_like} == {"=1+2", "=sai", "-bad"}
    assert all(c.data_type == "s" for c in formula_like)


def test_full_citizen_ids_only_when_asked_for_by_someone_who_may_and_every_export_is_recorded(
    imported, capsys, tmp_path, officer, province_viewer
):
    from giamngheo.households.models import CitizenIdExport

    call_command("export_households", "--unit", "xã Sơn Trung", "--year", "2024", "--full-citizen-ids")
    assert "042080001234" in capsys.readouterr().out
    export_households(unit=imported, year=2024, output=tmp_path / "a.csv", user=officer)
    assert (
        "042080001234" not in (tmp_path / "a.csv").read_text()
        and "0********234" in (tmp_path / "a.csv").read_text()
    )
    export_households(
        unit=imported, year=2024, output=tmp_path / "b.xlsx", user=officer, full_citizen_ids=True
    )
    with pytest.raises(InputError):  # a read-only role may not have the numbers
        export_households(
            unit=imported, year=2024, output=tmp_path / "c.csv", user=province_viewer, full_citizen_ids=True
        )
    assert not (tmp_path / "c.csv").exists()
    records = list(
        CitizenIdExport.objects.order_by("at", "pk").values_list(
            "user", "file_format", "full_citizen_ids", "rows"
        )
    )
    assert records == [(None, "csv", True, 5), (officer.pk, "csv", False, 5), (officer.pk, "xlsx", True, 5)]
