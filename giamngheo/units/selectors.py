"""Reads of the unit tree, always scoped to what the acting user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from giamngheo.errors import InputError
from giamngheo.text import fold
from giamngheo.units.models import Unit, UnitLevel

if TYPE_CHECKING:
    from giamngheo.accounts.models import User


def scope_q(user: User, field: str = "path") -> Q:
    """The filter that limits any table carrying a unit path to the user's unit and below.

    A user without a unit (and not a system administrator) sees nothing: scope is opt-in, never implied.
    """
    if user.is_system_admin:
        return Q()
    if user.unit is None:
        return Q(pk__in=[])
    return Q(**{f"{field}__startswith": user.unit.path})


def units_visible_to(user: User) -> QuerySet[Unit]:
    return Unit.objects.filter(scope_q(user)).select_related("level")


def unit_children(*, user: User, unit: Unit) -> QuerySet[Unit]:
    """The units directly below ``unit`` in their official order (the seed's village order)."""
    return units_visible_to(user).filter(parent=unit).order_by("sort_order", "name")


def _strip_level_word(folded: str, levels: list[UnitLevel]) -> str:
    words = sorted(
        {fold(w) for level in levels for w in [level.name_vi, level.name_en, *level.aliases]},
        key=len,
        reverse=True,
    )
    for word in words:
        if word and folded.startswith(word + " "):
            return folded[len(word) + 1 :]
    return folded


def unit_resolve(query: str, *, user: User | None = None) -> Unit:
    """Find one unit by its code or its name (``Sơn Trung``, ``xã Sơn Trung``, ``XA SON TRUNG``).

    Matching ignores case and accents and an optional level word. No match or several matches is a user
    error that lists what was found, so the user can be more precise (e.g. with the code).
    """
    units = units_visible_to(user) if user is not None else Unit.objects.select_related("level")
    by_code = list(units.filter(code=query.strip()))
    if len(by_code) == 1:
        return by_code[0]
    folded = fold(query)
    candidates = list(units.filter(search_text=_strip_level_word(folded, list(UnitLevel.objects.all()))))
    if not candidates:
        candidates = list(units.filter(search_text=folded))
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise InputError.single(
            f"Không tìm thấy đơn vị “{query}”",
            f"No unit matches “{query}”",
            column="--unit",
            fix_vi="Dùng mã đơn vị hoặc tên đúng (ví dụ: “xã Sơn Trung”)",
            fix_en="Use the unit's code or its exact name (e.g. “xã Sơn Trung”)",
        )
    listing = "; ".join(f"{u.code} = {u.display_name} ({u.path})" for u in candidates)
    raise InputError.single(
        f"Tên “{query}” trùng nhiều đơn vị: {listing}",
        f"“{query}” matches several units: {listing}",
        column="--unit",
        fix_vi="Dùng mã đơn vị",
        fix_en="Use the unit's code",
    )


def unit_current_successor(unit: Unit) -> Unit:
    """Follow merge links to the unit that carries this one's figures today (cycles are refused on write)."""
    seen = {unit.pk}
    while unit.successor_id is not None and unit.successor_id not in seen:
        seen.add(unit.successor_id)
        unit = Unit.objects.select_related("level").get(pk=unit.successor_id)
    return unit


def unit_with_predecessors(unit: Unit) -> list[Unit]:
    """The unit and every unit merged into it (directly or by earlier merges): their figures roll up here."""
    found = [unit]
    frontier = [unit.pk]
    while frontier:
        merged = list(Unit.objects.filter(successor_id__in=frontier).exclude(pk__in=[u.pk for u in found]))
        found.extend(merged)
        frontier = [u.pk for u in merged]
    return found
