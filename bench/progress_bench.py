"""Benchmark the yearly progress report of a province: 100 communes, 300,000 households (issue 6: ≤ 5 s).

    .venv/bin/python bench/progress_bench.py [--database-url URL] [--households N] [--communes C] [--runs K]

Builds the data once in a dedicated PostgreSQL database (``progress_data``), then times ``build_progress``
for the province and the year (cold first run, then K warm runs; also K runs with the figures' queries in
turn on one connection, for comparison), the renderers (CSV, XLSX, DOCX, PDF: wall and CPU time) and the
whole command line ``giamngheo report progress`` as a subprocess (start-up included; wall time, min and
median of ``--cli-runs``, and the child's CPU time). Prints the load average before and after: on a shared
machine the wall times depend on it, the CPU times and query counts much less.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import progress_data  # noqa: E402


def _pages(pdf: bytes) -> str:
    """The page count by poppler's pdfinfo when installed (the PDF's objects are compressed)."""
    try:
        done = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return next(
        (line.split()[-1] for line in done.stdout.decode().splitlines() if line.startswith("Pages")), "?"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=progress_data.DEFAULT_URL)
    parser.add_argument("--households", type=int, default=300_000)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cli-runs", type=int, default=2)
    args = parser.parse_args()
    progress_data.setup_django(args.database_url)
    year, households = progress_data.ensure_register(households=args.households, communes=args.communes)
    progress_data.ensure_supports(year=year)

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from giamngheo import figures
    from giamngheo.reports import progress as progress_module
    from giamngheo.reports.concurrent import FIGURE_CONNECTIONS
    from giamngheo.reports.management.commands.report_progress import system_actor
    from giamngheo.reports.periods import parse_period
    from giamngheo.reports.progress import build_progress
    from giamngheo.reports.progress_render import render
    from giamngheo.support.models import Support
    from giamngheo.units.models import Unit

    load_before = progress_data.machine()["load"]
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
    in_turn = []
    for _ in range(args.runs):
        started = time.perf_counter()
        with figures.aggregate_session():
            progress_module._build_progress(
                user=actor, unit=province, period=parse_period(str(year)), today=None, concurrent=False
            )
        in_turn.append(time.perf_counter() - started)
    renders = {}
    for fmt in ("csv", "xlsx", "docx", "pdf"):
        started, cpu = time.perf_counter(), time.process_time()
        size = len(render(progress, fmt))
        renders[fmt] = (time.perf_counter() - started, time.process_time() - cpu, size)
    started, cpu = time.perf_counter(), time.process_time()
    pdf = render(progress, "pdf")
    pdf_warm = (time.perf_counter() - started, time.process_time() - cpu)
    pages = _pages(pdf)
    commands: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("csv", "xlsx", "docx", "pdf"):
            for _ in range(args.cli_runs):
                out = Path(tmp) / f"province.{fmt}"
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
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
                wall = time.perf_counter() - started
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                commands.setdefault(fmt, []).append((wall, cpu))
                assert done.returncode == 0, done.stderr

    info = progress_data.machine()
    rows = progress.data["children"]
    print(f"# progress report: province {province.code}, year {year}")
    print(f"machine: {info}")
    print(f"data: {len(rows)} communes, {households:,} households, {supports:,} supports")
    print(f"load average before: {load_before}")
    print(f"queries per build: {len(queries)} (figures on {FIGURE_CONNECTIONS} extra connections)")
    print(
        f"build_progress cold: {timings[0]:.2f} s; "
        f"warm median {statistics.median(timings[1:]):.2f} s, "
        f"min {min(timings[1:]):.2f}, max {max(timings[1:]):.2f}"
    )
    print(
        f"build_progress, queries in turn on one connection: median {statistics.median(in_turn):.2f} s, "
        f"min {min(in_turn):.2f} s"
    )
    for fmt, (seconds, cpu, size) in renders.items():
        print(f"render {fmt}: {seconds:.2f} s (CPU {cpu:.2f} s, {size:,} bytes)")
    print(f"render pdf again (fonts loaded): {pdf_warm[0]:.2f} s (CPU {pdf_warm[1]:.2f} s), {pages} pages")
    for fmt, runs in commands.items():
        walls = [wall for wall, _cpu in runs]
        print(
            f"giamngheo report progress --format {fmt} (subprocess, start-up included): "
            f"min {min(walls):.2f} s, median {statistics.median(walls):.2f} s; "
            f"CPU of the command {statistics.median([cpu for _wall, cpu in runs]):.2f} s"
        )
    print(f"load average after: {progress_data.machine()['load']}")
    total = progress.data["total"]
    print(
        f"check: households {total['households']:,}, poor {total['poor']:,} ({total['poor_rate']}%), "
        f"supports {total['supports']['count']:,}, spent {total['spent']:,} VND"
    )


if __name__ == "__main__":
    main()
