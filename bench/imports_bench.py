"""Benchmark ``giamngheo import households`` on a 100,000-row commune-style XLSX, on PostgreSQL and SQLite.

    .venv/bin/python bench/imports_bench.py [--rows N] [--pg postgres://postgres@127.0.0.1:5432] [--no-sqlite]

Generates the workbook once with openpyxl (write-only; cached in bench/.cache/, git-ignored): title rows
and merged-looking headings above a Vietnamese header, a numbering row, N households over the 11 villages of
the Sơn Trung demo, a total row and a signature block. For each database it creates a throwaway database
(PostgreSQL: ``CREATE DATABASE``/``DROP DATABASE``; SQLite: a temporary file), migrates it, loads the demo
units, then times the real console script as a subprocess (start-up included) and reads that child's peak
RSS and CPU time with ``os.wait4``; the load average is read before and after each run (the machine may be
shared). Scenarios:

1. first import of the 2024 list as a draft (every household, head and result is new);
2. the same file again (nothing changes: compare only);
3. the next year's list (2025), official, from a file where 10% of households changed members or status:
   register updates for those, every result new, then the round is decided (its movements computed and
   written with history by ``reviews.services.review_round_decide``, which then refreshes the register's
   stored statuses with ``households.services.household_statuses_refresh``).

The PostgreSQL database is ``giamngheo_bench_imports`` (dropped and created again; ``--pg-db`` to change).

``--phases`` runs the same command through this script (``--child``), which wraps the import's stages with
timers (wall and CPU of the import process) and, on PostgreSQL, reads the CPU its database backend used
from ``/proc`` (the server must run on this machine) — where the time goes, beside the headline figures.

Target (issue 4): each import ≤ 60 s with bounded memory.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
PYTHON = Path(sys.executable)
GIAMNGHEO = PYTHON.parent / "giamngheo"
VILLAGES = ("Mai Hà", "Hà Tràng", "Hồ Sơn", "Long Đình", "Tiên Long", "Trung Thịnh", "Lâm Thành", "Tân Tràng",
            "Yên Sơn", "Mỹ Sơn", "Hải Thượng")  # fmt: skip
STATUSES = ("nghèo", "cận nghèo", "trung bình", "không nghèo")
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Hữu")
GIVEN = (
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Giang",
    "Hà",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Sơn",
    "Tâm",
    "Trang",
)


def generate(rows: int, *, year: int, changed: float = 0.0) -> Path:
    path = CACHE / f"households-{rows}-{year}.xlsx"
    if path.exists():
        return path
    from openpyxl import Workbook

    CACHE.mkdir(parents=True, exist_ok=True)
    rng = random.Random(2024)  # the same households every time; `changed` alters a share of them
    change = random.Random(year)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("DS hộ")
    sheet.append(["UBND XÃ SƠN TRUNG", None, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    sheet.append([None, None, None, None, None, "Độc lập - Tự do - Hạnh phúc"])
    sheet.append([])
    sheet.append([f"DANH SÁCH HỘ GIA ĐÌNH SAU RÀ SOÁT NĂM {year}"])
    sheet.append([])
    sheet.append(["STT", "Mã hộ", "Họ và tên chủ hộ", "Thôn", "Số khẩu", "Phân loại", "Số CCCD",
                  "Có khả năng lao động", "BTXH", "DTTS", "Người có công"])  # fmt: skip
    sheet.append([f"({i})" for i in range(1, 12)])
    total = 0
    for n in range(rows):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        members = rng.randint(1, 7)
        status = rng.choices(STATUSES, weights=(4, 5, 10, 81))[0]
        if changed and change.random() < changed:
            members = max(1, members + change.choice((-1, 1)))
            status = change.choice(STATUSES)
        total += members
        sheet.append([
            n + 1, f"ST{n:06d}", name, VILLAGES[n % len(VILLAGES)], members, status,
            f"042{(n * 7919 + 12345) % 10**9:09d}", rng.choice(("x", "")), "x" if rng.random() < 0.05 else "",
            "", "x" if rng.random() < 0.02 else "",
        ])  # fmt: skip
    sheet.append([None, "Tổng cộng", None, None, total])
    sheet.append([])
    sheet.append([None, "NGƯỜI LẬP BIỂU", None, None, None, None, None, "TM. ỦY BAN NHÂN DÂN"])
    sheet.append([None, None, None, None, None, None, None, "CHỦ TỊCH"])
    partial = path.with_suffix(".part")
    workbook.save(partial)
    partial.rename(path)
    return path


# (label, module, attribute): the stages timed by --phases; nested stages are timed inside their parents.
PHASES = (
    ("read the file (calamine → polars)", "giamngheo.imports.household_list", "open_table"),
    ("compare with the register and write", "giamngheo.imports.household_list", "_run"),
    ("  of which the writes", "giamngheo.reviews.batch", "household_batch_write"),
    ("review_round_decide", "giamngheo.imports.household_list", "review_round_decide"),
    ("  movements computed", "giamngheo.reviews.services.decision", "round_transitions_compute"),
    ("  movements written with history", "giamngheo.reviews.services.decision", "_transitions_write"),
    ("  household_statuses_refresh", "giamngheo.reviews.services.decision", "household_statuses_refresh"),
    ("household_statuses_refresh (import)", "giamngheo.imports.household_list", "household_statuses_refresh"),
)
WHOLE = ("giamngheo.imports.household_list", "households_import")
PHASES_MARK = "PHASES "


def child(argv: list[str]) -> None:
    """Run ``giamngheo ARGV`` in this process with timers around ``PHASES`` (wall, CPU of this process, CPU
    of its PostgreSQL backend); print them as one JSON line at exit."""
    import atexit
    import functools
    import importlib

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    timings: dict[str, list[float]] = {}  # label → [calls, wall, CPU, backend CPU]
    backend_pid: list[int] = []

    def backend_cpu() -> float:
        """CPU seconds this connection's PostgreSQL backend has used (0 on SQLite or a remote server)."""
        if connection.vendor != "postgresql":
            return 0.0
        if not backend_pid:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backend_pid.append(cursor.fetchone()[0])
        try:
            fields = Path(f"/proc/{backend_pid[0]}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def timed(label: str, function):  # type: ignore[no-untyped-def]
        @functools.wraps(function)
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            backend, wall, cpu = backend_cpu(), time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent = timings.setdefault(label, [0, 0.0, 0.0, 0.0])
                spent[0] += 1
                spent[1] += time.perf_counter() - wall
                spent[2] += time.process_time() - cpu
                spent[3] += backend_cpu() - backend

        return wrapper

    for label, module_name, attribute in (*PHASES, ("whole import", *WHOLE)):
        module = importlib.import_module(module_name)
        setattr(module, attribute, timed(label, getattr(module, attribute)))

    def report() -> None:
        print(PHASES_MARK + json.dumps({"phases": timings}), flush=True)

    atexit.register(report)
    from giamngheo.cli import main as giamngheo_main

    sys.argv = ["giamngheo", *argv]
    giamngheo_main()


@dataclass
class Measure:
    label: str
    seconds: float  # wall time, start-up included
    cpu: float  # user + system CPU seconds of the import process (not the database server's)
    rss: float  # peak RSS in MB
    load: tuple[float, float]  # 1-minute load average before and after
    summary: str = ""
    phases: dict[str, list[float]] | None = None  # label → [calls, wall, CPU, backend CPU] (--phases)


def run(args: list[str], env: dict[str, str]) -> tuple[Measure, int, str]:
    """One child process: its measure, exit status and output."""
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    child = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = child.stdout.read() if child.stdout else ""
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    measure = Measure(
        label=" ".join(args[1:3]),
        seconds=elapsed,
        cpu=usage.ru_utime + usage.ru_stime,
        rss=usage.ru_maxrss / 1024,
        load=(load_before, os.getloadavg()[0]),
    )
    return measure, child.returncode, output


def prepare(env: dict[str, str]) -> None:
    for command in (["migrate", "--noinput", "-v0"], ["demo"]):
        _measure, code, output = run([str(GIAMNGHEO), *command], env)
        if code:
            sys.exit(f"{command[0]} failed:\n{output}")


RUNNER = [str(GIAMNGHEO)]  # the console script; --phases: this script's timed child


def scenarios(env: dict[str, str], files: dict[str, Path]) -> list[Measure]:
    year_2024, year_2025 = str(files["2024"]), str(files["2025"])
    steps = [
        (
            "2024 list, first import, as a draft (all new)",
            ["import", "households", year_2024, "--year", "2024", "--draft"],
        ),
        ("2024 list again (no change)", ["import", "households", year_2024, "--year", "2024", "--draft"]),
        (
            "2025 list, 10% changed, official (updates, new results, round decided)",
            ["import", "households", year_2025, "--year", "2025", "--decision-number", "99/QĐ-UBND"],
        ),
    ]
    measured = []
    for label, args in steps:
        measure, code, output = run([*RUNNER, *args], env)
        if code:
            sys.exit(f"{label} failed ({code}):\n{output}")
        measure.label = label
        for line in output.splitlines():
            if line.startswith(PHASES_MARK):
                measure.phases = json.loads(line[len(PHASES_MARK) :])["phases"]
        measure.summary = " | ".join(line.strip() for line in output.splitlines() if "created" in line)
        measured.append(measure)
        print(
            f"  {label}: {measure.seconds:.1f} s, CPU {measure.cpu:.1f} s, {measure.rss:.0f} MB,"
            f" load {measure.load[0]:.1f}→{measure.load[1]:.1f}  [{measure.summary}]",
            flush=True,
        )
        if measure.phases is not None:
            for phase in (*(label for label, _m, _a in PHASES), "whole import"):
                if phase in measure.phases:
                    calls, wall, cpu, backend = measure.phases[phase]
                    print(
                        f"      {phase}: {wall:.1f} s (CPU {cpu:.1f} s, database backend CPU {backend:.1f} s,"
                        f" {calls:.0f} calls)",
                        flush=True,
                    )
    return measured


def postgres(base_url: str, name: str, files: dict[str, Path]) -> list[Measure]:
    """The scenarios on a fresh ``name`` database (dropped first if a previous run left it)."""
    import psycopg

    admin = base_url.rstrip("/") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": f"{base_url.rstrip('/')}/{name}"}
    prepare(env)
    return scenarios(env, files)


def sqlite(files: dict[str, Path]) -> list[Measure]:
    with tempfile.TemporaryDirectory(prefix="giamngheo-bench-") as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
            "GIAMNGHEO_DATA_DIR": folder,
        }
        prepare(env)
        return scenarios(env, files)


def machine() -> str:
    def shell(command: str) -> str:
        return subprocess.run(command, shell=True, capture_output=True, text=True).stdout.strip()  # noqa: S602

    cpu = shell("lscpu | grep 'Model name'").split(":", 1)[-1].strip()
    return "\n".join(
        [
            f"- nproc: {shell('nproc')}",
            f"- CPU: {cpu}",
            f"- memory: {shell('free -g | grep Mem').split()[1]} GB",
            f"- Python {platform.python_version()}, {platform.system()} {platform.release()}",
            f"- PostgreSQL: {shell('psql -V 2>/dev/null') or 'server at 127.0.0.1:5432'}",
            f"- SQLite {sqlite3.sqlite_version}",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL, no database")
    parser.add_argument("--pg-db", default="giamngheo_bench_imports", help="the benchmark's own database")
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--phases", action="store_true", help="time the import's stages too (see above)")
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
        return
    options = parser.parse_args()
    if options.phases:
        RUNNER[:] = [str(PYTHON), str(Path(__file__).resolve()), "--child"]
    started = time.perf_counter()
    files = {
        "2024": generate(options.rows, year=2024),
        "2025": generate(options.rows, year=2025, changed=0.10),
    }
    print(
        f"files ready in {time.perf_counter() - started:.1f} s: {', '.join(str(p) for p in files.values())}"
    )
    for path in files.values():
        print(f"  {path.name}: {path.stat().st_size / 1e6:.1f} MB")
    results = {}
    if not options.no_pg:
        print("PostgreSQL:")
        results["PostgreSQL"] = postgres(options.pg, options.pg_db, files)
    if not options.no_sqlite:
        print("SQLite:")
        results["SQLite"] = sqlite(files)
    print("\n| database | scenario | wall time | CPU of the import process | load average | peak RSS |")
    print("|---|---|---|---|---|---|")
    for database, rows in results.items():
        for m in rows:
            print(
                f"| {database} | {m.label} | {m.seconds:.1f} s | {m.cpu:.1f} s"
                f" | {m.load[0]:.1f} → {m.load[1]:.1f} | {m.rss:.0f} MB |"
            )
    print("\nMachine:\n" + machine())


if __name__ == "__main__":
    main()
