"""What-if: how many households (and people) of a unit would be poor, near-poor, … under a standard.

Nothing is saved. The register's current facts are classified under the standard given, at the review
date given (ages are taken then), for every open household of the unit that the user may see, and counted
per village. A household whose facts cannot be classified (no income per capita in the register) is
counted as ``unclassified``: the what-if never guesses an income.

People are the household's registered members, or its declared size when none is registered — the
``members`` figure a review result records (``reviews.services.survey_record``).
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from giamngheo.accounts.models import User
from giamngheo.bulk.facts_frame import register_facts
from giamngheo.bulk.indicators_frame import classify_register
from giamngheo.errors import InputError
from giamngheo.households.models import Household, Member
from giamngheo.standards.classify import AVERAGE, NEAR_POOR, NOT_POOR, POOR
from giamngheo.standards.model import Standard
from giamngheo.units.models import Unit
from giamngheo.units.selectors import scope_q, units_visible_to

if TYPE_CHECKING:
    import polars as pl

UNCLASSIFIED = "unclassified"
GROUPS = (POOR, NEAR_POOR, AVERAGE, NOT_POOR, UNCLASSIFIED)


@dataclass
class Counts:
    """Households and people of each status (``unclassified``: the register has no income for them)."""

    poor: int = 0
    poor_people: int = 0
    near_poor: int = 0
    near_poor_people: int = 0
    average: int = 0
    average_people: int = 0
    not_poor: int = 0
    not_poor_people: int = 0
    unclassified: int = 0
    unclassified_people: int = 0

    @property
    def households(self) -> int:
        return sum(getattr(self, group) for group in GROUPS)

    @property
    def people(self) -> int:
        return sum(getattr(self, f"{group}_people") for group in GROUPS)

    def add(self, other: Counts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass(frozen=True)
class VillageCounts:
    village: Unit
    commune: Unit | None  # the village's parent (None for a village without one, which services refuse)
    counts: Counts


@dataclass
class WhatIf:
    unit: Unit
    standard: Standard
    review_date: datetime.date
    rows: list[VillageCounts]  # every village of the unit, in the official order
    total: Counts
    timings: dict[str, float] = field(default_factory=dict)  # seconds: read_households, read_members, …


def _require_visible(user: User, unit: Unit) -> None:
    if not units_visible_to(user).filter(pk=unit.pk).exists():
        raise InputError.single(
            f"Bạn không có quyền xem số liệu của {unit.name}",
            f"You may not see the figures of {unit.name}",
            column="--unit",
            fix_vi="Chọn đơn vị của bạn hoặc một đơn vị trực thuộc",
            fix_en="Pick your unit or one below it",
        )


def _counts_by_village(classified: pl.DataFrame) -> dict[int, Counts]:
    import polars as pl

    grouped = (
        classified.lazy()
        .select(
            "village",
            pl.col("status").fill_null(UNCLASSIFIED),
            pl.col("member_count").fill_null(0),
        )
        .group_by("village", "status")
        .agg(pl.len().alias("households"), pl.col("member_count").sum().alias("people"))
        .collect()
    )
    out: dict[int, Counts] = {}
    for village, status, households, people in grouped.iter_rows():  # villages × 5 rows at most
        counts = out.setdefault(village, Counts())
        setattr(counts, status, households)
        setattr(counts, f"{status}_people", people)
    return out


def _villages_in_order(
    user: User, unit: Unit, day: datetime.date, with_households: set[int]
) -> list[tuple[Unit, Unit | None]]:
    """(village, its parent) for the villages of ``unit`` the user may see — those with households, and
    the others valid on ``day`` — ordered like the unit tree (each level by official order, then name)."""
    units = {
        u.pk: u for u in units_visible_to(user).filter(path__startswith=unit.path).select_related("level")
    }

    def key(u: Unit) -> tuple[tuple[int, str], ...]:
        chain = []
        current: Unit | None = u
        while current is not None:
            chain.append((current.sort_order, current.name))
            current = units.get(current.parent_id) if current.pk != unit.pk else None  # type: ignore[arg-type]
        return tuple(reversed(chain))

    villages = [
        u
        for u in units.values()
        if u.pk in with_households or (u.level.code == "village" and u.is_valid_on(day))
    ]
    return [(v, units.get(v.parent_id)) for v in sorted(villages, key=key)]  # type: ignore[arg-type]


def whatif_counts(*, user: User, unit: Unit, standard: Standard, review_date: datetime.date) -> WhatIf:
    """Per-village counts of households and people by status if ``standard`` were applied at
    ``review_date`` to the current register of ``unit`` (and everything below it). Saves nothing."""
    _require_visible(user, unit)
    started = time.perf_counter()
    households = Household.objects.filter(
        scope_q(user, field="unit_path"), unit_path__startswith=unit.path, dissolved_on__isnull=True
    )
    members = Member.objects.filter(scope_q(user, field="unit_path"), unit_path__startswith=unit.path)
    facts = register_facts(households=households, members=members)
    classified = classify_register(facts, standard, review_date)
    counting = time.perf_counter()
    by_village = _counts_by_village(classified)
    rows = [
        VillageCounts(village=village, commune=parent, counts=by_village.get(village.pk, Counts()))
        for village, parent in _villages_in_order(user, unit, review_date, set(by_village))
    ]
    total = Counts()
    for row in rows:
        total.add(row.counts)
    timings = dict(facts.timings)
    timings["count"] = time.perf_counter() - counting
    timings["total"] = time.perf_counter() - started
    return WhatIf(
        unit=unit, standard=standard, review_date=review_date, rows=rows, total=total, timings=timings
    )
