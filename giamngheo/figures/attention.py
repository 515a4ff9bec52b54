"""Households needing attention: on the lists without an escape plan, a child of school age out of
school, a person without health insurance."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from giamngheo.accounts.models import User
from giamngheo.figures.common import LIVE
from giamngheo.figures.indicators import _school_ages, _years_before
from giamngheo.figures.status import Basis, Overrides, on_list_q
from giamngheo.households.models import Household, Member
from giamngheo.support.kinds import SupportKind, SupportStatus
from giamngheo.support.models import (
    EscapePlan,
    Support,
)
from giamngheo.units.models import Unit
from giamngheo.units.selectors import scope_q


def attention(*, user: User, unit: Unit, basis: Basis, over: Overrides, year: int, limit: int = 8) -> dict:
    """Households needing attention on ``basis.on``: poor or near-poor without an escape plan for ``year``; a
    child of school age out of school; a person without health insurance (both in poor and near-poor
    households, whom the programme covers). Three queries, each returning the first ``limit`` + 1 rows."""
    if basis.empty:
        return {"no_plan": [], "out_of_school": [], "uninsured": []}
    on = basis.on
    on_list = on_list_q(basis, over)
    no_plan = list(
        Household.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path)
        .filter(on_list_q(basis, over, field="pk"))
        .exclude(Exists(EscapePlan.objects.filter(household_id=OuterRef("pk"), year=year)))
        .select_related("village")
        .order_by("unit_path", "code")[: limit + 1]
    )
    oldest_born_after, youngest_born_by = _school_ages(on)
    school_help = Support.objects.filter(
        LIVE,
        member_id=OuterRef("pk"),
        kind=SupportKind.SCHOOLING,
        status=SupportStatus.DELIVERED,
        date__lte=on,
        date__gt=_years_before(on, 1),
    )
    members = Member.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path).filter(
        on_list
    )
    out_of_school = list(
        members.filter(
            birth_date__gt=oldest_born_after, birth_date__lte=youngest_born_by, attending_school=False
        )
        .exclude(Exists(school_help))
        .select_related("household__village")
        .order_by("unit_path", "household_id", "id")[: limit + 1]
    )
    valid_card = Support.objects.filter(
        LIVE,
        member_id=OuterRef("pk"),
        kind=SupportKind.HEALTH_INSURANCE,
        status=SupportStatus.DELIVERED,
        date__lte=on,
    ).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    uninsured = list(
        members.exclude(has_health_insurance=True)
        .exclude(Exists(valid_card))
        .select_related("household__village")
        .order_by("unit_path", "household_id", "id")[: limit + 1]
    )
    return {"no_plan": no_plan, "out_of_school": out_of_school, "uninsured": uninsured}


def households_on_list(*, user: User, unit: Unit, basis: Basis, over: Overrides) -> QuerySet[Household]:
    return Household.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path).filter(
        on_list_q(basis, over, field="pk")
    )
