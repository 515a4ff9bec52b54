"""Benchmark ``giamngheo import households`` on a 100,000-row commune-style XLSX, on PostgreSQL and SQLite.

    .venv/bin/python bench/imports_bench.py [--rows N] [--pg postgres://postgres@127.0.0.1:5432] [--no-sqlite]

Generates the workbook once with openpyxl (write-only; cached in bench/.cache/, git-ignored): title rows
and merged-looking headings above a Vietnamese header, a numbering row, N households over the 11 villages of
the Sơn Trung demo, a total row and a signature block. For each database it creates a throwaway database
(PostgreSQL: ``CREATE DATABASE``/``DROP DATABASE``; SQLite: a temporary file), migrates it, loads the demo
units, then times the real console script as a subprocess (start-up included) and reads that child's peak
RSS with ``os.wait4``. Scenarios:

1. first import of the 2024 list as a draft (every household, head and result is new);
2. the same file again (nothing changes: compare only);
3. the next year's list (2025), official, from a file where 10% of households changed members or status:
   register updates for those, every result new, then the round is decided (its movements computed by
   ``reviews.services.review_round_decide``).

Target (issue 4): each import ≤ 60 s with bounded memory.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
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


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """(seconds, peak RSS in MB, exit status, last lines of output) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = child.stdout.read() if child.stdout else ""
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, child.returncode, output


def prepare(env: dict[str, str]) -> None:
    for command in (["migrate", "--noinput", "-v0"], ["demo"]):
        seconds, _rss, code, output = run([str(GIAMNGHEO), *command], env)
        if code:
            sys.exit(f"{command[0]} failed:\n{output}")


RUNNER = [str(GIAMNGHEO)]


def scenarios(env: dict[str, str], files: dict[str, Path]) -> list[tuple[str, float, float, str]]:
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
        seconds, rss, code, output = run([*RUNNER, *args], env)
        if code:
            sys.exit(f"{label} failed ({code}):\n{output}")
        summary = " | ".join(line.strip() for line in output.splitlines() if "created" in line)
        measured.append((label, seconds, rss, summary))
        print(f"  {label}: {seconds:.1f} s, {rss:.0f} MB  [{summary}]", flush=True)
    return measured


def postgres(base_url: str, files: dict[str, Path]) -> list[tuple[str, float, float, str]]:
    import psycopg

    name = f"giamngheo_bench_imports_{os.getpid()}"
    admin = base_url.rstrip("/") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {**os.environ, "DATABASE_URL": f"{base_url.rstrip('/')}/{name}"}
        prepare(env)
        return scenarios(env, files)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sqlite(files: dict[str, Path]) -> list[tuple[str, float, float, str]]:
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
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL, no database")
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--proposed",
        action="store_true",
        help="run with the changes proposed to the lead (imports_proposed.py)",
    )
    options = parser.parse_args()
    if options.proposed:
        RUNNER[:] = [str(PYTHON), str(ROOT / "bench" / "imports_proposed.py")]
        print("with the proposed changes to review_round_decide and household_statuses_refresh")
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
        results["PostgreSQL"] = postgres(options.pg, files)
    if not options.no_sqlite:
        print("SQLite:")
        results["SQLite"] = sqlite(files)
    print("\n| database | scenario | wall time | peak RSS |\n|---|---|---|---|")
    for database, rows in results.items():
        for label, seconds, rss, _summary in rows:
            print(f"| {database} | {label} | {seconds:.1f} s | {rss:.0f} MB |")
    print("\nMachine:\n" + machine())


if __name__ == "__main__":
    main()
