"""`giamngheo export xlsform`: Phiếu A and B as an XLSForm that pyxform converts, built from the data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from giamngheo.reviews.procedure import phieu_a
from giamngheo.standards.loader import get_standard, list_standards
from giamngheo.testing.xforms import xform_leaves

ROOT = Path(__file__).resolve().parents[3]
GIAMNGHEO = Path(sys.executable).parent / "giamngheo"


@pytest.mark.parametrize("standard_id", [s.id for s in list_standards()])
def test_every_standard_gives_a_form_pyxform_accepts_with_its_own_indicators(tmp_path, standard_id):
    output = tmp_path / "phieu.xlsx"
    call_command("export_xlsform", "--standard", standard_id, "--output", str(output))
    warnings: list[str] = []
    xform = convert(str(output), warnings=warnings).xform
    assert warnings == []
    standard = get_standard(standard_id)
    nodes = xform_leaves(xform)
    assert {nodes[code] for code in standard.indicator_codes} == {
        f"phieu_b/b2/{code}" for code in standard.indicator_codes
    }
    assert {nodes[code] for code in phieu_a(standard).codes} == {
        f"phieu_a/{c}" for c in phieu_a(standard).codes
    }
    assert nodes["instanceID"] == "meta/instanceID" and nodes["start"] == "start"
    # Vietnamese first (the default), English as the second language; labels from the data files.
    assert 'lang="Tiếng Việt (vi)" default="true()"' in xform and 'lang="English (en)"' in xform
    first = standard.indicators[0]
    assert first.name.vi in xform and first.name.en in xform and first.deprived_when.vi in xform
    assert f"calculate=\"'{standard.id}'\"" in xform


def test_the_threshold_and_the_choices_come_from_the_data(tmp_path):
    output = tmp_path / "phieu.xlsx"
    call_command("export_xlsform", "--standard", "VN-2027-2030", "--output", str(output))
    workbook = load_workbook(output)
    survey = [dict(zip([c.value for c in workbook["survey"][1]], [c.value for c in row], strict=True))
              for row in workbook["survey"].iter_rows(min_row=2)]  # fmt: skip
    limit = next(row for row in survey if row["name"] == "a_limit")
    assert limit["calculation"] == str(
        phieu_a(get_standard("VN-2027-2030")).screen_out_when_yes_at_least["rural"]
    )
    choices = [[c.value for c in row] for row in workbook["choices"].iter_rows(min_row=1)]
    assert choices[0] == ["list_name", "name", "label::Tiếng Việt (vi)", "label::English (en)"]
    assert ["deprived", "yes", "Thiếu hụt", "Deprived"] in choices
    assert workbook["settings"]["D2"].value == "Tiếng Việt (vi)"


def test_the_console_script_picks_the_standard_of_the_years_regular_round(tmp_path):
    output = tmp_path / "ra-soat-2026.xlsx"
    result = subprocess.run(
        [GIAMNGHEO, "export", "xlsform", "--year", "2026", "--output", str(output)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "VN-2027-2030" in result.stderr  # the end-2026 review decides the lists of 2027
    assert "'VN-2027-2030'" in convert(str(output)).xform


def test_a_bad_output_or_standard_exits_2_and_writes_nothing(tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("export_xlsform", "--standard", "VN-2027-2030", "--output", str(tmp_path / "phieu.csv"))
    assert caught.value.returncode == 2 and ".xlsx" in str(caught.value)
    with pytest.raises(CommandError) as caught:
        call_command("export_xlsform", "--standard", "VN-1999", "--output", str(tmp_path / "phieu.xlsx"))
    assert caught.value.returncode == 2
    assert list(tmp_path.iterdir()) == []
