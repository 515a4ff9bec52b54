"""Limits a file must keep before it is parsed: an archive bomb is refused early, with memory bounded.

python-calamine builds the whole used range of a sheet in memory, from its first to its last cell: a 6 MB
workbook with one cell in A1 and one in XFD1048576 (or a sheet XML of gigabytes, compressed 1000:1) made it
take 3.2 GB and 89 s before it failed. So, before calamine opens a zip workbook (XLSX, XLSM, ODS):

* the zip's central directory must declare at most ``MAX_UNCOMPRESSED_BYTES`` in all, and no member may be
  compressed more than ``MAX_RATIO`` times beyond its first megabyte (what a real workbook never is);
* each worksheet's ``<dimension ref=…>`` (when present) and then its cell references, read as a stream (a
  quarter megabyte at a time; a member is never decompressed whole into memory), must stay within
  ``MAX_ROWS`` rows, ``MAX_COLUMNS`` columns and ``MAX_CELLS`` cells of used range.

An old binary workbook (.xls) is bounded by its format (65,536 × 256) and an ODS file by its uncompressed
size. A CSV's
header row must fit in the reader's first 256 KB and have at most ``MAX_COLUMNS`` columns.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from giamngheo.errors import InputError

MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024  # a 100,000-household list is ~60 MB of XML
MAX_RATIO = 100
MAX_ROWS = 1_048_576  # Excel's own limit
MAX_COLUMNS = 1_000  # a household list has ~20
MAX_CELLS = 10_000_000  # used range (rows × columns): ~300 MB in calamine; 500,000 rows × 20 columns fit
CHUNK = 256 * 1024  # read a quarter megabyte at a time (memory stays flat)
SMALL = 1024 * 1024  # below this a member's compression ratio is not looked at

_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\s+ref=\"\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?\""
)
_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d{1,9})\"")
# Excel, LibreOffice and openpyxl write a cell's reference as its first attribute: <c r="AB12" …>
_CELL_COLUMN = re.compile(rb"<(?:\w+:)?c r=\"([A-Z]{2,})\d")  # one-letter columns (A–Z): below
_ONE_LETTER = {
    number: re.compile(rb"<(?:\w+:)?c r=\"" + bytes([64 + number]) + rb"\d") for number in range(1, 27)
}


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _too_big(name: str, what_vi: str, what_en: str) -> InputError:
    return InputError.single(
        f"bảng tính quá lớn hoặc bất thường ({what_vi}); tệp chưa được đọc",
        f"the workbook is too large or malformed ({what_en}); it was not read",
        file=name,
        fix_vi=(
            f"giữ tối đa {MAX_ROWS:,} dòng × {MAX_COLUMNS:,} cột ({MAX_CELLS:,} ô) có dữ liệu;"
            " xoá các ô thừa ở xa vùng dữ liệu, hoặc lưu danh sách dạng CSV"
        ),
        fix_en=(
            f"keep at most {MAX_ROWS:,} rows × {MAX_COLUMNS:,} columns ({MAX_CELLS:,} cells) of data;"
            " clear stray cells far from the data, or save the list as CSV"
        ),
    )


def check_workbook(path: Path, name: str) -> None:
    """Refuse a zip workbook beyond the limits (see the module's docstring); other files pass through."""
    if not zipfile.is_zipfile(path):
        return
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            total = sum(member.file_size for member in members)
            if total > MAX_UNCOMPRESSED_BYTES:
                raise _too_big(name, f"{total:,} byte khi giải nén", f"{total:,} bytes uncompressed")
            for member in members:
                if member.file_size > SMALL and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                    raise _too_big(
                        name, f"{member.filename} nén bất thường", f"{member.filename} compressed abnormally"
                    )
            for member in members:
                lower = member.filename.lower()
                if lower.startswith("xl/worksheets/") and lower.endswith(".xml"):
                    _check_sheet(archive, member, name)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        return  # not a readable zip: calamine's own error names the file


def _extent(name: str, rows: int, columns: int) -> None:
    if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        raise _too_big(
            name,
            f"vùng dữ liệu {rows:,} dòng × {columns:,} cột",
            f"a used range of {rows:,} rows × {columns:,} columns",
        )


def _chunks(archive: zipfile.ZipFile, member: zipfile.ZipInfo):  # type: ignore[no-untyped-def]
    """The member's bytes a chunk at a time, each with the end of the one before (a match across)."""
    tail = b""
    read = 0
    with archive.open(member) as stream:
        while block := stream.read(CHUNK):
            read += len(block)
            if read > MAX_UNCOMPRESSED_BYTES:  # the directory lied about the size
                raise EOFError
            yield tail + block
            tail = block[-64:]


def _check_sheet(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str) -> None:
    rows = columns = 0
    first = True
    for chunk in _chunks(archive, member):
        if first:
            first = False
            found = _DIMENSION.search(chunk)
            if found:
                last_column, last_row = found.group(3) or found.group(1), found.group(4) or found.group(2)
                _extent(name, int(last_row), column_number(last_column.decode()))
        # rows come in order: the chunk's last row tag is its largest (looked for in its end first)
        row_tags = _ROW.findall(chunk[-8192:]) or _ROW.findall(chunk)
        if row_tags:
            rows = max(rows, int(row_tags[-1]))
        wide = _CELL_COLUMN.findall(chunk)
        if wide:
            columns = max(columns, *(column_number(letters.decode()) for letters in set(wide)))
        if rows * 26 > MAX_CELLS:  # only then can one-letter columns alone make too many cells
            for number in range(26, columns, -1):  # the last one-letter column used, from Z down
                if _ONE_LETTER[number].search(chunk):
                    columns = number
                    break
        _extent(name, rows, max(columns, 1))
