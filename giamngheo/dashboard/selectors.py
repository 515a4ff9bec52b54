"""What the home page shows for the user's unit (more figures arrive with the register and the plan)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from giamngheo.accounts.models import User
from giamngheo.units.models import Unit
from giamngheo.units.selectors import unit_children, units_visible_to


@dataclass(frozen=True)
class HomeOverview:
    unit: Unit | None
    ancestors: list[Unit]
    children: list[Unit]
    units_below_by_level: list[tuple[str, int]]


def home_overview(*, user: User) -> HomeOverview:
    unit = user.unit
    if unit is None:
        return HomeOverview(unit=None, ancestors=[], children=[], units_below_by_level=[])
    codes = [c for c in unit.path.strip("/").split("/")[:-1]]
    ancestors = list(Unit.objects.filter(code__in=codes).select_related("level").order_by("depth"))
    children = list(unit_children(user=user, unit=unit).select_related("level"))
    below = (
        units_visible_to(user)
        .exclude(pk=unit.pk)
        .values("level__name_vi", "level__rank")
        .annotate(n=Count("id"))
        .order_by("level__rank")
    )
    return HomeOverview(
        unit=unit,
        ancestors=ancestors,
        children=children,
        units_below_by_level=[(row["level__name_vi"], row["n"]) for row in below],
    )
