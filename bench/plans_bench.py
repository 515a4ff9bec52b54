"""Benchmark the yearly plan (issue 5): building and loading the Sơn Trung demo register, the plan page and
the plan's outputs, on a fresh database.

    .venv/bin/python bench/plans_bench.py [--postgres postgres://postgres@127.0.0.1:5432] [--runs K]

Without ``--postgres`` a fresh SQLite file in a temporary folder is used; with it, a temporary database
``giamngheo_plans_bench`` is created on that server and dropped at the end. Prints one line per step
(median of K runs where a step can be repeated).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = "giamngheo_plans_bench"


def timed(fn, runs: int = 1) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="server URL (without database name)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["FAST_PASSWORD_HASHER"] = "1"  # noqa: S105 - a flag, not a password: hashing is not measured
    folder = tempfile.mkdtemp(prefix="plans-bench-")
    if args.postgres:
        import psycopg

        server = args.postgres.rstrip("/")
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
            conn.execute(f"CREATE DATABASE {BENCH_DB}")
        os.environ["DATABASE_URL"] = f"{server}/{BENCH_DB}"
    else:
        os.environ["GIAMNGHEO_DATA_DIR"] = folder
        os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from giamngheo.accounts.models import User
    from giamngheo.demo import register as register_module
    from giamngheo.demo.sontrung import demo_load, load_register, village_rows
    from giamngheo.plans.documents.render import (
        TableTitle,
        plan_docx,
        plan_pdf,
        targets_csv,
        targets_pdf,
        targets_xlsx,
    )
    from giamngheo.plans.models import Plan
    from giamngheo.plans.selectors import COMMAND_LINE, plan_document, plan_figures

    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    villages = register_module.village_counts(village_rows())
    build, specs = timed(lambda: register_module.build_register(villages), args.runs)
    print(f"build the register in memory (1,545 households, engine checks): {build:.2f} s")

    commune = demo_load()
    built = specs
    original = register_module.build_register
    register_module.build_register = lambda villages, **kw: built  # time the writes alone
    write, _ = timed(lambda: load_register(commune))
    register_module.build_register = original
    print(f"write register + members + 2 decided reviews + 2023 plan (with history): {write:.2f} s")
    again, _ = timed(lambda: load_register(commune), args.runs)
    print(f"second run (everything present: skipped): {again * 1000:.0f} ms")

    plan = Plan.objects.get(commune=commune, year=2023)
    client = Client()
    client.force_login(User.objects.get(username="canbo.sontrung"))
    url = f"/ke-hoach/{commune.code}/2023/"
    client.get(url)
    page, response = timed(lambda: client.get(url), args.runs * 4)
    assert response.status_code == 200  # type: ignore[attr-defined]
    print(f"plan page (officer, whole request): {page * 1000:.0f} ms")

    table = plan_figures(user=COMMAND_LINE, plan=plan).table
    title = TableTitle.for_plan(commune_level="xã", commune_name=commune.name, year=2023)
    for name, fn in (
        ("target table CSV", lambda: targets_csv(table)),
        ("target table XLSX", lambda: targets_xlsx(table, title)),
        ("target table PDF", lambda: targets_pdf(table, title)),
        ("plan document DOCX", lambda: plan_docx(plan_document(user=COMMAND_LINE, plan=plan))),
        ("plan document PDF", lambda: plan_pdf(plan_document(user=COMMAND_LINE, plan=plan))),
    ):
        seconds, _ = timed(fn, args.runs)
        print(f"{name}: {seconds * 1000:.0f} ms")

    connection.close()
    if args.postgres:
        import psycopg

        with psycopg.connect(f"{args.postgres.rstrip('/')}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")


if __name__ == "__main__":
    main()
