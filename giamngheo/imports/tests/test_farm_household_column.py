"""Issue 17 C4: format A's optional ``farm_household`` column in a household list (format C) — a register fact
the import stores and the engine honours; without the column the file behaves as documented before."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command

from giamngheo.households.models import Household
from giamngheo.imports.household_export import export_households
from giamngheo.imports.household_list import households_import
from giamngheo.reviews.models import ReviewResult
from giamngheo.testing.files import csv_file

pytestmark = pytest.mark.django_db

CLASSIFIED = [
    "Mã hộ,Thôn,Họ và tên chủ hộ,Số khẩu,Thu nhập bình quân,Hộ làm nông lâm ngư diêm nghiệp",
    "F1,Mai Hà,A,3,2000000,Có",  # within the rural average band, a farm household → average
    "F2,Mai Hà,B,3,2000000,Không",  # within the band but not farming → not poor
    "F3,Mai Hà,C,3,2000000,",  # not recorded → the band alone: average
    "F4,Mai Hà,D,3,1200000,Không",  # below the line: near-poor whatever its livelihood
]


def statuses() -> dict[str, str]:
    return {r.household.code: r.status for r in ReviewResult.objects.select_related("household")}


def test_the_engine_honours_the_column_and_the_register_stores_it(son_trung, tmp_path):
    path = csv_file(tmp_path / "a.csv", CLASSIFIED)
    households_import(path=path, year=2024)
    assert statuses() == {"F1": "average", "F2": "not_poor", "F3": "average", "F4": "near_poor"}
    farm = dict(Household.objects.values_list("code", "farm_household"))
    assert farm == {"F1": True, "F2": False, "F3": None, "F4": False}
    assert not households_import(path=path, year=2024).changed


def test_without_the_column_the_band_alone_decides_and_the_register_keeps_its_value(son_trung, tmp_path):
    households_import(path=csv_file(tmp_path / "a.csv", CLASSIFIED), year=2024)
    plain = [line.rsplit(",", 1)[0] for line in CLASSIFIED]
    report = households_import(path=csv_file(tmp_path / "b.csv", plain), year=2025)
    assert report.households.unchanged == 4
    assert {r.household.code: r.status for r in ReviewResult.objects.filter(review_round__year=2025)} == {
        "F1": "average",
        "F2": "average",  # as documented for a file without the column
        "F3": "average",
        "F4": "near_poor",
    }
    assert Household.objects.get(code="F2").farm_household is False


def test_an_empty_cell_keeps_the_registers_value(son_trung, tmp_path):
    households_import(path=csv_file(tmp_path / "a.csv", CLASSIFIED), year=2024)
    again = [CLASSIFIED[0], "F1,Mai Hà,A,3,2000000,"]
    households_import(path=csv_file(tmp_path / "b.csv", again), year=2025)
    assert Household.objects.get(code="F1").farm_household is True


def test_a_corrected_list_changes_the_register_with_history(son_trung, tmp_path):
    households_import(path=csv_file(tmp_path / "a.csv", CLASSIFIED), year=2024)
    before = Household.history.filter(code="F1").count()
    corrected = [CLASSIFIED[0], "F1,Mai Hà,A,3,2000000,Không"]
    report = households_import(path=csv_file(tmp_path / "b.csv", corrected), year=2025)
    assert report.households.updated == 1
    f1 = Household.objects.get(code="F1")
    assert f1.farm_household is False
    assert Household.history.filter(code="F1").count() == before + 1
    assert f1.history.first().farm_household is False


def test_the_export_carries_the_column_and_imports_back_unchanged(son_trung, tmp_path, capsys):
    households_import(path=csv_file(tmp_path / "a.csv", CLASSIFIED), year=2024)
    call_command("export_households", "--unit", "xã Sơn Trung", "--year", "2024")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0])[-1] == "farm_household"
    assert {r["household_id"]: r["farm_household"] for r in rows} == {
        "F1": "1",
        "F2": "0",
        "F3": "",
        "F4": "0",
    }
    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"export.{suffix}"
        export_households(unit=son_trung, year=2024, output=out)
        report = households_import(path=out, year=2024)
        assert not report.changed, suffix
