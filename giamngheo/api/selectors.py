"""Reads of the API's own tables, scoped like every other read."""

from __future__ import annotations

from django.db.models import QuerySet

from giamngheo.accounts.models import User
from giamngheo.api.models import PartnerLookup
from giamngheo.units.selectors import scope_q


def lookups_visible_to(user: User) -> QuerySet[PartnerLookup]:
    """Lookups of people of the user's unit and below (a lookup that found nobody: administrators only)."""
    found = PartnerLookup.objects.select_related("user")
    if user.is_system_admin:
        return found
    return found.filter(scope_q(user, field="unit_path")).exclude(unit_path="")
