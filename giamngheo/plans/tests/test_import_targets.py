"""``giamngheo import targets FILE --year Y`` (format D): all or nothing, errors naming row and village."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from giamngheo.demo.sontrung import VILLAGE_TABLE
from giamngheo.plans.models import Plan, VillageTarget


def import_targets(path, year=2023):
    out = io.StringIO()
    call_command("import_targets", str(path), "--year", str(year), stdout=out)
    return out.getvalue()


def saved(commune, year=2023):
    plan = Plan.objects.get(commune=commune, year=year)
    return {
        t.village.name: (t.poor_reduction, t.near_poor_reduction)
        for t in plan.targets.select_related("village")
    }


def test_the_seed_table_imports_as_it_is(demo_register):
    VillageTarget.objects.filter(plan__commune=demo_register).update(poor_reduction=0, near_poor_reduction=0)
    text = import_targets(VILLAGE_TABLE)
    assert "11" in text and "Sơn Trung" in text
    assert saved(demo_register)["Mỹ Sơn"] == (3, 1) and saved(demo_register)["Hải Thượng"] == (1, 4)


def test_a_workbook_with_title_rows_vietnamese_headers_and_a_total_row(son_hong_register, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["UBND XÃ SƠN HỒNG"])
    ws.append(["CHỈ TIÊU GIẢM NGHÈO NĂM 2023"])
    ws.append(["Thôn", "Giảm hộ nghèo", "Giảm hộ cận nghèo"])
    ws.append(["Thôn 1", 2, 1])
    ws.append(["2", 1, 0])
    ws.append(["Tổng cộng", 3, 1])
    path = tmp_path / "chi-tieu.xlsx"
    wb.save(path)
    import_targets(path)
    assert saved(son_hong_register) == {"1": (2, 1), "2": (1, 0)}


def write(tmp_path, text, name="d.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "rows, expected",
    [
        ("Thôn 1,9,0\n", "dòng/row 2, cột/column poor_reduction"),
        ("Thôn 1,-1,0\n", "số phải từ 0 trở lên"),
        ("Thôn 1,1.5,0\n", "không phải số nguyên"),
        ("Thôn 9,1,0\n", "thôn “Thôn 9” không thuộc Xã Sơn Hồng"),
    ],
)
def test_bad_rows_name_the_row_and_the_village_and_write_nothing(son_hong_register, tmp_path, rows, expected):
    path = write(tmp_path, "village,poor_reduction,near_poor_reduction\n" + rows + "Thôn 2,1,1\n")
    with pytest.raises(CommandError) as error:
        import_targets(path)
    assert error.value.returncode == 2 and expected in str(error.value)
    assert not Plan.objects.filter(
        commune=son_hong_register
    ).exists()  # not even the plan the import would open


def test_villages_of_two_communes_in_one_file_are_refused(son_hong_register, tmp_path):
    path = write(tmp_path, "village,poor_reduction,near_poor_reduction\nMai Hà,1,0\nThôn 1,1,0\n")
    with pytest.raises(CommandError) as error:
        import_targets(path)
    assert (
        "nhiều xã" in str(error.value) and "Sơn Trung" in str(error.value) and "Sơn Hồng" in str(error.value)
    )


def test_a_missing_column_is_named(son_hong_register, tmp_path):
    path = write(tmp_path, "village,poor_reduction\nThôn 1,1\n")
    with pytest.raises(CommandError) as error:
        import_targets(path)
    assert "near_poor_reduction" in str(error.value)


def test_a_year_without_a_decided_review_before_it_names_the_missing_review(son_hong_register, tmp_path):
    path = write(tmp_path, "village,poor_reduction,near_poor_reduction\nThôn 1,1,0\n")
    with pytest.raises(CommandError) as error:
        import_targets(path, year=2030)
    assert "cuối năm 2029" in str(error.value) and "d.csv" in str(error.value)
    assert not Plan.objects.filter(commune=son_hong_register, year=2030).exists()
