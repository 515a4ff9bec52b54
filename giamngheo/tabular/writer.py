"""Writing CSV and XLSX cells safely: the one place every file the project writes goes through.

A spreadsheet program reads a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a
formula (CSV/formula injection: ``=HYPERLINK(...)`` in a household head's name). So:

* **CSV**: such a text gets a leading apostrophe (``'=HYPERLINK(…)``), which spreadsheets show as text. So
  that the mapping can be undone exactly, a text that already starts with apostrophes followed by one of
  those characters gets one more; ``restore`` (used by the CSV reader) takes one off again, so a CSV export
  imports back with every name exactly as it was.
* **XLSX**: the text is kept as it is, stored as a string cell (``data_type 's'``, never a formula) with
  Excel's "quote prefix" flag, so editing the cell in Excel keeps it text. Nothing to undo when read back.

Only text is neutralised: a negative number written as a number stays a number, and so does a text that is
a plain decimal number (``-5``, ``-3.20``: what a machine CSV holds), which a spreadsheet reads as that
number and nothing else.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from giamngheo.errors import InputError

if TYPE_CHECKING:
    import polars as pl

PREFIX = "'"
_PATTERN_NEEDS = r"^'*[=+\-@\t\r]"  # what a spreadsheet would read as a formula, after our own prefixes
_PATTERN_NUMBER = r"^[+-]?[0-9]+(\.[0-9]+)?$"
_PATTERN_PREFIXED = r"^'+[=+\-@\t\r]"
_NEEDS = re.compile(_PATTERN_NEEDS)
_NUMBER = re.compile(_PATTERN_NUMBER)


def needs_prefix(text: str) -> bool:
    return bool(_NEEDS.match(text)) and not _NUMBER.fullmatch(text)


def neutralise(value: Any) -> Any:
    """The value as a CSV cell: a text a spreadsheet would run gets a leading apostrophe; other values as
    they are."""
    if isinstance(value, str) and needs_prefix(value):
        return PREFIX + value
    return value


def restore(text: str) -> str:
    """The original text of a CSV cell ``neutralise`` wrote (``restore(neutralise(t)) == t`` for any t)."""
    if text.startswith(PREFIX) and needs_prefix(text[1:]):
        return text[1:]
    return text


class _Writer:
    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._inner.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class _DictWriter:
    def __init__(self, inner: csv.DictWriter[str]) -> None:
        self._inner = inner

    def writeheader(self) -> Any:
        return self._inner.writeheader()

    def writerow(self, row: Mapping[str, Any]) -> Any:
        return self._inner.writerow({key: neutralise(value) for key, value in row.items()})


def csv_writer(handle: IO[str], **options: Any) -> _Writer:
    """``csv.writer`` whose every text cell is neutralised."""
    return _Writer(csv.writer(handle, **options))


def csv_dict_writer(handle: IO[str], fieldnames: Sequence[str], **options: Any) -> _DictWriter:
    """``csv.DictWriter`` whose every text cell is neutralised."""
    return _DictWriter(csv.DictWriter(handle, fieldnames=fieldnames, **options))


def protect_cell(cell: Any) -> Any:
    """An openpyxl cell holding a text that starts like a formula: stored as text, quote-prefixed."""
    if isinstance(cell.value, str) and needs_prefix(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """A row for a write-only sheet's ``append``: text that starts like a formula becomes a protected
    ``WriteOnlyCell``; cells given as ``WriteOnlyCell`` are protected in place; the rest as they are."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

    row: list[Any] = []
    for value in values:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)  # e.g. a control character of an uploaded CSV
        if isinstance(value, str) and needs_prefix(value):
            value = protect_cell(WriteOnlyCell(sheet, value=value))
        elif isinstance(value, Cell):
            protect_cell(value)
        row.append(value)
    return row


def protect_workbook(workbook: Any) -> Any:
    """Every text cell of an ordinary (not write-only) workbook that starts like a formula, protected: call
    it just before saving, so no ``ws.cell(…, value=…)`` anywhere can slip through."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                protect_cell(cell)
    return workbook


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """A polars frame about to be written as CSV, with its text columns neutralised like ``neutralise``."""
    import polars as pl

    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(_PATTERN_NEEDS) & ~pl.col(name).str.contains(_PATTERN_NUMBER))
        .then(pl.lit(PREFIX) + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text
    )


def restore_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """A frame of text read from a CSV, with the prefixes ``neutralise`` added taken off again."""
    import polars as pl

    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.when(
            pl.col(name).str.contains(_PATTERN_PREFIXED)
            & ~pl.col(name).str.contains(r"^'[+-]?[0-9]+(\.[0-9]+)?$")
        )
        .then(pl.col(name).str.slice(1))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text
    )


def require_output_folder(output: Path) -> None:
    """Refuse, before anything is read or written, an output file whose folder does not exist (a clear
    error naming the file instead of a traceback after the work is done)."""
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise InputError.single(
            "thư mục của tệp kết quả không tồn tại",
            "the output file's folder does not exist",
            file=str(output),
            fix_vi="tạo thư mục trước hoặc chọn đường dẫn khác",
            fix_en="create the folder first or choose another path",
        )
