"""Peak memory and time of reading a large commune workbook with ``giamngheo.tabular.read_table``.

    .venv/bin/python bench/tabular_bench.py [--rows 100000] [--runs 3] [--modes read_table,whole_sheet,...]

Generates once (cached in bench/.cache/, git-ignored) an XLSX household list as communes keep it: title rows,
a 20-column Vietnamese header, a numbering row, ``--rows`` households, a total row and a signature block.
Each mode runs in a fresh interpreter; its peak RSS is ``ru_maxrss`` of that child, its time is the read
alone (imports excluded, printed by the child), with the CPU time of the read (steadier than the wall time
on a shared machine). Modes:

* ``floor``: the interpreter with polars, python-calamine and ``giamngheo.tabular`` imported, nothing read;
* ``read_table``: ``giamngheo.tabular.reader.read_table`` as it is in the tree (the streaming reader);
* ``whole_sheet``: the former ``_read_workbook``: ``to_python()`` of the whole sheet, every cell as text in
  Python lists, then one polars frame (kept here to compare against);
* ``calamine_only``: python-calamine loading the sheet and iterating its rows, nothing kept (calamine's own
  copy of the sheet, the part no reader on top of it can avoid);
* ``openpyxl_read_only``: openpyxl ``read_only=True`` ``iter_rows(values_only=True)``, nothing kept (true
  XML streaming, for comparison).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
PYTHON = Path(sys.executable)
HEADER = [
    "STT", "Mã hộ", "Họ và tên chủ hộ", "Thôn", "Số khẩu", "Phân loại", "Số CCCD", "Có khả năng lao động",
    "BTXH", "DTTS", "Người có công", "Thu nhập bình quân (đồng/người/tháng)", "Điểm B1", "Việc làm",
    "Người phụ thuộc", "Dinh dưỡng", "Bảo hiểm y tế", "Nước sinh hoạt", "Nhà tiêu hợp vệ sinh", "Ghi chú",
]  # fmt: skip
MODES = ("floor", "read_table", "whole_sheet", "calamine_only", "openpyxl_read_only")

CHILD = r"""
import resource, sys, time
mode, path = sys.argv[1], sys.argv[2]
import polars as pl
import python_calamine
from giamngheo.tabular.header import ColumnSpec
from giamngheo.tabular.reader import read_table
from giamngheo.tabular.values import cell_text
SPECS = [
    ColumnSpec("household_id", ("mã hộ",), required=True),
    ColumnSpec("village", ("thôn",), required=True),
    ColumnSpec("head_name", ("họ và tên chủ hộ",), required=True),
    ColumnSpec("members", ("số khẩu",), required=True),
    ColumnSpec("status", ("phân loại",)),
]
start = time.perf_counter()
cpu = time.process_time()
rows = None
if mode == "read_table":
    rows = read_table(path, SPECS).frame.height
elif mode == "whole_sheet":
    book = python_calamine.CalamineWorkbook.from_path(path)
    grid = book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False)
    data = [[cell_text(v) or None for v in row] for row in grid]
    del grid
    width = max(len(r) for r in data)
    frame = pl.DataFrame(data, schema={f"c{i}": pl.String for i in range(width)}, orient="row")
    rows = frame.height
elif mode == "calamine_only":
    book = python_calamine.CalamineWorkbook.from_path(path)
    rows = sum(1 for _ in book.get_sheet_by_name(book.sheet_names[0]).iter_rows())
elif mode == "openpyxl_read_only":
    import openpyxl
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    book.close()
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
print(elapsed, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, rows)
"""


def generate(rows: int) -> Path:
    path = CACHE / f"households-{rows}.xlsx"
    if path.exists():
        return path
    from openpyxl import Workbook

    CACHE.mkdir(parents=True, exist_ok=True)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("DS hộ")
    sheet.append(["UBND XÃ SƠN TRUNG", None, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    sheet.append([None, None, None, None, None, "Độc lập - Tự do - Hạnh phúc"])
    sheet.append([])
    sheet.append(["DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2024"])
    sheet.append([])
    sheet.append(HEADER)
    sheet.append([f"({i})" for i in range(1, len(HEADER) + 1)])
    villages = ("Mai Hà", "Hà Tràng", "Hải Thượng", "Trung Lưu", "Phúc Sơn")
    statuses = ("Nghèo", "Cận nghèo", "Không nghèo", "Trung bình")
    for n in range(1, rows + 1):
        sheet.append(
            [
                n, f"ST{n:07d}", f"Nguyễn Văn Hộ {n}", villages[n % 5], 1 + n % 7, statuses[n % 4],
                f"0420800{n:05d}", "x" if n % 3 else "", "x" if n % 11 == 0 else "", "", "",
                1_000_000 + (n * 37) % 2_000_000, 60 + n % 80, n % 2, (n // 2) % 2, (n // 3) % 2,
                (n // 5) % 2, (n // 7) % 2, (n // 11) % 2, "ghi chú" if n % 13 == 0 else "",
            ]
        )  # fmt: skip
    sheet.append([None, "Tổng cộng", None, None, rows * 4])
    sheet.append([])
    sheet.append([None, "NGƯỜI LẬP BIỂU", None, None, None, None, None, "TM. ỦY BAN NHÂN DÂN"])
    sheet.append([None, "(Ký, ghi rõ họ tên)", None, None, None, None, None, "CHỦ TỊCH"])
    book.save(path)
    return path


def run(mode: str, path: Path) -> tuple[float, float, float, int]:
    done = subprocess.run(
        [str(PYTHON), "-c", CHILD, mode, str(path)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    elapsed, cpu, rss_kb, rows = done.stdout.split()
    return float(elapsed), float(cpu), int(rss_kb) / 1024, int(rows) if rows != "None" else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--modes", default=",".join(MODES))
    args = parser.parse_args()
    path = generate(args.rows)
    from importlib.metadata import version

    print(f"file: {path.name}, {path.stat().st_size / 1e6:.1f} MB, {args.rows} rows x {len(HEADER)} columns")
    print(
        f"nproc {os.cpu_count()}, Python {platform.python_version()}, polars {version('polars')}, "
        f"python-calamine {version('python-calamine')}, openpyxl {version('openpyxl')}, "
        f"load average before {os.getloadavg()}"
    )
    print(
        "| mode | rows read | read wall time, median (min) | read CPU time, median | peak RSS, median (max) |"
    )
    print("|---|---|---|---|---|")
    for mode in args.modes.split(","):
        results = [run(mode, path) for _ in range(args.runs)]
        times, cpus, peaks = [r[0] for r in results], [r[1] for r in results], [r[2] for r in results]
        print(
            f"| {mode} | {results[0][3]} | {statistics.median(times):.2f} s ({min(times):.2f} s) | "
            f"{statistics.median(cpus):.2f} s | {statistics.median(peaks):.0f} MB ({max(peaks):.0f} MB) |"
        )
    print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
