"""``giamngheo classify INPUT [--year Y | --standard ID] [--output OUT]`` — classify a format-A file.

Writes CSV (every input column, then standard, deprivation_count, deprived, status) to OUT or standard
output. Bad input exits 2 with file/row/column on standard error and writes nothing: the whole file is
validated first, and OUT is written to a temporary file in its folder and renamed only when complete.

No Django here: the console script runs ``main`` without importing Django at all (``cli.LIGHT_COMMANDS``;
Django's configuration pulls in asyncio and costs 0.1 s of CPU, a tenth of the bare polars read and write
this command is measured against, issue 15); the management command (``call_command``, ``manage.py``) wraps
the same functions. Kept light on import (polars and the readers load when used).
"""

from __future__ import annotations

import argparse
import mmap
import os
import sys
import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

from giamngheo.errors import EXIT_BAD_INPUT, InputError, unexpected_error_message
from giamngheo.standards.frame import OUTPUT_COLUMNS, STATUS_ORDER
from giamngheo.tabular.writer import needs_prefix, neutralise_frame, require_output_folder

if TYPE_CHECKING:
    import polars as pl

    from giamngheo.standards.model import Standard
    from giamngheo.tabular.header import ColumnSpec
    from giamngheo.tabular.reader import Table

HELP = "Phân loại hộ theo chuẩn nghèo (tệp định dạng A) / classify households of a format-A CSV/XLSX file"
STAGES = ("đọc tệp / reading", "kiểm tra / validating", "phân loại / classifying", "ghi kết quả / writing")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's own arguments (Django's command and the console script's light path share them)."""
    parser.add_argument("input", metavar="INPUT", help="CSV hoặc XLSX định dạng A / format-A CSV or XLSX")
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--year", type=int, help="năm rà soát (mặc định: năm nay) / review year (default: this year)"
    )
    which.add_argument("--standard", metavar="ID", help="mã chuẩn nghèo, ví dụ VN-2022-2025 / standard id")
    parser.add_argument(
        "--output", "-o", metavar="OUT", help="tệp CSV kết quả (mặc định: stdout) / output CSV"
    )
    parser.add_argument("--sheet", help="trang tính của tệp XLSX (mặc định: trang đầu) / XLSX sheet name")


def classify_command(options: dict[str, Any], stdout: TextIO) -> None:
    """Run ``giamngheo classify`` with parsed ``options``, writing to ``stdout`` when there is no --output."""
    from giamngheo.standards.loader import get_standard, standard_for_year

    standard = (
        get_standard(options["standard"])
        if options["standard"]
        else standard_for_year(options["year"] or date.today().year)
    )
    output = Path(options["output"]) if options["output"] else None
    if output is not None:
        require_output_folder(output)
    # the result columns hold the standard's id, its codes joined by ";" and the status names only
    results = (standard.id, *standard.indicator_codes, *STATUS_ORDER)
    results_plain = not any(needs_prefix(v) or _needs_quotes(v) for v in results)
    with _progress() as progress:
        frame, plain, unquoted = _classify(
            Path(options["input"]), standard, options["sheet"], progress, results_plain=results_plain
        )
        _write(frame, output, stdout, plain and results_plain, unquoted=unquoted and results_plain)
        progress.update()


def main(argv: list[str]) -> int:
    """``giamngheo classify …`` from the console script, without Django: the exit statuses and the messages
    on standard error of a ``GiamngheoCommand`` (0 done, 2 bad input or usage, 1 anything unexpected)."""
    parser = argparse.ArgumentParser(prog=f"{Path(argv[0]).name} {argv[1]}", description=HELP)
    add_arguments(parser)
    # Django's common options, accepted as a management command accepts them
    parser.add_argument("-v", "--verbosity", type=int, choices=[0, 1, 2, 3], default=1, help="0–3")
    parser.add_argument("--traceback", action="store_true", help="raise on an unexpected error")
    parser.add_argument("--no-color", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--force-color", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--skip-checks", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pythonpath", help=argparse.SUPPRESS)
    options = vars(parser.parse_args(argv[2:]))
    try:
        classify_command(options, sys.stdout)
    except InputError as error:
        sys.stderr.write(f"CommandError: {error}\n")
        return EXIT_BAD_INPUT
    except Exception as error:  # noqa: BLE001 - the contract: never a stack trace to a user
        if options["traceback"]:
            raise
        sys.stderr.write(f"CommandError: {unexpected_error_message(error)}\n")
        return 1
    return 0


class _NoProgress:
    def update(self, n: int = 1) -> None:
        pass

    def set_description(self, text: str) -> None:
        pass


def _progress() -> AbstractContextManager[Any]:
    """A stage bar on a terminal only: scripts and pipes get clean standard error."""
    if not sys.stderr.isatty():
        return nullcontext(_NoProgress())
    from tqdm import tqdm

    return tqdm(total=len(STAGES), file=sys.stderr, unit="bước", leave=False)


def _classify(
    path: Path, standard: Standard, sheet: str | None, progress: Any, *, results_plain: bool = False
) -> tuple[pl.DataFrame, bool, bool]:
    """The classified frame; whether its input columns are known to need no neutralising, and no quotes.
    ``results_plain``: no result value needs either; then a file of plain cells needing neither gets its four
    results as one column of their values joined by commas (``frame.classify_joined``: the same bytes, written
    unquoted, at two thirds of the cost)."""
    from giamngheo.standards.format_a import classify_table, format_a_specs
    from giamngheo.tabular.reader import read_table

    progress.set_description(STAGES[0])
    specs = format_a_specs()
    found = _plain_csv_table(path, specs, standard)
    table, cells_plain, unquoted = found if found is not None else (None, False, False)
    plain = table is not None
    if table is None:
        table = read_table(path, specs, sheet=sheet)
    progress.update()
    progress.set_description(f"{STAGES[1]} + {STAGES[2]}")
    joined = results_plain and plain and cells_plain and unquoted
    frame = classify_table(table, standard, cells_plain=cells_plain, joined=joined)
    progress.update(2)
    progress.set_description(STAGES[3])
    return frame, plain, unquoted


# A cell the reader would change (a prefix of ours to take off) or refuse (a control character), or one the
# writer would prefix (it starts like a formula): any of them sends the file down the general path.
_NOT_PLAIN = r"^['=+\-@\t\r]|[\x00-\x08\x0b\x0c\x0e-\x1f]"


_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_FORMULA_BYTES = b"'=+-@\t\r"
_SLICE = 64 * 1024  # bytes checked at a time: small buffers, reused (one copy of the file would fault in)


def _bytes_plain(data: bytes | mmap.mmap) -> bool:
    """No control character and none of the characters a cell could start a formula or a prefix with, anywhere
    in the file: then no cell needs the per-cell check (a C-speed pass over the bytes, a slice at a time,
    instead of a regex over every cell; a file holding one of them anywhere is checked cell by cell)."""
    unwanted = _CONTROL_BYTES + _FORMULA_BYTES
    for start in range(0, len(data), _SLICE):
        part = data[start : start + _SLICE]
        if len(part.translate(None, unwanted)) != len(part):
            return False
    return True


def _plain_csv_table(
    path: Path, specs: Sequence[ColumnSpec], standard: Standard
) -> tuple[Table, bool, bool] | None:
    """The ``Table`` ``read_table`` would give, read in one pass with one parallel check, for the plain CSV
    a machine exports; ``None`` for anything else (the general reader then decides, errors included). With
    it, whether its cells are plain for ``standard`` (``format_a.plain_cell_checks``, in the same pass), and
    whether none of them needs quotes in a CSV written with commas: the file has no quote character, and
    either commas separate its cells or it has none.

    Plain means the reader's clean-up steps would all leave the frame as it is: the header has a name for
    every column, no cell starts with a quote or like a formula or holds a control character, every row has
    its required cells and a first cell with a digit (so no total, note or blank row can end or break the
    list), and none of the last rows is a signature line. The reader's own functions find the header, so
    the two paths read the same rows under the same names.
    """
    import polars as pl

    from giamngheo.standards.format_a import AREA, HOUSEHOLD_ID, plain_cell_checks
    from giamngheo.tabular import reader
    from giamngheo.tabular.bounds import MAX_COLUMNS
    from giamngheo.tabular.header import SCAN_ROWS, find_header

    if not path.is_file() or reader.is_workbook(path):
        return None
    name = path.name
    try:
        text = reader._head_text(path, name)
    except InputError:
        return None
    candidates = []
    for separator in reader.SEPARATORS:
        rows, starts = reader._records(text, separator, SCAN_ROWS + 2)
        header = find_header(rows, specs)
        candidates.append((reader._score(header, specs), separator, rows, starts, header))
    _, separator, rows, starts, header = max(candidates, key=lambda c: c[0])
    if header is None or header.first_data_index >= len(rows):
        return None
    first, names = header.first_data_index, header.names
    width = max([len(names), *(len(r) for r in rows[first:])])
    found = {canonical: names[position] for canonical, position in header.found.items()}
    required = [found[s.name] for s in specs if s.required and s.name in found]
    if (
        width != len(names)
        or width > MAX_COLUMNS
        or len(required) < sum(s.required for s in specs)  # a required column is missing: an error to report
        or any(n.startswith("column_") or n in OUTPUT_COLUMNS or n == reader.ROW for n in names)
    ):
        return None
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        # the bytes are checked in a thread while polars reads the file (it lets go of the GIL): the check
        # costs no time of its own on a machine with a core to spare
        bytes_plain: list[bool] = []
        checker = threading.Thread(target=lambda: bytes_plain.append(_bytes_plain(data)))
        checker.start()
        try:
            frame = reader.read_csv_strings(path, separator, starts[first], width).rename(
                {f"c{i}": n for i, n in enumerate(names)}
            )
        except pl.exceptions.PolarsError:
            return None
        finally:
            checker.join()
        unquoted = data.find(b'"') < 0 and (separator == "," or data.find(b",") < 0)
    if frame.height == 0:
        return None
    # no rechunk: the checks, the classification and the writer cost the same on the reader's chunks, and
    # copying every string (as the general reader does) costs CPU and 200 MB of fresh memory
    checks = [
        *(() if bytes_plain == [True] else (pl.col(c).str.contains(_NOT_PLAIN).any() for c in names)),
        pl.col(names[0]).str.contains_any(list("0123456789")).not_().fill_null(True).any(),
    ]
    # one parallel pass: the reader's clean-up would change nothing, and the cells' plain form
    cell_checks = plain_cell_checks(found, standard)
    values = frame.select(*(check.alias(f"c{i}") for i, check in enumerate(checks)), *cell_checks).row(0)
    if any(values[: len(checks)]):
        return None
    cells_plain = all(values[len(checks) :])
    # plain cells have their required ones filled (ids present, unpadded, with a digit; area codes): only
    # other files are looked at for a blank required cell (a pass of their own)
    if not (cells_plain and set(required) <= {found[HOUSEHOLD_ID], found[AREA]}):
        blank = [pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in required]
        if frame.select(pl.any_horizontal(blank).any()).item():
            return None
    if any(reader.is_signature_row(cells) for cells in frame.tail(reader.TAIL_ROWS).iter_rows()):
        return None
    frame = frame.with_columns(_row_numbers(frame, first + 1).alias(reader.ROW))
    table = reader.Table(file=name, header_row=header.index + 1, columns=names, found=found, frame=frame)
    return table, cells_plain, unquoted


def _row_numbers(frame: pl.DataFrame, first: int) -> pl.Series:
    """``first``, ``first`` + 1, … cut into the frame's chunks (the parallel reader leaves about 25 per
    column): a column of one chunk beside them would make the next ``select`` copy every column into one chunk
    (0.2 s of CPU and 200 MB for a million rows), as would a ``rechunk`` of the frame."""
    import polars as pl

    parts, start = [], first
    for chunk in frame.to_series(0).get_chunks():
        parts.append(pl.int_range(start, start + chunk.len(), dtype=pl.Int64, eager=True))
        start += chunk.len()
    return pl.concat(parts, rechunk=False)


def _needs_quotes(text: str) -> bool:
    return any(c in text for c in ',"\n\r')


def _write(
    frame: pl.DataFrame, output: Path | None, stream: TextIO, plain: bool = False, *, unquoted: bool = False
) -> None:
    """``plain``: no cell of the frame needs neutralising (checked on the input and the result values);
    ``unquoted``: none needs quotes either (then the writer does not look for what would need them: a third
    of its time)."""
    # every input column is echoed: a name may start like a formula
    if not plain:
        frame = neutralise_frame(frame)
    quote_style: Literal["never", "necessary"] = "never" if unquoted else "necessary"
    if output is None:
        if hasattr(stream, "buffer"):  # a real standard output: bytes straight from polars
            stream.flush()
            frame.write_csv(stream.buffer, quote_style=quote_style)
            stream.buffer.flush()
        else:  # call_command(stdout=StringIO()) in tests and callers
            stream.write(frame.write_csv(quote_style=quote_style))
        return
    temporary = output.with_name(f".{output.name}.{os.getpid()}.part")
    try:
        frame.write_csv(temporary, quote_style=quote_style)
        os.replace(temporary, output)  # atomic: OUT is either absent/old or complete
    finally:
        temporary.unlink(missing_ok=True)
