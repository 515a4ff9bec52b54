"""The synthetic register generated inside PostgreSQL: households, members and review results from
``generate_series`` and ``random()``, in a handful of ``INSERT … SELECT`` statements, with the big tables'
secondary indexes and foreign keys dropped during the load and built once at the end.

The same distributions as the Python generator (``demo.synthetic``: household shapes, ages, facts, the
yearly status chain), drawn by the database: a million households no longer cross the wire row by row. The
draws are seeded (``setseed``) and the statements run without parallel workers, so a seed gives the same
register. Only what is derived per household from a few dozen cases is computed in Python: the status
history's movements, stored status and leaving day (4³ histories), and the birth-date bounds of working age
at each review date.
"""

# The statements are SQL text built from constants, model metadata and numbers (no input): long lines and
# f-strings are how they read best.
# ruff: noqa: E501, S608

from __future__ import annotations

import datetime
import itertools
import logging
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models

from giamngheo.common import fastbulk
from giamngheo.demo.synthetic_shape import FAMILY, GIVEN, MIDDLE, MINORITIES, POOR_LEANING_START, STATUS_NEXT
from giamngheo.households.models import Household, Member
from giamngheo.households.services import NAME_START, SEARCH_TEXT_MAX
from giamngheo.reviews.models import ResultSource, ReviewResult, RoundKind
from giamngheo.reviews.services import default_review_date
from giamngheo.standards.ages import retirement_date
from giamngheo.standards.facts import Sex
from giamngheo.standards.loader import standard_for_year
from giamngheo.standards.transitions import status_from_history, transitions
from giamngheo.text import fold
from giamngheo.units.models import Unit

logger = logging.getLogger(__name__)

BIG_TABLES = (Household, Member, ReviewResult)
WEIGHTED_SLOTS = 1000  # a weighted choice is an index into an array of this many entries


@dataclass
class VillageLoad:
    """One village to fill: its unit, its commune, how many households, and its commune's shares."""

    village: Unit
    commune: Unit
    households: int
    leaning: float
    minority_share: float
    id_prefix: str  # the three digits of the province in citizen IDs


class _LoggedCursor:
    """The cursor, logging each statement's time (``-v 2`` on the command shows them)."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor
        self.cursor = cursor.cursor  # psycopg's own, for COPY

    def execute(self, sql: str, params: Any = None) -> None:
        began = time.perf_counter()
        self._cursor.execute(sql, params)
        logger.info("%7.1f s  %s", time.perf_counter() - began, " ".join(sql.split())[:90])

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()


def _q(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _array(values: Iterable[str]) -> str:
    return "(ARRAY[" + ",".join(_q(v) for v in values) + "]::text[])"


def _slots(pairs: Sequence[tuple[str, float]]) -> list[int]:
    """Indexes (1-based) into ``pairs`` repeated by weight: a uniform draw from them is a weighted choice."""
    total = sum(w for _, w in pairs)
    out: list[int] = []
    for index, (_, weight) in enumerate(pairs, start=1):
        out += [index] * round(weight * WEIGHTED_SLOTS / total)
    return out


def _choice(names: list[str], weights: list[float], draw: str) -> str:
    """SQL: one of ``names`` by ``weights`` for the uniform ``draw`` in [0, 1)."""
    total = sum(weights)
    cases, acc = [], 0.0
    for name, weight in zip(names[:-1], weights[:-1], strict=True):
        acc += weight / total
        cases.append(f"WHEN {draw} < {acc!r} THEN {_q(name)}")
    return f"(CASE {' '.join(cases)} ELSE {_q(names[-1])} END)"


def _name_arrays() -> dict[str, str]:
    """SQL arrays of name parts (shown and folded) and of weighted slots into them."""
    out = {
        "fam": _array(f for f, _ in FAMILY),
        "fam_f": _array(fold(f) for f, _ in FAMILY),
        "fam_w": "ARRAY[" + ",".join(map(str, _slots(FAMILY))) + "]",
    }
    for sex in ("male", "female"):
        out[f"mid_{sex}"] = _array(m for m, _ in MIDDLE[sex])
        out[f"mid_{sex}_f"] = _array(fold(m) for m, _ in MIDDLE[sex])
        out[f"mid_{sex}_w"] = "ARRAY[" + ",".join(map(str, _slots(MIDDLE[sex]))) + "]"
        out[f"giv_{sex}"] = _array(GIVEN[sex])
        out[f"giv_{sex}_f"] = _array(fold(g) for g in GIVEN[sex])
    return out


def _working_age_bounds(on: datetime.date) -> dict[str, tuple[datetime.date, datetime.date]]:
    """Per sex: (born on or before: old enough; born on or after: not yet retired) on ``on``."""
    working_age = standard_for_year(on.year).working_age
    oldest = datetime.date(on.year - working_age.min_age, on.month, min(on.day, 28))
    while True:  # the last birthday that makes ``min_age`` by ``on`` (29 February aside)
        nxt = oldest + datetime.timedelta(days=1)
        if nxt.replace(year=nxt.year + working_age.min_age) > on:
            break
        oldest = nxt
    out = {}
    for sex in (Sex.MALE, Sex.FEMALE):
        low, high = datetime.date(on.year - 90, 1, 1), on
        while low < high:  # retirement_date grows with the birth date: the first birth still at work
            mid = low + (high - low) // 2
            if on < retirement_date(mid, sex, working_age):
                high = mid
            else:
                low = mid + datetime.timedelta(days=1)
        out[sex.value] = (oldest, low)
    return out


def _histories(
    years: list[int], review_dates: list[datetime.date], today: datetime.date
) -> list[tuple[Any, ...]]:
    """Every status history over ``years``: the statuses, each year's movement, and the stored status, its
    date and the leaving day (``standards.transitions``, as the Python generator computes them)."""
    from giamngheo.households.labour import standard_on

    rules = standard_on(today).transitions
    names = ["poor", "near_poor", "average", "not_poor"]
    rows = []
    for history in itertools.product(names, repeat=len(years)):
        changes = transitions(list(zip(years, history, strict=True)), rules)
        status, status_date, escaped = status_from_history(
            list(zip(review_dates, history, strict=True)), rules, today
        )
        rows.append((*history, *(str(c) for _, c in changes), status, status_date, escaped))
    return rows


def _status_chain(years: int) -> list[str]:
    """SQL: the status of each year, drawn from the yearly movement table (``demo.synthetic.STATUS_NEXT``)."""

    def pick(table: list[tuple[str, float]], draw: str) -> str:
        return _choice([n for n, _ in table], [w for _, w in table], draw)

    first = (
        f"(CASE WHEN lean THEN {pick(POOR_LEANING_START, 'r_s1')} ELSE {pick(STATUS_NEXT[None], 'r_s1')} END)"
    )
    out = [first]
    for index in range(1, years):
        previous = out[-1]
        cases = " ".join(
            f"WHEN {_q(name)} THEN {pick(STATUS_NEXT[name], f'r_s{index + 1}')}"
            for name in ("poor", "near_poor", "average", "not_poor")
        )
        out.append(f"(CASE {previous} {cases} END)")
    return out


def _complete(model: type[models.Model], row: dict[str, Any], now: datetime.datetime) -> dict[str, Any]:
    """Every concrete column: the given value, else the field's default (so new columns with defaults
    added by other apps later do not break the bulk path)."""
    out = {}
    for f in fastbulk.written_fields(model):
        if f.attname in row:
            out[f.attname] = row[f.attname]
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            out[f.attname] = now
        elif f.has_default():
            out[f.attname] = f.get_default()
        elif f.null:
            out[f.attname] = None
        elif isinstance(f, models.CharField | models.TextField):
            out[f.attname] = ""
        else:
            out[f.attname] = None
    return out


def _defaults(
    model: type[models.Model], given: dict[str, str], now: datetime.datetime
) -> tuple[list[str], list[str], list[Any]]:
    """Columns, SQL expressions and parameters of an ``INSERT … SELECT``: the ``given`` expressions, and for
    every other concrete column its default (so columns other apps add later do not break the load)."""
    defaults = _complete(model, {}, now)
    columns, exprs, params = [], [], []
    for f in fastbulk.written_fields(model):
        columns.append(connection.ops.quote_name(f.column))
        if f.attname in given:
            exprs.append(given[f.attname])
        else:
            value = defaults[f.attname]
            if isinstance(f, models.JSONField):
                value = f.get_db_prep_save(value, connection)
            exprs.append("%s")
            params.append(value)
    return columns, exprs, params


def _insert_select(
    cursor: Any, model: type[models.Model], given: dict[str, str], source: str, now: datetime.datetime
) -> int:
    columns, exprs, params = _defaults(model, given, now)
    cursor.execute(
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(exprs)} {source}",  # noqa: S608
        params,
    )
    return cursor.rowcount


def indexes_off(cursor: Any, tables: Iterable[str]) -> list[str]:
    """Drop the secondary indexes, unique and foreign-key constraints of ``tables`` (not the primary keys);
    return the statements that build them again. A load into tables without indexes, then one sorted build
    per index, is several times faster than maintaining them row by row."""
    # Deferred foreign-key checks still pending in this transaction (rows written before the load) forbid
    # ALTER TABLE: run them now; the rebuild's last statement defers them again.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    rebuild: list[str] = ["SET CONSTRAINTS ALL DEFERRED"]
    for table in tables:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC, conname",
            [table],
        )
        constraints = cursor.fetchall()
        for name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            rebuild.insert(-1, f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || "
            "quote_ident(i.indexname))::regclass AND c.contype = 'p')",
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
            rebuild.insert(0, definition)  # indexes first, then the constraints (foreign keys validate)
    return rebuild


def generate(
    loads: list[VillageLoad],
    *,
    seed: int,
    years: list[int],
    rounds: dict[tuple[int, int], int],
    today: datetime.date,
    ids: dict[str, int],
    rebuild_indexes: bool,
) -> tuple[int, int, int]:
    """Households, members and results of these villages (ids from ``ids``: model name → first free id).
    ``rounds``: (commune id, year) → the decided regular round. Returns the rows written per table."""
    review_dates = [default_review_date(year=y, kind=RoundKind.REGULAR, month=None) for y in years]
    now = datetime.datetime.now(datetime.UTC)
    a = _name_arrays()
    fam_slots = len(_slots(FAMILY))
    mid_slots = {sex: len(_slots(MIDDLE[sex])) for sex in ("male", "female")}
    giv = {sex: len(GIVEN[sex]) for sex in ("male", "female")}
    with connection.cursor() as plain:
        cursor = _LoggedCursor(plain)
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")  # one process: the same draws
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SELECT setseed(%s)", [random.Random(seed).random() * 2 - 1])
        rebuild = indexes_off(cursor, [m._meta.db_table for m in BIG_TABLES]) if rebuild_indexes else []

        cursor.execute(
            "CREATE TEMP TABLE syn_village (village_id bigint, commune_id bigint, path text, address text, "
            "area text, first_n bigint, n int, commune_first bigint, lean float8, minority float8, "
            "id_prefix text) ON COMMIT DROP"
        )
        first, commune_first = 0, dict[int, int]()
        raw = cursor.cursor
        with raw.copy("COPY syn_village FROM STDIN") as copy:
            for load in loads:
                commune_first.setdefault(load.commune.pk, first)
                copy.write_row(
                    [load.village.pk, load.commune.pk, load.village.path, load.village.name, load.commune.area,
                     first, load.households, commune_first[load.commune.pk], load.leaning, load.minority_share,
                     load.id_prefix]
                )  # fmt: skip
                first += load.households
        cursor.execute(
            "CREATE TEMP TABLE syn_round (commune_id bigint, year int, round_id bigint) ON COMMIT DROP"
        )
        with raw.copy("COPY syn_round FROM STDIN") as copy:
            for (commune_id, year), round_id in rounds.items():
                copy.write_row([commune_id, year, round_id])
        y = len(years)
        cursor.execute(
            "CREATE TEMP TABLE syn_history ("
            + ", ".join(f"s{i} text" for i in range(1, y + 1))
            + ", "
            + ", ".join(f"t{i} text" for i in range(1, y + 1))
            + ", status text, status_date date, escaped_on date) ON COMMIT DROP"
        )
        with raw.copy("COPY syn_history FROM STDIN") as copy:
            for row in _histories(years, review_dates, today):
                copy.write_row(list(row))

        # 1. One row per household: its draws and shape.
        draws = ", ".join(f"random() AS r_s{i}" for i in range(1, y + 1))
        cursor.execute(
            f"""CREATE TEMP TABLE syn_draws ON COMMIT DROP AS
            SELECT s.*, CASE WHEN alone THEN 0 WHEN head_age < 62
                       THEN (CASE WHEN r_children < 0.10 THEN 0 WHEN r_children < 0.29 THEN 1
                                  WHEN r_children < 0.69 THEN 2 WHEN r_children < 0.90 THEN 3 ELSE 4 END)
                       ELSE floor(r_children * 2)::int END AS children,
                   (NOT alone AND r_spouse < 0.82) AS spouse,
                   (NOT alone AND head_age < 50 AND r_parent < 0.3) AS parent
            FROM (
              SELECT v.village_id, v.commune_id, v.path, v.address, v.area, v.id_prefix,
                     g.n, lpad((g.n - v.commune_first + 1)::text, 5, '0') AS code,
                     r_lean < v.lean AS lean, r_min < v.minority AS minority, alone,
                     CASE WHEN alone THEN 65 + floor(r_age * 28)::int ELSE 24 + floor(r_age * 47)::int END AS head_age,
                     r_children, r_spouse, r_parent, head_male, fam, eth, {draws},
                     random() AS r_phone, random() AS r_phone_n, random() AS r_sp, random() AS r_merit,
                     random() AS r_pis, random() AS r_inc1, random() AS r_inc2, random() AS r_dw, random() AS r_area,
                     random() AS r_water, random() AS r_latrine, random() AS r_net, random() AS r_dev, random() AS r_waste
              FROM syn_village v
              CROSS JOIN LATERAL generate_series(v.first_n, v.first_n + v.n - 1) AS g(n)
              CROSS JOIN LATERAL (SELECT random() AS r_lean, random() AS r_min, random() < 0.08 AS alone,
                     random() AS r_age, random() AS r_children, random() AS r_spouse, random() AS r_parent,
                     random() < 0.78 AS head_male,
                     ({a["fam_w"]})[1 + floor(random() * {fam_slots})::int] AS fam,
                     (ARRAY[{", ".join(_q(m) for m in MINORITIES)}])[1 + floor(random() * {len(MINORITIES)})::int] AS eth
                     WHERE g.n >= 0) d  -- correlated: drawn again for every household
            ) s"""
        )
        cursor.execute(
            """CREATE TEMP TABLE syn_hh ON COMMIT DROP AS
            SELECT *, sum(size) OVER (ORDER BY n ROWS UNBOUNDED PRECEDING) - size AS first_member,
                   (floor(least(60000000, exp(ln(CASE WHEN lean THEN 1300000 ELSE 3400000 END)
                    + 0.45 * sqrt(-2 * ln(1 - r_inc1)) * cos(2 * pi() * r_inc2))) / 1000) * 1000)::int AS income
            FROM (SELECT *, 1 + spouse::int + children + parent::int AS size FROM syn_draws) d"""
        )
        cursor.execute("CREATE INDEX ON syn_hh (n)")
        cursor.execute("ANALYZE syn_hh")

        # 2. One row per member (position 1: the head, then the spouse, the children, a parent).
        bounds = {year: _working_age_bounds(day) for year, day in zip(years, review_dates, strict=True)}
        cursor.execute(
            f"""CREATE TEMP TABLE syn_m ON COMMIT DROP AS
            SELECT p.*,
                   CASE WHEN age >= 14 THEN id_prefix
                        || ((CASE WHEN extract(year FROM birth) < 2000 THEN 0 ELSE 2 END) + (sex = 'female')::int)::text
                        || lpad((extract(year FROM birth)::int % 100)::text, 2, '0') ELSE '' END AS cid_prefix
            FROM (
              SELECT q.*, least(DATE {_q(today.isoformat())}, make_date({today.year} - age, 1, 1) + floor(r_birth * 365)::int) AS birth,
                     CASE WHEN sex = 'male' THEN {a["mid_male"]}[mi] ELSE {a["mid_female"]}[mi] END AS mid,
                     CASE WHEN sex = 'male' THEN {a["mid_male_f"]}[mi] ELSE {a["mid_female_f"]}[mi] END AS mid_f,
                     CASE WHEN sex = 'male' THEN {a["giv_male"]}[gi] ELSE {a["giv_female"]}[gi] END AS giv,
                     CASE WHEN sex = 'male' THEN {a["giv_male_f"]}[gi] ELSE {a["giv_female_f"]}[gi] END AS giv_f
              FROM (
                SELECT h.n, h.first_member + m.pos - 1 AS seq, m.pos, h.lean, h.id_prefix, h.path,
                       CASE WHEN h.minority THEN h.eth ELSE 'Kinh' END AS ethnicity, role,
                       CASE role WHEN 'head' THEN h.head_age
                                 WHEN 'spouse' THEN greatest(18, h.head_age + floor(random() * 11)::int - 6)
                                 WHEN 'child' THEN greatest(0, least(h.head_age - 18, floor(random() * 31)::int))
                                 ELSE h.head_age + 22 + floor(random() * 11)::int END AS age,
                       CASE role WHEN 'head' THEN (CASE WHEN h.head_male THEN 'male' ELSE 'female' END)
                                 WHEN 'spouse' THEN (CASE WHEN h.head_male THEN 'female' ELSE 'male' END)
                                 ELSE (CASE WHEN random() < 0.5 THEN 'male' ELSE 'female' END) END AS sex,
                       CASE WHEN role = 'spouse' OR (role = 'parent' AND random() < 0.5)
                            THEN ({a["fam_w"]})[1 + floor(random() * {fam_slots})::int] ELSE h.fam END AS fi,
                       random() AS r_mid, random() AS r_giv, random() AS r_birth
                FROM syn_hh h
                CROSS JOIN LATERAL generate_series(1, h.size) AS m(pos)
                CROSS JOIN LATERAL (SELECT CASE WHEN m.pos = 1 THEN 'head'
                        WHEN m.pos = 2 AND h.spouse THEN 'spouse'
                        WHEN m.pos <= 1 + h.spouse::int + h.children THEN 'child'
                        ELSE 'parent' END AS role) r
              ) q
              CROSS JOIN LATERAL (SELECT
                  CASE WHEN q.sex = 'male' THEN ({a["mid_male_w"]})[1 + floor(q.r_mid * {mid_slots["male"]})::int]
                       ELSE ({a["mid_female_w"]})[1 + floor(q.r_mid * {mid_slots["female"]})::int] END AS mi,
                  1 + floor(q.r_giv * (CASE WHEN q.sex = 'male' THEN {giv["male"]} ELSE {giv["female"]} END))::int AS gi
              ) w
            ) p"""
        )
        cursor.execute("ALTER TABLE syn_m ADD COLUMN full_name text, ADD COLUMN folded text")
        cursor.execute(
            f"""UPDATE syn_m SET full_name = ({a["fam"]})[fi] || ' ' || mid || ' ' || giv,
                                folded = ({a["fam_f"]})[fi] || ' ' || mid_f || ' ' || giv_f"""
        )

        # Citizen IDs: the next serials of each prefix, after the highest already in the register.
        cursor.execute(
            """CREATE TEMP TABLE syn_cid ON COMMIT DROP AS
               SELECT left(citizen_id, 6) AS prefix, max(right(citizen_id, 6)::int) + 1 AS next
               FROM households_member WHERE length(citizen_id) = 12 AND citizen_id ~ '^[0-9]+$'
                 AND left(citizen_id, 3) IN (SELECT DISTINCT id_prefix FROM syn_village)
               GROUP BY 1"""
        )
        member_base, household_base, result_base = ids["Member"], ids["Household"], ids["ReviewResult"]

        def working(year: int) -> str:
            (old, young_m), (_old, young_f) = bounds[year]["male"], bounds[year]["female"]
            return (
                f"(able AND birth <= DATE '{old.isoformat()}' AND "
                f"((sex = 'male' AND birth >= DATE '{young_m.isoformat()}') OR "
                f"(sex = 'female' AND birth >= DATE '{young_f.isoformat()}')))"
            )

        cursor.execute(
            """CREATE TEMP TABLE syn_member ON COMMIT DROP AS
            SELECT x.*,
              CASE WHEN age BETWEEN 15 AND 61 THEN (NOT severe AND r_able < 0.95)
                   WHEN age >= 62 THEN r_able < 0.3 ELSE false END AS able
            FROM (
              SELECT m.*, random() < (CASE WHEN lean THEN 0.04 ELSE 0.01 END) AS severe, random() AS r_able,
                     random() AS r_ins, random() AS r_emp, random() AS r_unemp, random() AS r_edu, random() AS r_voc,
                     random() AS r_train, random() AS r_school, random() AS r_stunt,
                     CASE WHEN m.cid_prefix = '' THEN '' ELSE m.cid_prefix || lpad((coalesce(c.next, 0) - 1 +
                        row_number() OVER (PARTITION BY m.cid_prefix ORDER BY m.seq))::text, 6, '0') END AS citizen_id
              FROM syn_m m LEFT JOIN syn_cid c ON c.prefix = m.cid_prefix
            ) x"""
        )
        cursor.execute("ANALYZE syn_member")

        employment = _choice(
            ["self_employed", "employed_with_contract", "employed_without_contract"], [2, 1, 1], "r_emp"
        )
        education = _choice(
            ["primary", "lower_secondary", "upper_secondary", "post_secondary"], [1, 2, 2, 1], "r_edu"
        )
        elder_education = _choice(["none", "primary", "lower_secondary"], [1, 1, 1], "r_edu")
        members = _insert_select(
            cursor,
            Member,
            {
                "id": f"{member_base} + seq",
                "household_id": f"{household_base} + n",
                "unit_path": "path",
                "full_name": "full_name",
                "relation": "role",
                "birth_date": "birth",
                "sex": "sex",
                "ethnicity": "ethnicity",
                "citizen_id": "citizen_id",
                "severe_disability": "severe",
                "has_health_insurance": "CASE WHEN r_ins < 0.02 THEN NULL ELSE "
                "r_ins < 0.02 + (CASE WHEN lean THEN 0.97 ELSE 0.9 END) * 0.98 END",
                "able_to_work": "able",
                "employment": f"""CASE WHEN age BETWEEN 15 AND 61 THEN (CASE WHEN r_unemp < 0.04 THEN 'unemployed'
                    WHEN able THEN {employment} ELSE 'not_in_labour_force' END)
                    WHEN age >= 62 THEN 'not_in_labour_force' ELSE '' END""",
                "education_level": f"""CASE WHEN age BETWEEN 15 AND 61 THEN {education}
                    WHEN age >= 62 THEN {elder_education} ELSE '' END""",
                "has_vocational_certificate": "CASE WHEN age BETWEEN 15 AND 61 THEN r_voc < 0.2 END",
                "in_training": "CASE WHEN age BETWEEN 15 AND 61 THEN age < 25 AND r_train < 0.3 END",
                "attending_school": "CASE WHEN age BETWEEN 3 AND 14 THEN r_school < 0.97 END",
                "school_level": """CASE WHEN age BETWEEN 3 AND 14 AND r_school < 0.97 THEN (CASE
                    WHEN age < 6 THEN 'preschool' WHEN age < 11 THEN 'primary' WHEN age < 15 THEN 'lower_secondary'
                    ELSE 'upper_secondary' END) ELSE '' END""",
                "stunted_or_underweight": "CASE WHEN age < 15 THEN "
                "r_stunt < (CASE WHEN lean THEN 0.15 ELSE 0.04 END) END",
                "search_text": "folded",
            },
            "FROM syn_member ORDER BY seq",  # household by household, as people are entered
            now,
        )

        # 3. The households, with what their members give them (head, size, search text, labour per year).
        chain = _status_chain(y)
        labour = ", ".join(f"bool_or({working(year)}) AS work{i}" for i, year in enumerate(years, start=1))
        cursor.execute(
            f"""CREATE TEMP TABLE syn_people ON COMMIT DROP AS
            SELECT n, max(full_name) FILTER (WHERE pos = 1) AS head_name,
                   max(folded) FILTER (WHERE pos = 1) AS head_f,
                   string_agg({_q(NAME_START)} || folded, '' ORDER BY pos) FILTER (WHERE pos > 1 AND first_of_name) AS others,
                   {labour}
            FROM (SELECT *, row_number() OVER (PARTITION BY n, folded ORDER BY pos) = 1 AS first_of_name
                  FROM syn_member) m
            GROUP BY n"""
        )
        cursor.execute("CREATE INDEX ON syn_people (n)")
        cursor.execute(
            f"""CREATE TEMP TABLE syn_status ON COMMIT DROP AS
            SELECT n, {", ".join(f"{expr} AS s{i}" for i, expr in enumerate(chain, start=1))} FROM syn_hh"""
        )
        cursor.execute("CREATE INDEX ON syn_status (n)")
        dwelling_good = _choice(["solid", "semi_solid", "makeshift"], [85, 12, 3], "r_dw")
        dwelling_lean = _choice(["solid", "semi_solid", "makeshift"], [50, 35, 15], "r_dw")
        same = " AND ".join(f"x.s{i} = s.s{i}" for i in range(1, y + 1))
        source = f"""FROM syn_hh h JOIN syn_people p USING (n) JOIN syn_status s USING (n)
                     JOIN syn_history x ON {same}"""
        households = _insert_select(
            cursor,
            Household,
            {
                "id": f"{household_base} + h.n",
                "commune_id": "h.commune_id",
                "village_id": "h.village_id",
                "unit_path": "h.path",
                "code": "h.code",
                "head_name": "p.head_name",
                "size": "h.size",
                "address": "h.address",
                "phone": "CASE WHEN h.r_phone < 0.7 THEN '09' || lpad(floor(h.r_phone_n * 1e8)::bigint::text, 8, '0') ELSE '' END",
                "area": "h.area",
                "labour_capacity": "NULL",
                "social_protection": "h.r_sp < (CASE WHEN h.lean THEN 0.25 ELSE 0.02 END)",
                "ethnic_minority": "h.minority",
                "meritorious": "h.r_merit < 0.03",
                "provincial_income_support": "h.lean AND h.r_pis < 0.05",
                "income_per_capita": "h.income",
                "dwelling": f"CASE WHEN h.lean THEN {dwelling_lean} ELSE {dwelling_good} END",
                "floor_area_m2": "(18 + floor(h.r_area * 123))::numeric",
                "safe_water": "h.r_water < (CASE WHEN h.lean THEN 0.7 ELSE 0.92 END)",
                "hygienic_latrine": "h.r_latrine < (CASE WHEN h.lean THEN 0.6 ELSE 0.9 END)",
                "internet_use": "h.r_net < (CASE WHEN h.lean THEN 0.5 ELSE 0.85 END)",
                "owns_info_device": "h.r_dev < (CASE WHEN h.lean THEN 0.8 ELSE 0.97 END)",
                "waste_handled": "h.r_waste < 0.8",
                "search_text": f"""left({_q(NAME_START)} || p.head_f || {_q(NAME_START)} || h.code ||
                    coalesce(replace(p.others, {_q(NAME_START)} || p.head_f, ''), ''), {SEARCH_TEXT_MAX})""",
                "status": "x.status",
                "status_date": "x.status_date",
                "escaped_on": "x.escaped_on",
            },
            f"{source} ORDER BY h.n",  # a commune's households together, as an import writes them
            now,
        )

        # 4. One result per household and year, in the commune's decided regular round of that year.
        results = 0
        for i, year in enumerate(years, start=1):
            results += _insert_select(
                cursor,
                ReviewResult,
                {
                    "id": f"{result_base} + {(i - 1) * households} + h.n",
                    "review_round_id": "r.round_id",
                    "household_id": f"{household_base} + h.n",
                    "unit_path": "h.path",
                    "status": f"s.s{i}",
                    "source": _q(ResultSource.IMPORTED),
                    "members": "h.size",
                    "labour_capacity": f"CASE WHEN s.s{i} IN ('poor', 'near_poor') THEN coalesce(p.work{i}, false) END",
                    "social_protection": "h.r_sp < (CASE WHEN h.lean THEN 0.25 ELSE 0.02 END)",
                    "ethnic_minority": "h.minority",
                    "meritorious": "h.r_merit < 0.03",
                    "provincial_income_support": "h.lean AND h.r_pis < 0.05",
                    "income_per_capita": "h.income",
                    "transition": f"x.t{i}",
                },
                f"{source} JOIN syn_round r ON r.commune_id = h.commune_id AND r.year = {year} ORDER BY h.n",
                now,
            )
        for statement in rebuild:
            cursor.execute(statement)
    return households, members, results
