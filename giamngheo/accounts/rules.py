"""Permission predicates (django-rules). Scope is by unit path, so no per-object permission rows exist."""

from __future__ import annotations

import rules

from giamngheo.units.models import Unit


@rules.predicate
def is_system_admin(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(getattr(user, "is_system_admin", False))


@rules.predicate
def unit_in_scope(user, unit: Unit | None) -> bool:  # type: ignore[no-untyped-def]
    if unit is None or not user.is_authenticated:
        return False
    if user.is_system_admin:
        return True
    return user.unit_id is not None and unit.path.startswith(user.unit.path)


@rules.predicate
def may_edit(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(user.is_authenticated and user.can_edit)


rules.add_perm("units.view_unit_data", unit_in_scope)
rules.add_perm("units.change_unit_data", unit_in_scope & may_edit)
