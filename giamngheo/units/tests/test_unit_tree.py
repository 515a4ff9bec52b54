import datetime

import pytest

from giamngheo.errors import InputError
from giamngheo.households.models import Household
from giamngheo.units.models import Unit, UnitLevel
from giamngheo.units.selectors import unit_current_successor, unit_resolve, unit_with_predecessors
from giamngheo.units.services import UnitData, unit_create, unit_merge, unit_update


def level(code: str) -> UnitLevel:
    return UnitLevel.objects.get(code=code)


def test_levels_are_data_with_the_2025_tree_and_a_legacy_district(db):
    codes = list(UnitLevel.objects.values_list("code", flat=True))
    assert codes == ["province", "district", "commune", "village"]
    assert UnitLevel.objects.get(code="district").is_legacy


def test_the_demo_commune_has_its_eleven_villages_in_the_seed_order(son_trung):
    names = list(son_trung.children.order_by("sort_order").values_list("name", flat=True))
    assert names[0] == "Mai Hà" and names[-1] == "Hải Thượng" and len(names) == 11


def test_a_unit_path_is_its_ancestors_codes(son_trung):
    village = son_trung.children.get(name="Mai Hà")
    assert village.path == "/42/18133/18133-01/"
    assert village.depth == 2


def test_a_village_cannot_hang_under_a_province(demo):
    province = Unit.objects.get(code="42")
    with pytest.raises(InputError, match="thôn"):
        unit_create(
            data=UnitData(code="X1", name="Lạc", level=level("village"), parent=province, area="rural")
        )


def test_a_village_needs_a_commune(db):
    with pytest.raises(InputError, match="cấp trên"):
        unit_create(data=UnitData(code="X2", name="Lạc", level=level("village"), parent=None, area="rural"))


def test_moving_a_commune_repaths_its_villages(son_trung):
    district = Unit.objects.get(code="439")
    unit_update(
        unit=son_trung,
        data=UnitData(
            code=son_trung.code, name=son_trung.name, level=son_trung.level, parent=district, area="rural"
        ),
    )
    village = Unit.objects.get(code="18133-05")
    assert village.path == "/42/439/18133/18133-05/" and village.depth == 3
    assert son_trung.history.count() >= 2  # the move is in the history, with the parent before and after


def test_a_unit_cannot_move_under_its_own_village(son_trung):
    village = son_trung.children.first()
    with pytest.raises(InputError):
        unit_update(
            unit=son_trung,
            data=UnitData(
                code=son_trung.code, name=son_trung.name, level=son_trung.level, parent=village, area="rural"
            ),
        )


@pytest.mark.parametrize("query", ["Sơn Trung", "xã Sơn Trung", "XA SON TRUNG", "son trung", "18133"])
def test_a_unit_is_found_by_name_with_or_without_level_word_and_accents(son_trung, query):
    assert unit_resolve(query) == son_trung


def test_an_ambiguous_name_lists_the_candidates(demo):
    province = Unit.objects.get(code="42")
    unit_create(
        data=UnitData(code="99999", name="Sơn Trung", level=level("commune"), parent=province, area="urban")
    )
    with pytest.raises(InputError) as caught:
        unit_resolve("Sơn Trung")
    assert "18133" in str(caught.value) and "99999" in str(caught.value)


def test_an_unknown_unit_is_a_clear_error(demo):
    with pytest.raises(InputError, match="Không tìm thấy"):
        unit_resolve("Atlantis")


def test_merged_villages_roll_up_to_their_successor(son_trung):
    mai_ha, ha_trang = son_trung.children.order_by("sort_order")[:2]
    unit_merge(merged=[ha_trang], into=mai_ha, on=datetime.date(2025, 7, 1))
    ha_trang.refresh_from_db()
    assert ha_trang.valid_to == datetime.date(2025, 6, 30)
    assert unit_current_successor(ha_trang) == mai_ha
    assert {u.code for u in unit_with_predecessors(mai_ha)} == {mai_ha.code, ha_trang.code}
    assert ha_trang.is_valid_on(datetime.date(2025, 6, 30)) and not ha_trang.is_valid_on(
        datetime.date(2025, 7, 1)
    )


# --- moving a unit: the data under it follows ---------------------------------------------------------------


def _household(village: Unit, code: str, head: str) -> Household:
    from giamngheo.households.services import household_create, member_add

    household = household_create(actor=None, village=village, code=code, head_name=head, size=1)
    member_add(
        actor=None,
        household=household,
        full_name=head,
        relation="head",
        birth_date=datetime.date(1980, 1, 1),
        sex="female",
        has_health_insurance=True,
        able_to_work=True,
        employment="self_employed",
    )
    return household


def _move(unit: Unit, parent: Unit, actor=None) -> Unit:  # type: ignore[no-untyped-def]
    data = UnitData(code=unit.code, name=unit.name, level=unit.level, parent=parent, area=unit.area)
    return unit_update(unit=unit, data=data, actor=actor)


def test_a_village_moved_to_another_commune_takes_its_households_with_it(son_trung, officer, other_officer):
    from giamngheo.households.models import Member
    from giamngheo.households.selectors import households_visible_to
    from giamngheo.reviews.models import ReviewResult, RoundState
    from giamngheo.reviews.services import ResultRow, results_record, review_round_open

    mai_ha = Unit.objects.get(code="18133-01")
    household = _household(mai_ha, "MV-01", "Đặng Thị Mơ")
    past = review_round_open(commune=son_trung, year=2023)
    results_record(review_round=past, rows=[ResultRow(household=household, status="poor")])
    past.state = RoundState.DECIDED
    past.save()
    son_hong = Unit.objects.get(code="18136")

    _move(mai_ha, son_hong, actor=officer)

    household.refresh_from_db()
    assert household.commune == son_hong and household.unit_path == "/42/18136/18133-01/"
    assert household.version == 2
    assert Member.objects.get(household=household).unit_path == household.unit_path
    assert ReviewResult.objects.get(household=household).unit_path == household.unit_path
    assert list(households_visible_to(other_officer)) == [household]  # Sơn Hồng's officer reads it now
    assert not households_visible_to(officer).filter(pk=household.pk).exists()
    change = household.history.order_by("-history_id").first()
    assert change.history_type == "~" and change.history_user_id == officer.pk
    assert change.prev_record.commune_id == son_trung.pk  # the history keeps where it was
    assert Household.objects.filter(commune=son_trung, village=mai_ha).count() == 0


def test_a_commune_moved_under_a_district_keeps_its_households_and_repaths_them(son_trung):
    mai_ha = Unit.objects.get(code="18133-01")
    household = _household(mai_ha, "MV-02", "Lò Văn Páo")
    _move(son_trung, Unit.objects.get(code="439"))
    household.refresh_from_db()
    assert household.commune_id == son_trung.pk and household.unit_path == "/42/439/18133/18133-01/"


def test_a_move_is_refused_whole_when_a_household_code_is_taken_in_the_new_commune(son_trung):
    mai_ha = Unit.objects.get(code="18133-01")
    household = _household(mai_ha, "MV-03", "Hà Văn Lực")
    _household(Unit.objects.get(code="18136-01"), "MV-03", "Người khác")
    with pytest.raises(InputError, match="MV-03") as error:
        _move(mai_ha, Unit.objects.get(code="18136"))
    assert error.value.problems[0].fix_en.startswith("Change these households' codes")
    mai_ha.refresh_from_db()
    household.refresh_from_db()
    assert mai_ha.path == household.unit_path == "/42/18133/18133-01/" and household.commune == son_trung


def test_a_village_cannot_leave_while_its_commune_reviews_it(son_trung):
    from giamngheo.reviews.services import review_round_open, round_household_add

    mai_ha = Unit.objects.get(code="18133-01")
    household = _household(mai_ha, "MV-04", "Vi Thị Hoa")
    review_round = review_round_open(commune=son_trung, year=2024)
    round_household_add(review_round=review_round, household=household, reason="added")
    with pytest.raises(InputError, match="Decide the review first"):
        _move(mai_ha, Unit.objects.get(code="18136"))
    household.refresh_from_db()
    assert household.unit_path == "/42/18133/18133-01/"


def test_importing_a_unit_list_that_moves_a_village_names_the_row_it_refuses(son_trung, tmp_path):
    from giamngheo.imports.unit_list import units_import

    mai_ha = Unit.objects.get(code="18133-01")
    _household(mai_ha, "MV-05", "Sầm Văn Tư")
    _household(Unit.objects.get(code="18136-01"), "MV-05", "Người khác")
    path = tmp_path / "don-vi.csv"
    path.write_text("code,name,level,parent_code\n18133-01,Mai Hà,thôn,18136\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        units_import(path=path)
    problem = error.value.problems[0]
    assert (problem.file, problem.row) == ("don-vi.csv", 2) and "MV-05" in problem.message_vi
    assert Unit.objects.get(code="18133-01").parent == son_trung
