"""Parse whole columns of a ``Table`` with the cell parsers of ``values``, vectorised.

A column has few distinct values (yes/no, areas) or mostly plain ones (numbers): each distinct value is
parsed once in Python and mapped back with polars, and plain numbers are cast directly. Bad values become
``Problem``s naming the file, the Excel row, the column and the fix — so a million-row file is validated
without a Python loop per row, with the same rules as one cell.

This is the one column-check engine. Where the bad rows go is the caller's (``BadRows``): given a list, the
first few rows of each column are named, then counted (``FirstRows``: a terminal, the classify command);
``imports.checks.Problems`` names every bad row until the file's cap instead (an import shows an error beside
each row of its table and workbook).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from giamngheo.errors import Problem
from giamngheo.tabular.reader import ROW, Table
from giamngheo.tabular.values import CellError, parse_area, parse_int, parse_yes_no

if TYPE_CHECKING:
    import polars as pl

ROWS_SHOWN = 5  # bad rows named one by one per column; the rest are counted


class BadRows(Protocol):
    """Where the bad rows of a column are reported: ``make(value)`` is the problem of a row's value."""

    def report(self, table: Table, column: str, bad: pl.Series, make: Callable[[Any], Problem]) -> None: ...


class FirstRows:
    """Name the first bad rows of each column (``bad`` is its mask), then count the others."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems

    def report(self, table: Table, column: str, bad: pl.Series, make: Callable[[Any], Problem]) -> None:
        rows = table.frame.filter(bad).select(ROW, column)
        for row, value in rows.head(ROWS_SHOWN).iter_rows():
            problem = make(value)
            problem.row = row
            self.problems.append(problem)
        if rows.height > ROWS_SHOWN:
            more = rows.height - ROWS_SHOWN
            self.problems.append(
                table.problem(
                    None,
                    column,
                    f"… và {more} dòng khác có giá trị sai ở cột này",
                    f"… and {more} more rows with bad values here",
                )
            )


def _bad_rows(problems: list[Problem] | BadRows) -> BadRows:
    return FirstRows(problems) if isinstance(problems, list) else problems


def cell_problem(table: Table, column: str, error: CellError) -> Problem:
    """The problem of a value the cell parser refused (its row is set where it is reported)."""
    return table.problem(None, column, error.message_vi, error.message_en, error.fix_vi, error.fix_en)


def map_values(
    table: Table,
    column: str,
    parse: Callable[[str], Any],
    dtype: Any,
    problems: list[Problem] | BadRows,
    *,
    strip: bool = False,
) -> pl.Series:
    """Parse each distinct value of ``column`` once; unparseable values are reported on every row they are
    on (as ``problems`` reports rows) and become null. ``strip``: values are trimmed first, and an empty one
    is null without being parsed."""
    values = table.frame[column].str.strip_chars() if strip else table.frame[column]
    mapping: dict[str, Any] = {}
    errors: dict[str, CellError] = {}
    for value in values.drop_nulls().unique().to_list():
        if strip and value == "":
            mapping[value] = None
            continue
        try:
            mapping[value] = parse(value)
        except CellError as error:
            errors[value] = error
    if errors:

        def make(value: str) -> Problem:  # the value as the file has it
            return cell_problem(table, column, errors[value.strip() if strip else value])

        _bad_rows(problems).report(table, column, values.is_in(list(errors)), make)
    return values.replace_strict(mapping, default=None, return_dtype=dtype).alias(column)


def yes_no_column(table: Table, column: str, problems: list[Problem]) -> pl.Series:
    return yes_no_columns(table, [column], problems)[0]


def yes_no_columns(table: Table, columns: list[str], problems: list[Problem]) -> list[pl.Series]:
    """Several yes/no columns at once: those holding only 0/1 (the usual export) are compared directly, in
    one parallel pass; the others are mapped value by value."""
    import polars as pl

    if not columns:
        return []
    plain = table.frame.select(
        [(pl.col(c).is_null() | pl.col(c).is_in(["0", "1"])).all() for c in columns]
    ).row(0)
    fast = [c for c, ok in zip(columns, plain, strict=True) if ok]
    compared = (
        table.frame.select([(pl.col(c) == "1").alias(c) for c in fast]) if fast else None
    )  # null stays null
    return [
        compared[c]
        if compared is not None and c in fast
        else map_values(table, c, parse_yes_no, pl.Boolean, problems)
        for c in columns
    ]


def area_column(table: Table, column: str, problems: list[Problem]) -> pl.Series:
    import polars as pl

    return map_values(table, column, parse_area, pl.String, problems)


def _grouped_thousands(text: pl.Expr) -> pl.Expr:
    """``1.500.000``, ``1,500,000``, ``1 500 000`` → digits only; anything else → null (parsed one by one)."""
    import polars as pl

    grouped = (
        text.str.contains(r"^\d{1,3}(\.\d{3})+$")
        | text.str.contains(r"^\d{1,3}(,\d{3})+$")
        | text.str.contains(r"^\d{1,3}([ \u00a0\u202f]\d{3})+$")
    )
    return pl.when(grouped).then(text.str.replace_all(r"[.,\s\u00a0\u202f]", "")).cast(pl.Int64, strict=False)


def int_column(
    table: Table, column: str, problems: list[Problem], *, minimum: int | None = None
) -> pl.Series:
    """Whole numbers as ``values.parse_int`` reads them; values below ``minimum`` are reported."""
    import polars as pl

    raw = pl.col(column)
    parsed = table.frame.select(
        raw.cast(pl.Int64, strict=False).alias("value"), raw.is_not_null().alias("filled")
    )
    value, filled = parsed["value"], parsed["filled"]
    rest = filled & value.is_null()
    if rest.any():  # other formats (1.500.000, 1500000.0, "1.500.000 đ", errors): only those rows
        others = table.frame.filter(rest)
        text = pl.col(column).str.strip_chars()
        grouped = others.select(
            pl.coalesce(text.cast(pl.Int64, strict=False), _grouped_thousands(text))
        ).to_series()
        sub = Table(
            table.file, table.header_row, table.columns, table.found, others.filter(grouped.is_null())
        )
        slow = map_values(sub, column, lambda v: parse_int(v), pl.Int64, problems)
        grouped = grouped.scatter(grouped.is_null().arg_true(), slow)
        value = value.scatter(rest.arg_true(), grouped)
    if minimum is not None:
        low = value.is_not_null() & (value < minimum)
        if low.any():
            errors = {v: _below(v, minimum) for v in table.frame.filter(low)[column].unique().to_list()}
            FirstRows(problems).report(table, column, low, lambda v: cell_problem(table, column, errors[v]))
            value = pl.select(pl.when(low).then(None).otherwise(value)).to_series()
    return value.alias(column)


def _below(value: str, minimum: int) -> CellError:
    try:
        parse_int(value, minimum=minimum)
    except CellError as error:
        return error
    raise AssertionError("value was below the minimum")  # pragma: no cover


def duplicates(table: Table, column: str, problems: list[Problem]) -> None:
    """Report values of ``column`` that occur more than once (after trimming spaces), with all their rows."""
    import polars as pl

    ids = pl.col(column)
    if table.frame.select(ids.drop_nulls().n_unique() == ids.count()).item():
        return  # the usual case, found with one cheap pass
    padded = table.frame.select(ids.str.contains(r"^\s|\s$").any()).item()
    key = ids.str.strip_chars() if padded else ids  # " H1" and "H1" are the same household
    repeated = table.frame.select(key.alias("key"), pl.col(ROW)).filter(
        pl.col("key").is_not_null() & pl.col("key").is_duplicated()
    )
    if repeated.height == 0:
        return
    groups = repeated.group_by("key", maintain_order=True).agg(pl.col(ROW))
    for key, rows in groups.head(ROWS_SHOWN).iter_rows():
        listed = ", ".join(str(r) for r in rows[:10])
        problems.append(
            table.problem(
                rows[1],
                column,
                f"mã {key!r} bị trùng (các dòng {listed})",
                f"duplicate id {key!r} (rows {listed})",
                "mỗi mã chỉ xuất hiện một lần; sửa hoặc xóa dòng trùng",
                "each id may appear once; correct or remove the duplicate row",
            )
        )
    if groups.height > ROWS_SHOWN:
        more = groups.height - ROWS_SHOWN
        problems.append(
            table.problem(None, column, f"… và {more} mã trùng khác", f"… and {more} more duplicate ids")
        )
