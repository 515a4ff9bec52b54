"""What-if: how many households (and people) of a unit would be poor, near-poor, … under a standard.

Nothing is saved. The register's current facts are classified under the standard given, at the review
date given (ages are taken then), for every open household of the unit that the user may see, and counted
per village. A household whose facts cannot be classified (no income per capita in the register) is
counted as ``unclassified``: the what-if never guesses an income.

People are the household's registered members, or its declared size when none is registered — the
``members`` figure a review result records (``reviews.services.survey_record``).

Memory is bounded by a province: the nation (``unit=None``), or any unit above province level, is read
province by province — one province's frames in memory at a time, the counts added — since the nation's
register (27 M households) does not fit in memory as frames, and a province's does.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from django.db.models import Q

from giamngheo.accounts.models import User
from giamngheo.bulk.facts_frame import register_facts
from giamngheo.bulk.indicators_frame import classify_register
from giamngheo.errors import InputError
from giamngheo.households.models import Household, Member
from giamngheo.standards.classify import AVERAGE, NEAR_POOR, NOT_POOR, POOR
from giamngheo.standards.model import Standard
from giamngheo.units.models import Unit, UnitLevel
from giamngheo.units.selectors import scope_q, units_visible_to

if TYPE_CHECKING:
    import polars as pl

UNCLASSIFIED = "unclassified"
PROVINCE = "province"  # the level read as one part (``units.levels``)
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
    unit: Unit | None  # None: the nation
    standard: Standard
    review_date: datetime.date
    rows: list[VillageCounts]  # every village of the unit, in the official order
    total: Counts
    # seconds: read_households, read_members, compute, count (summed over the parts), slowest_part, total
    timings: dict[str, float] = field(default_factory=dict)
    parts: int = 1  # units read one after the other: the provinces of the nation, else the unit itself

    @property
    def name(self) -> str:
        return self.unit.name if self.unit is not None else "the nation"

    @property
    def display_name(self) -> str:
        return self.unit.display_name if self.unit is not None else "Cả nước"


def _require_visible(user: User, unit: Unit | None) -> None:
    if unit is None:
        visible = user.is_system_admin
        name_vi, name_en = "cả nước", "the nation"
    else:
        visible = units_visible_to(user).filter(pk=unit.pk).exists()
        name_vi = name_en = unit.name
    if not visible:
        raise InputError.single(
            f"Bạn không có quyền xem số liệu của {name_vi}",
            f"You may not see the figures of {name_en}",
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
    # one level object per level, not one per unit: the nation's rows keep ~100,000 villages (2.3 → 1 kB each)
    levels: dict[int, UnitLevel] = {}
    for u in units.values():
        u.level = levels.setdefault(u.level_id, u.level)

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


def _province_rank() -> int:
    return UnitLevel.objects.filter(code=PROVINCE).values_list("rank", flat=True).first() or 0


def _above_province(unit: Unit) -> bool:
    """A unit of a level ranked above the province's (provinces are the root level today, ``units.levels``:
    none is). One query: the two levels' ranks."""
    ranks = dict(UnitLevel.objects.filter(Q(code=PROVINCE) | Q(pk=unit.level_id)).values_list("code", "rank"))
    return PROVINCE in ranks and min(ranks.values()) < ranks[PROVINCE]


def _provinces(user: User, parent: Unit | None, province_rank: int | None = None) -> list[Unit]:
    """The provinces under ``parent`` (``None``: the nation) that the user may see, in the official order;
    a unit of a level above them (a region, should one be added) is gone through to its provinces."""
    rank = _province_rank() if province_rank is None else province_rank
    children = units_visible_to(user).filter(parent=parent).order_by("sort_order", "name")
    return [
        province
        for child in children
        for province in (_provinces(user, child, rank) if child.level.rank < rank else [child])
    ]


def _part_counts(
    user: User, unit: Unit, standard: Standard, review_date: datetime.date, timings: dict[str, float]
) -> list[VillageCounts]:
    """The village rows of one part; its frames are dropped on return. Adds its seconds to ``timings``."""
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
    for name, seconds in [*facts.timings.items(), ("count", time.perf_counter() - counting)]:
        timings[name] = timings.get(name, 0.0) + seconds
    timings["slowest_part"] = max(timings.get("slowest_part", 0.0), time.perf_counter() - started)
    return rows


def whatif_counts(*, user: User, unit: Unit | None, standard: Standard, review_date: datetime.date) -> WhatIf:
    """Per-village counts of households and people by status if ``standard`` were applied at
    ``review_date`` to the current register of ``unit`` (and everything below it; ``None``: the nation, for
    a system administrator). Saves nothing. Above province level, province by province (module docstring):
    the rows and counts are the same as in one read."""
    _require_visible(user, unit)
    started = time.perf_counter()
    # a province or below: one read; the nation (or a region): province by province
    parts = [unit] if unit is not None and not _above_province(unit) else _provinces(user, unit)
    timings: dict[str, float] = {}
    rows = [row for part in parts for row in _part_counts(user, part, standard, review_date, timings)]
    total = Counts()
    for row in rows:
        total.add(row.counts)
    timings["total"] = time.perf_counter() - started
    return WhatIf(
        unit=unit,
        standard=standard,
        review_date=review_date,
        rows=rows,
        total=total,
        timings=timings,
        parts=len(parts),
    )
