"""Open a CSV or XLSX file as communes keep it and return its data as a polars frame of strings.

* CSV: UTF-8 with or without BOM, separated by ``,`` ``;`` or tab (chosen by which one yields the header);
  a file that is not UTF-8 is refused with the fix. A small Python pre-read finds the header row; polars
  then reads the rest in one go (fast on millions of rows).
* XLSX (also XLS/ODS, and a workbook under a ``.csv`` name, told by its first bytes): the first sheet, or the
  one named (matched without accents or case), read with python-calamine and streamed row by row into the
  frame ``CHUNK_ROWS`` rows at a time: no Python list of the whole sheet is ever built (python-calamine
  itself still holds its parsed copy of the sheet while it is read).

The frame keeps every column under its header text (made unique), all values as strings (null = empty),
plus ``ROW``: the row number as the user sees it in Excel (1-based; a CSV record counts as one row). The frame
is the compact form of the rows (one string column each): callers validate all of it in one pass, then walk
it again in batches (``Table.batches``) to write. ``iter_sheet_rows`` streams a sheet's raw rows as text.

End of the data (``finish_table``):

* a total row — its first filled cell is "Tổng cộng", "Cộng", "Tổng", "Total", "Toàn xã" …, whatever its
  other cells hold (in a row missing a required value: any of its cells) — is never data: it ends the
  data, unless complete data rows follow it (a subtotal, or a "Toàn xã" row above the villages: skipped);
* a signature block — a row whose every filled cell is "Người lập biểu", "TM. UBND xã", "Chủ tịch",
  "(Ký, ghi rõ họ tên)", "Sơn Trung, ngày … tháng … năm …" …, among the last ``TAIL_ROWS`` filled rows —
  ends the data, with or without an empty row before it — unless more than ``SIGNER_ROWS`` complete rows
  follow it (then it is a heading inside the data, kept for the caller to report);
* an empty row after which no row has all the required columns ends the data (a trailer of notes);
* empty rows inside the data are skipped. A row missing a required value inside the data is kept, so that
  the caller reports it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from giamngheo.errors import InputError, Problem
from giamngheo.tabular.bounds import MAX_COLUMNS, check_workbook
from giamngheo.tabular.header import SCAN_ROWS, ColumnSpec, Header, find_header
from giamngheo.tabular.values import cell_text
from giamngheo.tabular.writer import restore_frame
from giamngheo.text import fold, fold_key

if TYPE_CHECKING:
    import polars as pl

ROW = "__row__"
HEAD_BYTES = 256 * 1024
CHUNK_ROWS = 10_000  # workbook rows turned into a polars frame at a time
TAIL_ROWS = 20  # a signature block (with the names under it) stands within the last filled rows
SIGNER_ROWS = 2  # complete rows that may follow a signature line (the signers' names); more are data
SEPARATORS = (",", ";", "\t")
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # zip (xlsx, ods), OLE2 (xls)
TOTAL_TEXTS = (
    "tổng cộng",
    "cộng",
    "tổng",
    "tổng số",
    "total",
    "grand total",
    "tổng cộng toàn xã",
    "cộng toàn xã",
    "tổng toàn xã",
    "toàn xã",
    "cộng chung",
    "tổng chung",
)
TOTAL_FOLDED = frozenset(fold(t) for t in TOTAL_TEXTS)
TOTAL_WORDS = frozenset({*TOTAL_TEXTS, *TOTAL_FOLDED})  # lower case, with or without accents
_TOTAL_STRIP = " :.\t"

# What a signature block's cells say, on folded text (lower case, no accents, đ → d).
_SIGNATURE_PARTS = [
    # Người lập biểu, Người ký, Người tổng hợp …
    r"^nguoi (lap|ky|duyet|kiem tra|tong hop|dai dien)\b",
    # TM. UBND XÃ, T/M ỦY BAN NHÂN DÂN, KT. CHỦ TỊCH, TM. BAN CHỈ ĐẠO
    r"^(tm|t/m|kt|k/t|tl|t/l|tuq|ktm)[ ./]*"
    r"(ubnd|uy ban|ban|hoi dong|chu tich|truong|giam doc|thu truong|dang uy|mat tran)\b",
    # Chủ tịch, Phó chủ tịch, Trưởng thôn …
    r"^(pho )?(chu tich|bi thu|giam doc|thu truong|truong ban|truong thon|truong ap|truong khu|truong xom"
    r"|to truong|truong to dan pho)\b",
    r"^(uy ban nhan dan|ubnd|ke toan|can bo|cong chuc|xac nhan|noi nhan|lanh dao)\b",
    # (Ký, ghi rõ họ tên), (Đã ký), Ký tên
    r"^\((ky|da ky)\b",
    r"^(ky ten|ky, ghi ro|ky ghi ro|da ky)\b",
    # Sơn Trung, ngày … tháng … năm … / ngày 05 tháng 01 năm 2024
    r"\bngay\b[ 0-9.…_/-]*\bthang\b[ 0-9.…_/-]*\bnam\b",
    # Sơn Trung, ngày 05/01/2024
    r"^[^0-9]{0,60}, ngay [0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4}$",
]
_SIGNATURE = re.compile("|".join(f"(?:{part})" for part in _SIGNATURE_PARTS))


# The first filled cell of a row under the list that is not a household: a total written as a sentence
# ("Tổng cộng: 52 hộ", "Cộng: 52 hộ, 230 khẩu", "Tổng số hộ nghèo: 52"), a note ("Ghi chú: …", "* …",
# "(*) …"), a breakdown ("Trong đó:", "- Hộ nghèo: 30 hộ", "Bằng chữ: …") or a sentence about the list
# ("Danh sách này có 52 hộ"). Matched on the composed, lower-case text: a bare "tổng"/"cộng" keeps its accents
# and needs a number or a counting word after it, so "Tống …", "Công …" or a village "Cộng Hòa" never match;
# the longer words are matched without accents too ("Tong cong: 52 ho").
FOOTER_PATTERN = (
    r"^(?:"
    r"(?:tổng cộng|tổng số|tổng chung|cộng chung|toàn xã|grand total|total"
    r"|tong cong|tong so|tong chung|cong chung|toan xa)(?:\s*[:.,;(–-]|\s+\S)"
    # a bare "Tổng"/"Cộng" followed by a number or a counting word, not a place name ("Cộng Hòa")
    r"|(?:tổng|cộng)(?:\s*[:.,;(–-]|\s+\d|\s+(?:số|hộ|khẩu|người|chung|toàn|thôn|xã|các|danh)\b)"
    r"|(?:ghi chú|chú thích|lưu ý|chú ý|ghi chu|chu thich|luu y|chu y|notes?)\b"
    r"|(?:trong đó|trong do|bằng chữ|bang chu|danh sách|danh sach|xác nhận|xac nhan)\b"
    r"|\(?\*+\)?\s*\S"
    r"|[-–+•]\s*\S"
    r")"
)
_FOOTER = re.compile(FOOTER_PATTERN)


def is_footer_text(text: str | None) -> bool:
    """A total written as a sentence, a note or a breakdown under the list (see ``FOOTER_PATTERN``)."""
    if not text:
        return False
    composed = " ".join(unicodedata.normalize("NFC", text).lower().split())
    return _FOOTER.search(composed) is not None


def is_total_text(text: str | None) -> bool:
    """A total row's label: "Tổng cộng", "CỘNG:", "Tong so", "Total", "Toàn xã" (case and accents ignored)."""
    return bool(text) and fold(text or "").strip(_TOTAL_STRIP) in TOTAL_FOLDED


def is_signature_text(text: str | None) -> bool:
    """A signature block's cell: "Người lập biểu", "TM. UBND xã", "Chủ tịch", "(Ký, ghi rõ họ tên)", a place
    and date line "Sơn Trung, ngày … tháng … năm …"."""
    return bool(text) and _SIGNATURE.search(fold(text or "")) is not None


def is_signature_row(cells: Iterable[str | None]) -> bool:
    """Every filled cell of the row is a signature cell (and one is filled): a data row never is."""
    filled = [c for c in cells if c and c.strip()]
    return bool(filled) and all(is_signature_text(c) for c in filled)


@dataclass
class Table:
    file: str  # the name used in messages
    header_row: int  # 1-based row of the header
    columns: list[str]  # display names of the data columns, in file order
    found: dict[str, str]  # canonical name → display name of the column that matched it
    frame: pl.DataFrame  # the columns as strings, plus ROW

    def column(self, canonical: str) -> str | None:
        return self.found.get(canonical)

    def batches(
        self, size: int = CHUNK_ROWS, columns: Sequence[str] | None = None
    ) -> Iterator[list[dict[str, Any]]]:
        """The rows as dicts (column → value, plus ``ROW``), ``size`` at a time: bounded memory while
        writing, and as many passes as the caller needs."""
        frame = self.frame if columns is None else self.frame.select([*columns, ROW])
        for offset in range(0, frame.height, size):
            yield frame.slice(offset, size).to_dicts()

    def problem(
        self,
        row: int | None,
        column: str | None,
        vi: str,
        en: str,
        fix_vi: str | None = None,
        fix_en: str | None = None,
    ) -> Problem:
        return Problem(vi, en, file=self.file, row=row, column=column, fix_vi=fix_vi, fix_en=fix_en)


def read_table(
    path: str | Path,
    specs: Sequence[ColumnSpec],
    *,
    sheet: str | None = None,
    display_name: str | None = None,
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
    if is_workbook(path):
        return _read_workbook(path, name, specs, sheet)
    return _read_csv(path, name, specs)


def is_workbook(path: Path) -> bool:
    """A workbook by its name, or by its first bytes (a workbook saved under a ``.csv`` name is one)."""
    return path.suffix.lower() in WORKBOOK_SUFFIXES or starts_like_workbook(path)


def starts_like_workbook(path: Path) -> bool:
    """The file-type sniffer (the one place that reads first bytes): zip (xlsx, ods) or OLE2 (xls)."""
    with path.open("rb") as handle:
        return handle.read(4) in _WORKBOOK_MAGIC


# --- CSV ---------------------------------------------------------------------------------------------------


def _not_utf8(name: str, detail: str) -> InputError:
    return InputError.single(
        f"tệp không phải văn bản UTF-8 ({detail})",
        f"the file is not UTF-8 text ({detail})",
        file=name,
        fix_vi='mở tệp bằng Excel và lưu lại dạng "CSV UTF-8 (Comma delimited)", hoặc lưu dạng .xlsx',
        fix_en='open it in Excel and save as "CSV UTF-8 (Comma delimited)", or save as .xlsx',
    )


def _head_text(path: Path, name: str) -> str:
    with path.open("rb") as handle:
        chunk = handle.read(HEAD_BYTES)
        complete = not handle.read(1)
    if not complete:  # keep whole lines only, so a character is never cut in two
        if b"\n" not in chunk:
            raise InputError.single(
                f"dòng đầu dài hơn {HEAD_BYTES // 1024} KB (quá nhiều cột?)",
                f"the first row is longer than {HEAD_BYTES // 1024} KB (too many columns?)",
                file=name,
                row=1,
                column=f"column_{MAX_COLUMNS + 1}",
                fix_vi=f"giữ tối đa {MAX_COLUMNS:,} cột; mỗi dòng kết thúc bằng một dấu xuống dòng",
                fix_en=f"keep at most {MAX_COLUMNS:,} columns; end each row with a line break",
            )
        chunk = chunk[: chunk.rfind(b"\n") + 1]
    if chunk.startswith(codecs.BOM_UTF8):
        chunk = chunk[len(codecs.BOM_UTF8) :]
    try:
        return chunk.decode("utf-8")
    except UnicodeDecodeError as error:
        line = chunk[: error.start].count(b"\n") + 1
        raise _not_utf8(name, f"dòng/line {line}") from None


def _records(text: str, separator: str, limit: int) -> tuple[list[list[str]], list[int]]:
    """The first ``limit`` records and the physical line each starts on (a quoted cell may hold line
    breaks)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows: list[list[str]] = []
    starts: list[int] = []
    start = 0
    try:
        for row in reader:
            rows.append(row)
            starts.append(start)
            start = reader.line_num
            if len(rows) >= limit:
                break
    except csv.Error:
        pass  # a cut quoted cell at the end of the pre-read: what we have is enough to find the header
    starts.append(start)
    return rows, starts


def _score(header: Header | None, specs: Sequence[ColumnSpec]) -> tuple[int, int]:
    if header is None:
        return (0, 0)
    required = {s.name for s in specs if s.required}
    return (int(required <= set(header.found)), len(header.found))


def read_csv_strings(path: Path, separator: str, skip_lines: int, width: int) -> pl.DataFrame:
    """The file's records from line ``skip_lines`` on, as ``width`` string columns ``c0``, ``c1``, … (a
    short record padded with nulls, a long one cut), in polars' chunks. Raises polars' errors."""
    import polars as pl

    return pl.read_csv(
        path,
        separator=separator,
        has_header=False,
        skip_lines=skip_lines,
        schema={f"c{i}": pl.String for i in range(width)},
        truncate_ragged_lines=True,
        missing_columns="insert",  # a blank line first: polars would take its width for the file's
        encoding="utf8",
        raise_if_empty=False,
    )


def _read_csv(path: Path, name: str, specs: Sequence[ColumnSpec]) -> Table:
    import polars as pl

    text = _head_text(path, name)
    candidates = []
    for separator in SEPARATORS:
        rows, starts = _records(text, separator, SCAN_ROWS + 2)
        header = find_header(rows, specs)
        candidates.append((_score(header, specs), separator, rows, starts, header))
    score, separator, rows, starts, header = max(candidates, key=lambda c: c[0])
    if header is None:
        raise no_header_error(name, specs)
    first = header.first_data_index
    width = max([len(header.names), *(len(r) for r in rows[first:])])
    if width > MAX_COLUMNS:
        wide = (
            header.index
            if len(header.names) == width
            else first + [len(r) for r in rows[first:]].index(width)
        )
        raise InputError.single(
            f"dòng có {width:,} cột, quá {MAX_COLUMNS:,} cột",
            f"the row has {width:,} columns, more than {MAX_COLUMNS:,}",
            file=name,
            row=wide + 1,  # a CSV record is a row
            column=f"column_{MAX_COLUMNS + 1}",
            fix_vi=f"xoá các cột thừa: giữ tối đa {MAX_COLUMNS:,} cột",
            fix_en=f"delete the extra columns: keep at most {MAX_COLUMNS:,}",
        )
    names = header.names + [f"column_{i + 1}" for i in range(len(header.names), width)]
    if first >= len(rows):
        frame = pl.DataFrame(schema={n: pl.String for n in names})
    else:
        try:
            frame = read_csv_strings(path, separator, starts[first], width)
        except pl.exceptions.PolarsError as error:
            if "utf-8" in str(error).lower() or "utf8" in str(error).lower():
                raise _not_utf8(name, "sau phần đầu tệp / past the start of the file") from None
            raise InputError.single(
                f"không đọc được tệp CSV: {error}", f"cannot read the CSV file: {error}", file=name
            ) from None
        # one chunk per column: the parallel reader leaves many, and every later expression pays for them
        frame = restore_frame(frame.rename({f"c{i}": n for i, n in enumerate(names)}).rechunk())
    return finish_table(frame, name, header, names, specs)


# --- XLSX --------------------------------------------------------------------------------------------------


def _open_sheet(path: Path, name: str, wanted: str | None) -> tuple[Any, str, Any]:
    """(workbook, sheet name, calamine sheet): the first sheet or the one named; errors name the file."""
    from python_calamine import CalamineWorkbook

    check_workbook(path, name)  # an archive bomb is refused before calamine parses anything
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
    try:
        sheet_name = pick_sheet(workbook.sheet_names, wanted, name)
        try:
            sheet = workbook.get_sheet_by_name(sheet_name)
        except Exception as error:  # noqa: BLE001 - a broken sheet inside a readable workbook
            raise InputError.single(
                f"không đọc được trang tính {sheet_name!r}: {error}",
                f"cannot read the sheet {sheet_name!r}: {error}",
                file=name,
                fix_vi="mở tệp bằng Excel và lưu lại dạng .xlsx",
                fix_en="open the file in Excel and save it again as .xlsx",
            ) from None
    except BaseException:
        workbook.close()
        raise
    return workbook, sheet_name, sheet


def _raw_rows(workbook: Any, sheet: Any) -> Generator[list[Any], None, None]:
    """The sheet's rows as python-calamine gives them, from Excel row 1 and column A (calamine pads the rows
    above the first filled cell, not the columns to its left: they are padded here so positions match)."""
    try:
        start = sheet.start
        pad = [""] * (start[1] if start else 0)
        rows = sheet.iter_rows()
        del sheet  # the iterator keeps what it needs; nothing else holds the parsed sheet
        for row in rows:
            yield [*pad, *row] if pad else row
    finally:
        workbook.close()


def iter_sheet_rows(
    path: str | Path, *, sheet: str | None = None, display_name: str | None = None
) -> tuple[str, Iterator[list[str]]]:
    """(sheet name, its rows as text) — every row from Excel row 1 and column A, streamed; cells as
    ``values.cell_text`` writes them (empty cell → ""). The workbook is opened (and errors raised) now."""
    path = Path(path)
    workbook, sheet_name, data = _open_sheet(path, display_name or path.name, sheet)
    return sheet_name, ([cell_text(value) for value in row] for row in _raw_rows(workbook, data))


def _text_or_null(value: Any) -> str | None:
    if value.__class__ is str:
        return value.strip() or None
    return cell_text(value) or None


_EXACT_FLOAT = 2.0**53  # below this a whole float is an exact integer


def _column(name: str, values: Sequence[Any]) -> pl.Series:
    """One column of raw cells as strings, the same as ``cell_text`` (empty → null). A column of text only,
    or of numbers and empty cells only (the usual cases), is converted by polars; others cell by cell."""
    import polars as pl

    kinds = {v.__class__ for v in values}
    if kinds <= {str}:
        text = pl.Series(name, values, dtype=pl.String).str.strip_chars()
        return pl.select(pl.when(text != "").then(text)).to_series().alias(name)
    if kinds <= {str, float} and all(v == "" for v in values if v.__class__ is str):
        numbers = pl.Series(name, [v if v.__class__ is float else None for v in values], dtype=pl.Float64)
        whole = numbers.is_finite() & (numbers == numbers.floor()) & (numbers.abs() < _EXACT_FLOAT)
        text = pl.select(
            pl.when(whole).then(numbers.cast(pl.Int64, strict=False).cast(pl.String)).otherwise(None)
        ).to_series()
        other = (numbers.is_not_null() & ~whole.fill_null(False)).arg_true()
        if other.len():  # fractions, huge or infinite numbers: as cell_text writes them
            text = text.scatter(other, [cell_text(values[i]) for i in other.to_list()])
        return text.alias(name)
    return pl.Series(name, [_text_or_null(v) for v in values], dtype=pl.String)


def _chunk_frame(rows: list[list[Any]], names: list[str]) -> pl.DataFrame:
    """Raw rows → a frame of strings (empty → null), built column by column."""
    import polars as pl

    width = len(names)
    fitted = (row[:width] if len(row) >= width else [*row, *[""] * (width - len(row))] for row in rows)
    columns = list(zip(*fitted, strict=True)) if rows else [() for _ in names]
    return pl.DataFrame([_column(name, column) for name, column in zip(names, columns, strict=True)])


def _read_workbook(path: Path, name: str, specs: Sequence[ColumnSpec], sheet: str | None) -> Table:
    import polars as pl

    workbook, sheet_name, data = _open_sheet(path, name, sheet)
    label = f"{name} [{sheet_name}]"
    rows = _raw_rows(workbook, data)
    del data
    try:
        head = list(islice(rows, SCAN_ROWS + 2))
        header = find_header([[cell_text(v) for v in row] for row in head], specs)
        if header is None:
            raise no_header_error(label, specs)
        first = header.first_data_index
        width = max([len(header.names), *(len(r) for r in head[first:])])
        names = header.names + [f"column_{i + 1}" for i in range(len(header.names), width)]
        frames = [_chunk_frame(head[first:], names)]
        del head
        while chunk := list(islice(rows, CHUNK_ROWS)):
            frames.append(_chunk_frame(chunk, names))
    finally:
        rows.close()  # closes the workbook and lets calamine's copy of the sheet go before the cut below
    frame = pl.concat(frames, how="vertical", rechunk=True) if len(frames) > 1 else frames[0]
    del frames
    return finish_table(frame, label, header, names, specs)


def pick_sheet(sheet_names: list[str], wanted: str | None, name: str) -> str:
    """The sheet to read: the first, or the one named (without regard to accents or case)."""
    if not sheet_names:
        raise InputError.single("bảng tính không có trang nào", "the workbook has no sheet", file=name)
    if wanted is None:
        return sheet_names[0]
    for sheet_name in sheet_names:
        if fold_key(sheet_name) == fold_key(wanted):
            return sheet_name
    raise InputError.single(
        f"không có trang tính {wanted!r}",
        f"no sheet named {wanted!r}",
        file=name,
        fix_vi=f"chọn một trong: {', '.join(sheet_names)}",
        fix_en=f"choose one of: {', '.join(sheet_names)}",
    )


# --- common: header problems, end of data ------------------------------------------------------------------


def no_header_error(name: str, specs: Sequence[ColumnSpec]) -> InputError:
    """The error for a file whose first rows name none (or not enough) of the expected columns."""
    expected = ", ".join(s.name + (f" ({s.aliases[0]})" if s.aliases else "") for s in specs if s.required)
    return InputError.single(
        f"không tìm thấy dòng tiêu đề trong {SCAN_ROWS} dòng đầu",
        f"no header row found in the first {SCAN_ROWS} rows",
        file=name,
        fix_vi=f"dòng tiêu đề cần có các cột: {expected}",
        fix_en=f"the header row needs the columns: {expected}",
    )


def finish_table(
    frame: pl.DataFrame, name: str, header: Header, names: list[str], specs: Sequence[ColumnSpec]
) -> Table:
    """The ``Table`` of the rows read under ``header`` (``frame``: one string column per name in ``names``,
    from the first data row on): Excel row numbers added, empty extra columns dropped, cut at the end of
    the data."""
    import polars as pl

    first_row = header.first_data_index + 1
    frame = frame.with_columns((pl.int_range(0, pl.len(), dtype=pl.Int64) + first_row).alias(ROW))
    refuse_control_characters(frame, name, names)
    generated = [n for i, n in enumerate(names) if i >= len(header.names) or n.startswith("column_")]
    empty = [n for n in generated if frame[n].null_count() == frame.height]
    if empty:
        frame = frame.drop(empty)
    columns = [n for n in names if n not in empty]
    found = {canonical: names[position] for canonical, position in header.found.items()}
    required = [found[s.name] for s in specs if s.required and s.name in found]
    identity = [found[s.name] for s in specs if s.identity and s.name in found]
    frame = _cut_at_end_of_data(frame, columns, required, identity)
    return Table(file=name, header_row=header.index + 1, columns=columns, found=found, frame=frame)


def no_rows_error(table: Table) -> InputError:
    """A file whose header is followed by no data row."""
    first = table.columns[0] if table.columns else None
    return InputError.single(
        "không có dòng dữ liệu nào dưới dòng tiêu đề",
        "there is no data row under the header row",
        file=table.file,
        row=table.header_row + 1,
        column=first,
        fix_vi="thêm các dòng dữ liệu dưới dòng tiêu đề, hoặc chọn đúng tệp",
        fix_en="add the data rows under the header row, or choose the right file",
    )


CONTROL_CHARACTERS = (
    r"[\x00-\x08\x0b\x0c\x0e-\x1f]"  # no text holds them; XML (XLSX) cannot, PostgreSQL no NUL
)


def refuse_control_characters(frame: pl.DataFrame, name: str, columns: Sequence[str]) -> None:
    """A NUL or another control character is no text (a binary file, or a broken export); PostgreSQL cannot
    store a NUL and a workbook none of them: the first cell holding one is an error naming its row and
    column."""
    for column in columns:
        hits = frame[column].str.contains(CONTROL_CHARACTERS).fill_null(False)
        if hits.any():
            row = int(frame[ROW].filter(hits)[0])
            raise InputError.single(
                "ô có ký tự điều khiển như NUL (dữ liệu nhị phân, không phải văn bản)",
                "the cell holds a control character such as NUL (binary data, not text)",
                file=name,
                row=row,
                column=column,
                fix_vi="mở tệp bằng Excel, sửa ô này rồi lưu lại dạng .xlsx hoặc CSV UTF-8",
                fix_en="open the file in Excel, correct the cell and save it again as .xlsx or UTF-8 CSV",
            )


# Former private names, still imported by code outside the package: use the public ones.
_finish = finish_table
_no_header = no_header_error
_pick_sheet = pick_sheet


def _blank(column: str) -> pl.Expr:
    import polars as pl

    return pl.col(column).is_null() | (pl.col(column).str.strip_chars() == "")


def _total_label(text: pl.Expr) -> pl.Expr:
    """The cell is a total row's label ("Tổng cộng", "CỘNG:", "tong so" …): composed, lower case, trimmed."""
    composed = text.str.normalize("NFC").str.to_lowercase().str.replace_all(r"\s+", " ")
    return composed.str.strip_chars(_TOTAL_STRIP).is_in(list(TOTAL_WORDS))


def _footer_label(text: pl.Expr) -> pl.Expr:
    """The cell opens a total sentence, a note or a breakdown (``FOOTER_PATTERN``)."""
    composed = text.str.normalize("NFC").str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()
    return composed.str.contains(FOOTER_PATTERN)


def _first_filled(columns: Sequence[str]) -> pl.Expr:
    import polars as pl

    return pl.coalesce([pl.when(~_blank(c)).then(pl.col(c)) for c in columns])


def _cut_at_end_of_data(
    frame: pl.DataFrame, columns: list[str], required: list[str], identity: Sequence[str] = ()
) -> pl.DataFrame:
    """Drop total rows, a signature block and what follows it, a trailer after an empty row, and empty rows
    (the rules are in the module's docstring).

    One cheap pass over the required columns and the first column finds the rows that can be anything but
    data: those missing a required value (few, examined cell by cell) and complete rows whose first cell is
    empty or has no digit (their leading cells are compared with the total labels; on a household list every
    row starts with a number or an id and is passed over). A signature block is short and ends the data: it
    is looked for among the last ``TAIL_ROWS`` filled rows only, so a heading inside a long list that looks
    like a signature ("Trưởng thôn: …") never cuts it. A row missing a required value whose first filled cell
    opens a total sentence, a note or a breakdown (``FOOTER_PATTERN``) counts as a total row.

    A row with every ``identity`` column filled (a household's code and name) is a record whatever else it
    holds: it is never dropped, and the data never ends before it (it is then kept for the caller to report).
    """
    import polars as pl

    if frame.height == 0 or not columns:
        return frame
    n = frame.height
    # a complete row is filled up to its first required column: its label stands there or before
    leading = columns[: min(columns.index(c) for c in required) + 1] if required else columns[:1]
    flags = frame.select(
        pl.any_horizontal([_blank(c) for c in (required or columns)]).alias("incomplete"),
        pl.col(columns[0]).str.contains_any(list("0123456789")).not_().fill_null(True).alias("label"),
    )
    incomplete = flags["incomplete"]
    inner = incomplete.arg_true().cast(pl.Int64)  # signed: compared with -1 (no complete row) below
    examined = frame.select(columns)[inner].select(
        pl.all_horizontal([_blank(c) for c in columns]).alias("blank"),
        (
            pl.any_horizontal([_total_label(pl.col(c)) for c in columns])
            | _footer_label(_first_filled(columns))
        )
        .fill_null(False)
        .alias("total"),
    )
    blanks = inner.filter(examined["blank"])
    totals = inner.filter(examined["total"] & ~examined["blank"])
    labelled = (flags["label"] & ~incomplete).arg_true().cast(pl.Int64)
    if labelled.len():
        first = frame.select(leading)[labelled].select(_total_label(_first_filled(leading)).fill_null(False))
        totals = pl.concat([totals, labelled.filter(first.to_series())]).sort()
    records = (
        frame.select(pl.all_horizontal([~_blank(c) for c in identity])).to_series()
        if identity
        else pl.zeros(n, dtype=pl.Boolean, eager=True)
    )
    if totals.len() and records.gather(totals).any():
        # a total row may fill the code and name columns too ("Tổng cộng" merged over them, "52 hộ" under the
        # name): it is a record only when none of those cells, nor its first filled cell, reads as a total
        cells = [*(pl.col(c) for c in identity), _first_filled(columns)]
        looks = (
            frame[totals]
            .select(pl.any_horizontal([_total_label(c) | _footer_label(c) for c in cells]).fill_null(False))
            .to_series()
        )
        real = records.gather(totals) & ~looks
        totals = totals.filter(~real)
    if totals.len():
        records = records.scatter(totals, False)
    not_data = pl.zeros(n, dtype=pl.Boolean, eager=True)  # blank or total
    if blanks.len() or totals.len():
        not_data = not_data.scatter(pl.concat([blanks, totals]), True)

    end = n
    if blanks.len():
        tail = pl.ones(n, dtype=pl.Boolean, eager=True).scatter(blanks, False).arg_true().tail(TAIL_ROWS)
    else:
        tail = pl.int_range(max(n - TAIL_ROWS, 0), n, dtype=pl.Int64, eager=True)
    positions = tail.to_list()
    signed = [is_signature_row(cells) for cells in frame.select(columns)[tail].iter_rows()]
    total_set = set(totals.to_list())
    # complete rows that are neither totals nor signature lines: data, or the signers' names under a block
    named = [
        not (gap or i in total_set or sign)
        for i, gap, sign in zip(positions, incomplete.gather(tail), signed, strict=True)
    ]
    for k, i in enumerate(positions):
        if signed[k] and sum(named[k + 1 :]) <= SIGNER_ROWS:
            end = i
            break
    data = (~incomplete & ~not_data).slice(0, end).reverse()  # complete data rows before the end
    last_complete = end - 1 - int(data.arg_max()) if data.any() else -1  # type: ignore[arg-type]
    closing = totals.filter((totals > last_complete) & (totals < end))  # no complete data after it: the end
    if closing.len():
        end = int(closing.min())  # type: ignore[arg-type]
    trailer = blanks.filter((blanks > last_complete) & (blanks < end))
    if trailer.len():
        end = int(trailer.min())  # type: ignore[arg-type]
    if records.any():  # the data never ends before a record
        end = max(end, n - int(records.reverse().arg_max()))  # type: ignore[arg-type]
    frame = frame.slice(0, end)
    dropped = not_data.slice(0, end)
    return frame.filter(~dropped) if dropped.any() else frame
