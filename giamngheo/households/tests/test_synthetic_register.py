"""The synthetic register generator: shape, determinism, resumability, no history rows."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from giamngheo.demo.synthetic import synthetic_register
from giamngheo.households.models import Household, Member
from giamngheo.households.selectors import RegisterQuery, register_page
from giamngheo.reviews.models import ReviewResult
from giamngheo.units.models import Unit

pytestmark = pytest.mark.django_db


def test_it_builds_a_province_of_communes_and_villages_with_households_members_and_results(db):
    summary = synthetic_register(households=300, province_code="97", per_commune=100)
    assert (summary.communes, summary.households_created) == (3, 300)
    province = Unit.objects.get(code="97")
    assert Unit.objects.filter(parent=province, level__code="commune").count() == 3
    assert Unit.objects.filter(path__startswith=province.path, level__code="village").count() == 36
    households = Household.objects.filter(unit_path__startswith=province.path)
    assert households.count() == 300
    members = Member.objects.filter(unit_path__startswith=province.path)
    assert 2.8 <= members.count() / 300 <= 4.2
    ids = [c for c in members.values_list("citizen_id", flat=True) if c]
    assert len(ids) == len(set(ids)) and all(len(c) == 12 and c.isdigit() for c in ids)
    assert ReviewResult.objects.filter(unit_path__startswith=province.path).count() == 900
    assert not Household.history.filter(unit_path__startswith=province.path).exists()
    assert not Member.history.filter(unit_path__startswith=province.path).exists()


def test_running_it_again_adds_nothing(db):
    synthetic_register(households=200, province_code="96", per_commune=100)
    again = synthetic_register(households=200, province_code="96", per_commune=100)
    assert (again.households_created, again.communes_skipped) == (0, 2)
    assert Household.objects.filter(unit_path__startswith="/96/").count() == 200


def test_its_people_are_found_by_the_register_search(demo):
    from giamngheo.accounts.models import Role, User

    synthetic_register(households=100, province_code="94", per_commune=100)
    viewer = User.objects.create(
        username="tinh.tonghop", role=Role.PROVINCE_VIEWER, unit=Unit.objects.get(code="94")
    )
    somebody = Member.objects.filter(unit_path__startswith="/94/").order_by("id").first()
    page = register_page(viewer, RegisterQuery(text=somebody.search_text))
    assert somebody.household_id in [h.pk for h in page.rows]


def test_the_command_reports_what_it_made(db, capsys):
    call_command("synthetic_register", households=50, province_code="95", per_commune=50)
    assert "+50" in capsys.readouterr().out
