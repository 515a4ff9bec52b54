"""Possible duplicates of a new member: people of the commune with the same name and birth date, as the
user may see them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from giamngheo.accounts.models import User
from giamngheo.households.models import Member
from giamngheo.households.services import contact_unit, outside_scope
from giamngheo.text import fold
from giamngheo.units.models import Unit

# --- duplicates ------------------------------------------------------------------------------------------


def member_possible_duplicates(
    *, commune: Unit, full_name: str, birth_date: datetime.date | None, exclude_pk: int | None = None
) -> list[Member]:
    """People of the commune with the same name (accents and case ignored) and birth date: maybe the same
    person entered twice. A warning, since namesakes born the same day exist."""
    if not full_name.strip() or birth_date is None:
        return []
    found = Member.objects.filter(
        birth_date=birth_date, search_text=fold(full_name), unit_path__startswith=commune.path
    ).select_related("household")
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    return list(found[:10])


@dataclass
class Duplicates:
    """Possible duplicates as a user may see them: the people in their scope, and only a count and whom to
    ask for the others (never their names, households or units)."""

    visible: list[Member]
    elsewhere: int = 0
    contact: Unit | None = None


def member_duplicates_for(
    *,
    user: User,
    commune: Unit,
    full_name: str,
    birth_date: datetime.date | None,
    exclude_pk: int | None = None,
) -> Duplicates:
    found = member_possible_duplicates(
        commune=commune, full_name=full_name, birth_date=birth_date, exclude_pk=exclude_pk
    )
    hidden = [m for m in found if outside_scope(user, m.unit_path)]
    return Duplicates(
        visible=[m for m in found if m not in hidden],
        elsewhere=len(hidden),
        contact=contact_unit(user, hidden[0].unit_path) if hidden else None,
    )
