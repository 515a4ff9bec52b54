"""Benchmark the what-if over a province of 1,000,000 households with their members on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/giamngheo_bench_register \\
        .venv/bin/python bench/whatif_bench.py --unit 99 [--standard VN-2027-2030] [--runs 3]

The database must already hold the register: make one with the synthetic generator, e.g.
``giamngheo synthetic_register --households 1000000 --province-code 99`` (about 3.5 million members).
The benchmark only reads: it never writes to the database.

Each run is a fresh interpreter (``--child``) so its peak RSS (``ru_maxrss``) is the what-if's own. A run
reports the wall time of ``whatif_counts`` (scope check, both reads, the vectorised classification and the
per-village counting) and its split: ``read_households`` / ``read_members`` (COPY … TO STDOUT in CSV and
polars' CSV reader: database, transfer and parsing), ``compute`` (indicators and statuses in polars),
``count``. It also times the floor of the read — the same two COPY statements with the bytes thrown away
— and, for comparison, the per-household Python path (``classify`` on ``household_facts``) on a sample,
extrapolated. Target (issue 3): ≤ 30 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def child(args: argparse.Namespace) -> dict:
    """One what-if in this process; prints a JSON line with the figures."""
    started = time.perf_counter()
    _django()
    import datetime

    from giamngheo.accounts.models import Role, User
    from giamngheo.bulk.whatif import whatif_counts
    from giamngheo.standards.loader import get_standard
    from giamngheo.units.models import Unit

    setup = time.perf_counter() - started
    user = User(username="bench", role=Role.SYSTEM_ADMIN)
    unit = Unit.objects.get(code=args.unit)
    standard = get_standard(args.standard)
    day = datetime.date.fromisoformat(args.date)
    began = time.perf_counter()
    result = whatif_counts(user=user, unit=unit, standard=standard, review_date=day)
    wall = time.perf_counter() - began
    total = result.total
    return {
        "wall": wall,
        "setup": setup,
        "timings": result.timings,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "households": total.households,
        "people": total.people,
        "poor": total.poor,
        "near_poor": total.near_poor,
        "average": total.average,
        "not_poor": total.not_poor,
        "unclassified": total.unclassified,
        "villages": len(result.rows),
    }


def floor(args: argparse.Namespace) -> dict:
    """The two COPY statements of the what-if, bytes discarded: what the database and the wire cost."""
    _django()
    from django.db import connection
    from psycopg import ClientCursor

    from giamngheo.bulk import facts_frame
    from giamngheo.households.models import Household, Member
    from giamngheo.units.models import Unit

    unit = Unit.objects.get(code=args.unit)
    out = {}
    for name, queryset, columns in (
        ("households", Household.objects.filter(unit_path__startswith=unit.path, dissolved_on__isnull=True),
         facts_frame._household_columns()),
        ("members", Member.objects.filter(unit_path__startswith=unit.path), facts_frame._member_columns()),
    ):  # fmt: skip
        sql, params = facts_frame._compiled(queryset, columns)
        began = time.perf_counter()
        size = 0
        with connection.cursor() as cursor:
            raw = cursor.cursor
            select = ClientCursor(raw.connection).mogrify(sql, params)
            with raw.copy(f"COPY ({select}) TO STDOUT (FORMAT csv, HEADER true)") as copy:
                for block in copy:
                    size += len(block)
        out[name] = {"seconds": time.perf_counter() - began, "mb": size / 1e6}
    return out


def python_loop(args: argparse.Namespace) -> dict:
    """The per-household path on a sample of households (one village after another), extrapolated."""
    _django()
    import datetime

    from django.db.models import Prefetch

    from giamngheo.households.facts import household_facts
    from giamngheo.households.models import Household, Member
    from giamngheo.standards.classify import classify
    from giamngheo.standards.loader import get_standard
    from giamngheo.units.models import Unit

    unit = Unit.objects.get(code=args.unit)
    standard = get_standard(args.standard)
    day = datetime.date.fromisoformat(args.date)
    began = time.perf_counter()
    households = (
        Household.objects.filter(unit_path__startswith=unit.path, dissolved_on__isnull=True)
        .order_by("pk")
        .prefetch_related(Prefetch("members", queryset=Member.objects.order_by("pk")))[: args.sample]
    )
    n = 0
    for h in households:
        facts = household_facts(h, list(h.members.all()))
        if facts.income_per_capita is not None:
            classify(facts, standard, day)
        n += 1
    seconds = time.perf_counter() - began
    return {"sample": n, "seconds": seconds, "per_million": seconds / max(n, 1) * 1_000_000}


def machine() -> str:
    lines = [f"nproc: {os.cpu_count()}"]
    try:
        model = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        lines += [line.strip() for line in model.splitlines() if line.startswith("Model name")]
        memory = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.splitlines()[1]
        lines.append(" ".join(memory.split()[:2]) + " GiB")
    except (OSError, IndexError):
        pass
    lines.append(f"Python {platform.python_version()}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--unit", default="99", help="the province's code")
    parser.add_argument("--standard", default="VN-2027-2030")
    parser.add_argument("--date", default="2027-12-14")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--sample", type=int, default=20_000, help="households for the Python-loop comparison"
    )
    parser.add_argument("--child", choices=["whatif", "floor", "loop"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        task = {"whatif": child, "floor": floor, "loop": python_loop}[args.child]
        print(json.dumps(task(args)))
        return

    def spawn(kind: str) -> dict:
        options = ["--unit", args.unit, "--standard", args.standard, "--date", args.date]
        command = [sys.executable, __file__, "--child", kind, *options, "--sample", str(args.sample)]
        done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
        return json.loads(done.stdout.strip().splitlines()[-1])

    print(machine())
    print(f"database: {os.environ.get('DATABASE_URL', '(default)')}")
    runs = []
    for i in range(args.runs):
        run = spawn("whatif")
        runs.append(run)
        split = ", ".join(f"{k} {v:.2f}" for k, v in run["timings"].items())
        print(f"run {i + 1}: {run['wall']:.2f} s, peak RSS {run['rss_mb']:.0f} MB ({split})")
    last = runs[-1]
    print(
        f"households {last['households']:,}, people {last['people']:,}, villages {last['villages']:,}: poor "
        f"{last['poor']:,}, near-poor {last['near_poor']:,}, average {last['average']:,}, not poor "
        f"{last['not_poor']:,}, unclassified {last['unclassified']:,}"
    )
    walls = [r["wall"] for r in runs]
    print(
        f"what-if wall time: median {statistics.median(walls):.2f} s "
        f"(min {min(walls):.2f}, max {max(walls):.2f})"
    )
    print(f"peak RSS: max {max(r['rss_mb'] for r in runs):.0f} MB")
    floor_run = spawn("floor")
    print("floor (COPY only, bytes discarded): " + ", ".join(
        f"{k} {v['seconds']:.2f} s / {v['mb']:.0f} MB" for k, v in floor_run.items()))  # fmt: skip
    if args.sample:
        loop = spawn("loop")
        print(
            f"per-household Python path: {loop['sample']:,} households in {loop['seconds']:.1f} s → "
            f"{loop['per_million'] / 60:.1f} min per million"
        )


if __name__ == "__main__":
    main()
