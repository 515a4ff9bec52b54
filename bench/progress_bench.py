"""Benchmark the yearly progress report of a province: 100 communes, 300,000 households (issue 6: ≤ 5 s).

    .venv/bin/python bench/progress_bench.py [--database-url URL] [--households N] [--communes C] [--runs K]

Builds the data once in a dedicated PostgreSQL database (``progress_data``), then times ``build_progress``
for the province and the year (cold first run, then K warm runs), the renderers (CSV, XLSX, DOCX, PDF) and
the whole command line ``giamngheo report progress`` as a subprocess (start-up included). Prints a table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import progress_data  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=progress_data.DEFAULT_URL)
    parser.add_argument("--households", type=int, default=300_000)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    progress_data.setup_django(args.database_url)
    year, households = progress_data.ensure_register(households=args.households, communes=args.communes)
    progress_data.ensure_supports(year=year)

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from giamngheo.reports.management.commands.report_progress import system_actor
    from giamngheo.reports.progress import build_progress, render
    from giamngheo.support.models import Support
    from giamngheo.units.models import Unit

    province = Unit.objects.get(code=progress_data.PROVINCE_CODE)
    actor = system_actor()
    supports = Support.objects.filter(unit_path__startswith=province.path).count()
    timings = []
    for _ in range(args.runs + 1):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            progress = build_progress(user=actor, unit=province, period=str(year))
            timings.append(time.perf_counter() - started)
    renders = {}
    for fmt in ("csv", "xlsx", "docx", "pdf"):
        started = time.perf_counter()
        size = len(render(progress, fmt))
        renders[fmt] = (time.perf_counter() - started, size)
    commands = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("csv", "xlsx", "pdf"):
            out = Path(tmp) / f"province.{fmt}"
            started = time.perf_counter()
            done = subprocess.run(
                [
                    Path(sys.executable).parent / "giamngheo",
                    "report",
                    "progress",
                    "--unit",
                    province.code,
                    "--period",
                    str(year),
                    "--format",
                    fmt,
                    "--output",
                    str(out),
                ],
                capture_output=True,
                text=True,
                env={**os.environ, "DATABASE_URL": args.database_url},
            )
            commands[fmt] = time.perf_counter() - started
            assert done.returncode == 0, done.stderr

    info = progress_data.machine()
    rows = progress.data["children"]
    print(f"# progress report: province {province.code}, year {year}")
    print(f"machine: {info}")
    print(f"data: {len(rows)} communes, {households:,} households, {supports:,} supports")
    print(f"queries per build: {len(queries)}")
    print(
        f"build_progress cold: {timings[0]:.2f} s; "
        f"warm median {statistics.median(timings[1:]):.2f} s, max {max(timings[1:]):.2f} s"
    )
    for fmt, (seconds, size) in renders.items():
        print(f"render {fmt}: {seconds:.2f} s ({size:,} bytes)")
    for fmt, seconds in commands.items():
        print(f"giamngheo report progress --format {fmt} (subprocess, start-up included): {seconds:.2f} s")
    total = progress.data["total"]
    print(
        f"check: households {total['households']:,}, poor {total['poor']:,} ({total['poor_rate']}%), "
        f"supports {total['supports']['count']:,}, spent {total['spent']:,} VND"
    )


if __name__ == "__main__":
    main()
