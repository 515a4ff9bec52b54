"""Open an uploaded CSV/XLSX file as a ``tabular.Table``, refusing other file types with the fix.

The reading itself is ``giamngheo.tabular``'s: CSV through polars in one go, workbooks streamed row by row
from python-calamine into polars frames (no Python list of the whole sheet; the peak is calamine's own copy
of the sheet plus one chunk). What is added here is the upload's checks: the type is taken from the first
bytes as well as the name, so a workbook saved under a ``.csv`` name is read as the workbook it is.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from giamngheo.errors import InputError
from giamngheo.tabular.header import ColumnSpec
from giamngheo.tabular.reader import (
    WORKBOOK_SUFFIXES,
    Table,
    iter_sheet_rows,
    read_table,
    starts_like_workbook,
)

if TYPE_CHECKING:
    import polars as pl

TEXT_SUFFIXES = frozenset({".csv", ".txt"})
ACCEPTED_SUFFIXES = TEXT_SUFFIXES | WORKBOOK_SUFFIXES


def wrong_type(name: str, what_vi: str, what_en: str) -> InputError:
    return InputError.single(
        f"không đọc được loại tệp này ({what_vi})",
        f"this kind of file cannot be read ({what_en})",
        file=name,
        fix_vi="lưu danh sách dạng Excel (.xlsx) hoặc CSV UTF-8 (.csv) rồi nhập lại",
        fix_en="save the list as an Excel workbook (.xlsx) or a UTF-8 CSV (.csv) and import it again",
    )


def file_kind(path: Path, name: str) -> str:
    """``"workbook"`` or ``"text"``, from the name and the first bytes (a renamed file is caught)."""
    suffix = Path(name).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        return _refuse(name, suffix)
    if starts_like_workbook(path):  # also an Excel file saved under a .csv name: read it as what it is
        return "workbook"
    if suffix in WORKBOOK_SUFFIXES:
        raise wrong_type(
            name, "tên .xlsx nhưng nội dung không phải bảng tính", "named like a workbook but not one"
        )
    return "text"


def _refuse(name: str, suffix: str) -> str:
    raise wrong_type(name, f"đuôi tệp {suffix or '(không có)'}", f"file extension {suffix or '(none)'}")


def open_table(
    path: str | Path,
    specs: Sequence[ColumnSpec],
    *,
    display_name: str | None = None,
    sheet: str | None = None,
) -> Table:
    path = Path(path)
    name = display_name or path.name
    if not path.is_file():
        raise InputError.single(
            "không tìm thấy tệp",
            "file not found",
            file=name,
            fix_vi="kiểm tra đường dẫn",
            fix_en="check the path",
        )
    file_kind(path, name)  # refuses what is neither (``tabular`` reads a workbook by its first bytes too)
    return read_table(path, specs, sheet=sheet, display_name=name)


def iter_raw_rows(path: Path, name: str, *, sheet: str | None = None) -> tuple[str, Iterator[list[str]]]:
    """(sheet label, iterator of rows as text) over the whole file, for the error workbook."""
    if file_kind(path, name) == "workbook":
        return iter_sheet_rows(path, sheet=sheet, display_name=name)
    return "CSV", _csv_rows(path)


def _csv_rows(path: Path):  # type: ignore[no-untyped-def]
    """CSV records (one record = one row, as ``tabular`` numbers them); undecodable bytes are replaced."""
    import csv
    import io

    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    top = text[:20_000]
    separator = max((",", ";", "\t"), key=top.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=separator)


def frame_rows(frame: pl.DataFrame, size: int):  # type: ignore[no-untyped-def]
    """The frame's rows as dicts, ``size`` at a time (bounded memory while writing)."""
    for offset in range(0, frame.height, size):
        yield frame.slice(offset, size).to_dicts()
