"""Whole-column checks of a ``tabular.Table`` that name *every* bad row (up to a cap for the whole file).

The engine is ``tabular.columns`` (each distinct value parsed once with the cell parsers of
``tabular.values`` and mapped back with polars: no Python loop per row on a large file). Only where the bad
rows go differs, on purpose: ``tabular.columns`` alone names the first five bad rows of a column and counts
the rest, which suits a terminal; an import also gives the user a table and a workbook with an error beside
each bad row, so ``Problems`` here names every bad row until the file's cap (``PROBLEM_CAP``) is reached.
The checks only an import makes (required columns and cells, lengths, labelled duplicates) are here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from giamngheo.errors import InputError, Problem
from giamngheo.tabular.columns import map_values
from giamngheo.tabular.header import ColumnSpec
from giamngheo.tabular.reader import ROW, Table

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

    def report(self, table: Table, column: str, bad: pl.Series, make: Callable[..., Problem]) -> None:
        """Add ``make(value)`` for each row where ``bad`` holds, until the cap (``tabular.columns.BadRows``).
        (``make`` is typed ``...``: callers bind loop variables as lambda defaults, which mypy cannot infer
        against one argument.)"""
        if self.full:
            self.total += int(bad.sum())
            return
        rows = table.frame.filter(bad).select(ROW, column)
        for row, value in rows.iter_rows():
            if self.full:
                self.total += 1
                continue
            problem = make(value)
            problem.row = row
            self.add(problem)

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
    """Add ``make(value)`` for each row where ``mask`` holds, until the file's cap."""
    problems.report(table, column, mask, make)


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
    """Parse each distinct value of ``column`` (trimmed; empty is null) once; a bad value is reported on
    every row it is on."""
    return map_values(table, column, parse, dtype, problems, strip=True)


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
