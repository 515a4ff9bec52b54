"""Does partitioning the large tables by province pay? (issue 15, part 4)

    .venv/bin/python bench/partition_bench.py --database giamngheo_part15 [--households 1000000]
        [--rounds 4] [--requests 20] [--skip build,search,aggregate,facts,maintenance] [--json FILE]

1. The data: the national synthetic register in ``--database`` (``giamngheo synthetic_register
   --households N`` is run first when the database holds fewer national households), migrated.
2. Partitioned copies, in a schema ``part`` beside the tables (``public``): ``households_household``,
   ``households_member`` and ``reviews_reviewresult`` as ``PARTITION BY LIST (province_code)``, one
   partition per province (and a default one), the rows copied, the same indexes (a unique one gets the
   key appended: PostgreSQL requires it), the primary key ``(id, province_code)``, analysed. In the copy
   ``province_code`` is a plain column: PostgreSQL refuses a generated column as a partition key.
   Each step is timed.
3. The same application code against both: the connection's ``search_path`` is ``public`` (the tables)
   or ``part, public`` (the partitioned copies, every other table shared), so the queries are the very ones
   the application issues, compiled by Django:
   - search: ``households.selectors.register_page`` as a commune officer (largest commune of the largest
     province), a province viewer (largest province) and an administrator (nation), ``--requests`` names /
     codes / citizen IDs each;
   - aggregate: ``rollups.services.rollup_recount`` over the largest province's communes (the recount the
     rollup and the progress report's per-status counts do);
   - facts: the what-if's read of the largest province (``bulk.facts_frame.register_facts``, the
     querysets of ``bulk.whatif``);
   - plans: ``EXPLAIN (ANALYZE, BUFFERS)`` of one province-scope name search and of the province's facts
     query, both layouts (planning and execution ms, buffers: independent of the load).
   The layouts alternate (AB, BA, …) over ``--rounds`` rounds; every figure has the load average beside it.
4. Maintenance: ``VACUUM (ANALYZE)``, ``ANALYZE`` and an index build of the members of the whole table
   against one partition (the largest province); detaching and re-attaching that partition against
   deleting the province's members (rolled back).

``--json`` appends one JSON object per run; the results are in ``bench/RESULTS-national.md`` ("Partitioning
by province: measured"). ``--drop`` removes the ``part`` schema at the end.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from national_bench import (  # noqa: E402
    SERVER,
    _django,
    ensure_database,
    finish,
    load,
    machine,
    national_register,
    percentile,
    persona,
)

TABLES = ("households_household", "households_member", "reviews_reviewresult")
KEY = "province_code"
LAYOUTS = {"table": "public", "partitioned": "part, public"}


def timed(cursor, sql: str) -> float:  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    cursor.execute(sql)
    return round(time.perf_counter() - began, 2)


def with_key(indexdef: str) -> str:
    """A unique index of a partitioned table must hold the partition key: append it to the columns."""
    where = indexdef.find(" WHERE ")
    head, tail = (indexdef, "") if where < 0 else (indexdef[:where], indexdef[where:])
    close = head.rfind(")")
    return f"{head[:close]}, {KEY}{head[close:]}{tail}"


def build(cursor, provinces: list[str]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The partitioned copies in schema ``part``; returns the time of each step."""
    out: dict[str, Any] = {"load_before": load()}
    cursor.execute("DROP SCHEMA IF EXISTS part CASCADE")
    cursor.execute("CREATE SCHEMA part")
    for table in TABLES:
        steps: dict[str, Any] = {}
        cursor.execute(
            f"CREATE TABLE part.{table} (LIKE public.{table} INCLUDING DEFAULTS) PARTITION BY LIST ({KEY})"
        )
        for code in provinces:
            cursor.execute(
                f"CREATE TABLE part.{table}_{code.lower()} PARTITION OF part.{table} FOR VALUES IN ('{code}')"
            )
        cursor.execute(f"CREATE TABLE part.{table}_default PARTITION OF part.{table} DEFAULT")
        steps["copy_s"] = timed(cursor, f"INSERT INTO part.{table} SELECT * FROM public.{table}")  # noqa: S608
        steps["primary_key_s"] = timed(cursor, f"ALTER TABLE part.{table} ADD PRIMARY KEY (id, {KEY})")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = %s "
            "AND indexname NOT LIKE '%%_pkey'",
            [table],
        )
        indexes = {}
        for name, indexdef in cursor.fetchall():
            sql = indexdef.replace(f" ON public.{table} ", f" ON part.{table} ").replace(
                f"INDEX {name} ", f"INDEX p_{name} "
            )
            if sql.startswith("CREATE UNIQUE INDEX") and KEY not in sql:
                sql = with_key(sql)
            indexes[name] = timed(cursor, sql)
        steps["indexes_s"] = indexes
        steps["indexes_total_s"] = round(sum(indexes.values()), 1)
        steps["analyze_s"] = timed(cursor, f"ANALYZE part.{table}")
        cursor.execute(
            "SELECT sum(pg_table_size(c.oid)), sum(pg_indexes_size(c.oid)) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass",
            [f"part.{table}"],
        )
        steps["table_bytes"], steps["index_bytes"] = (int(v) for v in cursor.fetchone())
        cursor.execute(
            "SELECT pg_table_size(%s), pg_indexes_size(%s)", [f"public.{table}", f"public.{table}"]
        )
        steps["original_table_bytes"], steps["original_index_bytes"] = cursor.fetchone()
        out[table] = steps
        print("built", table, json.dumps(steps), f"load {load()}", flush=True)
    out["load_after"] = load()
    return out


def summary(values: list[float]) -> dict[str, Any]:
    return {
        "n": len(values),
        "p50_ms": round(statistics.median(values), 1),
        "p95_ms": round(percentile(values, 95), 1),
        "max_ms": round(max(values), 1),
    }


def explain(cursor, sql: str, params: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
    plan = cursor.fetchone()[0]
    plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]
    top = plan["Plan"]
    return {
        "planning_ms": round(plan["Planning Time"], 1),
        "execution_ms": round(plan["Execution Time"], 1),
        "shared_hit": top.get("Shared Hit Blocks", 0),
        "shared_read": top.get("Shared Read Blocks", 0),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--server", default=SERVER)
    parser.add_argument("--database", default="giamngheo_partition_bench")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--skip", default="", help="comma-separated: build,search,aggregate,facts,plans,maintenance"
    )
    parser.add_argument("--json", help="append the figures as one JSON object to this file")
    parser.add_argument("--drop", action="store_true", help="drop the partitioned copies at the end")
    args = parser.parse_args()
    args.fresh = False
    skip = set(filter(None, args.skip.split(",")))
    out: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "database": args.database,
    }

    ensure_database(args)
    _django(f"{args.server}/{args.database}")
    import random

    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from giamngheo.accounts.models import Role
    from giamngheo.bulk.facts_frame import register_facts
    from giamngheo.households.models import Household, Member
    from giamngheo.households.selectors import RegisterQuery, register_page
    from giamngheo.reviews.models import ReviewResult
    from giamngheo.rollups.services import rollup_recount
    from giamngheo.text import fold
    from giamngheo.units.models import Unit

    national_register(args)
    cursor = connection.cursor()
    out["machine"] = machine(cursor)
    provinces = list(Unit.objects.filter(parent=None).order_by("code").values_list("code", flat=True))
    national = [p for p in provinces if p.startswith("S")]
    sizes = dict(
        Household.objects.filter(unit_path__startswith="/S")
        .values_list("province_code")
        .annotate(n=Count("id"))
    )
    largest = Unit.objects.get(parent=None, code=max(national, key=lambda c: sizes.get(c, 0)))
    communes = list(Unit.objects.filter(parent=largest).values_list("pk", flat=True))
    commune = max(
        Unit.objects.filter(parent=largest), key=lambda c: Household.objects.filter(commune=c).count()
    )
    out["households"] = sum(sizes.values())
    out["largest_province"] = {
        "code": largest.code,
        "households": sizes[largest.code],
        "communes": len(communes),
    }
    out["largest_commune"] = {
        "code": commune.code,
        "households": Household.objects.filter(commune=commune).count(),
    }
    print(json.dumps({k: out[k] for k in ("households", "largest_province", "largest_commune")}), flush=True)

    if "build" not in skip:
        out["build"] = build(cursor, provinces)

    def layout(name: str) -> None:
        cursor.execute(f"SET search_path TO {LAYOUTS[name]}")

    admin = persona("bench.quocgia", Role.SYSTEM_ADMIN, None)
    viewer = persona("bench.tinh", Role.PROVINCE_VIEWER, largest)
    officer = persona("bench.xa", Role.COMMUNE_OFFICER, commune)
    rng = random.Random(args.seed)
    cursor.execute(
        "SELECT full_name, citizen_id, unit_path FROM households_member TABLESAMPLE SYSTEM (0.5) "
        "WHERE unit_path LIKE '/S%%'"
    )
    people = cursor.fetchall()
    codes = list(Household.objects.filter(commune=commune).values_list("code", flat=True)[:3000])
    province_people = [p for p in people if p[2].startswith(largest.path)]
    commune_people = list(
        Member.objects.filter(household__commune=commune).values_list("full_name", "citizen_id", "unit_path")[
            :3000
        ]
    )

    def asked(scope: list) -> list[str]:
        texts = []
        for _ in range(args.requests):
            kind = rng.choice(["name", "name", "code", "cid"])
            if kind == "name":
                words = fold(rng.choice(scope)[0]).split()
                texts.append(f"{words[0]} {words[-1]}")
            elif kind == "code":
                texts.append(rng.choice(codes))
            else:
                texts.append(next((p[1] for p in rng.sample(people, 20) if p[1]), ""))
        return texts

    scopes = {
        "commune": (officer, asked(commune_people)),
        "province": (viewer, asked(province_people)),
        "national": (admin, asked(people)),
    }
    province_households = Household.objects.filter(
        unit_path__startswith=largest.path, dissolved_on__isnull=True
    )
    province_members = Member.objects.filter(unit_path__startswith=largest.path)

    times: dict[str, dict[str, list[float]]] = {name: {} for name in LAYOUTS}
    loads: list[str] = []
    for round_ in range(args.rounds):
        order = list(LAYOUTS) if round_ % 2 == 0 else list(reversed(LAYOUTS))
        for name in order:
            layout(name)
            bucket = times[name]
            if "search" not in skip:
                for scope, (user, texts) in scopes.items():
                    register_page(user, RegisterQuery(text=texts[0]))  # warm the plan cache of this layout
                    for text in texts:
                        began = time.perf_counter()
                        page = register_page(user, RegisterQuery(text=text))
                        _ = [h.pk for h in page.rows]
                        bucket.setdefault(f"search {scope}", []).append((time.perf_counter() - began) * 1000)
            if "aggregate" not in skip:
                for _ in range(2):
                    began = time.perf_counter()
                    rollup_recount(commune_ids=communes)
                    bucket.setdefault("recount, largest province", []).append(
                        (time.perf_counter() - began) * 1000
                    )
            if "facts" not in skip:
                began = time.perf_counter()
                facts = register_facts(households=province_households, members=province_members)
                bucket.setdefault("what-if read, largest province", []).append(
                    (time.perf_counter() - began) * 1000
                )
                del facts
            loads.append(load())
            print(f"round {round_ + 1} {name} load {loads[-1]}", flush=True)
    out["runs"] = {name: {what: summary(v) for what, v in bucket.items()} for name, bucket in times.items()}
    out["run_loads"] = loads
    print("runs", json.dumps(out["runs"]), flush=True)

    if "plans" not in skip:
        plans: dict[str, Any] = {}
        text = next(t for t in scopes["province"][1] if not any(ch.isdigit() for ch in t))
        with CaptureQueriesContext(connection) as captured:
            layout("table")
            register_page(viewer, RegisterQuery(text=text))
        searches = [
            q["sql"]
            for q in captured.captured_queries
            if "households_" in q["sql"] and not q["sql"].lstrip().upper().startswith(("EXPLAIN", "SET"))
        ]
        columns = ("id", "household_id", "birth_date")
        facts_sql, facts_params = province_members.values(*columns).query.sql_with_params()
        # The same read said with the key too (what partition pruning needs; the application does not say it).
        keyed_sql, keyed_params = (
            province_members.filter(province_code=largest.code).values(*columns).query.sql_with_params()
        )
        counts_sql, counts_params = (
            ReviewResult.objects.filter(province_code=largest.code)
            .values("review_round__year", "status")
            .annotate(n=Count("id"))
            .query.sql_with_params()
        )
        for name in LAYOUTS:
            layout(name)
            each = [explain(cursor, sql, None) for sql in searches]
            plans[name] = {
                "search": {key: round(sum(e[key] for e in each), 1) for key in each[0]}
                | {"queries": len(each)},
                "members of the province": explain(cursor, facts_sql, facts_params),
                "members of the province, keyed": explain(cursor, keyed_sql, keyed_params),
                "results of the province by year and status, keyed": explain(
                    cursor, counts_sql, counts_params
                ),
            }
        plans["search_text"] = text
        out["plans"] = plans
        print("plans", json.dumps(plans), flush=True)

    if "maintenance" not in skip:
        layout("table")
        part = f"part.households_member_{largest.code.lower()}"
        m: dict[str, Any] = {"load_before": load()}
        m["vacuum_table_s"] = timed(cursor, "VACUUM (ANALYZE) public.households_member")
        m["vacuum_partition_s"] = timed(cursor, f"VACUUM (ANALYZE) {part}")
        m["analyze_table_s"] = timed(cursor, "ANALYZE public.households_member")
        m["analyze_partition_s"] = timed(cursor, f"ANALYZE {part}")
        cursor.execute("DROP INDEX IF EXISTS public.bench_member_sex")
        cursor.execute("DROP INDEX IF EXISTS part.bench_member_sex_p")
        m["index_table_s"] = timed(
            cursor, "CREATE INDEX bench_member_sex ON public.households_member (sex, birth_date)"
        )
        cursor.execute("DROP INDEX bench_member_sex")
        m["index_partition_s"] = timed(cursor, f"CREATE INDEX bench_member_sex_p ON {part} (sex, birth_date)")
        cursor.execute("DROP INDEX part.bench_member_sex_p")
        m["detach_s"] = timed(cursor, f"ALTER TABLE part.households_member DETACH PARTITION {part}")
        m["attach_s"] = timed(
            cursor,
            f"ALTER TABLE part.households_member ATTACH PARTITION {part} FOR VALUES IN ('{largest.code}')",
        )
        cursor.execute("BEGIN")
        m["delete_province_members_s"] = timed(
            cursor,
            f"DELETE FROM public.households_member WHERE unit_path LIKE '{largest.path}%'",  # noqa: S608
        )
        cursor.execute("ROLLBACK")
        m["load_after"] = load()
        out["maintenance"] = m
        print("maintenance", json.dumps(m), flush=True)

    layout("table")
    if args.drop:
        cursor.execute("DROP SCHEMA part CASCADE")
    finish(out, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
