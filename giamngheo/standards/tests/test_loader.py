"""Standards are data files: loaded, validated, registered, derived and corrected without code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from giamngheo.errors import InputError
from giamngheo.standards.classify import classify
from giamngheo.standards.loader import (
    BUILTIN_DIR,
    ENV_DIR,
    get_standard,
    list_standards,
    load_standards,
    standard_for_year,
)
from giamngheo.testing.facts import answers, household


def test_the_two_national_standards_are_built_in():
    assert [s.id for s in list_standards()] == ["VN-2022-2025", "VN-2027-2030"]


@pytest.mark.parametrize(
    ("year", "standard_id"),
    [
        (2022, "VN-2022-2025"),
        (2025, "VN-2022-2025"),
        (2026, "VN-2022-2025"),
        (2027, "VN-2027-2030"),
        (2030, "VN-2027-2030"),
    ],
)
def test_the_review_year_chooses_the_standard_and_2026_stays_on_the_old_one(year, standard_id):
    assert standard_for_year(year).id == standard_id


def test_a_year_without_a_standard_is_an_error_listing_the_standards():
    with pytest.raises(InputError) as error:
        standard_for_year(2031)
    assert (
        "2031" in str(error.value)
        and "VN-2022-2025" in str(error.value)
        and "VN-2027-2030" in str(error.value)
    )


def test_an_unknown_standard_id_is_an_error_listing_the_known_ones():
    with pytest.raises(InputError) as error:
        get_standard("VN-2099")
    assert "VN-2022-2025" in str(error.value)


def test_standard_ids_are_matched_without_regard_to_case():
    assert get_standard("vn-2027-2030").id == "VN-2027-2030"


def test_the_parameters_of_the_law_are_in_the_data():
    old, new = get_standard("VN-2022-2025"), get_standard("VN-2027-2030")
    assert old.income_lines == {"rural": 1_500_000, "urban": 2_000_000}
    assert old.average_upper == {"rural": 2_250_000, "urban": 3_000_000}
    assert old.b1_cutoffs == {"rural": 140, "urban": 175}
    assert (old.b2_points_per_indicator, old.b2_poor_min_points, old.poor_min_deprivations) == (10, 30, 3)
    assert new.income_lines == {"rural": 2_200_000, "urban": 2_800_000}
    assert "information_devices" in old.indicator_codes and "information_devices" not in new.indicator_codes
    assert "waste" in new.indicator_codes and "waste" not in old.indicator_codes
    assert len(old.indicators) == 12 and len(new.indicators) == 12


def test_unconfirmed_parameters_are_marked_provisional_with_a_note():
    new = get_standard("VN-2027-2030")
    for path in (
        "income.average_upper",
        "income.low_income_worker_max",
        "indicators",
        "indicators.waste",
        "b1.item_tables",
    ):
        assert new.is_provisional(path), path
    assert not new.is_provisional("income.lines")
    assert get_standard("VN-2022-2025").is_provisional("working_age.retirement.male")
    assert not get_standard("VN-2022-2025").is_provisional("income.lines.rural")


def test_every_result_records_the_standard_id_and_version():
    result = classify(household(answers=answers()), get_standard("VN-2022-2025"))
    assert (result.standard_id, result.standard_version) == ("VN-2022-2025", "1.0")


def _write(folder: Path, name: str, data: dict) -> Path:
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _builtin(standard_id: str) -> dict:
    return json.loads((BUILTIN_DIR / f"{standard_id}.json").read_text(encoding="utf-8"))


def test_a_missing_field_is_an_error_naming_the_file_and_the_field_path(tmp_path):
    data = _builtin("VN-2022-2025")
    data["id"] = "XX-1"
    del data["income"]["lines"]["urban"]
    _write(tmp_path, "broken.json", data)
    with pytest.raises(InputError) as error:
        load_standards(tmp_path)
    assert "broken.json" in str(error.value) and "income.lines.urban" in str(error.value)


def test_an_invalid_indicator_parameter_is_an_error_naming_its_path(tmp_path):
    data = _builtin("VN-2022-2025")
    data["id"] = "XX-2"
    data["indicators"][3]["params"]["min_age"] = "six"
    _write(tmp_path, "bad-param.json", data)
    with pytest.raises(InputError) as error:
        load_standards(tmp_path)
    assert "indicators.health_insurance.params.min_age" in str(error.value)


def test_a_provisional_note_on_a_field_that_does_not_exist_is_an_error(tmp_path):
    _write(
        tmp_path,
        "x.json",
        {
            "id": "XX-3",
            "version": "1",
            "derives_from": "VN-2022-2025",
            "provisional": {"income.nothing": {"vi": "a", "en": "b"}},
        },
    )
    with pytest.raises(InputError) as error:
        load_standards(tmp_path)
    assert "provisional.income.nothing" in str(error.value)


def test_a_file_that_is_not_json_is_an_error_naming_the_file(tmp_path):
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_standards(tmp_path)
    assert "bad.json" in str(error.value)


def test_a_provincial_standard_derives_from_a_national_one_with_only_its_overrides(tmp_path, monkeypatch):
    _write(
        tmp_path,
        "HT-2027-2030.json",
        {
            "id": "HT-2027-2030",
            "version": "2027.1",
            "derives_from": "VN-2027-2030",
            "name": {"vi": "Chuẩn nghèo tỉnh Hà Tĩnh 2027–2030", "en": "Hà Tĩnh poverty standard 2027–2030"},
            "legal_basis": [
                {"vi": "Nghị quyết HĐND tỉnh (ví dụ)", "en": "Provincial council resolution (example)"}
            ],
            "income": {"lines": {"rural": 2_500_000}},
        },
    )
    monkeypatch.setenv(ENV_DIR, str(tmp_path))
    local = get_standard("HT-2027-2030")
    assert local.income_lines == {"rural": 2_500_000, "urban": 2_800_000}
    assert local.indicator_codes == get_standard("VN-2027-2030").indicator_codes
    assert local.scope == "provincial" and local.derives_from == "VN-2027-2030"
    assert len(local.legal_basis) == 2
    assert standard_for_year(2027).id == "VN-2027-2030"  # a provincial standard is used only when named
    result = classify(household(income_per_capita=2_400_000, answers=answers()), local)
    assert result.status == "near_poor" and result.standard_id == "HT-2027-2030"


def test_an_administrator_corrects_a_built_in_standard_and_clears_its_provisional_mark(tmp_path, monkeypatch):
    _write(
        tmp_path,
        "VN-2027-2030.json",
        {
            "id": "VN-2027-2030",
            "version": "1.1",
            "derives_from": "VN-2027-2030",
            "income": {"average_upper": {"rural": 3_000_000, "urban": 4_000_000}},
        },
    )
    monkeypatch.setenv(ENV_DIR, str(tmp_path))
    corrected = get_standard("VN-2027-2030")
    assert corrected.version == "1.1" and corrected.average_upper["rural"] == 3_000_000
    assert not corrected.is_provisional("income.average_upper")
    assert corrected.is_provisional("income.low_income_worker_max")
    assert corrected.scope == "national"


def test_a_derived_standard_can_drop_an_indicator(tmp_path, monkeypatch):
    _write(
        tmp_path,
        "L.json",
        {
            "id": "L-1",
            "version": "1",
            "derives_from": "VN-2022-2025",
            "indicators": [{"code": "nutrition", "remove": True}],
        },
    )
    monkeypatch.setenv(ENV_DIR, str(tmp_path))
    assert "nutrition" not in get_standard("L-1").indicator_codes


def test_the_service_indicators_are_read_from_the_dimensions_of_the_data():
    from giamngheo.standards.loader import service_indicators

    assert service_indicators() == {
        "nutrition",
        "health_insurance",
        "adult_education",
        "child_schooling",
        "housing_quality",
        "housing_area",
        "drinking_water",
        "sanitation",
        "telecom",
        "information_devices",  # 2022–2025
        "waste",  # 2027–2030
    }
