"""Issue 17 C4: "average living standard" only for households working in agriculture, forestry, fishery or
salt production (Decision 24/2021). Not recorded (None, or a format-A file without the column) keeps the
income band alone, as documented before."""

from __future__ import annotations

import polars as pl
import pytest

from giamngheo.standards.classify import classify
from giamngheo.standards.format_a import classify_file
from giamngheo.standards.frame import classify_frame
from giamngheo.standards.loader import get_standard
from giamngheo.testing.facts import REVIEW, answers, household

OLD = get_standard("VN-2022-2025")
IN_BAND = 1_800_000  # rural: above the line 1.500.000, within the band up to 2.250.000


@pytest.mark.parametrize(("farm", "status"), [(True, "average"), (None, "average"), (False, "not_poor")])
def test_the_average_band_needs_a_farm_household(farm, status):
    assert classify(household(income_per_capita=IN_BAND, farm_household=farm), OLD, REVIEW).status == status


def test_the_explanation_says_why():
    not_farm = classify(household(income_per_capita=IN_BAND, farm_household=False), OLD, REVIEW)
    assert "nhưng hộ không làm nông, lâm, ngư, diêm nghiệp" in not_farm.explanation_vi
    assert not_farm.explanation_vi.endswith("→ hộ không nghèo")
    assert "does not work in agriculture, forestry, fishery or salt production" in not_farm.explanation_en
    farm = classify(household(income_per_capita=IN_BAND, farm_household=True), OLD, REVIEW)
    assert "hộ làm nông, lâm, ngư, diêm nghiệp → hộ có mức sống trung bình" in farm.explanation_vi
    unknown = classify(household(income_per_capita=IN_BAND), OLD, REVIEW)
    assert "chưa ghi hộ có làm nông, lâm, ngư, diêm nghiệp hay không" in unknown.explanation_vi


def test_poor_and_near_poor_do_not_depend_on_it():
    three = answers("health_insurance", "sanitation", "telecom")
    for farm in (True, False, None):
        assert classify(household(answers=three, farm_household=farm), OLD, REVIEW).status == "poor"
        assert classify(household(farm_household=farm), OLD, REVIEW).status == "near_poor"


def test_the_frame_honours_the_column_and_without_it_keeps_the_band_alone():
    incomes = {"area": ["rural"] * 3, "income_per_capita": [IN_BAND] * 3}
    without = classify_frame(pl.DataFrame(incomes), OLD)
    assert without["status"].to_list() == ["average"] * 3
    with_column = classify_frame(
        pl.DataFrame(
            {**incomes, "farm_household": [True, False, None]},
            schema_overrides={"farm_household": pl.Boolean},
        ),
        OLD,
    )
    assert with_column["status"].to_list() == ["average", "not_poor", "average"]


def test_a_format_a_file_with_the_column_in_vietnamese(tmp_path):
    source = tmp_path / "a.csv"
    source.write_text(
        "Mã hộ,Khu vực,Thu nhập bình quân,Hộ làm nông lâm ngư diêm nghiệp\n"
        "H1,nông thôn,1.800.000,Có\nH2,nông thôn,1.800.000,Không\nH3,nông thôn,1.800.000,\n",
        encoding="utf-8",
    )
    out = classify_file(source, OLD)
    assert out["status"].to_list() == ["average", "not_poor", "average"]


def test_a_format_a_file_without_the_column_behaves_as_documented(tmp_path):
    source = tmp_path / "a.csv"
    source.write_text("household_id,area,income_per_capita\nH1,rural,1800000\n", encoding="utf-8")
    out = classify_file(source, OLD)
    assert out.columns == [
        "household_id",
        "area",
        "income_per_capita",
        "standard",
        "deprivation_count",
        "deprived",
        "status",
    ]
    assert out["status"].to_list() == ["average"]


def test_a_plain_export_with_0_1_flags(tmp_path):
    source = tmp_path / "a.csv"
    source.write_text(
        "household_id,area,income_per_capita,farm_household\nH1,rural,1800000,1\nH2,rural,1800000,0\n"
        "H3,rural,1800000,\n",
        encoding="utf-8",
    )
    assert classify_file(source, OLD)["status"].to_list() == ["average", "not_poor", "average"]
