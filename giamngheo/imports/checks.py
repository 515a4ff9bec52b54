"""Whole-column checks of a ``tabular.Table`` that name *every* bad row (up to a cap for the whole file).

``tabular.columns`` names the first five bad rows of a column and counts the rest, which suits a terminal;
an import also gives the user a table and a workbook with an error beside each bad row, so here every bad
row is named until the file's cap (``PROBLEM_CAP``) is reached. Each distinct value is parsed once with the
cell parsers of ``tabular.values`` and mapped back with polars: no Python loop per row on a large file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from giamngheo.errors import InputError, Problem
from giamngheo.tabular.header import ColumnSpec
from giamngheo.tabular.reader import ROW, Table
from giamngheo.tabular.values import CellError

if TYPE_CHECKING:
    import polars as pl

PROBLEM_CAP = 1000


class Problems:
    """The problems of one file: kept up to ``cap``, all of them counted."""

    def __init__(self, cap: int = PROBLEM_CAP) -> None:
        self.cap = cap
        self.items: list[Problem] = []
        self.total = 0

    def __bool__(self) -> bool:
        return self.total > 0

    def add(self, problem: Problem) -> None:
        self.total += 1
        if len(self.items) < self.cap:
            self.items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    @property
    def full(self) -> bool:
        return len(self.items) >= self.cap

    def raise_if_any(self) -> None:
        """Raise them all, the file's own problems first, then row by row (stable: column order kept)."""
        if self.total:
            ordered = sorted(self.items, key=lambda p: (p.row is not None, p.row or 0))
            raise ImportInputError(ordered, total=self.total)


class ImportInputError(InputError):
    """An ``InputError`` that also knows how many problems there were beyond those it carries."""

    def __init__(self, problems: list[Problem], *, total: int | None = None) -> None:
        super().__init__(problems)
        self.total = total if total is not None else len(problems)

    def __str__(self) -> str:
        text = super().__str__()
        hidden = self.total - len(self.problems)
        if hidden > 0:
            text += f"\n… và {hidden} lỗi khác không liệt kê / and {hidden} more not listed"
        return text


def problem_total(error: InputError) -> int:
    return getattr(error, "total", len(error.problems))


def missing_columns(table: Table, specs: Iterable[ColumnSpec], problems: Problems) -> None:
    for spec in specs:
        if spec.required and spec.name not in table.found:
            vi_name = spec.label_vi or (spec.aliases[0] if spec.aliases else spec.name)
            problems.add(
                table.problem(
                    table.header_row,
                    spec.name,
                    f"thiếu cột bắt buộc “{vi_name}” ({spec.name})",
                    f"the required column “{spec.name}” ({vi_name}) is missing",
                    f"thêm cột “{vi_name}” vào dòng tiêu đề (dòng {table.header_row})",
                    f"add a column “{spec.name}” or “{vi_name}” to the header row (row {table.header_row})",
                )
            )


def blank(column: str) -> pl.Expr:
    import polars as pl

    return pl.col(column).is_null() | (pl.col(column).str.strip_chars() == "")


def report_rows(
    table: Table, mask: pl.Series, column: str, problems: Problems, make: Callable[..., Problem]
) -> None:
    """Add ``make(value)`` for each row where ``mask`` holds, until the file's cap. (``make`` is typed
    ``...``: callers bind loop variables as lambda defaults, which mypy cannot infer against one argument.)"""
    if problems.full:
        problems.total += int(mask.sum())
        return
    rows = table.frame.filter(mask).select(ROW, column)
    for row, value in rows.iter_rows():
        if problems.full:
            problems.total += 1
            continue
        problem = make(value)
        problem.row = row
        problems.add(problem)


def required_values(table: Table, column: str, label_vi: str, label_en: str, problems: Problems) -> pl.Series:
    """Report empty cells of a required column; the mask of filled cells."""
    empty = table.frame.select(blank(column)).to_series()
    if empty.any():
        report_rows(
            table,
            empty,
            column,
            problems,
            lambda _v: table.problem(
                None,
                column,
                f"thiếu {label_vi}",
                f"{label_en} is missing",
                f"điền {label_vi} vào ô này",
                f"fill in the {label_en} in this cell",
            ),
        )
    return ~empty


def parse_column(
    table: Table, column: str, parse: Callable[[str], Any], dtype: Any, problems: Problems
) -> pl.Series:
    """Parse each distinct value of ``column`` once; a bad value is reported on every row it is on."""
    values = table.frame[column].str.strip_chars()
    mapping: dict[str, Any] = {}
    errors: dict[str, CellError] = {}
    for value in values.drop_nulls().unique().to_list():
        if value == "":
            mapping[value] = None
            continue
        try:
            mapping[value] = parse(value)
        except CellError as error:
            errors[value] = error
    if errors:

        def make(value: str) -> Problem:
            error = errors[value.strip()]
            return table.problem(None, column, error.message_vi, error.message_en, error.fix_vi, error.fix_en)

        report_rows(table, values.is_in(list(errors)), column, problems, make)
    return values.replace_strict(mapping, default=None, return_dtype=dtype).alias(column)


def too_long(table: Table, column: str, limit: int, problems: Problems) -> None:
    lengths = table.frame[column].str.strip_chars().str.len_chars()
    long = lengths.fill_null(0) > limit
    if long.any():
        report_rows(
            table,
            long,
            column,
            problems,
            lambda v: table.problem(
                None,
                column,
                f"quá dài ({len(v.strip())} ký tự, tối đa {limit})",
                f"too long ({len(v.strip())} characters, at most {limit})",
                "viết ngắn lại",
                "shorten it",
            ),
        )


def duplicates(
    table: Table,
    column: str,
    label_vi: str,
    label_en: str,
    problems: Problems,
    values: pl.Series | None = None,
) -> None:
    """Report every repeat of a value (after trimming; or of ``values``, the column already normalised),
    naming the rows that share it."""
    import polars as pl

    key = values.alias("key") if values is not None else table.frame[column].str.strip_chars().alias("key")
    keys = pl.DataFrame([key, table.frame[ROW]])
    repeated = keys.filter(
        pl.col("key").is_not_null() & (pl.col("key") != "") & pl.col("key").is_duplicated()
    )
    if repeated.height == 0:
        return
    for key, rows in repeated.group_by("key", maintain_order=True).agg(pl.col(ROW)).iter_rows():
        listed = ", ".join(str(r) for r in rows[:10]) + (" …" if len(rows) > 10 else "")
        for row in rows[1:]:
            problems.add(
                table.problem(
                    row,
                    column,
                    f"{label_vi} “{key}” bị trùng (các dòng {listed})",
                    f"duplicate {label_en} “{key}” (rows {listed})",
                    "mỗi mã chỉ được có một dòng; sửa mã hoặc xóa dòng trùng",
                    "each id may appear on one row only; correct the id or remove the repeated row",
                )
            )
