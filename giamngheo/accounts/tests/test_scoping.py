"""A user sees only their unit and what is below it — enforced in selectors, not templates."""

from giamngheo.accounts.rules import unit_in_scope
from giamngheo.units.models import Unit
from giamngheo.units.selectors import units_visible_to


def codes(user):
    return set(units_visible_to(user).values_list("code", flat=True))


def test_the_village_head_of_mai_ha_cannot_see_ha_trang(village_head):
    visible = codes(village_head)
    assert visible == {"18133-01"}
    ha_trang = Unit.objects.get(name="Hà Tràng")
    assert not village_head.has_perm("units.view_unit_data", ha_trang)
    assert village_head.has_perm("units.view_unit_data", Unit.objects.get(name="Mai Hà"))


def test_an_officer_of_another_commune_sees_nothing_of_son_trung(other_officer):
    assert not any(code.startswith("18133") for code in codes(other_officer))
    assert not other_officer.has_perm("units.view_unit_data", Unit.objects.get(code="18133"))


def test_the_commune_officer_sees_the_commune_and_its_villages_and_may_edit(officer):
    assert codes(officer) == {"18133", *{f"18133-{i:02d}" for i in range(1, 12)}}
    assert officer.has_perm("units.change_unit_data", Unit.objects.get(code="18133-03"))


def test_a_province_viewer_sees_all_its_communes_but_cannot_edit(province_viewer):
    visible = codes(province_viewer)
    assert {"18133", "18136", "439"} <= visible
    son_trung = Unit.objects.get(code="18133")
    assert province_viewer.has_perm("units.view_unit_data", son_trung)
    assert not province_viewer.has_perm("units.change_unit_data", son_trung)


def test_a_user_without_a_unit_sees_nothing(officer):
    officer.unit = None
    assert codes(officer) == set()
    assert not unit_in_scope(officer, Unit.objects.get(code="18133"))
