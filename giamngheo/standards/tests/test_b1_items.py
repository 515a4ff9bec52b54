"""Issue 17 C3: B1 is scored from its items, per region, with tables that are data (marked provisional);
a typed B1 total is still accepted without items; a B1 score beside a surveyed income is never silently
ignored — the income decides (spec §3: it is the criterion; B1 only estimates it) and the result says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from giamngheo.errors import InputError
from giamngheo.standards.b1 import score_b1
from giamngheo.standards.classify import classify
from giamngheo.standards.loader import BUILTIN_DIR, get_standard, load_standards
from giamngheo.testing.facts import REVIEW, answers, household

OLD = get_standard("VN-2022-2025")
THREE = answers("health_insurance", "sanitation", "telecom")
REGION = "rural_north_central_coast"


def items(**overrides: str) -> dict[str, str]:
    """Every B1 item answered with its poorest answer (fewest points), except the ones given."""
    table = OLD.b1_table
    assert table is not None
    poorest = {item.code: min(item.options, key=lambda o: o.points[REGION]).code for item in table.items}
    return poorest | overrides


def expected_total(region: str, given: dict[str, str]) -> int:
    table = OLD.b1_table
    assert table is not None
    total = table.base_points[region]
    for item in table.items:
        total += item.option(given[item.code]).points[region]  # type: ignore[union-attr]
    return total


def test_the_tables_are_data_for_six_rural_regions_and_urban_and_marked_provisional():
    for standard_id in ("VN-2022-2025", "VN-2027-2030"):
        standard = get_standard(standard_id)
        table = standard.b1_table
        assert table is not None
        assert len(table.regions_of("rural")) == 6 and [r.code for r in table.regions_of("urban")] == [
            "urban"
        ]
        assert all(set(o.points) == {r.code for r in table.regions} for i in table.items for o in i.options)
        assert standard.is_provisional("b1.item_tables.items.car")


def test_the_score_is_the_base_plus_the_points_of_each_answer_and_differs_by_region():
    given = items(car="yes", household_size="3")
    here = score_b1(OLD, REGION, given)
    assert here.total == expected_total(REGION, given) and not here.missing
    assert score_b1(OLD, "rural_southeast", given).total != here.total


def test_an_unanswered_item_leaves_the_score_open_and_classify_names_it():
    given = items()
    del given["car"]
    assert score_b1(OLD, REGION, given).total is None
    with pytest.raises(InputError) as error:
        classify(household(income_per_capita=None, b1_items=given, b1_region=REGION), OLD, REVIEW)
    assert "Có ô tô" in str(error.value)


def test_an_unknown_answer_is_an_error_naming_the_item_and_the_answers():
    with pytest.raises(InputError) as error:
        score_b1(OLD, REGION, items(car="two"))
    assert "b1.car" in str(error.value) and "yes, no" in str(error.value)


def test_classify_computes_b1_from_the_items_and_says_so():
    poor = items()
    result = classify(
        household(income_per_capita=None, b1_items=poor, b1_region=REGION, answers=THREE), OLD, REVIEW
    )
    total = expected_total(REGION, poor)
    assert total <= 140 and result.b1_score == total and result.status == "poor"
    assert result.b1_items is not None and result.b1_items.total == total
    assert f"Điểm B1 {total} (tính từ 15 câu hỏi B1, Nông thôn Bắc Trung Bộ" in result.explanation_vi
    assert "b1.item_tables" in result.provisional

    better = items(car="yes", air_conditioner="yes", household_size="2", wage_earners="2_or_more")
    assert expected_total(REGION, better) > 140
    result = classify(household(income_per_capita=None, b1_items=better, b1_region=REGION), OLD, REVIEW)
    assert result.status == "not_poor"


def test_a_rural_household_needs_a_rural_region_and_an_urban_one_gets_the_urban_table():
    with pytest.raises(InputError) as error:
        classify(household(income_per_capita=None, b1_items=items()), OLD, REVIEW)
    assert "b1_region" in str(error.value)
    with pytest.raises(InputError):
        classify(household(income_per_capita=None, b1_items=items(), b1_region="urban"), OLD, REVIEW)
    urban = classify(household(area="urban", income_per_capita=None, b1_items=items()), OLD, REVIEW)
    assert urban.b1_items is not None and urban.b1_items.region == "urban"


def test_a_typed_total_beside_the_items_must_equal_them():
    total = expected_total(REGION, items())
    ok = household(income_per_capita=None, b1_items=items(), b1_region=REGION, b1_score=total)
    assert classify(ok, OLD, REVIEW).b1_score == total
    with pytest.raises(InputError) as error:
        classify(
            household(income_per_capita=None, b1_items=items(), b1_region=REGION, b1_score=200), OLD, REVIEW
        )
    assert "200" in str(error.value) and str(total) in str(error.value)


def test_a_typed_b1_total_is_still_accepted_without_items():
    result = classify(household(income_per_capita=None, b1_score=120, answers=THREE), OLD, REVIEW)
    assert result.status == "poor" and result.b1_items is None and "b1.item_tables" not in result.provisional


def test_b1_200_beside_an_income_of_740_000_the_income_decides_and_the_disagreement_is_said():
    result = classify(household(income_per_capita=740_000, b1_score=200, answers=THREE), OLD, REVIEW)
    assert result.status == "poor" and result.income_test == "income"
    assert result.b1_check is not None and not result.b1_check.agrees and not result.b1_check.at_or_below
    vi, en = result.explanation_vi, result.explanation_en
    assert vi.startswith("Thu nhập 740.000 đ/người/tháng ≤ chuẩn 1.500.000 đ") and "→ hộ nghèo" in vi
    assert "Có cả điểm B1 (200) và thu nhập (740.000 đ): thu nhập điều tra quyết định" in vi
    assert "điểm B1 trên ngưỡng 140, khác với thu nhập: cần kiểm tra lại Phiếu B" in vi
    assert "the surveyed income decided" in en and "check Phiếu B again" in en


def test_an_agreeing_b1_beside_an_income_is_named_too():
    result = classify(household(income_per_capita=740_000, b1_score=120, answers=THREE), OLD, REVIEW)
    assert result.b1_check is not None and result.b1_check.agrees
    assert "cùng kết luận với thu nhập" in result.explanation_vi
    alone = classify(household(income_per_capita=740_000, answers=THREE), OLD, REVIEW)
    assert alone.b1_check is None and "B1" not in alone.explanation_vi


def _table_file(tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    data = json.loads((BUILTIN_DIR / "VN-2022-2025.json").read_text(encoding="utf-8"))
    data["id"] = "XX-B1"
    change(data["b1"]["item_tables"])
    (tmp_path / "x.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def test_a_table_missing_a_regions_points_is_an_error_naming_the_field_path(tmp_path):
    def drop(tables):  # type: ignore[no-untyped-def]
        del tables["items"][0]["options"][1]["points"]["urban"]

    with pytest.raises(InputError) as error:
        load_standards(_table_file(tmp_path, drop))
    assert "b1.item_tables.items.household_size.options.2.points.urban" in str(error.value)


def test_a_region_of_an_unknown_area_is_an_error_naming_the_field_path(tmp_path):
    def bad(tables):  # type: ignore[no-untyped-def]
        tables["regions"]["urban"]["area"] = "island"

    with pytest.raises(InputError) as error:
        load_standards(_table_file(tmp_path, bad))
    assert "b1.item_tables.regions.urban.area" in str(error.value)


def test_without_tables_only_a_typed_total_is_accepted(tmp_path):
    data = json.loads((BUILTIN_DIR / "VN-2022-2025.json").read_text(encoding="utf-8"))
    data.update(id="XX-NONE")
    data["b1"]["item_tables"] = None
    del data["provisional"]["b1.item_tables"]
    (tmp_path / "n.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    standard = load_standards(tmp_path)["XX-NONE"]
    assert standard.b1_table is None
    assert classify(household(income_per_capita=None, b1_score=100), standard, REVIEW).b1_score == 100
    with pytest.raises(InputError) as error:
        classify(household(income_per_capita=None, b1_items=items(), b1_region=REGION), standard, REVIEW)
    assert "b1.item_tables" in str(error.value)
