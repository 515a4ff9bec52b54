"""Bad household lists: every problem is named by file, row, column and fix — and nothing is written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from giamngheo.errors import InputError
from giamngheo.households.models import Household, Member
from giamngheo.imports.checks import PROBLEM_CAP
from giamngheo.imports.household_list import households_import
from giamngheo.reviews.models import ReviewResult, ReviewRound
from giamngheo.testing.files import commune_workbook, csv_file, first_data_row

pytestmark = pytest.mark.django_db
GIAMNGHEO = Path(sys.executable).parent / "giamngheo"
HEAD = "Mã hộ,Thôn,Họ và tên chủ hộ,Số khẩu,Phân loại"


def problems_of(path: Path, **options) -> list:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as caught:
        households_import(path=path, year=2024, **options)
    assert not Household.objects.exists() and not Member.objects.exists()
    assert not ReviewRound.objects.exists() and not ReviewResult.objects.exists()
    assert Household.history.count() == 0
    return caught.value.problems


def where(problem) -> tuple:  # type: ignore[no-untyped-def]
    return (problem.row, problem.column)


def test_every_bad_cell_of_the_file_is_reported_at_once_with_its_row_and_column(son_trung, tmp_path):
    path = csv_file(
        tmp_path / "bad.csv",
        [
            "UBND XÃ SƠN TRUNG",
            HEAD,
            "A1,Mai Hà,Nguyễn A,0,nghèo",  # members < 1
            "A2,Không Có,Nguyễn B,3,nghèo",  # unknown village
            "A2,Hà Tràng,Nguyễn C,x,giàu",  # duplicate id, not a number, unknown status
            "A4,Hà Tràng,,2,cận nghèo",  # missing head
        ],
    )
    problems = problems_of(path)
    assert {where(p) for p in problems} == {
        (3, "Số khẩu"),
        (4, "Thôn"),
        (5, "Mã hộ"),
        (5, "Số khẩu"),
        (5, "Phân loại"),
        (6, "Họ và tên chủ hộ"),
    }
    assert [p.row for p in problems] == sorted(p.row for p in problems)
    assert all(p.file == "bad.csv" and p.fix_vi and p.fix_en for p in problems)
    unknown = next(p for p in problems if p.column == "Thôn")
    assert (
        "Không Có" in unknown.message_vi and "Mai Hà" in unknown.fix_vi
    )  # the fix lists the commune's villages


def test_a_missing_required_header_names_the_header_row(son_trung, tmp_path):
    path = csv_file(
        tmp_path / "nohead.csv", ["Danh sách", "Mã hộ,Thôn,Họ và tên chủ hộ,Phân loại", "A1,Mai Hà,An,nghèo"]
    )
    [problem] = problems_of(path)
    assert problem.row == 2 and problem.column == "members" and "Số khẩu" in problem.message_vi


def test_a_list_without_status_nor_classification_columns_says_which_to_add(son_trung, tmp_path):
    path = csv_file(tmp_path / "nostatus.csv", ["Mã hộ,Thôn,Họ và tên chủ hộ,Số khẩu", "A1,Mai Hà,An,2"])
    [problem] = problems_of(path)
    assert problem.column == "status" and "Phân loại" in problem.fix_vi


def test_a_file_that_is_not_utf8_is_refused_with_the_fix(son_trung, tmp_path):
    path = csv_file(
        tmp_path / "utf16.csv", [HEAD, "A1,Mai Hà,Nguyễn Văn An,2,nghèo"], encoding="utf-16"
    )  # Excel "Unicode text"
    [problem] = problems_of(path)
    assert "UTF-8" in problem.message_en and "CSV UTF-8" in problem.fix_en


@pytest.mark.parametrize("name", ["list.pdf", "list.docx", "list"])
def test_a_wrong_file_type_is_refused(son_trung, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4 not a list")
    [problem] = problems_of(path)
    assert problem.file == name and ".xlsx" in problem.fix_vi


def test_a_text_file_named_xlsx_is_refused_and_an_excel_file_named_csv_is_read(son_trung, tmp_path):
    fake = csv_file(tmp_path / "fake.xlsx", [HEAD, "A1,Mai Hà,An,2,nghèo"])
    [problem] = problems_of(fake)
    assert "không phải bảng tính" in problem.message_vi
    renamed = commune_workbook(tmp_path / "real.xlsx").rename(tmp_path / "real.csv")
    assert households_import(path=renamed, year=2024).households.created == 5


def test_an_unreadable_date_in_the_decision_date_option_exits_2(son_trung, commune_xlsx):
    with pytest.raises(CommandError) as caught:
        call_command(
            "import_households", str(commune_xlsx), "--year", "2024", "--decision-date", "32/13/2024"
        )
    assert caught.value.returncode == 2 and "--decision-date" in str(caught.value)
    assert not Household.objects.exists()


def test_the_decision_date_accepts_day_month_year_and_iso(son_trung, tmp_path):
    call_command("import_households", str(commune_workbook(tmp_path / "a.xlsx")), "--year", "2024",
                 "--decision-number", "1/QĐ", "--decision-date", "20/12/2024")  # fmt: skip
    call_command("import_households", str(commune_workbook(tmp_path / "b.xlsx")), "--year", "2023",
                 "--decision-number", "2/QĐ", "--decision-date", "2023-12-20")  # fmt: skip
    dates = dict(ReviewRound.objects.values_list("year", "decision_date"))
    assert dates[2024].isoformat() == "2024-12-20" and dates[2023].isoformat() == "2023-12-20"


def test_villages_of_two_communes_in_one_file_are_refused(son_trung, tmp_path):
    path = csv_file(tmp_path / "two.csv", [HEAD, "A1,Mai Hà,An,2,nghèo", "B1,18136-01,Bình,2,nghèo"])
    [problem] = problems_of(path)
    assert "nhiều xã" in problem.message_vi and "Sơn Hồng" in problem.message_vi


def test_a_village_head_named_in_a_village_code_column_that_does_not_exist_is_unknown(son_trung, tmp_path):
    path = csv_file(
        tmp_path / "code.csv",
        ["Mã hộ,Thôn,Mã thôn,Họ và tên chủ hộ,Số khẩu,Phân loại", "A1,,99999-01,An,2,nghèo"],
    )
    [problem] = problems_of(path)
    assert problem.column == "Mã thôn" and "99999-01" in problem.message_vi


def test_a_bad_citizen_id_and_a_bad_yes_no_are_reported(son_trung, tmp_path):
    path = csv_file(tmp_path / "c.csv", [HEAD + ",Số CCCD,BTXH", "A1,Mai Hà,An,2,nghèo,12AB,có lẽ"])
    problems = problems_of(path)
    assert {where(p) for p in problems} == {(2, "Số CCCD"), (2, "BTXH")}


def test_errors_in_an_excel_list_name_the_excel_row(son_trung, tmp_path):
    path = commune_workbook(
        tmp_path / "bad.xlsx", [("ST001", "An", "Mai Hà", 0, "nghèo", "", "", "", "", "")]
    )
    [problem] = problems_of(path)
    assert (
        problem.row == first_data_row() and problem.column == "Số khẩu" and problem.file == "bad.xlsx [DS hộ]"
    )


def test_problems_are_capped_but_all_counted(son_trung, tmp_path):
    lines = [HEAD] + [f"A{i},Mai Hà,An,0,nghèo" for i in range(PROBLEM_CAP + 50)]
    with pytest.raises(InputError) as caught:
        households_import(path=csv_file(tmp_path / "many.csv", lines), year=2024)
    assert len(caught.value.problems) == PROBLEM_CAP and caught.value.total == PROBLEM_CAP + 50
    assert "50 lỗi khác" in str(caught.value)


def test_the_command_exits_2_with_the_file_row_column_on_standard_error(tmp_path):
    """The real console script: a wrong file type is refused before any database is touched."""
    path = tmp_path / "danh-sach.pdf"
    path.write_bytes(b"%PDF-1.4")
    result = subprocess.run(
        [GIAMNGHEO, "import", "households", str(path), "--year", "2024"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "danh-sach.pdf" in result.stderr and "Traceback" not in result.stderr


def test_the_command_requires_the_year(tmp_path):
    result = subprocess.run([GIAMNGHEO, "import", "households", "x.csv"], capture_output=True, text=True)
    assert result.returncode == 2 and "--year" in result.stderr


def test_a_citizen_id_twice_in_the_file_is_refused(son_trung, tmp_path):
    path = csv_file(
        tmp_path / "cccd.csv",
        [HEAD + ",Số CCCD", "A1,Mai Hà,An,2,nghèo,042080001234", "A2,Mai Hà,Bình,2,nghèo,42080001234"],
    )
    [problem] = problems_of(path)
    assert (problem.row, problem.column) == (3, "Số CCCD") and "042080001234" in problem.message_vi


def test_a_citizen_id_of_another_person_in_the_register_is_refused_and_nothing_written(son_trung, tmp_path):
    from giamngheo.households.services import member_add

    households_import(path=csv_file(tmp_path / "a.csv", [HEAD, "A1,Mai Hà,An,2,nghèo"]), year=2023)
    member_add(
        actor=None,
        household=Household.objects.get(code="A1"),
        full_name="Lê Thị Cúc",
        citizen_id="042080009999",
    )
    before = Household.history.count()
    path = csv_file(tmp_path / "b.csv", [HEAD + ",Số CCCD", "B1,Mai Hà,Bình,2,nghèo,042080009999"])
    with pytest.raises(InputError) as caught:
        households_import(path=path, year=2024)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (2, "Số CCCD") and "hộ A1 của xã này" in problem.message_vi
    assert Household.history.count() == before and not Household.objects.filter(code="B1").exists()


def test_the_heads_own_citizen_id_in_a_later_list_is_fine(son_trung, tmp_path):
    lines = [HEAD + ",Số CCCD", "A1,Mai Hà,An,2,nghèo,042080001234"]
    households_import(path=csv_file(tmp_path / "a.csv", lines), year=2023)
    assert households_import(path=csv_file(tmp_path / "b.csv", lines), year=2024).heads.unchanged == 1
