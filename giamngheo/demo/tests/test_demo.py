import io

import pytest
from django.core.management import call_command

from giamngheo.accounts.models import Role, User
from giamngheo.households.models import Household, Member
from giamngheo.plans.models import Plan
from giamngheo.reports.models import ProgressReport
from giamngheo.reviews.models import ReviewResult, ReviewRound
from giamngheo.support.models import (
    Activity,
    EscapePlan,
    FundSource,
    LedgerEntry,
    Milestone,
    Organisation,
    OrganisationMember,
    Support,
)
from giamngheo.units.models import Unit

TRACKER = (
    Support,
    EscapePlan,
    Milestone,
    Organisation,
    OrganisationMember,
    FundSource,
    LedgerEntry,
    Activity,
    ProgressReport,
)


def counts():
    return [
        m.objects.count() for m in (Unit, User, Household, Member, ReviewRound, ReviewResult, Plan, *TRACKER)
    ]


def test_loading_the_demo_twice_duplicates_nothing(demo_register, django_assert_max_num_queries):
    before = counts()
    assert all(before), before  # the register, the plan and the year of supports are all there
    out = io.StringIO()
    # A second start upserts the units and users (about 90 queries) and only looks at the rest: the register,
    # the plan and the year of supports are each skipped when present (nothing per household).
    with django_assert_max_num_queries(120):
        call_command("demo", stdout=out)
    assert counts() == before
    assert "register already present" in out.getvalue()


def test_the_demo_command_loads_everything(demo_register):
    assert Household.objects.filter(commune=demo_register).count() == 1545
    rounds = ReviewRound.objects.filter(commune=demo_register).order_by("year")
    assert [(r.year, r.state) for r in rounds] == [(2022, "decided"), (2023, "decided")]
    assert "QĐ-UBND" in rounds[0].decision_number
    assert Plan.objects.filter(commune=demo_register, year=2023).exists()


@pytest.mark.slow
def test_the_demo_reset_rebuilds_the_same_tree_and_register(demo_register):
    before = sorted(Unit.objects.values_list("code", "path"))
    register = counts()[2:]
    call_command("demo", "--reset", stdout=io.StringIO())
    assert sorted(Unit.objects.values_list("code", "path")) == before
    assert counts()[2:] == register


def test_the_demo_has_a_user_for_each_role(demo):
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)


def test_the_legacy_district_is_kept_for_history_and_closed(demo):
    district = Unit.objects.get(level__code="district")
    assert district.name == "Hương Sơn" and str(district.valid_to) == "2025-06-30"
