"""Benchmark ``giamngheo classify`` end to end on a 1,000,000-row format-A CSV.

    .venv/bin/python bench/classify_bench.py [--rows N] [--runs K]

Generates the file once (cached in bench/.cache/, git-ignored), then times K runs of the real console
script as a subprocess (start-up, Django set-up and imports included) and reads each run's peak RSS from
``resource.getrusage(RUSAGE_CHILDREN)`` via a tiny wrapper. The floor is a bare polars read-and-write of the
same file in a fresh interpreter. Prints a table with medians and the ratio to the floor (best, median) with
the load average before and after (the floor and classify runs alternate, so both see the same load).
Targets (issue 3): ≤ 2 s and ≤ 1 GB on the 2-core reference machine; issue 15: ≤ 1.5× the floor.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
PYTHON = Path(sys.executable)
GIAMNGHEO = PYTHON.parent / "giamngheo"
INDICATORS = (
    "employment",
    "dependants",
    "nutrition",
    "health_insurance",
    "adult_education",
    "child_schooling",
    "housing_quality",
    "housing_area",
    "drinking_water",
    "sanitation",
    "telecom",
    "information_devices",
    "waste",
)

# Runs a command and prints its wall time, peak RSS in kB (ru_maxrss of the waited-for child), exit status and
# CPU seconds (user + system, all its threads): the CPU time moves far less with the load than the wall time.
MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(elapsed, usage.ru_maxrss, done.returncode, usage.ru_utime + usage.ru_stime)
"""

FLOOR = """
import sys, polars as pl
pl.read_csv(sys.argv[1], skip_lines=1, infer_schema=False).write_csv(sys.argv[2])
"""


def generate(rows: int) -> Path:
    """A format-A file like a province's export: a title row above the header, 13 indicator columns."""
    import polars as pl

    path = CACHE / f"format-a-{rows}.csv"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    i = pl.int_range(0, rows, dtype=pl.UInt64)

    def pick(seed: int, modulo: int) -> pl.Expr:
        return i.hash(seed) % modulo

    frame = pl.select(
        ("H" + i.cast(pl.String).str.zfill(7)).alias("household_id"),
        pl.when(pick(1, 4) == 0).then(pl.lit("urban")).otherwise(pl.lit("rural")).alias("area"),
        pl.when(pick(2, 10) == 0)
        .then(None)
        .otherwise((pick(3, 40) * 100_000 + 500_000).cast(pl.String))
        .alias("income_per_capita"),
        (pick(4, 150) + 80).cast(pl.String).alias("b1_score"),
        *(
            pl.when(pick(10 + n, 5) == 0).then(pl.lit("1")).otherwise(pl.lit("0")).alias(code)
            for n, code in enumerate(INDICATORS)
        ),
    )
    partial = path.with_suffix(".part")
    with partial.open("w", encoding="utf-8") as handle:
        handle.write("DANH SÁCH HỘ RÀ SOÁT (benchmark)\n")
    with partial.open("ab") as handle:
        frame.write_csv(handle)
    partial.rename(path)
    return path


def measure(command: list[str]) -> tuple[float, int, float]:
    """Wall seconds, peak RSS in kB, CPU seconds."""
    out = subprocess.run([str(PYTHON), "-c", MEASURE, *command], capture_output=True, text=True, check=True)
    elapsed, rss_kb, returncode, cpu = out.stdout.split()
    if returncode != "0":
        raise SystemExit(f"command failed ({returncode}): {' '.join(command)}")
    return float(elapsed), int(rss_kb), float(cpu)


def series_interleaved(
    commands: dict[str, list[str]], runs: int
) -> dict[str, tuple[float, float, int, float]]:
    """Median and best wall time, peak RSS and median CPU time of each command, one run of each in turn: a
    change of load hits them all alike."""
    for command in commands.values():
        measure(command)  # warm the page cache and .pyc files; not counted
    results: dict[str, list[tuple[float, int, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            results[name].append(measure(command))
    return {
        name: (
            statistics.median(t for t, _, _ in got),
            min(t for t, _, _ in got),
            max(rss for _, rss, _ in got),
            statistics.median(cpu for _, _, cpu in got),
        )
        for name, got in results.items()
    }


def machine() -> str:
    def run(command: str) -> str:
        return subprocess.run(command, shell=True, capture_output=True, text=True).stdout.strip()  # noqa: S602

    return "\n".join(
        [
            f"nproc: {run('nproc')}",
            run("lscpu | head -n 15"),
            run("free -h | head -n 2"),
            f"Python {platform.python_version()}, polars {__import__('polars').__version__}",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    source = generate(args.rows)
    print(
        f"input: {source} ({source.stat().st_size / 1e6:.1f} MB, "
        f"generated/cached in {time.perf_counter() - started:.1f} s)"
    )
    out = CACHE / "classified.csv"
    commands = {
        "giamngheo classify (end to end)": [
            str(GIAMNGHEO),
            "classify",
            str(source),
            "--year",
            "2024",
            "-o",
            str(out),
        ],
        "giamngheo standards list (start-up only)": [str(GIAMNGHEO), "standards", "list"],
        "floor: bare polars read + write": [str(PYTHON), "-c", FLOOR, str(source), str(CACHE / "floor.csv")],
    }
    load_before = os.getloadavg()
    rows = series_interleaved(commands, args.runs)
    load_after = os.getloadavg()
    print(f"\n{'what':<40} {'median s':>9} {'min s':>7} {'peak RSS MB':>12} {'CPU s (median)':>15}")
    for name, (median, best, rss, cpu) in rows.items():
        print(f"{name:<40} {median:>9.3f} {best:>7.3f} {rss / 1024:>12.0f} {cpu:>15.3f}")
    classify, floor = rows["giamngheo classify (end to end)"], rows["floor: bare polars read + write"]
    print(
        f"\nratio classify / floor: best {classify[1] / floor[1]:.2f}×, median {classify[0] / floor[0]:.2f}×,"
        f" CPU time {classify[3] / floor[3]:.2f}×"
    )
    print(f"load average (1, 5, 15 min): before {load_before}, after {load_after}")
    print(f"\n{machine()}")
    os.environ.get("CI")  # nothing to assert here: the numbers go to bench/RESULTS-classify.md


if __name__ == "__main__":
    main()
