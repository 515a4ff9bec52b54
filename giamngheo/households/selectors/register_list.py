"""The register's list: search (name, code or citizen ID), filters and keyset paging, as the list page and
the API show it; and the "newly escaped" cutoff its filter tests. How it stays fast on a province's million
households: the package's docstring (``giamngheo.households.selectors``).
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import DatabaseError, connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    Expression,
    F,
    Func,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Collate, StrIndex
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.households.labour import no_labour_capacity_q, standard_on
from giamngheo.households.models import Household, Member
from giamngheo.households.selectors.common import households_visible_to
from giamngheo.households.services import NAME_START
from giamngheo.standards.ages import add_months
from giamngheo.text import fold
from giamngheo.units.models import Unit, UnitLevel
from giamngheo.units.selectors import scope_q

PAGE_SIZE = 50
# A name at most this many people of the scope have (PostgreSQL's estimate) is found through the name indexes.
FEW_ROWS = 5_000
RARE_IDS_LIMIT = 2 * FEW_ROWS  # … unless its households turn out to be more than this (the estimate was off)
COUNT_CAP = 10_000
# A name search that matches thousands of people in a province is refined, not paged through: counting it
# further costs a scan of the trigram matches for nothing.
SEARCH_COUNT_CAP = 1_000
COUNT_BUDGET_MS = 100  # PostgreSQL: a count that needs longer is shown as "many", never awaited
VI_COLLATION = "vi-x-icu"
T = TypeVar("T")

STATUS_NONE = "none"  # filter value: no decided result yet
CATEGORIES = ("no_labour", "social_protection", "ethnic_minority", "meritorious", "provincial_income_support")
SORTS = ("name", "code")
# --- status from the latest decided review ----------------------------------------------------------------


def newly_escaped_cutoff(on: datetime.date) -> datetime.date:
    """The earliest leaving day that still makes a household "newly escaped" on ``on``."""
    rules = standard_on(on).transitions
    # ``on <= add_months(left, 12·N)`` ⇔ ``left >= cutoff``: add_months is monotone, so bisect for cutoff.
    months = 12 * rules.newly_escaped_years
    lo, hi = (on - datetime.timedelta(days=366 * rules.newly_escaped_years + 3)).toordinal(), on.toordinal()
    while lo < hi:
        mid = (lo + hi) // 2
        if add_months(datetime.date.fromordinal(mid), months) >= on:
            hi = mid
        else:
            lo = mid + 1
    return datetime.date.fromordinal(lo)


@functools.lru_cache(maxsize=64)
def _level_code(level_id: int) -> str:
    """Level codes by id (a handful of rows that never change meaning): no query per request."""
    return UnitLevel.objects.get(pk=level_id).code


# --- the list ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterQuery:
    """What the list page asks for (from the query string, already validated by the form)."""

    text: str = ""
    unit: Unit | None = None  # a commune or village in the user's scope
    status: str = ""  # a Status value, STATUS_NONE, or "" for any
    categories: tuple[str, ...] = ()
    newly_escaped: bool = False
    include_closed: bool = False
    sort: str = "name"
    after: int | None = None  # keyset: the id of the last row of the previous page
    known_total: int | None = None  # the first page's count, carried along so later pages do not recount
    any_order: bool = False  # match the words anywhere (set when the name as typed found nobody)
    # Test the text on rows as they are read, never through an index (set by ``register_page``).
    scan: bool = False
    # The households a rare name matched, found through the name indexes (set by ``register_page``).
    ids: tuple[int, ...] | None = None


@dataclass
class RegisterPage:
    rows: list[Household]
    next_after: int | None
    total: int | None  # None: not counted (too many to count within the budget)
    capped: bool  # True: "more than ``total``"
    cap: int = COUNT_CAP
    any_order: bool = False  # the words were matched in any order (nothing matched them as typed)
    matched_members: dict[int, list[Member]] = field(default_factory=dict)


def _has_vi_collation() -> bool:
    if connection.vendor != "postgresql":
        return False
    cached = getattr(connection, "_giamngheo_vi_collation", None)
    if cached is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [VI_COLLATION])
            cached = cursor.fetchone() is not None
        connection._giamngheo_vi_collation = cached  # type: ignore[attr-defined]
    return cached


def sort_keys(sort: str, *, few_rows: bool = False) -> list[Combinable]:
    """The ORDER BY of a sort, ending with the id so the order is total (keyset paging needs that).

    Names: PostgreSQL with ICU sorts with the Vietnamese collation (a ă â b c d đ e ê …, tones after
    letters); elsewhere (SQLite, PostgreSQL without ICU) by the folded name, then the name itself — accents
    ignored first, so "Đức" sorts with "Duc", near enough for a commune's list.

    ``few_rows``: the same order, written so no index provides it. The households of a rare name (a few
    thousand ids at most) are then read by id and sorted, instead of walking the name index testing each
    against the ids — which the planner may prefer, not knowing that the men named "nguyen huu tuan" sit
    mostly together under "Nguyễn", a quarter of the way down a million names.
    """
    if sort == "code":
        if connection.vendor == "postgresql":
            if few_rows:
                return [
                    Collate(Func(F("unit_path"), template="(%(expressions)s || '')"), "C"),
                    F("code"),
                    F("id"),
                ]
            return [Collate(F("unit_path"), "C"), Collate(F("code"), "C"), F("id")]
        return [F("unit_path"), F("code"), F("id")]
    if _has_vi_collation():
        if few_rows:
            return [Collate(Func(F("head_name"), template="(%(expressions)s || '')"), VI_COLLATION), F("id")]
        return [Collate(F("head_name"), VI_COLLATION), F("id")]
    return [F("search_text"), F("id")]


def estimated_rows(qs: QuerySet[Any]) -> int | None:
    """The planner's estimate of how many rows ``qs`` matches (PostgreSQL), from EXPLAIN: no scan."""
    if connection.vendor != "postgresql":
        return None
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


class RowAfter(Expression):
    """``(a, b, …) > (x, y, …)``: a row comparison, which PostgreSQL answers from a composite index and
    SQLite (≥ 3.15) understands too — the continuation condition of keyset paging."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, keys: Sequence[Combinable], values: Sequence[Any]) -> None:
        super().__init__()
        self.keys = list(keys)
        self.values = list(values)

    def get_source_expressions(self) -> list[Combinable]:
        return self.keys

    def set_source_expressions(self, exprs: Sequence[Combinable]) -> None:
        self.keys = list(exprs)

    def as_sql(self, compiler, connection):  # type: ignore[no-untyped-def]
        parts, params = [], []
        for key in self.keys:
            sql, key_params = compiler.compile(key)
            parts.append(sql)
            params.extend(key_params)
        marks = ", ".join(["%s"] * len(self.values))
        return f"({', '.join(parts)}) > ({marks})", [*params, *self.values]


class PkAmong(Expression):
    """``id = ANY(%s)`` with the ids as one array parameter (PostgreSQL): thousands of ids cost one
    parameter to send and plan, where ``pk__in`` would cost one each (SQLite: an ordinary ``IN``)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, ids: Sequence[int]) -> None:
        super().__init__()
        self.ids = list(ids)

    def as_sql(self, compiler, connection):  # type: ignore[no-untyped-def]
        column = compiler.compile(F("pk").resolve_expression(compiler.query))[0]
        return f"{column} = ANY(%s)", [self.ids]

    def as_sqlite(self, compiler, connection):  # type: ignore[no-untyped-def]
        column = compiler.compile(F("pk").resolve_expression(compiler.query))[0]
        if not self.ids:
            return "0 = 1", []
        return f"{column} IN ({', '.join(['%s'] * len(self.ids))})", self.ids


def _key_values(qs: QuerySet[Household], sort: str, pk: int) -> list[Any] | None:
    fields = {"code": ["unit_path", "code", "id"], "name": ["head_name", "id"]}[sort]
    if sort == "name" and not _has_vi_collation():
        fields = ["search_text", "id"]
    row = qs.filter(pk=pk).values_list(*fields).first()
    return list(row) if row else None


def search_q(text: str, *, any_order: bool = False, scan: bool = False) -> Q:
    """Name, code or citizen ID.

    * digits only, 9 or 12 long: a citizen ID (exact);
    * with a digit: a household code, or its number part ("st-001", "001");
    * otherwise a name — of the head or of any member — that starts with what was typed, accents and case
      ignored: "nguyen van d" finds "Nguyễn Văn Đức";
    * ``any_order``: each typed word starts some word of those names ("duc nguyen" finds him too) — the list
      falls back to it when the name as typed finds nobody.

    ``scan``: the test written so that no index can answer it (``strpos``/``instr`` instead of ``LIKE``),
    for when rows are better tested as they are read: a commune's few hundred table pages, or a province's
    name order for a name thousands of people have (an index-only walk of ``household_name_search_vi``).
    The trigram index, which the planner may otherwise pick on a poor estimate of ``LIKE '%…%'``, would
    read its long lists for common syllables and then every candidate's table page. A name few people have
    is looked up differently, through the name indexes (``rare_name_ids``).
    """
    if is_citizen_id(text):
        compact = text.strip().replace(" ", "")
        return Q(pk__in=Member.objects.filter(citizen_id=compact).values("household_id"))
    words = fold(text).split()
    parts = [" " + word for word in words] if any_order else [NAME_START + " ".join(words)]
    q = Q()
    for part in parts:
        q &= (
            Q(GreaterThan(StrIndex("search_text", Value(part)), 0)) if scan else Q(search_text__contains=part)
        )
    return q


def rare_name_ids(
    user: User, text: str, unit: Unit | None = None, *, limit: int = RARE_IDS_LIMIT
) -> list[int] | None:
    """The households (in the user's scope, and under ``unit``) whose head or a member has a name starting
    with ``text``, found through the prefix indexes of the heads' and members' folded names — or None when
    more than ``limit`` match (the list then walks its sort order instead).

    The ids are fetched first and handed to the list query as constants: joined to it as a subquery, the
    planner (which underestimates a commune's households ~100-fold: it takes the commune and its path for
    independent filters) chose a nested loop testing every household of the commune against every match —
    seconds for a common name.
    """
    phrase = " ".join(fold(text).split())
    heads = households_visible_to(user).filter(search_text__startswith=NAME_START + phrase)
    people = Member.objects.filter(scope_q(user, field="unit_path"), search_text__startswith=phrase)
    if unit is not None:
        heads = heads.filter(unit_path__startswith=unit.path)
        people = people.filter(unit_path__startswith=unit.path)
    found = list(
        heads.values_list("pk", flat=True).union(people.values_list("household_id", flat=True))[: limit + 1]
    )
    return None if len(found) > limit else found


def is_citizen_id(text: str) -> bool:
    compact = text.strip().replace(" ", "")
    return compact.isdigit() and len(compact) in (9, 12)


def province_q(path: str) -> Q:
    """The province of ``path`` said as an equality on ``province_code`` (the first segment of
    ``unit_path``, a generated column) — true of every row below ``path``, so it changes no result. On
    PostgreSQL it lets the trigram search use ``household_province_search_trgm`` (the province beside the
    trigrams: GIN intersects them) instead of reading the candidates of the whole country and dropping those
    of other provinces."""
    return Q(province_code=path.strip("/").split("/")[0])


def is_code_query(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def is_name_query(text: str) -> bool:
    return bool(text.strip()) and not is_code_query(text)


def people_named(user: User, text: str, unit: Unit | None = None) -> int | None:
    """How many people of the user's scope (and under ``unit``) PostgreSQL's statistics say have a name
    starting with ``text`` (None elsewhere). Names and places are independent, so the planner's product
    of the two selectivities is a fair estimate."""
    people = Member.objects.filter(
        scope_q(user, field="unit_path"), search_text__startswith=" ".join(fold(text).split())
    )
    if unit is not None:
        people = people.filter(unit_path__startswith=unit.path)
    return estimated_rows(people)


def _matches(words: list[str], name: str, any_order: bool) -> bool:
    folded = " " + fold(name)
    if not any_order:
        return folded.startswith(" " + " ".join(words))
    return all(" " + word in folded for word in words)


def _narrowest(user: User, query: RegisterQuery) -> Unit | None:
    return query.unit or (user.unit if user.unit_id else None)


def _one_commune_or_less(user: User, query: RegisterQuery) -> bool:
    """Whether the list is of one commune or village (thousands of rows, not a province's million)."""
    narrowest = _narrowest(user, query)
    return narrowest is not None and _level_code(narrowest.level_id) in ("commune", "village")


def register_queryset(
    user: User, query: RegisterQuery, *, today: datetime.date | None = None
) -> QuerySet[Household]:
    """The filtered (not yet ordered nor paged) households the list shows."""
    today = today or timezone.localdate()
    qs = households_visible_to(user)
    if not query.include_closed:
        qs = qs.filter(dissolved_on__isnull=True)
    if query.unit is not None:
        qs = qs.filter(unit_path__startswith=query.unit.path)
    # The same scope said as an equality when it is one commune or village: the (commune, name) and
    # (village, name) indexes and the commune's few hundred table pages are then at hand.
    narrowest = _narrowest(user, query)
    if narrowest is not None:
        level = _level_code(narrowest.level_id)
        if level == "commune":
            qs = qs.filter(commune_id=narrowest.pk)
        elif level == "village":
            qs = qs.filter(village_id=narrowest.pk)
    if query.ids is not None:
        qs = qs.filter(PkAmong(query.ids))
    elif query.text.strip():
        qs = qs.filter(search_q(query.text, any_order=query.any_order, scan=query.scan))
        if narrowest is not None and not query.scan and not is_citizen_id(query.text):
            qs = qs.filter(province_q(narrowest.path))
    for category in query.categories:
        if category == "no_labour":
            qs = qs.filter(no_labour_capacity_q(today))
        elif category in CATEGORIES:
            qs = qs.filter(**{category: True})
    if query.status == STATUS_NONE:
        qs = qs.filter(status="")
    elif query.status:
        qs = qs.filter(status=query.status)
    if query.newly_escaped:
        qs = qs.filter(escaped_on__gte=newly_escaped_cutoff(today))
    return qs


def _within_budget(read: Callable[[], T]) -> T | None:
    """``read()`` under PostgreSQL's statement timeout of ``COUNT_BUDGET_MS`` (None if it could not finish
    in it: the list says "many" rather than make the user wait); elsewhere simply ``read()``."""
    if connection.vendor != "postgresql":
        return read()
    nested = connection.in_atomic_block  # inside an outer transaction the limit must be lifted again after
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                # SET LOCAL semantics: the limit ends with this transaction (an ordinary request's own).
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{COUNT_BUDGET_MS}ms"])
            result = read()
            if nested:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('statement_timeout', '0', true)")
    except DatabaseError:
        return None
    return result


def capped_count(qs: QuerySet[Household], cap: int = COUNT_CAP) -> tuple[int | None, bool]:
    """(count, capped): the rows up to ``cap`` + 1 only, within the time budget (``_within_budget``)."""
    n = _within_budget(qs.order_by().values("pk")[: cap + 1].count)
    return (None, True) if n is None else (min(n, cap), n > cap)


def matching_ids(qs: QuerySet[Household], cap: int) -> list[int] | None:
    """The ids ``qs`` matches, in no order, up to ``cap`` + 1 (more than ``cap``: "more than ``cap``"),
    or None when they could not be read within the budget. One pass of the trigram index
    (``household_province_search_trgm``) then gives both the page (the ids sorted like a rare name's) and
    the count, where walking the name order for the page and counting after read the same rows twice."""
    return _within_budget(lambda: list(qs.order_by().values_list("pk", flat=True)[: cap + 1]))


def register_page(user: User, query: RegisterQuery, *, page_size: int = PAGE_SIZE) -> RegisterPage:
    """One page of the list: ``page_size`` rows after ``query.after``, with the members who matched.

    The status filter reads the stored status, which the writes that change decided results keep up to date
    (``reviews.statuses``): a GET never writes.
    """
    page = _page(user, query, page_size)
    if not page.rows and query.after is None and not query.any_order and fold(query.text).split():
        page = _page(user, dataclasses.replace(query, any_order=True), page_size)
        page.any_order = True
    return page


def _page(user: User, query: RegisterQuery, page_size: int) -> RegisterPage:
    """Three shapes, by how many rows the filters leave:

    * a rare name (few people have it, by PostgreSQL's statistics): its households are found through the
      name indexes (``rare_name_ids``), then sorted and counted in one pass;
    * one commune or village: its households (a few thousand, on a few hundred table pages) are read
      through its path, filtered and sorted, with the count taken in the same pass (a window count);
    * anything broader (a province): the sort order's index is walked, testing rows until a page is full,
      and the matches are counted separately up to a cap, within a time budget — except a name thousands
      of people have, which is not counted at all ("many"): the count could not finish in the budget.
    """
    ids = None
    common_name = False
    over_cap = False  # the matches were read up to the cap and are more: "more than the cap", not recounted
    small = _one_commune_or_less(user, query)
    if not small and not query.any_order and is_name_query(query.text):
        people = people_named(user, query.text, query.unit)
        if people is not None and people <= FEW_ROWS:
            ids = rare_name_ids(user, query.text, query.unit)
        common_name = people is not None and ids is None
    if (
        ids is None
        and not small
        and not common_name
        and query.after is None
        and query.text.strip()
        and connection.vendor == "postgresql"
    ):
        # A province searched for words fewer than the cap have: read their ids once, then page and count
        # them together (results as by the name order's walk and a capped count, read once).
        matches = register_queryset(user, dataclasses.replace(query, scan=False))
        if (estimated_rows(matches) or 0) <= SEARCH_COUNT_CAP:
            ids = matching_ids(matches, SEARCH_COUNT_CAP)
            over_cap = ids is not None and len(ids) > SEARCH_COUNT_CAP
            ids = None if over_cap else ids
    query = dataclasses.replace(query, ids=tuple(ids) if ids is not None else None, scan=common_name or small)
    qs = register_queryset(user, query)
    few = ids is not None
    cap = SEARCH_COUNT_CAP if query.text.strip() else COUNT_CAP
    counted_with_rows = query.after is None and (few or small)
    if query.after is not None:
        total, capped = query.known_total, False
    elif counted_with_rows:
        qs = qs.annotate(matching=Window(Count("pk")))
        total, capped = 0, False
    elif common_name:
        total, capped = None, True
    elif over_cap:
        total, capped = SEARCH_COUNT_CAP, True
    else:
        total, capped = None, False  # counted after the page, if the page does not already say it
    keys = sort_keys(query.sort, few_rows=few)
    if query.after is not None:
        values = _key_values(households_visible_to(user), query.sort, query.after)
        if values is not None:
            qs = qs.filter(RowAfter(keys, values))
    # First the page's ids, then its rows: the ids alone can come from an index without reading the table
    # (PostgreSQL: ``household_name_search_vi`` holds what a name search tests), so a search that tests
    # tens of thousands of names reads table rows for the fifty it shows only.
    fields = ("pk", "matching") if counted_with_rows else ("pk",)
    found = list(qs.order_by(*keys).values_list(*fields)[: page_size + 1])
    if counted_with_rows and found:
        total = found[0][1]  # exact: it cost nothing more than the page
    elif query.after is None and not counted_with_rows and not common_name and not over_cap:
        # A first page that is not full holds every match: its length is the count. Sparse matches — the
        # costliest to count — are the ones that end on the first page.
        if len(found) <= page_size:
            total, capped = len(found), False
        elif query.text.strip() and (estimated_rows(qs) or 0) > cap:
            # Words PostgreSQL estimates in more households than the cap (its estimates of these were within
            # a factor of 3 on the benchmark's register): counting them would mostly end in "more than
            # 1,000", or in the budget, after reading the trigram index's long lists — say "many" for free.
            total, capped = None, True
        else:
            total, capped = capped_count(qs, cap=cap)
    by_pk = Household.objects.select_related("village").in_bulk([row[0] for row in found])
    rows = [by_pk[row[0]] for row in found]
    next_after = rows[page_size - 1].pk if len(rows) > page_size else None
    rows = rows[:page_size]
    matched: dict[int, list[Member]] = {}
    words = fold(query.text).split()
    compact = query.text.strip().replace(" ", "")
    citizen_id = compact if compact.isdigit() and len(compact) in (9, 12) else None
    if rows and (citizen_id or (words and not compact.isdigit())):
        # Which members made a row match (a name, or the citizen ID searched): shown under the head's name.
        members = Member.objects.filter(household_id__in=[r.pk for r in rows]).only(
            "household_id", "full_name", "citizen_id"
        )
        if citizen_id:
            members = members.filter(citizen_id=citizen_id)
        for member in members.order_by("household_id", "id"):
            if citizen_id or _matches(words, member.full_name, query.any_order):
                matched.setdefault(member.household_id, []).append(member)
    return RegisterPage(
        rows=rows,
        next_after=next_after,
        total=total,
        capped=capped,
        cap=cap,
        matched_members=matched,
    )


UNIT_CHOICE_FIELDS = (
    "id", "code", "name", "path", "depth", "sort_order", "level_id", "parent_id",
    "level__code", "level__name_vi", "level__name_en", "parent__name", "parent__path",
)  # fmt: skip


def filter_units(user: User, selected: Unit | None) -> list[Unit]:
    """Units the list can be narrowed to: those right below the user's unit, and below the chosen one."""
    if user.unit_id is None and not user.is_system_admin:
        return []
    parents: list[int | None] = (
        [user.unit_id]
        if user.unit_id
        else list(Unit.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    )
    if selected is not None and selected.pk not in parents:
        # A village has nothing below it: show its siblings, so the choice can be changed in place.
        parents.append(selected.parent_id if selected.level.code == "village" else selected.pk)
    units = (
        Unit.objects.filter(scope_q(user), parent_id__in=parents)
        .select_related("level", "parent")
        # What the filter's labels and the list's query use: a province's 125 communes are read on every
        # request of its list, and the other columns only cost building them.
        .only(*UNIT_CHOICE_FIELDS)
    )
    return list(units.order_by("parent__path", "sort_order", "name"))
