"""Open an uploaded CSV/XLSX file as a ``tabular.Table``, refusing other file types with the fix.

CSV goes straight to ``giamngheo.tabular.reader.read_table`` (polars reads it in one go). Workbooks are read
here, row by row from python-calamine into polars frames of ``CHUNK_ROWS`` rows: ``tabular`` (today) turns
the whole sheet into Python lists first, which for a 100,000-row list costs ~250 MB; streaming keeps the
peak to calamine's own copy of the sheet plus one chunk. The header search and the end-of-data rules are
``tabular``'s own, so a file reads the same either way. (Belongs in ``tabular.reader._read_workbook``; see
the report to the lead.)
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from giamngheo.errors import InputError
from giamngheo.tabular.header import SCAN_ROWS, ColumnSpec, find_header
from giamngheo.tabular.reader import Table, _finish, _no_header, read_table
from giamngheo.tabular.values import cell_text
from giamngheo.text import fold_key

if TYPE_CHECKING:
    import polars as pl

CHUNK_ROWS = 10_000
TEXT_SUFFIXES = frozenset({".csv", ".txt"})
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
ACCEPTED_SUFFIXES = TEXT_SUFFIXES | WORKBOOK_SUFFIXES
_ZIP, _OLE2 = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"


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
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic in (_ZIP, _OLE2):  # also an Excel file saved under a .csv name: read it as what it is
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
    if file_kind(path, name) == "workbook":
        return _read_workbook_streaming(path, name, specs, sheet)
    return read_table(path, specs, display_name=name)


def open_sheet(path: Path, name: str, sheet: str | None):  # type: ignore[no-untyped-def]
    """The calamine sheet to read (the first, or the one named without regard to accents or case)."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # noqa: BLE001 - calamine raises several kinds for a broken workbook
        raise InputError.single(
            f"không mở được bảng tính: {error}",
            f"cannot open the workbook: {error}",
            file=name,
            fix_vi="kiểm tra tệp là .xlsx hợp lệ (mở được bằng Excel)",
            fix_en="check the file is a valid .xlsx (opens in Excel)",
        ) from None
    names = workbook.sheet_names
    if not names:
        raise InputError.single("bảng tính không có trang nào", "the workbook has no sheet", file=name)
    chosen = names[0]
    if sheet is not None:
        matches = [n for n in names if fold_key(n) == fold_key(sheet)]
        if not matches:
            raise InputError.single(
                f"không có trang tính {sheet!r}",
                f"no sheet named {sheet!r}",
                file=name,
                fix_vi=f"chọn một trong: {', '.join(names)}",
                fix_en=f"choose one of: {', '.join(names)}",
            )
        chosen = matches[0]
    return chosen, workbook.get_sheet_by_name(chosen)


def _read_workbook_streaming(path: Path, name: str, specs: Sequence[ColumnSpec], sheet: str | None) -> Table:
    import polars as pl

    sheet_name, calamine_sheet = open_sheet(path, name, sheet)
    label = f"{name} [{sheet_name}]"
    rows = iter(calamine_sheet.iter_rows())  # from Excel row 1: calamine pads the empty rows above
    head = [[cell_text(value) for value in row] for row in islice(rows, SCAN_ROWS + 2)]
    header = find_header(head, specs)
    if header is None:
        raise _no_header(label, specs)
    width = max([len(header.names), *(len(r) for r in head)])
    names = header.names + [f"column_{i + 1}" for i in range(len(header.names), width)]
    schema = {n: pl.String for n in names}

    def frame(chunk: list[list[str]]) -> pl.DataFrame:
        data = [[cell or None for cell in row] + [None] * (width - len(row)) for row in chunk]
        return pl.DataFrame(data, schema=schema, orient="row")

    frames = [frame(head[header.first_data_index :])]
    while chunk := [[cell_text(value) for value in row][:width] for row in islice(rows, CHUNK_ROWS)]:
        frames.append(frame(chunk))
    data = pl.concat(frames, how="vertical", rechunk=True) if len(frames) > 1 else frames[0]
    return _finish(data, label, header, names, specs)


def iter_raw_rows(path: Path, name: str, *, sheet: str | None = None) -> tuple[str, object]:
    """(sheet label, iterator of rows as text) over the whole file, for the error workbook."""
    if file_kind(path, name) == "workbook":
        sheet_name, calamine_sheet = open_sheet(path, name, sheet)
        return sheet_name, ([cell_text(v) for v in row] for row in calamine_sheet.iter_rows())
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
