"""Household and member facts of a register, streamed out of the database into polars frames.

The querysets say *which* rows (scope, unit, open households); this module says *how* they travel: every
column is encoded small in SQL — flags as 0/1, choice fields as the integer codes of the engine's enums
(``frame_facts.enum_code``), birth dates as days since 1970, floor area in hundredths of m², the village as
its id rather than its path — so a province of a million households and 3.5 million members is ~100 MB of
CSV instead of ~400 MB of Python objects.

* PostgreSQL: ``COPY (SELECT …) TO STDOUT (FORMAT csv)`` through psycopg 3's ``cursor.copy()``; the bytes go
  straight to polars' multi-threaded CSV reader. No row ever becomes a Python object.
* SQLite (a commune's register): a plain cursor read in chunks of ``CHUNK`` rows.

The SELECT is compiled by Django from the querysets, so the scope filter (``units.selectors.scope_q``) is
the very one every selector uses.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Case, Expression, F, Field, IntegerField, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from giamngheo.households.models import Household, Member
from giamngheo.standards.facts import Dwelling, EducationLevel, Employment, SchoolLevel, Sex
from giamngheo.standards.frame_facts import HOUSEHOLD_FLAGS, MEMBER_FLAGS

if TYPE_CHECKING:
    import polars as pl

CHUNK = 20_000
_ALIAS = "v_"  # SELECT aliases must not clash with the models' field names


@dataclass
class RegisterFacts:
    households: pl.DataFrame  # household, village, area, size, income_per_capita, dwelling, floor_area_m2, …
    members: pl.DataFrame  # household, birth_date, sex, flags, employment, education_level, school_level
    timings: dict[str, float] = field(default_factory=dict)  # seconds per read, for benchmarks


def _code(name: str, enum: type[StrEnum]) -> Case:
    """A choice field as the engine's integer code ("" and unknown values → NULL)."""
    return Case(
        *[When(**{name: member.value}, then=Value(code)) for code, member in enumerate(enum)],
        default=None,
        output_field=IntegerField(),
    )


def _flag(name: str) -> Cast:
    return Cast(F(name), IntegerField())


def _column(model: type[Household | Member], name: str) -> str:
    quote = connection.ops.quote_name
    model_field = model._meta.get_field(name)
    assert isinstance(model_field, Field)  # a concrete column, not a relation
    return f"{quote(model._meta.db_table)}.{quote(model_field.column)}"


def _days_since_1970(model: type[Member], name: str) -> RawSQL:
    column = _column(model, name)  # RawSQL below: names from the model, never user input
    if connection.vendor == "postgresql":
        return RawSQL(f"({column} - DATE '1970-01-01')", [], output_field=IntegerField())  # noqa: S611
    return RawSQL(  # noqa: S611
        f"CAST(julianday({column}) - 2440587.5 AS INTEGER)", [], output_field=IntegerField()
    )


def _hundredths(model: type[Household], name: str) -> RawSQL:
    column = _column(model, name)
    return RawSQL(f"CAST(ROUND({column} * 100) AS BIGINT)", [], output_field=IntegerField())  # noqa: S611


def _household_columns() -> dict[str, tuple[Expression | F, Any]]:
    import polars as pl

    columns: dict[str, tuple[Any, Any]] = {
        "household": (F("pk"), pl.Int64),
        "village": (F("village_id"), pl.Int64),
        "area": (F("area"), pl.String),
        "size": (F("size"), pl.Int32),
        "income_per_capita": (F("income_per_capita"), pl.Int64),
        "dwelling": (_code("dwelling", Dwelling), pl.Int8),
        "floor_area_m2": (_hundredths(Household, "floor_area_m2"), pl.Int64),
    }
    columns.update({name: (_flag(name), pl.Int8) for name in (*HOUSEHOLD_FLAGS, "farm_household")})
    return columns


def _member_columns() -> dict[str, tuple[Expression | F, Any]]:
    import polars as pl

    columns: dict[str, tuple[Any, Any]] = {
        "household": (F("household_id"), pl.Int64),
        "birth_date": (_days_since_1970(Member, "birth_date"), pl.Int32),
        "sex": (_code("sex", Sex), pl.Int8),
        "employment": (_code("employment", Employment), pl.Int8),
        "education_level": (_code("education_level", EducationLevel), pl.Int8),
        "school_level": (_code("school_level", SchoolLevel), pl.Int8),
    }
    columns.update({name: (_flag(name), pl.Int8) for name in MEMBER_FLAGS})
    return columns


def _compiled(queryset: QuerySet[Any], columns: dict[str, tuple[Any, Any]]) -> tuple[str, list[Any]]:
    query = queryset.order_by().values(**{_ALIAS + name: expr for name, (expr, _) in columns.items()})
    sql, params = query.query.sql_with_params()
    return sql, list(params)


def _read_postgresql(sql: str, params: list[Any], schema: dict[str, Any]) -> pl.DataFrame:
    import polars as pl
    from psycopg import ClientCursor

    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        # COPY takes no bound parameters: the values are quoted by psycopg itself (ClientCursor.mogrify)
        select = ClientCursor(raw.connection).mogrify(sql, params)
        buffer = io.BytesIO()
        with raw.copy(f"COPY ({select}) TO STDOUT (FORMAT csv, HEADER true)") as copy:
            for block in copy:
                buffer.write(block)
    if buffer.tell() == 0:
        return pl.DataFrame(schema=schema)
    buffer.seek(0)
    frame = pl.read_csv(buffer, schema_overrides=schema, infer_schema=False)
    return frame


def _read_chunks(sql: str, params: list[Any], schema: dict[str, Any]) -> pl.DataFrame:
    import polars as pl

    parts = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        while rows := cursor.fetchmany(CHUNK):
            parts.append(pl.DataFrame(rows, schema={n: schema[n] for n in names}, orient="row"))
    if not parts:
        return pl.DataFrame(schema=schema)
    return pl.concat(parts)


def _read(queryset: QuerySet[Any], columns: dict[str, tuple[Any, Any]]) -> pl.DataFrame:
    sql, params = _compiled(queryset, columns)
    schema = {_ALIAS + name: dtype for name, (_, dtype) in columns.items()}
    read: Callable[..., pl.DataFrame] = (
        _read_postgresql if connection.vendor == "postgresql" else _read_chunks
    )
    frame = read(sql, params, schema)
    return frame.rename({_ALIAS + name: name for name in columns}).select(list(columns))


def register_facts(*, households: QuerySet[Household], members: QuerySet[Member]) -> RegisterFacts:
    """The facts of these households and of their members, as the engine's frames.

    ``members`` may be a wider set (the same unit path is one indexed filter, where "members of these
    households" would be a join): the engine joins members to households, so members of households not in
    ``households`` (closed ones) are simply not used.
    """
    import polars as pl

    timings: dict[str, float] = {}
    started = time.perf_counter()
    household_frame = _read(households, _household_columns())
    timings["read_households"] = time.perf_counter() - started
    started = time.perf_counter()
    member_frame = _read(members, _member_columns())
    timings["read_members"] = time.perf_counter() - started

    household_frame = household_frame.with_columns(
        pl.col("floor_area_m2").cast(pl.Float64) / 100,  # back to m² (compared in hundredths again)
        *[pl.col(name).cast(pl.Boolean) for name in (*HOUSEHOLD_FLAGS, "farm_household")],
    )
    member_frame = member_frame.with_columns(
        pl.col("birth_date").cast(pl.Date), *[pl.col(name).cast(pl.Boolean) for name in MEMBER_FLAGS]
    )
    return RegisterFacts(households=household_frame, members=member_frame, timings=timings)
