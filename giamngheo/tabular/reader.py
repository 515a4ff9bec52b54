"""Open a CSV or XLSX file as communes keep it and return its data as a polars frame of strings.

* CSV: UTF-8 with or without BOM, separated by ``,`` ``;`` or tab (chosen by which one yields the header);
  a file that is not UTF-8 is refused with the fix. A small Python pre-read finds the header row; polars
  then reads the rest in one go (fast on millions of rows).
* XLSX: the first sheet, or the one named (matched without accents or case), read with python-calamine.

The frame keeps every column under its header text (made unique), all values as strings (null = empty),
plus ``ROW``: the row number as the user sees it in Excel (1-based; a CSV record counts as one row). The
data ends at a total row ("Tổng cộng", "Cộng", "Total" …) or at an empty row after which no row has all
the required columns (a signature block); empty rows inside the data are skipped.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from giamngheo.errors import InputError, Problem
from giamngheo.tabular.header import SCAN_ROWS, ColumnSpec, Header, find_header
from giamngheo.tabular.values import cell_text
from giamngheo.text import fold, fold_key

if TYPE_CHECKING:
    import polars as pl

ROW = "__row__"
HEAD_BYTES = 256 * 1024
SEPARATORS = (",", ";", "\t")
TOTAL_TEXTS = (
    "tổng cộng",
    "cộng",
    "tổng",
    "tổng số",
    "total",
    "grand total",
    "tổng cộng toàn xã",
    "cộng toàn xã",
)
TOTAL_WORDS = frozenset({*TOTAL_TEXTS, *(fold(t) for t in TOTAL_TEXTS)})


@dataclass
class Table:
    file: str  # the name used in messages
    header_row: int  # 1-based row of the header
    columns: list[str]  # display names of the data columns, in file order
    found: dict[str, str]  # canonical name → display name of the column that matched it
    frame: pl.DataFrame  # the columns as strings, plus ROW

    def column(self, canonical: str) -> str | None:
        return self.found.get(canonical)

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
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        return _read_workbook(path, name, specs, sheet)
    return _read_csv(path, name, specs)


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
        chunk = chunk[: chunk.rfind(b"\n") + 1] or chunk
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
        raise _no_header(name, specs)
    first = header.first_data_index
    width = max([len(header.names), *(len(r) for r in rows[first:])])
    names = header.names + [f"column_{i + 1}" for i in range(len(header.names), width)]
    if first >= len(rows):
        frame = pl.DataFrame(schema={n: pl.String for n in names})
    else:
        try:
            frame = pl.read_csv(
                path,
                separator=separator,
                has_header=False,
                skip_lines=starts[first],
                schema={f"c{i}": pl.String for i in range(width)},
                truncate_ragged_lines=True,
                encoding="utf8",
                raise_if_empty=False,
            )
        except pl.exceptions.ComputeError as error:
            if "utf-8" in str(error).lower() or "utf8" in str(error).lower():
                raise _not_utf8(name, "sau phần đầu tệp / past the start of the file") from None
            raise InputError.single(
                f"không đọc được tệp CSV: {error}", f"cannot read the CSV file: {error}", file=name
            ) from None
        # one chunk per column: the parallel reader leaves many, and every later expression pays for them
        frame = frame.rename({f"c{i}": n for i, n in enumerate(names)}).rechunk()
    return _finish(frame, name, header, names, specs)


# --- XLSX --------------------------------------------------------------------------------------------------


def _read_workbook(path: Path, name: str, specs: Sequence[ColumnSpec], sheet: str | None) -> Table:
    import polars as pl
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
    sheet_name = _pick_sheet(workbook.sheet_names, sheet, name)
    grid = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
    rows = [[cell_text(value) for value in row] for row in grid]
    header = find_header(rows, specs)
    if header is None:
        raise _no_header(f"{name} [{sheet_name}]", specs)
    first = header.first_data_index
    width = max([len(header.names), *(len(r) for r in rows[first:])])
    names = header.names + [f"column_{i + 1}" for i in range(len(header.names), width)]
    data = [[cell or None for cell in row] + [None] * (width - len(row)) for row in rows[first:]]
    frame = pl.DataFrame(data, schema={n: pl.String for n in names}, orient="row")
    return _finish(frame, f"{name} [{sheet_name}]", header, names, specs)


def _pick_sheet(sheet_names: list[str], wanted: str | None, name: str) -> str:
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


def _no_header(name: str, specs: Sequence[ColumnSpec]) -> InputError:
    expected = ", ".join(s.name + (f" ({s.aliases[0]})" if s.aliases else "") for s in specs if s.required)
    return InputError.single(
        f"không tìm thấy dòng tiêu đề trong {SCAN_ROWS} dòng đầu",
        f"no header row found in the first {SCAN_ROWS} rows",
        file=name,
        fix_vi=f"dòng tiêu đề cần có các cột: {expected}",
        fix_en=f"the header row needs the columns: {expected}",
    )


def _finish(
    frame: pl.DataFrame, name: str, header: Header, names: list[str], specs: Sequence[ColumnSpec]
) -> Table:
    import polars as pl

    first_row = header.first_data_index + 1
    frame = frame.with_columns((pl.int_range(0, pl.len(), dtype=pl.Int64) + first_row).alias(ROW))
    generated = [n for i, n in enumerate(names) if i >= len(header.names) or n.startswith("column_")]
    empty = [n for n in generated if frame[n].null_count() == frame.height]
    if empty:
        frame = frame.drop(empty)
    columns = [n for n in names if n not in empty]
    found = {canonical: names[position] for canonical, position in header.found.items()}
    required = [found[s.name] for s in specs if s.required and s.name in found]
    frame = _cut_at_end_of_data(frame, columns, required)
    return Table(file=name, header_row=header.index + 1, columns=columns, found=found, frame=frame)


def _blank(column: str) -> pl.Expr:
    import polars as pl

    return pl.col(column).is_null() | (pl.col(column).str.strip_chars() == "")


def _cut_at_end_of_data(frame: pl.DataFrame, columns: list[str], required: list[str]) -> pl.DataFrame:
    """Drop a total row and what follows it, a trailing signature block after an empty row, and empty rows.

    Only rows missing a required value can be a total, an empty row or a signature: they are found with one
    cheap pass over the required columns, and only they are examined further.
    """
    import polars as pl

    if frame.height == 0 or not columns:
        return frame
    checked = required or columns
    incomplete = frame.select(pl.any_horizontal([_blank(c) for c in checked])).to_series()
    suspect_index = incomplete.arg_true()
    if suspect_index.len() == 0:
        return frame
    suspects = frame[suspect_index].with_columns(
        suspect_index.alias("__i"),
        pl.all_horizontal([_blank(c) for c in columns]).alias("__blank"),
        pl.any_horizontal(
            [
                pl.col(c)
                .str.normalize("NFC")
                .str.to_lowercase()
                .str.strip_chars(" :.\t")
                .is_in(list(TOTAL_WORDS))
                for c in columns
            ]
        ).alias("__total"),
    )
    totals = suspects.filter(pl.col("__total") & ~pl.col("__blank"))["__i"]
    end = int(totals.min()) if totals.len() else frame.height  # type: ignore[arg-type]
    complete = (~incomplete).arg_true()
    complete = complete.filter(complete < end)
    last_complete = int(complete.max()) if complete.len() else -1  # type: ignore[arg-type]
    trailer = suspects.filter(pl.col("__blank") & (pl.col("__i") > last_complete) & (pl.col("__i") < end))[
        "__i"
    ]
    if trailer.len():
        end = int(trailer.min())  # type: ignore[arg-type]
    inner_blanks = suspects.filter(pl.col("__blank") & (pl.col("__i") < end))["__i"]
    frame = frame.slice(0, end)
    if inner_blanks.len():
        keep = pl.int_range(0, pl.len(), dtype=suspect_index.dtype).is_in(inner_blanks.implode()).not_()
        frame = frame.filter(keep)
    return frame
