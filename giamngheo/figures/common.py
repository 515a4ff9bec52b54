"""What the figures share: the ``Scope`` they are read for and the rows they return, PostgreSQL's
array lookup (``AnyOf``) and a read session without JIT (``aggregate_session``), and the roll-up of per-path
rows to a unit's total and its direct children's."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypedDict

from django.db import connections, models, transaction
from django.db.models import Lookup, Q

from giamngheo.accounts.models import User
from giamngheo.common.replicas import read_alias
from giamngheo.standards.transitions import ON_LISTS
from giamngheo.support.kinds import SupportStatus
from giamngheo.units.models import Unit

POOR, NEAR_POOR = ON_LISTS
LIVE = ~Q(status=SupportStatus.CANCELLED)


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
