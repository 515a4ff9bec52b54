"""Bulk INSERT and UPDATE with django-simple-history rows, fast enough for a 100,000-row list.

Shared by the writes that touch a whole commune at once: the household-list import (``imports``), a
round's decision (``reviews.services.review_round_decide``: every result's movement, with history) and the
register's derived data (``households.services``: search texts, without history).

Why not ``simple_history.utils.bulk_create_with_history``: on a 100,000-household list (households, heads,
results: 600,000 rows with their history) Django's bulk compiler spends ~40 µs per *value* preparing SQL
and simple-history builds a model instance per history row — about 90 s of CPU, over the 60 s budget.
Here each table's statement is built once from the model's own metadata (columns, defaults, the
database's value adapters for dates, decimals and JSON), values go in as plain tuples in multi-row
``INSERT … VALUES`` statements, and the history rows are written the same way with the same columns
simple-history would write (``history_type`` ``+``/``~``, date, user, change reason). Nothing here knows
a field name of the register: a field added to a model is written too.

The caller owns validation and the transaction (these functions are used inside one ``atomic`` block).
"""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any, cast

from django.db import connection
from django.db.models import BooleanField, Field, Model, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from simple_history.utils import get_history_manager_for_model

Row = dict[str, Any]  # attname → value

_ADAPTED = frozenset(
    {
        "DateTimeField",
        "DateField",
        "TimeField",
        "DecimalField",
        "JSONField",
        "UUIDField",
        "DurationField",
        "BinaryField",
    }
)
_HISTORY_OWN = ("history_id", "history_date", "history_change_reason", "history_type", "history_user_id")


def written_fields(model: type[Model]) -> list[Field]:
    """The model's columns a write names: its concrete fields but the generated ones (``province_code``,
    computed by the database from ``unit_path``: an INSERT, COPY or UPDATE naming it is refused)."""
    return [f for f in model._meta.concrete_fields if not f.generated]


def _max_params() -> int:
    if connection.vendor == "sqlite":
        raw = connection.connection
        if raw is not None and hasattr(raw, "getlimit"):
            return int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
        return 999
    return 65_535  # PostgreSQL's wire protocol counts parameters in 16 bits


def _adapter(field: Field) -> Callable[[Any], Any] | None:
    """The database's conversion for values Python's drivers do not take as they are (dates, decimals,
    JSON…), memoised: an import writes the same few timestamps and dates thousands of times."""
    if field.get_internal_type() not in _ADAPTED:
        return None
    memo: dict[Any, Any] = {}

    def adapt(value: Any) -> Any:
        try:
            return memo[value]
        except KeyError:
            if len(memo) > 10_000:  # a long-running worker must not grow it forever
                memo.clear()
            memo[value] = adapted = field.get_db_prep_save(value, connection)
            return adapted
        except TypeError:  # unhashable (a JSON value)
            return field.get_db_prep_save(value, connection)

    return adapt


class _Table:
    """How to write one model's rows: its columns (not an auto-increment key), adapters and defaults."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.fields = [
            f
            for f in written_fields(model)
            if not (f.primary_key and f.get_internal_type().endswith("AutoField"))
        ]
        self.adapters = [_adapter(f) for f in self.fields]
        self.auto_now = [f.attname for f in self.fields if getattr(f, "auto_now", False)]
        self.auto_now_add = [f.attname for f in self.fields if getattr(f, "auto_now_add", False)]
        self.static: Row = {}
        self.dynamic: list[Field] = []
        for f in self.fields:
            if f.attname in self.auto_now or f.attname in self.auto_now_add:
                continue
            if callable(f.default) and f.has_default():
                self.dynamic.append(f)
            else:
                self.static[f.attname] = f.get_default()


@cache
def _table(model: type[Model]) -> _Table:
    return _Table(model)


def among(model: type[Model], name: str, values: Sequence[Any]) -> Q | RawSQL:
    """A filter "field ``name`` is one of ``values``" for a batch of a few thousand values. On PostgreSQL
    the values go as one array parameter (``= ANY(%s)``): with an ``IN`` list of 2,000 placeholders, Django
    prepares each value and psycopg parses the long statement, ~10 ms a query before it is even sent."""
    field = cast(Field, model._meta.get_field(name))
    if connection.vendor != "postgresql" or not values:
        return Q(**{f"{name}__in": values})
    quote = connection.ops.quote_name
    column = f"{quote(model._meta.db_table)}.{quote(field.column)}"
    prepared = [field.get_db_prep_value(v, connection) for v in values]
    # The array is cast to the column's type: psycopg sends ``int4[]`` for small integers, and a bigint
    # column compared with it is a linear search of the array per row instead of a hashed look-up.
    array = f"{field.db_type(connection)}[]"
    # Quoted names and types from the model's metadata; the values are a parameter.
    return RawSQL(f"{column} = ANY(%s::{array})", (prepared,), output_field=BooleanField())  # noqa: S611


def complete(model: type[Model], values: Row, *, now: datetime.datetime) -> Row:
    """``values`` with the model's defaults for what they leave out (and ``auto_now`` fields set to now)."""
    table = _table(model)
    row = {**table.static, **values}
    for f in table.dynamic:
        if f.attname not in values:
            row[f.attname] = f.get_default()
    for name in table.auto_now:
        row[name] = now
    for name in table.auto_now_add:
        row.setdefault(name, now)
    return row


def _tuples(fields: Sequence[Field], adapters: Sequence[Callable[[Any], Any] | None], rows: Iterable[Row]):  # type: ignore[no-untyped-def]
    names = [f.attname for f in fields]
    if not any(adapters):
        return [tuple(row[name] for name in names) for row in rows]
    pairs = list(zip(names, adapters, strict=True))
    return [tuple(a(row[name]) if a is not None else row[name] for name, a in pairs) for row in rows]


def _insert(
    table: str, fields: Sequence[Field], tuples: list[tuple[Any, ...]], *, key: Field | None = None
) -> list[Any]:
    """Insert the rows; with ``key`` (the auto-increment primary key) return the new keys in row order.

    PostgreSQL: ``COPY`` (the keys drawn from the table's sequence first, then copied with the rows).
    SQLite: ``executemany`` without keys, multi-row ``INSERT … RETURNING`` with them (the order of the
    VALUES, as Django's ``bulk_create`` relies on too)."""
    if not tuples:
        return []
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            keys: list[Any] = []
            if key is not None:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [quote(table), key.column, len(tuples)],
                )
                keys = [r[0] for r in cursor.fetchall()]
                tuples = [(k, *row) for k, row in zip(keys, tuples, strict=True)]
                columns = f"{quote(key.column)}, {columns}"
            with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
                for row in tuples:
                    copy.write_row(row)
            return keys
        if key is None:
            one = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {quote(table)} ({columns}) VALUES ({one})", tuples)  # noqa: S608
            return []
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        per_statement = max(1, min(1000, _max_params() // max(1, len(fields))))
        keys = []
        for start in range(0, len(tuples), per_statement):
            chunk = tuples[start : start + per_statement]
            sql = f"INSERT INTO {quote(table)} ({columns}) VALUES {', '.join([one] * len(chunk))}"  # noqa: S608
            cursor.execute(f"{sql} RETURNING {quote(key.column)}", [value for row in chunk for value in row])
            keys += [r[0] for r in cursor.fetchall()]
        return keys


def insert_with_history(
    model: type[Model],
    rows: list[Row],
    *,
    user_id: int | None,
    reason: str | None,
    now: datetime.datetime | None = None,
) -> list[int]:
    """Insert complete rows (see ``complete``) and their "created" history; the new keys, in order."""
    if not rows:
        return []
    now = now or timezone.now()
    table = _table(model)
    pk = model._meta.pk
    keys = _insert(model._meta.db_table, table.fields, _tuples(table.fields, table.adapters, rows), key=pk)
    for row, key in zip(rows, keys, strict=True):
        row[pk.attname] = key
    _history(model, rows, kind="+", user_id=user_id, reason=reason, now=now)
    return keys


GROUPED_SHARE = 20  # rows per distinct set of new values from which one statement per set pays
IN_LIST_MAX = 10_000  # keys in one ``WHERE key IN (…)``


def _update(
    model: type[Model], targets: Sequence[Field], values: list[tuple[Any, ...]], version: Field | None
) -> int:
    """Run the UPDATE of ``values`` — tuples (new values…, key[, expected version]) — and return the rows
    written.

    A whole commune's derived data or decision takes a handful of distinct values (a status, a movement):
    rows that share their new values are then written by one ``UPDATE … WHERE key IN (…)`` per set, a few
    statements for 100,000 rows; otherwise (and always with a version to check) one statement per row, sent
    as one batch (``executemany``: pipelined by psycopg, a prepared loop in SQLite)."""
    quote = connection.ops.quote_name
    meta = model._meta
    table, key = quote(meta.db_table), quote(meta.pk.column)
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in targets)
    width = len(targets)
    groups: dict[tuple[Any, ...], list[Any]] | None = None
    if version is None:
        groups = {}
        try:
            for value in values:
                groups.setdefault(value[:width], []).append(value[width])
        except TypeError:  # an unhashable value (JSON): row by row
            groups = None
        if groups is not None and len(groups) * GROUPED_SHARE > len(values):
            groups = None
    with connection.cursor() as cursor:
        if groups is not None:
            written = 0
            size = max(1, min(IN_LIST_MAX, _max_params() - width))
            for new, keys in groups.items():
                for start in range(0, len(keys), size):
                    chunk = keys[start : start + size]
                    marks = ", ".join(["%s"] * len(chunk))
                    cursor.execute(
                        f"UPDATE {table} SET {assignments} WHERE {key} IN ({marks})",  # noqa: S608
                        [*new, *chunk],
                    )
                    written += cursor.rowcount
            return written
        sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608
        if version is not None:
            sql += f" AND {quote(version.column)} = %s"
        cursor.executemany(sql, values)
        return cursor.rowcount


def update_rows(model: type[Model], rows: Sequence[Row | Model], fields: Sequence[str]) -> int:
    """Write ``fields`` of these rows (dicts with the key, or instances) without history: for derived data
    (a stored status, a search text), which is not a change anyone made. What ``QuerySet.bulk_update`` does
    with far less work (no CASE expressions; rows sharing their new values in one statement, see
    ``_update``). Rows written."""
    if not rows:
        return 0
    meta = model._meta
    targets = [cast(Field, meta.get_field(name)) for name in fields]
    adapters = [_adapter(f) for f in targets]

    def get(row: Row | Model, name: str) -> Any:
        return row[name] if isinstance(row, dict) else getattr(row, name)

    values = [
        (
            *(
                a(get(r, f.attname)) if a else get(r, f.attname)
                for f, a in zip(targets, adapters, strict=True)
            ),
            get(r, meta.pk.attname),
        )
        for r in rows
    ]
    return _update(model, targets, values, None)


class StaleRowsError(Exception):
    """Some rows changed in the database since they were read (their ``version`` moved on)."""


def update_with_history(
    model: type[Model],
    rows: Sequence[Row | Model],
    fields: Sequence[str],
    *,
    user_id: int | None,
    reason: str | None,
    version: str | None = None,
    now: datetime.datetime | None = None,
) -> None:
    """Write ``fields`` of changed rows (whole rows — every concrete field's attname, the key included — or
    model instances; see ``_update`` for the statements) and their "changed" history, which copies the
    whole row.

    ``version``: the optimistic-locking field, already raised by one in ``rows``; a row whose stored version
    is not the one read (someone saved it meanwhile) is not written, and ``StaleRowsError`` is raised so
    the caller's transaction rolls everything back — a conflict, never a silent overwrite.

    ``now``: the history rows' date (default: the time of the call), so that one change written in several
    batches has one date."""
    if not rows:
        return
    now = now or timezone.now()
    meta = model._meta
    whole: list[Row] = [
        r if isinstance(r, dict) else {f.attname: getattr(r, f.attname) for f in written_fields(model)}
        for r in rows
    ]
    targets = [cast(Field, meta.get_field(name)) for name in fields]
    key = cast(Field, meta.pk)
    values = _tuples([*targets, key], [*(_adapter(f) for f in targets), None], whole)
    checked = cast(Field, meta.get_field(version)) if version is not None else None
    if version is not None:
        values = [(*v, row[version] - 1) for v, row in zip(values, whole, strict=True)]
    written = _update(model, targets, values, checked)
    if version is not None and written != len(whole):
        raise StaleRowsError(f"{len(whole) - written} of {len(whole)} rows were changed meanwhile")
    _history(model, whole, kind="~", user_id=user_id, reason=reason, now=now)


@cache
def _history_columns(
    model: type[Model],
) -> tuple[type[Model], list[Field], list[Callable[[Any], Any] | None]]:
    historical = get_history_manager_for_model(model).model
    fields = [f for f in written_fields(historical) if f.attname != "history_id"]
    return historical, fields, [_adapter(f) for f in fields]


def _history(
    model: type[Model],
    rows: list[Row],
    *,
    kind: str,
    user_id: int | None,
    reason: str | None,
    now: datetime.datetime,
) -> None:
    historical, fields, adapters = _history_columns(model)
    own = {
        "history_date": now,
        "history_change_reason": reason,
        "history_type": kind,
        "history_user_id": user_id,
    }
    _insert(historical._meta.db_table, fields, _tuples(fields, adapters, ({**row, **own} for row in rows)))
