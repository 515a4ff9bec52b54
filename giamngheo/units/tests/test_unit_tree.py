import datetime

import pytest

from giamngheo.errors import InputError
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
