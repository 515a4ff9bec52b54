"""What every read of the register starts from: the households a user may see, and one of them."""

from __future__ import annotations

from django.db.models import QuerySet

from giamngheo.accounts.models import User
from giamngheo.households.models import Household
from giamngheo.units.selectors import scope_q


def households_visible_to(user: User) -> QuerySet[Household]:
    return Household.objects.filter(scope_q(user, field="unit_path"))


def household_for(user: User, pk: int) -> Household | None:
    """One household the user may see (with its village and commune), or None."""
    return (
        households_visible_to(user).select_related("village", "commune", "merged_into").filter(pk=pk).first()
    )
