from django.core.management import call_command

from giamngheo.accounts.models import Role, User
from giamngheo.units.models import Unit


def test_loading_the_demo_twice_duplicates_nothing(demo):
    units, users = Unit.objects.count(), User.objects.count()
    call_command("demo")
    assert (Unit.objects.count(), User.objects.count()) == (units, users)


def test_the_demo_reset_rebuilds_the_same_tree(demo):
    before = sorted(Unit.objects.values_list("code", "path"))
    call_command("demo", "--reset")
    assert sorted(Unit.objects.values_list("code", "path")) == before


def test_the_demo_has_a_user_for_each_role(demo):
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)


def test_the_legacy_district_is_kept_for_history_and_closed(demo):
    district = Unit.objects.get(level__code="district")
    assert district.name == "Hương Sơn" and str(district.valid_to) == "2025-06-30"
