"""Aggregate figures for the dashboard and the progress reports: selectors that answer "how many, how much"
for a unit and each unit below it, at a date or over a period.

Every function takes the acting user and applies ``scope_q``. Each figure is **one SQL aggregate grouped by
the rows' own ``unit_path``** (the village's path), whatever the size of the unit; the grouped rows (one per
village: about a thousand for a province of 100 communes) are then rolled up in Python to the unit's direct
children by path prefix. No query runs per unit.

**Status at a date.** A household's status on day D is its result in the latest *decided* round of its
commune held on or before D: the latest regular (yearly) round gives everyone's status, and decided ad-hoc
(monthly) rounds held after it override it for the households they cover. Ad-hoc results are few, so the
override is applied in Python to the grouped counts (two small queries), and as explicit id lists in the
filters of the indicator queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypedDict, cast

from django.db import connection, connections, models, transaction
from django.db.models import Count, Exists, Lookup, Max, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.common.replicas import read_alias
from giamngheo.households.models import Household, Member
from giamngheo.households.selectors import households_visible_to, register_counts, register_counts_by_day
from giamngheo.reviews.models import ReviewResult, ReviewRound, RoundKind, RoundState, effective_date
from giamngheo.standards.ages import add_months
from giamngheo.standards.formatting import percent
from giamngheo.standards.loader import standard_for_year
from giamngheo.standards.transitions import ON_LISTS
from giamngheo.support.kinds import SupportKind, SupportStatus
from giamngheo.support.models import (
    Activity,
    EscapePlan,
    Flow,
    LedgerEntry,
    Milestone,
    PlanStatus,
    Support,
)
from giamngheo.units.models import Unit, UnitMove
from giamngheo.units.selectors import scope_q

POOR, NEAR_POOR = ON_LISTS
LIVE = ~Q(status=SupportStatus.CANCELLED)
CHUNK = 2000


class Scope(TypedDict):
    """The ``user`` and ``unit`` every figure is read for, passed on as ``**scope``."""

    user: User
    unit: Unit


# ``values()`` rows taken as the plain dicts they are: keys are popped and values set.
Rows = Iterable[dict[str, Any]]


# --- PostgreSQL: a list of ids as one array parameter -------------------------------------------------------


class AnyOf(Lookup):
    """``field = ANY(%s)`` with the whole list as one array parameter (PostgreSQL only).

    ``__in`` with tens of thousands of ids makes Django prepare one placeholder per id, which costs seconds;
    an array is one parameter, and the server hashes it.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):  # type: ignore[no-untyped-def]
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(self.rhs)]


for _field in (models.ForeignKey, models.BigAutoField, models.AutoField):
    _field.register_lookup(AnyOf)


# --- PostgreSQL's JIT ---------------------------------------------------------------------------------------


@contextmanager
def aggregate_session() -> Iterator[None]:
    """Run a set of figures in one read transaction with PostgreSQL's JIT compiler off.

    The EXISTS sub-queries of the indicator counts make the planner's cost estimates huge, which triggers
    JIT compilation: measured on the 300,000-household benchmark it took ~7 s of an 8 s query whose
    execution needs well under a second (bench/RESULTS-progress.md). ``SET LOCAL`` limits the change to
    this transaction. (Setting ``jit=off`` for the whole connection in the database options would do the
    same for every page.) On SQLite ``atomic`` is ``BEGIN IMMEDIATE`` (the write lock): a read-only page
    takes a deferred read transaction instead (one WAL snapshot, never the write lock). On a read-only page
    with a read replica (``giamngheo.common.replicas``) the transaction is the replica's, where the reads go.
    """
    alias = read_alias()
    connection = connections[alias]
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")  # it only read
        return
    with transaction.atomic(using=alias, savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Also room for the grouped sorts of a province (~130,000 member rows) in memory, not on disk.
                cursor.execute("SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)")
        yield


# --- paths and roll-up --------------------------------------------------------------------------------------


def child_path_of(path: str, unit: Unit) -> str | None:
    """The path of the direct child of ``unit`` that contains ``path`` (None for the unit's own path)."""
    if not path.startswith(unit.path) or path == unit.path:
        return None
    rest = path[len(unit.path) :].split("/", 1)[0]
    return f"{unit.path}{rest}/"


def rollup(rows: dict[str, dict[str, int]], unit: Unit) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """Sum per-path rows into the unit's total and its children's totals."""
    total: dict[str, int] = defaultdict(int)
    children: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for path, values in rows.items():
        if not path.startswith(unit.path):
            continue
        child = child_path_of(path, unit)
        for key, value in values.items():
            total[key] += value or 0
            if child is not None:
                children[child][key] += value or 0
    return dict(total), {k: dict(v) for k, v in children.items()}


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


# --- indicators ---------------------------------------------------------------------------------------------

INDICATOR_CODES = ("loans", "health_insurance", "schooling", "housing", "jobs")


def _years_before(day: datetime.date, years: int) -> datetime.date:
    return add_months(day, -12 * years)


def _school_ages(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Birth-date bounds of the children the schooling indicator counts (its ages are the standard's)."""
    standard = standard_for_year(on.year)
    params = standard.indicator("child_schooling").params
    youngest_born_by = _years_before(on, params["min_age"])  # born on or before → at least min_age
    oldest_born_after = _years_before(on, params["under_age"])  # born after → under under_age
    return oldest_born_after, youngest_born_by


MEMBER_INDICATORS = frozenset({"health_insurance", "schooling", "jobs"})


def indicator_counts(
    *,
    user: User,
    unit: Unit,
    basis: Basis,
    over: Overrides,
    codes: Iterable[str] = INDICATOR_CODES,
) -> dict[str, dict[str, int]]:
    """Numerators and denominators of the plan's indicator targets on ``basis.on``, per village path.

    * ``health_insurance``: people of poor and near-poor households / those with a valid card (the register's
      fact, or a delivered card whose validity covers the day);
    * ``schooling``: their children of school age (the standard's ages) / those attending school (the
      register's fact, or a schooling support delivered in the 12 months before the day);
    * ``jobs``: their members who need job help (a job support recorded) / those who got it (delivered);
    * ``loans``: poor, near-poor and newly-escaped households (on a list at a decided review within the
      standard's ``newly_escaped_years``) that need a loan (a loan recorded, met or not) / those that got one;
    * ``housing``: poor and near-poor households with a damaged house (the standard's deprived dwellings) or a
      housing support / those whose house was surveyed or helped (a housing support recorded).

    Three queries: over members, over households, over loan records — only those the ``codes`` asked for
    need (the plan page asks for loans and jobs alone: two).
    """
    if basis.empty:
        return {}
    wanted = set(codes)
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    if wanted & MEMBER_INDICATORS:
        _member_counts(counts, user=user, unit=unit, basis=basis, over=over)
    if "housing" in wanted:
        _housing_counts(counts, user=user, unit=unit, basis=basis, over=over)
    if "loans" in wanted:
        _loan_counts(counts, user=user, unit=unit, basis=basis, over=over)
    return dict(counts)


def _member_counts(
    counts: dict[str, dict[str, int]], *, user: User, unit: Unit, basis: Basis, over: Overrides
) -> None:
    on = basis.on
    on_list = on_list_q(basis, over)
    oldest_born_after, youngest_born_by = _school_ages(on)
    member_supports = Support.objects.filter(LIVE, member_id=OuterRef("pk"), date__lte=on)
    valid_card = member_supports.filter(
        kind=SupportKind.HEALTH_INSURANCE, status=SupportStatus.DELIVERED
    ).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    school_help = member_supports.filter(
        kind=SupportKind.SCHOOLING, status=SupportStatus.DELIVERED, date__gt=_years_before(on, 1)
    )
    job_need = member_supports.filter(kind=SupportKind.JOB)
    job_met = job_need.filter(status=SupportStatus.DELIVERED)
    child = Q(birth_date__gt=oldest_born_after, birth_date__lte=youngest_born_by)
    members = (
        Member.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path)
        .filter(on_list)
        .values("unit_path")
        .annotate(
            people=Count("id"),
            insured=Count("id", filter=Q(has_health_insurance=True) | Q(Exists(valid_card))),
            insurance_unknown=Count(
                "id", filter=Q(has_health_insurance__isnull=True) & ~Q(Exists(valid_card))
            ),
            children=Count("id", filter=child),
            attending=Count("id", filter=child & (Q(attending_school=True) | Q(Exists(school_help)))),
            job_need=Count("id", filter=Q(Exists(job_need))),
            job_met=Count("id", filter=Q(Exists(job_met))),
        )
    )
    for row in members:
        counts[row.pop("unit_path")].update(row)


def _housing_counts(
    counts: dict[str, dict[str, int]], *, user: User, unit: Unit, basis: Basis, over: Overrides
) -> None:
    """The households on the lists (one semi-join), each with or without a housing support."""
    on = basis.on
    deprived_dwellings = standard_for_year(on.year).indicator("housing_quality").params["deprived_dwellings"]
    housing_help = Support.objects.filter(
        LIVE, household_id=OuterRef("pk"), date__lte=on, kind=SupportKind.HOUSING
    )
    households = (
        Household.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path)
        .filter(on_list_q(basis, over, field="pk"))
        .values("unit_path")
        .annotate(
            households_listed=Count("id"),
            housing_need=Count("id", filter=Q(dwelling__in=deprived_dwellings) | Q(Exists(housing_help))),
            housing_met=Count("id", filter=Q(Exists(housing_help))),
        )
    )
    for row in households:
        counts[row.pop("unit_path")].update(row)


def _loan_counts(
    counts: dict[str, dict[str, int]],
    *,
    user: User,
    unit: Unit,
    basis: Basis,
    over: Overrides,
) -> None:
    """Driven from the loan records (few), kept when the household is on a list now or was at a decided
    review within the standard's newly-escaped period (hộ mới thoát nghèo keep their loan eligibility)."""
    on = basis.on
    escaped_years = standard_for_year(on.year).transitions.newly_escaped_years
    recent = [r for r, day in basis.rounds if day > _years_before(on, escaped_years)]
    recently_on = ReviewResult.objects.filter(review_round_id__in=recent, status__in=ON_LISTS).values(
        "household_id"
    )
    eligible = Q(household_id__in=recently_on)
    if over.ids_with(ON_LISTS):
        eligible |= Q(household_id__in=over.ids_with(ON_LISTS))
    loans = (
        Support.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path)
        .filter(LIVE, kind=SupportKind.LOAN, date__lte=on)
        .filter(eligible)
        .values("unit_path")
        .annotate(
            loan_need=Count("household_id", distinct=True),
            loan_met=Count("household_id", distinct=True, filter=Q(status=SupportStatus.DELIVERED)),
        )
    )
    for row in loans:
        counts[row.pop("unit_path")].update(row)


def indicators_in_force(
    *, user: User, unit: Unit, year: int, on: datetime.date
) -> tuple[dict[str, dict], dict[str, int]]:
    """Each indicator of ``unit`` (numerator, denominator, percentage) for the people and households on the
    lists in force during ``year``, read on ``on``; and the summed counts behind them. The one definition of
    the indicators: the plan page reads them here, the dashboard and the progress report through the same
    ``lists_in_force`` basis and ``indicator_counts`` (issue 11 A: one figure per indicator everywhere)."""
    basis = status_basis(unit=unit, on=on, in_force_for=year)
    over = overrides(user=user, unit=unit, basis=basis)
    total, _children = rollup(indicator_counts(user=user, unit=unit, basis=basis, over=over), unit)
    return indicator_values(total), total


def indicator_values(totals: dict[str, int]) -> dict[str, dict]:
    """From summed counts to each indicator's numerator, denominator and percentage (None without a need)."""
    pairs = {
        "loans": ("loan_met", "loan_need"),
        "health_insurance": ("insured", "people"),
        "schooling": ("attending", "children"),
        "housing": ("housing_met", "housing_need"),
        "jobs": ("job_met", "job_need"),
    }
    values = {}
    for code, (num, den) in pairs.items():
        n, d = totals.get(num, 0), totals.get(den, 0)
        values[code] = {"numerator": n, "denominator": d, "percent": percent(n, d) if d else None}
    return values


# --- supports, money, plans, organisations, activities over a period ----------------------------------------


def supports_delivered(
    *, user: User, unit: Unit, start: datetime.date, end: datetime.date
) -> dict[str, dict[str, int]]:
    """Delivered supports by village path: count, households and value per kind, and all kinds together."""
    rows = (
        Support.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path)
        .filter(status=SupportStatus.DELIVERED, date__gte=start, date__lte=end)
        .values("unit_path", "kind")
        .annotate(n=Count("id"), households=Count("household_id", distinct=True), amount=Sum("amount"))
    )
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        bucket = counts[row["unit_path"]]
        bucket[f"{row['kind']}__count"] += row["n"]
        bucket[f"{row['kind']}__households"] += row["households"]
        bucket[f"{row['kind']}__amount"] += row["amount"] or 0
        bucket["count"] += row["n"]
        bucket["amount"] += row["amount"] or 0
    return {k: dict(v) for k, v in counts.items()}


def needs_open(*, user: User, unit: Unit, on: datetime.date) -> dict[str, int]:
    """Recorded needs not met yet on ``on``, by kind (for the dashboard)."""
    rows = (
        Support.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path)
        .filter(status__in=[SupportStatus.NEEDED, SupportStatus.IN_PROGRESS], date__lte=on)
        .values("kind")
        .annotate(n=Count("id"))
    )
    return {row["kind"]: row["n"] for row in rows}


def money_by_source(*, user: User, unit: Unit, start: datetime.date, end: datetime.date) -> list[dict]:
    """Each source managed at or below ``unit``: received and spent in the period (net of reversals) and the
    balance at its end. One query."""
    money_in = Q(flow=Flow.IN, date__gte=start)
    money_out = Q(flow=Flow.OUT, date__gte=start)
    rows = (
        LedgerEntry.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path, date__lte=end)
        .values("unit_path", "source_id", "source__name", "source__kind")
        .annotate(
            received=Sum("signed_amount", filter=money_in),
            spent=Sum("signed_amount", filter=money_out),
            balance=Sum("signed_amount"),
        )
        .order_by("unit_path", "source__kind", "source__name")
    )
    return [
        {
            "unit_path": row["unit_path"],
            "source_id": row["source_id"],
            "name": row["source__name"],
            "kind": row["source__kind"],
            "received": row["received"] or 0,
            "spent": -(row["spent"] or 0),
            "balance": row["balance"] or 0,
        }
        for row in rows
    ]


def spending_by_target(
    *, user: User, unit: Unit, start: datetime.date, end: datetime.date
) -> dict[str, dict[str, int]]:
    """Money spent in the period by where it went (household village, or the source's unit)."""
    rows = (
        LedgerEntry.objects.filter(scope_q(user, "target_path"), target_path__startswith=unit.path)
        .filter(flow=Flow.OUT, date__gte=start, date__lte=end)
        .values("target_path")
        .annotate(spent=Sum("signed_amount"))
    )
    return {row["target_path"]: {"spent": -(row["spent"] or 0)} for row in rows}


def plan_counts(
    *, user: User, unit: Unit, year: int, start: datetime.date, end: datetime.date
) -> dict[str, dict[str, int]]:
    """Escape plans of ``year`` by status, and their milestones due and done, per village path (2 queries)."""
    rows = (
        EscapePlan.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path, year=year)
        .values("unit_path")
        .annotate(
            plans=Count("id"),
            **{f"plans_{status}": Count("id", filter=Q(status=status)) for status in PlanStatus.values},
            with_organisation=Count("id", filter=Q(organisation__isnull=False)),
        )
    )
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        counts[row.pop("unit_path")].update(row)
    milestones = (
        Milestone.objects.filter(scope_q(user, "plan__unit_path"), plan__unit_path__startswith=unit.path)
        .filter(plan__year=year)
        .values("plan__unit_path")
        .annotate(
            milestones_due=Count("id", filter=Q(due_date__lte=end)),
            milestones_done=Count("id", filter=Q(done_on__isnull=False, done_on__lte=end)),
            milestones_done_in_period=Count("id", filter=Q(done_on__gte=start, done_on__lte=end)),
            milestones_late=Count(
                "id", filter=Q(due_date__lt=end) & (Q(done_on__isnull=True) | Q(done_on__gt=end))
            ),
        )
    )
    for row in milestones:
        counts[row.pop("plan__unit_path")].update(row)
    return dict(counts)


def organisation_results(
    *,
    user: User,
    unit: Unit,
    year: int,
    start: datetime.date,
    end: datetime.date,
    basis: Basis,
    over: Overrides,
) -> list[dict]:
    """Per organisation: its caseload of escape plans, their status, the households out of poverty on the
    period's end (poor at the start and not poor now; near-poor at the start and off the lists now), and the
    supports it delivered in the period. Three queries (and the households on the lists, shared)."""
    plans = EscapePlan.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path, year=year)
    rows = (
        plans.values("organisation_id", "organisation__name", "organisation__kind", "organisation__unit_path")
        .annotate(
            caseload=Count("id"),
            achieved=Count("id", filter=Q(status=PlanStatus.ACHIEVED)),
            in_progress=Count("id", filter=Q(status=PlanStatus.IN_PROGRESS)),
        )
        .order_by("organisation__unit_path", "organisation__kind", "organisation__name")
    )
    # Out of poverty, by the review: compared in Python with the lists (read once per report) — a NOT IN
    # over ~36,000 ids inside an aggregate's FILTER is slow on PostgreSQL, and one row per plan is cheap.
    improved: dict[int | None, int] = defaultdict(int)
    if not basis.empty:
        now = listed_households(basis, over)
        for organisation_id, household_id, start_status in plans.values_list(
            "organisation_id", "household_id", "status_at_start"
        ):
            status = now.get(household_id)
            if (start_status == POOR and status != POOR) or (start_status == NEAR_POOR and status is None):
                improved[organisation_id] += 1
    results = {
        row["organisation_id"]: {
            "organisation_id": row["organisation_id"],
            "name": row["organisation__name"],
            "kind": row["organisation__kind"],
            "unit_path": row["organisation__unit_path"],
            "caseload": row["caseload"],
            "achieved": row["achieved"],
            "in_progress": row["in_progress"],
            "improved": improved[row["organisation_id"]],
            "supports": 0,
            "amount": 0,
        }
        for row in rows
    }
    delivered = (
        Support.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path)
        .filter(status=SupportStatus.DELIVERED, date__gte=start, date__lte=end, organisation__isnull=False)
        .values("organisation_id", "organisation__name", "organisation__kind", "organisation__unit_path")
        .annotate(n=Count("id"), amount=Sum("amount"))
    )
    for row in delivered:
        entry = results.setdefault(
            row["organisation_id"],
            {
                "organisation_id": row["organisation_id"],
                "name": row["organisation__name"],
                "kind": row["organisation__kind"],
                "unit_path": row["organisation__unit_path"],
                "caseload": 0,
                "achieved": 0,
                "in_progress": 0,
                "improved": 0,
                "supports": 0,
                "amount": 0,
            },
        )
        entry["supports"] = row["n"]
        entry["amount"] = row["amount"] or 0
    return list(results.values())


def activity_counts(
    *, user: User, unit: Unit, start: datetime.date, end: datetime.date
) -> dict[str, dict[str, int]]:
    rows = (
        Activity.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path)
        .filter(date__gte=start, date__lte=end)
        .values("unit_path", "kind")
        .annotate(n=Count("id"), reach=Sum("reach"))
    )
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        bucket = counts[row["unit_path"]]
        bucket[f"{row['kind']}__count"] += row["n"]
        bucket[f"{row['kind']}__reach"] += row["reach"] or 0
        bucket["activities"] += row["n"]
        bucket["reach"] += row["reach"] or 0
    return {k: dict(v) for k, v in counts.items()}


# --- households needing attention ---------------------------------------------------------------------------


def attention(*, user: User, unit: Unit, basis: Basis, over: Overrides, year: int, limit: int = 8) -> dict:
    """Households needing attention on ``basis.on``: poor or near-poor without an escape plan for ``year``; a
    child of school age out of school; a person without health insurance (both in poor and near-poor
    households, whom the programme covers). Three queries, each returning the first ``limit`` + 1 rows."""
    if basis.empty:
        return {"no_plan": [], "out_of_school": [], "uninsured": []}
    on = basis.on
    on_list = on_list_q(basis, over)
    no_plan = list(
        Household.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path)
        .filter(on_list_q(basis, over, field="pk"))
        .exclude(Exists(EscapePlan.objects.filter(household_id=OuterRef("pk"), year=year)))
        .select_related("village")
        .order_by("unit_path", "code")[: limit + 1]
    )
    oldest_born_after, youngest_born_by = _school_ages(on)
    school_help = Support.objects.filter(
        LIVE,
        member_id=OuterRef("pk"),
        kind=SupportKind.SCHOOLING,
        status=SupportStatus.DELIVERED,
        date__lte=on,
        date__gt=_years_before(on, 1),
    )
    members = Member.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path).filter(
        on_list
    )
    out_of_school = list(
        members.filter(
            birth_date__gt=oldest_born_after, birth_date__lte=youngest_born_by, attending_school=False
        )
        .exclude(Exists(school_help))
        .select_related("household__village")
        .order_by("unit_path", "household_id", "id")[: limit + 1]
    )
    valid_card = Support.objects.filter(
        LIVE,
        member_id=OuterRef("pk"),
        kind=SupportKind.HEALTH_INSURANCE,
        status=SupportStatus.DELIVERED,
        date__lte=on,
    ).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    uninsured = list(
        members.exclude(has_health_insurance=True)
        .exclude(Exists(valid_card))
        .select_related("household__village")
        .order_by("unit_path", "household_id", "id")[: limit + 1]
    )
    return {"no_plan": no_plan, "out_of_school": out_of_school, "uninsured": uninsured}


def households_on_list(*, user: User, unit: Unit, basis: Basis, over: Overrides) -> QuerySet[Household]:
    return Household.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path).filter(
        on_list_q(basis, over, field="pk")
    )
