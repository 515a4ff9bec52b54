"""``giamngheo classify INPUT [--year Y | --standard ID] [--output OUT]`` — classify a format-A file.

Writes CSV (every input column, then standard, deprivation_count, deprived, status) to OUT or standard
output. Bad input exits 2 with file/row/column on standard error and writes nothing: the whole file is
validated first, and OUT is written to a temporary file in its folder and renamed only when complete.

Kept light on import (polars and the readers load inside ``handle``): start-up time counts on every run.
"""

from __future__ import annotations

import os
import sys
from contextlib import AbstractContextManager, nullcontext
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from django.core.management.base import CommandParser

from giamngheo.common.command import GiamngheoCommand, stderr_is_terminal
from giamngheo.errors import InputError
from giamngheo.tabular.writer import neutralise_frame

if TYPE_CHECKING:
    import polars as pl

    from giamngheo.standards.model import Standard

STAGES = ("đọc tệp / reading", "kiểm tra / validating", "phân loại / classifying", "ghi kết quả / writing")


class Command(GiamngheoCommand):
    # a file-in, file-out command: the project's system checks (URLs, admin, models) are not its concern
    # and would cost a noticeable part of the run
    requires_system_checks: list[str] = []
    help = "Phân loại hộ theo chuẩn nghèo (tệp định dạng A) / classify households of a format-A CSV/XLSX file"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", metavar="INPUT", help="CSV hoặc XLSX định dạng A / format-A CSV or XLSX")
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--year", type=int, help="năm rà soát (mặc định: năm nay) / review year (default: this year)"
        )
        which.add_argument(
            "--standard", metavar="ID", help="mã chuẩn nghèo, ví dụ VN-2022-2025 / standard id"
        )
        parser.add_argument(
            "--output", "-o", metavar="OUT", help="tệp CSV kết quả (mặc định: stdout) / output CSV"
        )
        parser.add_argument("--sheet", help="trang tính của tệp XLSX (mặc định: trang đầu) / XLSX sheet name")

    def handle(self, *args: Any, **options: Any) -> None:
        from giamngheo.standards.loader import get_standard, standard_for_year

        standard = (
            get_standard(options["standard"])
            if options["standard"]
            else standard_for_year(options["year"] or date.today().year)
        )
        output = Path(options["output"]) if options["output"] else None
        if output is not None:
            _check_output_folder(output)
        with _progress() as progress:
            frame = _classify(Path(options["input"]), standard, options["sheet"], progress)
            _write(frame, output, cast(TextIO, self.stdout._out))  # the stubs type _out as a method
            progress.update()


class _NoProgress:
    def update(self, n: int = 1) -> None:
        pass

    def set_description(self, text: str) -> None:
        pass


def _progress() -> AbstractContextManager[Any]:
    """A stage bar on a terminal only: scripts and pipes get clean standard error."""
    if not stderr_is_terminal():
        return nullcontext(_NoProgress())
    from tqdm import tqdm

    return tqdm(total=len(STAGES), file=sys.stderr, unit="bước", leave=False)


def _classify(path: Path, standard: Standard, sheet: str | None, progress: Any) -> pl.DataFrame:
    from giamngheo.standards.format_a import classify_table, format_a_specs
    from giamngheo.tabular.reader import read_table

    progress.set_description(STAGES[0])
    table = read_table(path, format_a_specs(), sheet=sheet)
    progress.update()
    progress.set_description(f"{STAGES[1]} + {STAGES[2]}")
    frame = classify_table(table, standard)
    progress.update(2)
    progress.set_description(STAGES[3])
    return frame


def _check_output_folder(output: Path) -> None:
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise InputError.single(
            "thư mục của tệp kết quả không tồn tại",
            "the output file's folder does not exist",
            file=str(output),
            fix_vi="tạo thư mục trước hoặc chọn đường dẫn khác",
            fix_en="create the folder first or choose another path",
        )


def _write(frame: pl.DataFrame, output: Path | None, stream: TextIO) -> None:
    frame = neutralise_frame(frame)  # every input column is echoed: a name may start like a formula
    if output is None:
        if hasattr(stream, "buffer"):  # a real standard output: bytes straight from polars
            stream.flush()
            frame.write_csv(stream.buffer)
            stream.buffer.flush()
        else:  # call_command(stdout=StringIO()) in tests and callers
            stream.write(frame.write_csv())
        return
    temporary = output.with_name(f".{output.name}.{os.getpid()}.part")
    try:
        frame.write_csv(temporary)
        os.replace(temporary, output)  # atomic: OUT is either absent/old or complete
    finally:
        temporary.unlink(missing_ok=True)
