"""Scoped reads of the support tracker: lists, one household's panel, balances, caseloads.

Every function takes the acting user and filters with ``scope_q``; a record outside the user's unit is
simply not found (the views answer 404).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.common.language import language
from giamngheo.households.models import Household, Member
from giamngheo.reviews.selectors import household_review_history
from giamngheo.support import permissions
from giamngheo.support.entitlements import Entitlements, entitlements_for
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
from giamngheo.units.selectors import scope_q

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# --- households and their status ----------------------------------------------------------------------------


def household_for(user: User, pk: int) -> Household | None:
    return (
        Household.objects.filter(scope_q(user, "unit_path"), pk=pk)
        .select_related("village", "commune")
        .first()
    )


# --- supports -----------------------------------------------------------------------------------------------


def supports_visible_to(user: User) -> QuerySet[Support]:
    return Support.objects.filter(scope_q(user, "unit_path"))


def support_for(user: User, pk: int) -> Support | None:
    return (
        supports_visible_to(user)
        .filter(pk=pk)
        .select_related("household__village", "member", "source", "organisation")
        .first()
    )


def support_list(
    *,
    user: User,
    unit: Unit,
    kind: str | None = None,
    status: str | None = None,
    year: int | None = None,
    query: str = "",
) -> QuerySet[Support]:
    supports = supports_visible_to(user).filter(unit_path__startswith=unit.path)
    if kind:
        supports = supports.filter(kind=kind)
    if status:
        supports = supports.filter(status=status)
    if year:
        supports = supports.filter(date__year=year)
    if query:
        from giamngheo.text import fold

        folded = fold(query)
        supports = supports.filter(
            Q(household__search_text__contains=folded) | Q(household__code__iexact=query.strip())
        )
    return supports.select_related("household__village", "member", "source", "organisation").order_by(
        "-date", "-id"
    )


# --- the household panel ------------------------------------------------------------------------------------


@dataclass
class HouseholdPanel:
    household: Household
    entitlements: Entitlements
    supports: list[Support]
    plans: list[EscapePlan]
    members: list[Member]
    can_record: bool
    can_plan: bool
    spent: int
    extra: dict[str, Any] = field(default_factory=dict)


def support_panel_for_household(
    user: User,
    household: Household,
    *,
    members: list[Member] | None = None,
    history: list[tuple[datetime.date, str, str, int]] | None = None,
) -> HouseholdPanel | None:
    """What the household page shows about help: status, what it is entitled to and which support would lift
    it out (from the engine's distance to exit), its supports and its escape plans. None when out of scope.

    Queries: history (1) and members (1) unless the caller has them, supports (1), plans with milestones
    (2), spending (1), and the permission look-up of a mass-organisation member (≤ 2) — never one per
    support, plan or member.
    """
    if not permissions.in_scope(user, household.unit_path):
        return None
    today = timezone.localdate()
    history = history if history is not None else household_review_history(household)
    members = members if members is not None else list(household.members.order_by("id"))
    supports = list(
        Support.objects.filter(household=household)
        .select_related("member", "source", "organisation")
        .order_by("-date", "-id")
    )
    entitlements = entitlements_for(
        household=household,
        members=members,
        history=history,
        supports=supports,
        on=today,
        language=language(),
    )
    plans = list(
        EscapePlan.objects.filter(household=household)
        .select_related("organisation", "helper")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "id")))
        .order_by("-year")
    )
    spent = -(
        LedgerEntry.objects.filter(household=household, flow="out").aggregate(total=Sum("signed_amount"))[
            "total"
        ]
        or 0
    )
    return HouseholdPanel(
        household=household,
        entitlements=entitlements,
        supports=supports,
        plans=plans,
        members=members,
        can_record=permissions.can_record_for_household(user, household),
        can_plan=permissions.can_manage_plans(user, household),
        spent=spent,
    )


# --- escape plans and organisations -------------------------------------------------------------------------


def plans_visible_to(user: User) -> QuerySet[EscapePlan]:
    return EscapePlan.objects.filter(scope_q(user, "unit_path"))


def plan_for(user: User, pk: int) -> EscapePlan | None:
    return (
        plans_visible_to(user)
        .filter(pk=pk)
        .select_related("household__village", "organisation", "helper")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "id")))
        .first()
    )


def plan_list(
    *, user: User, unit: Unit, year: int, organisation_id: int | None = None, status: str | None = None
) -> QuerySet[EscapePlan]:
    plans = plans_visible_to(user).filter(unit_path__startswith=unit.path, year=year)
    if organisation_id:
        plans = plans.filter(organisation_id=organisation_id)
    if status:
        plans = plans.filter(status=status)
    return (
        plans.select_related("household__village", "organisation", "helper")
        .annotate(
            milestones_total=Count("milestones"),
            milestones_done=Count("milestones", filter=Q(milestones__done_on__isnull=False)),
        )
        .order_by("unit_path", "household__code")
    )


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(scope_q(user, "unit_path"))


def organisations_for_household(user: User, household: Household) -> QuerySet[Organisation]:
    """Organisations that may help this household: those of its commune (or above, e.g. a province's)."""
    paths = _prefixes(household.unit_path)
    return Organisation.objects.filter(unit_path__in=paths, active=True).order_by("kind", "name")


def sources_for_household(user: User, household: Household) -> QuerySet[FundSource]:
    return (
        FundSource.objects.filter(unit_path__in=_prefixes(household.unit_path))
        .select_related("unit")
        .order_by("kind", "name")
    )


def _prefixes(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def organisation_list(*, user: User, unit: Unit, year: int) -> list[Organisation]:
    """Organisations in the unit with their members and their caseload of the year (three queries)."""
    return list(
        organisations_visible_to(user)
        .filter(Q(unit_path__startswith=unit.path) | Q(unit_path__in=_prefixes(unit.path)))
        .select_related("unit")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=OrganisationMember.objects.select_related("village", "user").order_by(
                    "-active", "full_name"
                ),
            )
        )
        .annotate(
            caseload=Count("escape_plans", filter=Q(escape_plans__year=year), distinct=True),
            achieved=Count(
                "escape_plans",
                filter=Q(escape_plans__year=year, escape_plans__status="achieved"),
                distinct=True,
            ),
        )
        .order_by("unit_path", "kind", "name")
    )


def organisation_for(user: User, pk: int) -> Organisation | None:
    return organisations_visible_to(user).filter(pk=pk).select_related("unit").first()


def members_for_plans(user: User, household: Household) -> QuerySet[OrganisationMember]:
    return OrganisationMember.objects.filter(
        organisation__unit_path__in=_prefixes(household.unit_path), active=True
    ).select_related("organisation")


# --- resources ----------------------------------------------------------------------------------------------


class Balances(TypedDict):
    """What ``sources_with_balances`` adds to each source (None where no entry counts)."""

    received: int | None
    spent_signed: int | None
    balance: int | None


def sources_with_balances(
    *, user: User, unit: Unit, on: datetime.date | None = None
) -> list[WithAnnotations[FundSource, Balances]]:
    """Sources managed at or below ``unit`` (and those of the units above it that the user sees), each with
    ``received``, ``spent`` and ``balance`` as of ``on`` (one query)."""
    on = on or timezone.localdate()
    return list(
        FundSource.objects.filter(scope_q(user, "unit_path"))
        .filter(Q(unit_path__startswith=unit.path) | Q(unit_path__in=_prefixes(unit.path)))
        .select_related("unit")
        .annotate(
            received=Sum("entries__signed_amount", filter=Q(entries__flow="in", entries__date__lte=on)),
            spent_signed=Sum("entries__signed_amount", filter=Q(entries__flow="out", entries__date__lte=on)),
            balance=Sum("entries__signed_amount", filter=Q(entries__date__lte=on)),
        )
        .order_by("unit_path", "kind", "name")
    )


def source_for(user: User, pk: int) -> FundSource | None:
    return FundSource.objects.filter(scope_q(user, "unit_path"), pk=pk).select_related("unit").first()


def ledger_for_source(user: User, source: FundSource) -> QuerySet[LedgerEntry]:
    return (
        LedgerEntry.objects.filter(scope_q(user, "unit_path"), source=source)
        .select_related("support", "household", "reverses", "created_by")
        .annotate(is_reversed=Exists(LedgerEntry.objects.filter(reverses_id=OuterRef("pk"))))
        .order_by("date", "id")
    )


def ledger_entry_for(user: User, pk: int) -> LedgerEntry | None:
    return (
        LedgerEntry.objects.filter(scope_q(user, "unit_path"), pk=pk).select_related("source__unit").first()
    )


# --- activities and reports ---------------------------------------------------------------------------------


def activity_list(*, user: User, unit: Unit, year: int | None = None) -> QuerySet[Activity]:
    activities = Activity.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path)
    if year:
        activities = activities.filter(date__year=year)
    return activities.select_related("unit", "organisation").order_by("-date", "-id")
