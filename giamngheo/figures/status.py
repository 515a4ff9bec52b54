"""Status at a date: a household's status on day D is its result in the latest *decided* round of its
commune held on or before D: the latest regular (yearly) round gives everyone's status, and decided ad-hoc
(monthly) rounds held after it override it for the households they cover. Ad-hoc results are few, so the
override is applied in Python to the grouped counts (two small queries), and as explicit id lists in the
filters of the indicator queries. Also the lists in force during a year, the counts by status and their
rates, and the yearly trend."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.db import connection
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.figures.common import NEAR_POOR, POOR, AnyOf, Rows
from giamngheo.households.selectors import households_visible_to, register_counts, register_counts_by_day
from giamngheo.reviews.models import ReviewResult, ReviewRound, RoundKind, RoundState, effective_date
from giamngheo.standards.formatting import percent
from giamngheo.standards.transitions import ON_LISTS
from giamngheo.units.models import Unit, UnitMove
from giamngheo.units.selectors import scope_q

CHUNK = 2000


# --- status at a date ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Basis:
    """The decided rounds that give every household's status on ``on`` (see the module's docstring)."""

    on: datetime.date
    base_round_ids: tuple[int, ...]
    adhoc_round_ids: tuple[int, ...]
    base_years: dict[int, int] = field(default_factory=dict)  # commune id → year of its regular round
    rounds: tuple[tuple[int, datetime.date], ...] = ()  # every decided round in effect by ``on``: (id, date)
    # Rounds whose results count only under a path (round id, path), when villages moved between communes
    # (``units.UnitMove``): a round of a commune that lost villages counts only the households still under
    # its path; a round carried for a moved village — its former commune's latest before the move, while
    # its new commune has not reviewed since — counts only that village's households. Empty without moves.
    base_scoped: tuple[tuple[int, str], ...] = ()
    adhoc_scoped: tuple[tuple[int, str], ...] = ()
    moves: tuple[dict, ...] = field(
        default=(), compare=False, repr=False
    )  # read once, for ``lists_in_force``

    @property
    def empty(self) -> bool:
        return not (self.base_round_ids or self.adhoc_round_ids or self.base_scoped or self.adhoc_scoped)

    def same_rounds(self, other: Basis) -> bool:
        return (self.base_round_ids, self.adhoc_round_ids, self.base_scoped, self.adhoc_scoped) == (
            other.base_round_ids,
            other.adhoc_round_ids,
            other.base_scoped,
            other.adhoc_scoped,
        )

    def base_q(self) -> Q:
        """Review results of the base (regular) rounds, for a filter on ``ReviewResult``."""
        return _rounds_q(self.base_round_ids, self.base_scoped)

    def adhoc_q(self) -> Q:
        return _rounds_q(self.adhoc_round_ids, self.adhoc_scoped)


def _rounds_q(round_ids: tuple[int, ...], scoped: tuple[tuple[int, str], ...]) -> Q:
    q = Q(review_round_id__in=round_ids)
    for round_id, path in scoped:
        q |= Q(review_round_id=round_id, unit_path__startswith=path)
    return q


def _ancestor_codes(unit: Unit) -> list[str]:
    return unit.path.strip("/").split("/")


def status_basis(
    *, unit: Unit, on: datetime.date, in_force_for: int | None = None, moves: tuple[dict, ...] | None = None
) -> Basis:
    """The decided rounds held on or before ``on`` of the communes at, above or below ``unit`` (one query;
    one more, of a small table, for the villages that moved between communes).

    ``in_force_for=Y`` gives the lists *in force during year Y* instead: the lists of a yearly review take
    effect for the year after it, so the regular rounds of Y itself are left out (the plan of Y works on the
    lists of Y − 1, amended by the ad-hoc reviews of Y). Indicators and escape plans are about these lists;
    the rates at the end of Y are the result of the review of Y.
    """
    moves = _village_moves(unit) if moves is None else moves
    # A decided list takes effect from its decision's date (``effective``), not its nominal review date.
    rounds = list(
        ReviewRound.objects.annotate(effective=effective_date())
        .filter(state=RoundState.DECIDED, effective__lte=on)
        .filter(
            Q(commune__path__startswith=unit.path)
            | Q(commune__code__in=_ancestor_codes(unit))
            | Q(commune_id__in={m["old_parent_id"] for m in moves})
        )
        .values("id", "commune_id", "commune__path", "kind", "effective", "year")
        .order_by("effective", "id")
    )
    moved_from = {m["old_parent_id"] for m in moves}
    # A former commune outside ``unit`` is read only for its moved villages (below).
    own = [
        r
        for r in rounds
        if r["commune_id"] not in moved_from
        or r["commune__path"].startswith(unit.path)
        or unit.path.startswith(r["commune__path"])
    ]
    base, adhoc = _base_and_adhoc(own, in_force_for)
    scoped_communes = {r["commune_id"]: r["commune__path"] for r in own if r["commune_id"] in moved_from}
    base_ids = [r["id"] for c, r in base.items() if c not in scoped_communes]
    adhoc_ids = [r["id"] for r in adhoc if r["commune_id"] not in scoped_communes]
    base_scoped = [(r["id"], scoped_communes[c]) for c, r in base.items() if c in scoped_communes]
    adhoc_scoped = [
        (r["id"], scoped_communes[r["commune_id"]]) for r in adhoc if r["commune_id"] in scoped_communes
    ]
    for move in moves:
        current = base.get(move["unit__parent_id"])
        if current is not None and current["effective"] > move["moved_at"]:
            continue  # the new commune has reviewed since: its round holds the village's households
        before = [
            r
            for r in rounds
            if r["commune_id"] == move["old_parent_id"] and r["effective"] <= move["moved_at"]
        ]
        carried, carried_adhoc = _base_and_adhoc(before, in_force_for)
        old = carried.get(move["old_parent_id"])
        if old is not None:
            base_scoped.append((old["id"], move["unit__path"]))
        adhoc_scoped += [(r["id"], move["unit__path"]) for r in carried_adhoc]
    return Basis(
        on=on,
        base_round_ids=tuple(base_ids),
        adhoc_round_ids=tuple(adhoc_ids),
        base_years={c: r["year"] for c, r in base.items()},
        rounds=tuple((r["id"], r["effective"]) for r in rounds),
        base_scoped=tuple(sorted(base_scoped)),
        adhoc_scoped=tuple(sorted(adhoc_scoped)),
        moves=moves,
    )


def _base_and_adhoc(rounds: list[dict], in_force_for: int | None) -> tuple[dict[int, dict], list[dict]]:
    """Per commune its latest regular round (by date; ``in_force_for``: see ``status_basis``), and the
    ad-hoc rounds held after it."""
    base: dict[int, dict] = {}
    for r in rounds:
        if r["kind"] == RoundKind.REGULAR and (in_force_for is None or r["year"] < in_force_for):
            base[r["commune_id"]] = r  # ordered by date: the last one wins
    adhoc = [
        r
        for r in rounds
        if r["kind"] == RoundKind.ADHOC
        and (r["commune_id"] not in base or r["effective"] > base[r["commune_id"]]["effective"])
    ]
    return base, adhoc


def _village_moves(unit: Unit) -> tuple[dict, ...]:
    """The latest move of each village now under ``unit`` that came from another commune (usually none)."""
    latest: dict[int, dict] = {}
    for move in cast(
        Rows,
        UnitMove.objects.filter(
            unit__path__startswith=unit.path, unit__level__code="village", old_parent__isnull=False
        )
        .values("unit_id", "unit__path", "unit__parent_id", "old_parent_id", "moved_at")
        .order_by("moved_at", "id"),
    ):
        move["moved_at"] = timezone.localdate(move["moved_at"])
        latest[move["unit_id"]] = move
    return tuple(latest.values())


@dataclass(frozen=True)
class Overrides:
    """Households whose status comes from an ad-hoc round: their latest ad-hoc result and their base one."""

    latest: dict[int, dict]  # household id → {status, members, unit_path}
    base: dict[int, dict]
    # The households on the lists under this basis, read once and reused by every figure (PostgreSQL only).
    cache: dict[str, dict[int, str]] = field(default_factory=dict, compare=False, repr=False)

    def ids_with(self, statuses: Iterable[str]) -> list[int]:
        wanted = set(statuses)
        return [h for h, row in self.latest.items() if row["status"] in wanted]

    def ids_without(self, statuses: Iterable[str]) -> list[int]:
        wanted = set(statuses)
        return [h for h, row in self.latest.items() if row["status"] not in wanted]


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def overrides(*, user: User, unit: Unit, basis: Basis) -> Overrides:
    if not (basis.adhoc_round_ids or basis.adhoc_scoped):
        return Overrides({}, {})
    latest: dict[int, dict] = {}
    rows = (
        ReviewResult.objects.filter(scope_q(user, "unit_path"), basis.adhoc_q())
        .filter(unit_path__startswith=unit.path)
        .values("household_id", "status", "members", "unit_path")
        .order_by(effective_date("review_round__"), "id")
    )
    for row in cast(Rows, rows):
        latest[row.pop("household_id")] = row
    base: dict[int, dict] = {}
    for ids in _chunks(list(latest)):
        for row in cast(
            Rows,
            ReviewResult.objects.filter(basis.base_q(), household_id__in=ids).values(
                "household_id", "status", "members", "unit_path"
            ),
        ):
            base[row.pop("household_id")] = row
    return Overrides(latest, base)


def lists_in_force(
    *, user: User, unit: Unit, on: datetime.date, year: int, status: Basis, status_over: Overrides
) -> tuple[Basis, Overrides]:
    """The basis of the lists in force during ``year`` (see ``status_basis``), reusing ``status`` when the
    rounds are the same (a month or a quarter before the yearly review is decided)."""
    lists = status_basis(unit=unit, on=on, in_force_for=year, moves=status.moves)
    if lists.same_rounds(status):
        return status, status_over
    return lists, overrides(user=user, unit=unit, basis=lists)


COUNT_KEYS = ("households", "people", "poor", "poor_people", "near_poor", "near_poor_people")


def _add_listed(bucket: dict[str, int], row: dict, sign: int) -> None:
    """Count (or un-count) one result on the lists; the register's totals do not depend on the lists."""
    if row["status"] in ON_LISTS:
        bucket[row["status"]] += sign
        bucket[f"{row['status']}_people"] += sign * (row["members"] or 0)


def status_counts(
    *, user: User, unit: Unit, basis: Basis, over: Overrides | None = None
) -> dict[str, dict[str, int]]:
    """Households and people by status on ``basis.on`` for each village path under ``unit``.

    ``households`` and ``people`` are the register's on that day (every household of the village, listed by
    a round or not): the denominators of the rates. The poor and near-poor come from the lists in force."""
    if basis.empty:
        return {}
    rows = (
        ReviewResult.objects.filter(scope_q(user, "unit_path"), basis.base_q())
        .filter(unit_path__startswith=unit.path, status__in=ON_LISTS)
        .values("unit_path")
        .annotate(
            poor=Count("id", filter=Q(status=POOR)),
            poor_people=Sum("members", filter=Q(status=POOR)),
            near_poor=Count("id", filter=Q(status=NEAR_POOR)),
            near_poor_people=Sum("members", filter=Q(status=NEAR_POOR)),
        )
    )
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNT_KEYS, 0))
    registered = register_counts(households_visible_to(user), under=unit.path, on=basis.on)
    for path, values in registered.items():
        counts[path].update(values)
    for row in rows:
        counts[row.pop("unit_path")].update({k: v or 0 for k, v in row.items()})
    over = over if over is not None else overrides(user=user, unit=unit, basis=basis)
    for household_id, row in over.latest.items():
        before = over.base.get(household_id)
        if before is not None:
            _add_listed(counts[before["unit_path"]], before, -1)
        _add_listed(counts[row["unit_path"]], row, +1)
    return dict(counts)


def listed_households(basis: Basis, over: Overrides) -> dict[int, str]:
    """Household id → status of every household on the lists under this basis (one query, then cached)."""
    if "listed" not in over.cache:
        listed = dict(
            ReviewResult.objects.filter(basis.base_q(), status__in=ON_LISTS).values_list(
                "household_id", "status"
            )
        )
        for household_id, row in over.latest.items():
            if row["status"] in ON_LISTS:
                listed[household_id] = row["status"]
            else:
                listed.pop(household_id, None)
        over.cache["listed"] = listed
    return over.cache["listed"]


def on_list_q(basis: Basis, over: Overrides, *, field: str = "household_id", statuses=ON_LISTS) -> Q:
    """Rows (households, members, plans…) whose household has one of ``statuses`` on ``basis.on``.

    On PostgreSQL the households on the lists are read once per report (``listed_households``) and passed
    as a list, which the server hashes: a province's report uses them in five figures, and reading them
    from the results table each time (a heap fetch of ~36,000 rows scattered over 300,000) cost more than
    all the rest. On SQLite (a commune's data) the sub-query is cheap and keeps the statement small.
    """
    statuses = tuple(statuses)
    if connection.vendor == "postgresql":
        ids = [h for h, status in listed_households(basis, over).items() if status in statuses]
        if ids:
            return Q(**{f"{field}__{AnyOf.lookup_name}": ids})
    base = ReviewResult.objects.filter(basis.base_q(), status__in=statuses).values("household_id")
    q = Q(**{f"{field}__in": base})
    off = over.ids_without(statuses)
    if off:
        q &= ~Q(**{f"{field}__in": off})
    on = over.ids_with(statuses)
    if on:
        q |= Q(**{f"{field}__in": on})
    return q


def rates(values: dict[str, int]) -> dict[str, Decimal]:
    households = values.get("households", 0)
    return {
        "poor_rate": percent(values.get("poor", 0), households),
        "near_poor_rate": percent(values.get("near_poor", 0), households),
    }


# --- trend --------------------------------------------------------------------------------------------------


def yearly_trend(*, user: User, unit: Unit, on: datetime.date | None = None) -> list[dict]:
    """Poor and near-poor households at each decided yearly review in effect by ``on`` (default: today),
    for the unit, with the rates of the register's households when the year's lists took effect (two
    queries: the lists, then the register counted on each of those days)."""
    on = on or timezone.localdate()
    rows = list(
        ReviewResult.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path)
        .filter(review_round__kind=RoundKind.REGULAR, review_round__state=RoundState.DECIDED)
        .annotate(effective=effective_date("review_round__"))
        .filter(effective__lte=on)
        .values("review_round__year")
        .annotate(
            day=Max("effective"),
            poor=Count("id", filter=Q(status=POOR)),
            near_poor=Count("id", filter=Q(status=NEAR_POOR)),
        )
        .order_by("review_round__year")
    )
    registered = register_counts_by_day(
        households_visible_to(user), under=unit.path, days=sorted({row["day"] for row in rows})
    )
    trend = []
    for row in rows:
        values = {"households": registered[row["day"]], "poor": row["poor"], "near_poor": row["near_poor"]}
        trend.append({"year": row["review_round__year"], **values, **rates(values)})
    return trend
