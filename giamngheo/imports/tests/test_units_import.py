"""Importing administrative units (format B): validated as a whole, upserted by code, idempotent."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from giamngheo.errors import InputError
from giamngheo.imports.unit_list import units_import
from giamngheo.testing.files import csv_file
from giamngheo.units.models import Unit

pytestmark = pytest.mark.django_db
HEAD = "code,name,level,parent_code,area,valid_from,valid_to"


def units_workbook(path: Path, rows: list[list[object]]) -> Path:
    """As a province office keeps it: a title, a Vietnamese header, a signature line."""
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "DANH MỤC ĐƠN VỊ HÀNH CHÍNH TỈNH HÀ TĨNH"
    sheet.merge_cells("A1:G1")
    sheet.append([])
    sheet.append(["Mã đơn vị", "Tên đơn vị", "Cấp", "Mã cấp trên", "Khu vực", "Hiệu lực từ", "Hiệu lực đến"])
    for row in rows:
        sheet.append(row)
    sheet.append([])
    sheet.append(["", "Người lập biểu"])
    workbook.save(path)
    return path


NEW_COMMUNE = [
    ["18140", "Sơn Tây", "xã", "42", "nông thôn", "01/07/2025", ""],
    ["18140-02", "Tây Hà", "thôn", "18140", "", "", ""],
    ["18140-01", "Tây Sơn", "xóm", "18140", "", "", ""],
    ["18141", "Hương Khê", "thị trấn", "42", "thành thị", "2025-07-01", ""],
    ["18141-01", "Tổ 1", "tổ dân phố", "18141", "", "", ""],
]


def test_a_new_commune_and_its_villages_are_created_with_vietnamese_level_words(demo, tmp_path):
    report = units_import(path=units_workbook(tmp_path / "u.xlsx", NEW_COMMUNE))
    assert (report.units.created, report.units.updated, report.units.unchanged) == (5, 0, 0)
    son_tay = Unit.objects.get(code="18140")
    assert son_tay.level.code == "commune" and son_tay.path == "/42/18140/"
    assert son_tay.valid_from == datetime.date(2025, 7, 1)
    village = Unit.objects.get(code="18140-01")
    assert (
        village.level.code == "village" and village.path == "/42/18140/18140-01/" and village.area == "rural"
    )
    assert Unit.objects.get(code="18141-01").area == "urban"  # an empty area takes the parent's
    # new units follow the file's order among their siblings (children before parents in the file is fine)
    assert list(son_tay.children.order_by("sort_order").values_list("code", flat=True)) == [
        "18140-02",
        "18140-01",
    ]


def test_importing_the_same_file_twice_changes_nothing(demo, tmp_path):
    path = units_workbook(tmp_path / "u.xlsx", NEW_COMMUNE)
    units_import(path=path)
    history = Unit.history.count()
    report = units_import(path=path)
    assert (report.units.created, report.units.updated, report.units.unchanged) == (0, 0, 5)
    assert "units: 0 created, 0 updated, 5 unchanged" in "\n".join(report.lines())
    assert Unit.history.count() == history


def test_the_demo_tree_exported_as_format_b_reimports_unchanged(son_trung, tmp_path):
    lines = [HEAD] + [
        f"{u.code},{u.name},{u.level.code},{u.parent.code if u.parent else ''},{u.area},"
        f"{u.valid_from or ''},{u.valid_to or ''}"
        for u in Unit.objects.select_related("level", "parent").order_by("path")
    ]
    report = units_import(path=csv_file(tmp_path / "tree.csv", lines))
    assert report.units.unchanged == Unit.objects.count() and not report.units.changed


def test_an_existing_unit_is_updated_in_place_and_keeps_its_official_order(son_trung, tmp_path):
    path = csv_file(tmp_path / "rename.csv", [HEAD, "18133-01,Mai Hà Mới,thôn,18133,rural,,"])
    report = units_import(path=path)
    assert report.units.updated == 1
    village = Unit.objects.get(code="18133-01")
    assert village.name == "Mai Hà Mới" and village.sort_order == 1 and village.history.count() == 2


def test_a_merge_sets_the_successor_and_the_last_day(son_trung, tmp_path):
    path = csv_file(
        tmp_path / "merge.csv",
        [
            "code,name,level,parent_code,area,valid_to,successor_code",
            "18133-02,Hà Tràng,thôn,18133,rural,30/06/2025,18133-01",
        ],
    )
    units_import(path=path)
    merged = Unit.objects.get(code="18133-02")
    assert merged.successor.code == "18133-01" and merged.valid_to == datetime.date(2025, 6, 30)
    assert not units_import(path=path).units.changed


def test_a_dry_run_writes_nothing(demo, tmp_path):
    count = Unit.objects.count()
    report = units_import(path=units_workbook(tmp_path / "u.xlsx", NEW_COMMUNE), dry_run=True)
    assert report.units.created == 5 and Unit.objects.count() == count


def problems_of(path: Path) -> list:  # type: ignore[no-untyped-def]
    count, history = Unit.objects.count(), Unit.history.count()
    with pytest.raises(InputError) as caught:
        units_import(path=path)
    assert Unit.objects.count() == count and Unit.history.count() == history
    return caught.value.problems


def test_an_unknown_parent_a_duplicate_code_and_bad_dates_are_named_by_row_and_column(demo, tmp_path):
    path = csv_file(
        tmp_path / "bad.csv",
        [
            HEAD,
            "18150,Sơn Bắc,xã,99,rural,,",  # unknown parent
            "18151,Sơn Nam,xã,42,rural,,",
            "18151,Sơn Nam 2,xã,42,rural,,",  # duplicate
            "18152,Sơn Đông,xã,42,rural,31/02/2025,",  # no such date
            "18153,Sơn Đoài,xã,42,rural,2025-07-01,2025-06-01",  # ends before it starts
            "18154,Sơn Lâm,huyện lỵ,42,rural,,",  # unknown level
        ],
    )
    problems = problems_of(path)
    assert {(p.row, p.column) for p in problems} == {
        (2, "parent_code"),
        (4, "code"),
        (5, "valid_from"),
        (6, "valid_to"),
        (7, "level"),
    }


def test_a_village_without_a_commune_is_refused(demo, tmp_path):
    problems = problems_of(
        csv_file(tmp_path / "v.csv", [HEAD, "X-01,Lạc,thôn,,rural,,", "X-02,Lạc 2,thôn,42,rural,,"])
    )
    assert {p.row for p in problems} == {2, 3}
    assert all(p.column == "parent_code" for p in problems)


def test_a_cycle_in_the_file_is_refused(demo, tmp_path):
    path = csv_file(tmp_path / "c.csv", [HEAD, "A,An,xã,B,rural,,", "B,Bình,xã,A,rural,,"])
    problems = problems_of(path)
    assert {p.row for p in problems} == {2, 3} and "A → B → A" in problems[0].message_vi + problems[
        1
    ].message_vi


def test_a_cycle_through_the_database_is_refused(son_trung, tmp_path):
    """The commune moved under one of its own villages (which the file does not list)."""
    problems = problems_of(csv_file(tmp_path / "c.csv", [HEAD, "18133,Sơn Trung,xã,18133-01,rural,,"]))
    assert "vòng lặp" in problems[0].message_vi


def test_a_missing_required_header_is_named(demo, tmp_path):
    [problem] = problems_of(csv_file(tmp_path / "h.csv", ["code,name,parent_code", "A,An,42"]))
    assert problem.column == "level" and problem.row == 1


def test_the_command_prints_the_counts_and_exits_2_on_bad_input(demo, tmp_path, capsys):
    path = units_workbook(tmp_path / "u.xlsx", NEW_COMMUNE)
    call_command("import_units", str(path))
    call_command("import_units", str(path))
    assert "0 created, 0 updated, 5 unchanged" in capsys.readouterr().out
    with pytest.raises(CommandError) as caught:
        call_command("import_units", str(csv_file(tmp_path / "b.csv", [HEAD, "Z,Z,xã,nowhere,rural,,"])))
    assert caught.value.returncode == 2 and "b.csv, dòng/row 2, cột/column parent_code" in str(caught.value)


def test_a_user_imports_only_units_below_their_own(officer, tmp_path):
    below = csv_file(tmp_path / "ok.csv", [HEAD, "18133-12,Thôn Mới,thôn,18133,rural,,"])
    assert units_import(path=below, actor=officer).units.created == 1
    above = csv_file(
        tmp_path / "no.csv", [HEAD, "18133,Sơn Trung Mới,xã,42,rural,,", "18136-03,X,thôn,18136,rural,,"]
    )
    problems = problems_of_actor(above, officer)
    assert {p.row for p in problems} == {2, 3}


def problems_of_actor(path: Path, actor) -> list:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as caught:
        units_import(path=path, actor=actor)
    return caught.value.problems
