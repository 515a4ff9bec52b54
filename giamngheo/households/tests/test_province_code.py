"""The province as a column (issue 15, part 4): ``province_code`` is the first code of ``unit_path``,
computed by the database on every write — a service's save, an import's bulk rows, a synthetic register's
bulk load, a decision's bulk update — and it follows a unit moved to another province."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import CharField, Model, Value

from giamngheo.households.models import Household, Member
from giamngheo.households.services import household_create, household_update, member_add
from giamngheo.imports.household_list import households_import
from giamngheo.reviews.models import ReviewResult, RoundHousehold
from giamngheo.reviews.services import ResultRow, results_record, review_round_open, round_household_add
from giamngheo.testing.files import commune_workbook
from giamngheo.units.models import Unit, UnitLevel
from giamngheo.units.paths import ProvinceOf
from giamngheo.units.services import UnitData, unit_create, unit_update

pytestmark = pytest.mark.django_db

TABLES: tuple[type[Model], ...] = (Household, Member, ReviewResult, RoundHousehold)


def _keys(model: type[Model]) -> set[tuple[str, str]]:
    return set(model._default_manager.values_list("unit_path", "province_code"))


def assert_keyed_by_path() -> None:
    for model in TABLES:
        for path, code in _keys(model):
            assert code == path.split("/")[1], (model, path, code)


def _household(village: Unit, code: str) -> Household:
    household = household_create(
        actor=None,
        village=village,
        code=code,
        head_name="Lò Thị Sen",
        size=1,
        registered_on=datetime.date(2020, 1, 1),
    )
    member_add(actor=None, household=household, full_name="Lò Thị Sen", relation="head")
    return household


def test_the_expression_is_the_first_code_of_the_path(son_trung):
    for path, expected in (("/42/18133/18133-01/", "42"), ("/S79/S79-0019/", "S79"), ("", "")):
        key = ProvinceOf(Value(path, output_field=CharField()))
        assert Unit.objects.annotate(key=key).values_list("key", flat=True)[:1].get() == expected


def test_a_household_created_and_saved_by_the_services_has_its_province(son_trung, mai_ha):
    household = _household(mai_ha, "PC-01")
    household.refresh_from_db()
    assert household.province_code == "42"
    household_update(actor=None, household=household, expected_version=household.version, address="Bản Mòng")
    assert Household.objects.get(pk=household.pk).province_code == "42"
    assert Member.objects.get(household=household).province_code == "42"
    assert not hasattr(Household.history.model, "province_code")  # derived: not in the history


def test_an_imported_list_and_a_round_have_their_province(officer, son_trung, tmp_path):
    households_import(path=commune_workbook(tmp_path / "l.xlsx"), year=2024, actor=officer, draft=True)
    review_round = review_round_open(commune=son_trung, year=2025)
    households = list(Household.objects.filter(commune=son_trung))
    for household in households:
        round_household_add(review_round=review_round, household=household, reason="added")
    results_record(
        review_round=review_round, rows=[ResultRow(household=h, status="poor") for h in households]
    )
    assert all(_keys(model) for model in TABLES)
    assert {code for model in TABLES for _, code in _keys(model)} == {"42"}


def test_a_synthetic_register_loaded_in_bulk_has_its_province(db):
    from giamngheo.demo.synthetic import synthetic_register

    synthetic_register(households=100, province_code="93", per_commune=100)
    assert {code for _, code in _keys(Household)} == {"93"}
    assert {code for _, code in _keys(Member)} == {"93"}
    assert {code for _, code in _keys(ReviewResult)} == {"93"}


def test_a_commune_moved_to_another_province_takes_its_key_along(son_trung, mai_ha):
    household = _household(mai_ha, "PC-02")
    review_round = review_round_open(commune=son_trung, year=2025)
    round_household_add(review_round=review_round, household=household, reason="added")
    results_record(review_round=review_round, rows=[ResultRow(household=household, status="poor")])
    province = unit_create(
        data=UnitData(
            code="77",
            name="Tỉnh khác",
            level=UnitLevel.objects.get(code="province"),
            parent=None,
            area="rural",
        )
    )
    data = UnitData(
        code=son_trung.code, name=son_trung.name, level=son_trung.level, parent=province, area=son_trung.area
    )
    unit_update(unit=son_trung, data=data)
    for model in TABLES:
        assert {code for _, code in _keys(model)} == {"77"}, model
    assert_keyed_by_path()
