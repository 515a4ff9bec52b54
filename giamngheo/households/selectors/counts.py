"""The denominators of every rate: the households and people in the register on a day, below a unit
(issue 17 A; spec §1), counted from the days each household entered and left the register."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum

from giamngheo.households.models import Household

# --- the denominators of every rate -------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterSpan:
    """Households of a village that entered the register and closed on the same days."""

    path: str
    registered_on: datetime.date | None
    dissolved_on: datetime.date | None
    households: int
    people: int

    def in_register_on(self, on: datetime.date) -> bool:
        """In the register on ``on``: entered by then (or with the commune's register, None) and not closed
        on or before it — the one statement of the rule."""
        return (self.registered_on is None or self.registered_on <= on) and (
            self.dissolved_on is None or self.dissolved_on > on
        )


def register_spans(households: QuerySet[Household], *, under: str) -> list[RegisterSpan]:
    """The households below ``under`` grouped by village and by the days they entered and left the register
    (one GROUP BY, few groups: most households share "with the commune's register, still open"), so the
    register can be counted on any day, or on many days at once, without reading it again."""
    rows = (
        households.filter(unit_path__startswith=under)
        .order_by()
        .values_list("unit_path", "registered_on", "dissolved_on")
        .annotate(households=Count("id"), people=Sum("size"))
    )
    return [RegisterSpan(path, start, end, n, people or 0) for path, start, end, n, people in rows]


def register_counts(
    households: QuerySet[Household], *, under: str, on: datetime.date
) -> dict[str, dict[str, int]]:
    """Village path → households and people (their declared số khẩu) in the register on ``on``, below the
    path ``under`` (one query). Every poverty rate divides by these — all the households of the unit,
    never only those a review round happened to list (spec §1)."""
    counts: dict[str, dict[str, int]] = {}
    for span in register_spans(households, under=under):
        if span.in_register_on(on):
            village = counts.setdefault(span.path, {"households": 0, "people": 0})
            village["households"] += span.households
            village["people"] += span.people
    return counts


def register_counts_by_day(
    households: QuerySet[Household], *, under: str, days: Sequence[datetime.date]
) -> dict[datetime.date, int]:
    """Households in the register below ``under`` on each of ``days`` (one query, whatever the days)."""
    spans = register_spans(households, under=under) if days else []
    return {day: sum(span.households for span in spans if span.in_register_on(day)) for day in days}
