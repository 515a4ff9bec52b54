"""Benchmark a national register on PostgreSQL (issue 15): search, rollup, progress report, what-if.

    .venv/bin/python bench/national_bench.py --households 1000000 [--fresh] [--requests 40] [--json FILE]

1. The data: ``giamngheo synthetic_register --households N`` (the national shape: 34 provinces, 3,321
   communes) in a database of its own (default ``giamngheo_national_bench``), generated unless it already
   holds the national households; ``--fresh`` drops and re-creates the database first (another size).
   The generation is timed (wall, and the database's own size afterwards).
2. Household search through ``households.selectors.register_page`` (what the list page and the API call),
   as a commune officer (the largest commune of the largest province), a province viewer (the largest
   province) and a national administrator: names, codes and citizen IDs picked at random from the data,
   p50 / p95 / max over ``--requests`` each after a warm-up. Target ≤ 300 ms (p95).
3. The national status rollup for a year, per province and per commune (``rollups.selectors``), and for
   contrast the recount from the results it replaces (``rollups.services.rollup_recount``). Target ≤ 2 s.
4. The province progress report (``reports.progress.build_progress``) of the largest province, for the
   latest decided year. Target ≤ 5 s.
5. The what-if of the 2027–2030 standard (``bulk.whatif.whatif_counts``) over the largest province and over
   the nation (``unit=None``: the product reads it province by province, one province's frames in memory at
   a time), each in a fresh interpreter so its peak RSS (``ru_maxrss``) is its own. Targets (at 5M): ≤ 30 s
   per 1M households of a province, ≤ 150 s and ≤ 4 GB for the nation.

Every figure is printed with the load average beside it (the machine is shared). ``--json`` appends one JSON
object per run to a file (``bench/RESULTS-national.md`` is written from them).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


SERVER = "postgres://postgres@127.0.0.1:5432"


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile, linear between the closest ranks (one value: itself)."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("FAST_PASSWORD_HASHER", "1")
    import django

    django.setup()


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def whatif_child(args: argparse.Namespace) -> None:
    """One what-if (``--whatif-child CODE|all``) in this interpreter; prints one JSON line. ``all``: the
    product's national what-if (``whatif_counts(unit=None)``), which reads the nation province by province."""
    _django(f"{args.server}/{args.database}")
    import datetime

    from giamngheo.accounts.models import Role, User
    from giamngheo.bulk.whatif import whatif_counts
    from giamngheo.standards.loader import get_standard
    from giamngheo.units.models import Unit

    user = User(username="bench", role=Role.SYSTEM_ADMIN)
    standard = get_standard("VN-2027-2030")
    day = datetime.date(2027, 12, 14)
    unit = None if args.whatif_child == "all" else Unit.objects.get(code=args.whatif_child)
    started = time.perf_counter()
    result = whatif_counts(user=user, unit=unit, standard=standard, review_date=day)
    print(
        json.dumps(
            {
                "scope": args.whatif_child,
                "provinces": result.parts,
                "households": result.total.households,
                "poor": result.total.poor,
                "seconds": round(time.perf_counter() - started, 2),
                "slowest_province_seconds": round(result.timings["slowest_part"], 2),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "load": load(),
            }
        )
    )


METRICS = {
    "generate (s)": lambda r: r.get("generate", {}).get("seconds"),
    "database (GB)": lambda r: r["database_bytes"] / 2**30,
    "search p95, commune (ms)": lambda r: r.get("search", {}).get("commune", {}).get("all", {}).get("p95_ms"),
    "search p95, province (ms)": lambda r: (
        r.get("search", {}).get("province", {}).get("all", {}).get("p95_ms")
    ),
    "search p95, national (ms)": lambda r: (
        r.get("search", {}).get("national", {}).get("all", {}).get("p95_ms")
    ),
    "rollup per province (s)": lambda r: r.get("rollup", {}).get("province", {}).get("p50_s"),
    "rollup per commune (s)": lambda r: r.get("rollup", {}).get("commune", {}).get("p50_s"),
    "recount instead (s)": lambda r: r.get("rollup", {}).get("recount_all_years_s"),
    "progress report, largest province (s)": lambda r: r.get("progress", {}).get("warm_median_s"),
    "what-if, largest province (s)": lambda r: r.get("whatif", {}).get("province", {}).get("seconds"),
    "what-if, nation (s)": lambda r: r.get("whatif", {}).get("national", {}).get("seconds"),
    "what-if, nation, peak RSS (MB)": lambda r: r.get("whatif", {}).get("national", {}).get("peak_rss_mb"),
}


def fit(path: str, targets: tuple[int, ...] = (5_000_000, 27_000_000)) -> None:
    """Fit ``value = a · N^b`` (least squares in log–log) per metric over the runs in ``path`` and print a
    Markdown table with the extrapolations to ``targets``."""
    import math

    runs = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    sizes = sorted({r["households"] for r in runs})
    header = [
        "metric",
        *(f"{n / 1e6:g} M" for n in sizes),
        "exponent b",
        *(f"→ {n / 1e6:g} M" for n in targets),
    ]
    print("| " + " | ".join(header) + " |")
    print("|---" * len(header) + "|")
    for name, get in METRICS.items():
        points = {}
        for r in runs:
            value = get(r)
            if value is not None:
                points[r["households"]] = value  # the last run of a size wins
        cells = [f"{points[n]:,.2f}" if n in points else "" for n in sizes]
        if len(points) >= 2 and all(v > 0 for v in points.values()):
            xs = [math.log(n) for n in points]
            ys = [math.log(v) for v in points.values()]
            mx, my = statistics.fmean(xs), statistics.fmean(ys)
            b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
            a = math.exp(my - b * mx)
            extra = [f"{b:.2f}", *(f"{a * n**b:,.2f}" for n in targets)]
        else:
            extra = ["", *("" for _ in targets)]
        print("| " + " | ".join([name, *cells, *extra]) + " |")


def report(path: str) -> None:
    """Print the runs in ``path`` as Markdown: one column per run, the load beside each figure."""
    runs = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]

    def search(r: dict, scope: str, kind: str) -> str:
        s = r.get("search", {}).get(scope, {})
        k = s.get(kind)
        return f"{k['p50_ms']} / **{k['p95_ms']}** / {k['max_ms']} (n={k['n']})" if k else ""

    rows: list[tuple[str, Any]] = [
        ("run (UTC)", lambda r: r["date"]),
        ("households", lambda r: f"{r['households']:,}"),
        (
            "people / results",
            lambda r: "{:,} / {:,}".format(
                r["tables"]["households_member"]["rows"], r["tables"]["reviews_reviewresult"]["rows"]
            ),
        ),
        (
            "generation (s, load before → after)",
            lambda r: (
                "{} ({} → {})".format(
                    r["generate"]["seconds"], r["generate"]["load_before"], r["generate"]["load_after"]
                )
                if "generate" in r
                else ""
            ),
        ),
        ("database size", lambda r: f"{r['database_bytes'] / 2**30:.2f} GiB"),
        (
            "largest province / commune",
            lambda r: "{} ({:,}) / {} ({:,})".format(
                r["largest_province"]["code"],
                r["largest_province"]["households"],
                r["largest_commune"]["code"],
                r["largest_commune"]["households"],
            ),
        ),
    ]
    for scope in ("commune", "province", "national"):
        for kind in ("all", "name", "code", "cid"):
            rows.append(
                (f"search {scope}, {kind}: p50 / p95 / max ms", lambda r, s=scope, k=kind: search(r, s, k))
            )
        rows.append(
            (
                f"  load during the {scope} searches",
                lambda r, s=scope: r.get("search", {}).get(s, {}).get("load", ""),
            )
        )
    for level in ("province", "commune"):
        rows.append(
            (
                f"rollup per {level}: median / max s (rows; load)",
                lambda r, lv=level: (
                    "{} / {} ({}; {})".format(
                        r["rollup"][lv]["p50_s"],
                        r["rollup"][lv]["max_s"],
                        r["rollup"][lv]["rows"],
                        r["rollup"][lv]["load"],
                    )
                    if "rollup" in r
                    else ""
                ),
            )
        )
    rows += [
        (
            "recount of all decided results instead (s; load)",
            lambda r: (
                "{} ({})".format(r["rollup"]["recount_all_years_s"], r["rollup"]["recount_load"])
                if "rollup" in r
                else ""
            ),
        ),
        (
            "progress report, largest province: cold / warm s (load)",
            lambda r: (
                "{} / {} ({})".format(
                    r["progress"]["cold_s"], r["progress"]["warm_median_s"], r["progress"]["load"]
                )
                if "progress" in r
                else ""
            ),
        ),
        (
            "what-if, largest province: s, peak RSS MB (load)",
            lambda r: (
                "{} s, {} MB ({})".format(
                    r["whatif"]["province"]["seconds"],
                    r["whatif"]["province"]["peak_rss_mb"],
                    r["whatif"]["province"]["load"],
                )
                if "whatif" in r
                else ""
            ),
        ),
        (
            "what-if, nation by province: s, slowest province s, peak RSS MB (load)",
            lambda r: (
                "{} s, {} s, {} MB ({})".format(
                    r["whatif"]["national"]["seconds"],
                    r["whatif"]["national"]["slowest_province_seconds"],
                    r["whatif"]["national"]["peak_rss_mb"],
                    r["whatif"]["national"]["load"],
                )
                if "whatif" in r
                else ""
            ),
        ),
        ("load after the run", lambda r: r.get("load_after", "")),
    ]
    print("| figure | " + " | ".join(f"run {i + 1}" for i in range(len(runs))) + " |")
    print("|---" * (len(runs) + 1) + "|")
    for name, get in rows:
        print(f"| {name} | " + " | ".join(str(get(r)) for r in runs) + " |")


def ensure_database(args: argparse.Namespace) -> None:
    import psycopg

    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.database]).fetchone()
        if exists and args.fresh:
            conn.execute(f'DROP DATABASE "{args.database}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{args.database}"')


def machine(cursor) -> dict:  # type: ignore[no-untyped-def]
    cursor.execute("SELECT version()")
    version = cursor.fetchone()[0].split(" on ")[0]
    settings = {}
    for name in ("shared_buffers", "work_mem", "maintenance_work_mem", "max_parallel_workers_per_gather"):
        cursor.execute(f"SHOW {name}")
        settings[name] = cursor.fetchone()[0]
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    cpu = next(
        (line.split(":", 1)[1].strip() for line in lscpu.splitlines() if line.startswith("Model name")), ""
    )
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": f"{os.cpu_count()} × {cpu}",
        "memory_gb": round(memory, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": version,
        **settings,
    }


def national_register(args: argparse.Namespace) -> dict | None:
    """Migrate ``args.database`` (Django set up on it) and generate the national register there unless it
    holds ``args.households`` national households already; the generation's time and load, if one ran."""
    from django.core.management import call_command

    from giamngheo.households.models import Household

    call_command("migrate", verbosity=0)
    have = Household.objects.filter(unit_path__startswith="/S").count()
    if have >= args.households:
        return None
    print(f"generating {args.households:,} households (have {have:,}), load {load()} …", flush=True)
    before = load()
    started = time.monotonic()
    call_command("synthetic_register", households=args.households)
    generated = {"seconds": round(time.monotonic() - started), "load_before": before, "load_after": load()}
    print(f"generated in {generated['seconds']} s, load {load()}", flush=True)
    return generated


def persona(username: str, role: str, unit: Any) -> Any:
    """The benchmark's user of this role and unit (created or updated)."""
    from giamngheo.accounts.models import User

    user, _ = User.objects.update_or_create(username=username, defaults={"role": role, "unit": unit})
    return user


def finish(out: dict, path: str | None) -> None:
    """The run's figures with the load after it: printed, and appended as one JSON line to ``path``."""
    out["load_after"] = load()
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(out) + "\n")
    print(json.dumps(out))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--server", default=SERVER)
    parser.add_argument("--database", default="giamngheo_national_bench")
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the database first")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--skip", default="", help="comma-separated parts to skip: search,rollup,progress,whatif"
    )
    parser.add_argument("--json", help="append the figures as one JSON object to this file")
    parser.add_argument("--report", help="print the runs in this JSON-lines file as a Markdown table")
    parser.add_argument("--fit", help="print the growth curves fitted to the runs in this JSON-lines file")
    parser.add_argument("--whatif-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fit:
        fit(args.fit)
        return 0
    if args.report:
        report(args.report)
        return 0
    if args.whatif_child:
        whatif_child(args)
        return 0
    skip = set(filter(None, args.skip.split(",")))
    out: dict = {
        "households_asked": args.households,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }

    ensure_database(args)
    _django(f"{args.server}/{args.database}")
    from django.db import connection

    from giamngheo.accounts.models import Role
    from giamngheo.households.models import Household
    from giamngheo.households.selectors import RegisterQuery, register_page
    from giamngheo.reports.progress import build_progress
    from giamngheo.rollups.selectors import status_rollup
    from giamngheo.rollups.services import rollup_recount
    from giamngheo.text import fold
    from giamngheo.units.models import Unit

    generated = national_register(args)
    if generated:
        out["generate"] = generated
    with connection.cursor() as cursor:
        out["machine"] = machine(cursor)
        cursor.execute("SELECT pg_database_size(current_database())")
        out["database_bytes"] = cursor.fetchone()[0]
        sizes = {}
        for table in ("households_household", "households_member", "reviews_reviewresult"):
            cursor.execute(
                "SELECT pg_table_size(%s), pg_indexes_size(%s), "
                "(SELECT reltuples FROM pg_class WHERE oid = %s::regclass)",
                [table, table, table],
            )
            data, indexes, rows = cursor.fetchone()
            sizes[table] = {"rows": int(rows), "table_bytes": data, "index_bytes": indexes}
        out["tables"] = sizes
    out["households"] = Household.objects.filter(unit_path__startswith="/S").count()
    provinces = list(Unit.objects.filter(parent=None, code__startswith="S").order_by("code"))
    sizes_by_path = {}
    for province in provinces:
        sizes_by_path[province.path] = Household.objects.filter(unit_path__startswith=province.path).count()
    largest = max(provinces, key=lambda p: sizes_by_path[p.path])
    commune = max(
        Unit.objects.filter(parent=largest), key=lambda c: Household.objects.filter(commune=c).count()
    )
    out["largest_province"] = {"code": largest.code, "households": sizes_by_path[largest.path]}
    out["largest_commune"] = {
        "code": commune.code,
        "households": Household.objects.filter(commune=commune).count(),
    }
    year = (
        Household.objects.filter(unit_path__startswith=largest.path)
        .order_by("-status_date")
        .values_list("status_date", flat=True)
        .first()
        .year
    )
    print(json.dumps({k: out[k] for k in ("households", "largest_province", "largest_commune")}), flush=True)

    admin = persona("bench.quocgia", Role.SYSTEM_ADMIN, None)
    viewer = persona("bench.tinh", Role.PROVINCE_VIEWER, largest)
    officer = persona("bench.xa", Role.COMMUNE_OFFICER, commune)

    if "search" not in skip:
        rng = random.Random(args.seed)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT full_name, citizen_id, unit_path FROM households_member TABLESAMPLE SYSTEM (0.5) "
                "WHERE unit_path LIKE '/S%%' LIMIT 5000"
            )
            people = cursor.fetchall()
        commune_people = list(
            Household.objects.filter(commune=commune).values_list("head_name", "code")[:3000]
        )
        province_people = [p for p in people if p[2].startswith(largest.path)] or people

        def queries(scope: list, own: list) -> list[tuple[str, str]]:
            out_q = []
            for _ in range(args.requests):
                kind = rng.choice(["name", "name", "code", "cid"])
                if kind == "name":
                    words = fold(rng.choice(scope)[0]).split()
                    out_q.append(("name", f"{words[0]} {words[-1]}"))
                elif kind == "code":
                    out_q.append(
                        (
                            "code",
                            rng.choice(own)[1] if own is commune_people else rng.choice(commune_people)[1],
                        )
                    )
                else:
                    cid = next((p[1] for p in rng.sample(people, 20) if p[1]), "")
                    out_q.append(("cid", cid))
            return out_q

        search = {}
        for label, user, scope in (
            ("commune", officer, commune_people),
            ("province", viewer, province_people),
            ("national", admin, people),
        ):
            asked = queries(scope, commune_people)
            for _kind, text in asked[:5]:  # warm-up
                register_page(user, RegisterQuery(text=text))
            times: dict[str, list[float]] = {"all": []}
            for kind, text in asked:
                began = time.perf_counter()
                page = register_page(user, RegisterQuery(text=text))
                _ = [h.pk for h in page.rows]
                spent = (time.perf_counter() - began) * 1000
                times["all"].append(spent)
                times.setdefault(kind, []).append(spent)
            search[label] = {
                kind: {
                    "n": len(values),
                    "p50_ms": round(statistics.median(values)),
                    "p95_ms": round(percentile(values, 95)),
                    "max_ms": round(max(values)),
                }
                for kind, values in times.items()
            }
            search[label]["load"] = load()
            print(label, json.dumps(search[label]), flush=True)
        out["search"] = search

    if "rollup" not in skip:
        rollup = {}
        for level in ("province", "commune"):
            times = []
            for _ in range(10):
                began = time.perf_counter()
                total, rows = status_rollup(user=admin, year=year, level=level)
                times.append(time.perf_counter() - began)
            rollup[level] = {
                "rows": len(rows),
                "households": total.total,
                "p50_s": round(statistics.median(times), 3),
                "max_s": round(max(times), 3),
                "load": load(),
            }
        began = time.perf_counter()
        rollup_recount()
        rollup["recount_all_years_s"] = round(time.perf_counter() - began, 1)
        rollup["recount_load"] = load()
        print("rollup", json.dumps(rollup), flush=True)
        out["rollup"] = rollup

    if "progress" not in skip:
        times = []
        for _ in range(3):
            began = time.perf_counter()
            build_progress(user=viewer, unit=largest, period=str(year))
            times.append(time.perf_counter() - began)
        out["progress"] = {
            "province": largest.code,
            "households": sizes_by_path[largest.path],
            "cold_s": round(times[0], 2),
            "warm_median_s": round(statistics.median(times[1:]), 2),
            "load": load(),
        }
        print("progress", json.dumps(out["progress"]), flush=True)

    if "whatif" not in skip:
        whatif = {}
        for scope in (largest.code, "all"):
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--whatif-child",
                    scope,
                    "--server",
                    args.server,
                    "--database",
                    args.database,
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            whatif["province" if scope != "all" else "national"] = json.loads(
                done.stdout.strip().splitlines()[-1]
            )
            print("whatif", scope, done.stdout.strip().splitlines()[-1], flush=True)
        out["whatif"] = whatif

    finish(out, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
