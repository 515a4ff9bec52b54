"""Who may record what in the support tracker. Scope is always the unit path (as everywhere).

The rule (README, "Supports and escape plans"):
* everyone reads what is in their unit and below (selectors apply ``scope_q``);
* commune officers, village heads and administrators (the editing roles) record supports, escape plans,
  milestones and activities for households and units in their scope; the commune's organisations, sources
  of funds and ledger need a scope that contains the commune (so a village head cannot spend commune money);
* a **mass-organisation member** whose login is linked to an active member of an organisation may record
  supports and escape-plan progress (status, notes, milestones) for the households whose escape plan is
  assigned to that organisation, and activities of that organisation — nothing else;
* steering-committee members and province viewers read only;
* who submits and decides a progress report: ``reports.permissions``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from giamngheo.accounts.models import Role

if TYPE_CHECKING:
    from giamngheo.accounts.models import User
    from giamngheo.households.models import Household
    from giamngheo.support.models import EscapePlan, Organisation
    from giamngheo.units.models import Unit


def in_scope(user: User, unit_path: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_system_admin:
        return True
    return user.unit is not None and unit_path.startswith(user.unit.path)


def organisation_ids_of(user: User) -> set[int]:
    """Organisations whose active member is this login (only mass-organisation roles act through them)."""
    if user.role != Role.MASS_ORGANISATION:
        return set()
    from giamngheo.support.models import OrganisationMember

    return set(
        OrganisationMember.objects.filter(user=user, active=True, organisation__active=True).values_list(
            "organisation_id", flat=True
        )
    )


def assigned_to_user(user: User, household: Household) -> bool:
    ids = organisation_ids_of(user)
    if not ids:
        return False
    from giamngheo.support.models import EscapePlan, PlanStatus

    return (
        EscapePlan.objects.filter(household=household, organisation_id__in=ids)
        .exclude(status=PlanStatus.STOPPED)
        .exists()
    )


def can_record_for_household(user: User, household: Household) -> bool:
    if not in_scope(user, household.unit_path):
        return False
    return user.can_edit or assigned_to_user(user, household)


def can_manage_plans(user: User, household: Household) -> bool:
    """Create a plan, change its group, solutions and organisation: editing roles only."""
    return in_scope(user, household.unit_path) and user.can_edit


def can_record_plan_progress(user: User, plan: EscapePlan) -> bool:
    if not in_scope(user, plan.unit_path):
        return False
    return user.can_edit or (
        plan.organisation_id is not None and plan.organisation_id in organisation_ids_of(user)
    )


def can_manage_unit(user: User, unit: Unit) -> bool:
    """Organisations, sources of funds and the ledger of ``unit``."""
    return user.can_edit and in_scope(user, unit.path)


def can_record_activity(user: User, unit: Unit, organisation: Organisation | None) -> bool:
    if not in_scope(user, unit.path):
        return False
    if user.can_edit:
        return True
    return organisation is not None and organisation.pk in organisation_ids_of(user)
