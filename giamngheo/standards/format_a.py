"""Format A (classification input, interfaces.md) read, validated and classified — the core of
``giamngheo classify``, kept free of Django so it is tested and timed on its own.

Validation is all-or-nothing: every problem found (missing column, unknown area, bad or negative number,
bad yes/no, duplicate id, a row with neither income nor B1) is collected with its file, row and column, and
raised together as one ``InputError`` before anything is classified or written.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from giamngheo.errors import InputError, Problem
from giamngheo.standards.loader import list_standards
from giamngheo.standards.model import Standard
from giamngheo.tabular.header import ColumnSpec

if TYPE_CHECKING:
    import polars as pl

    from giamngheo.tabular.reader import Table

HOUSEHOLD_ID, AREA, INCOME, B1 = "household_id", "area", "income_per_capita", "b1_score"
FARM = "farm_household"  # optional: without it the average band alone decides (as before issue 17 C4)
CORE_SPECS = (
    ColumnSpec(HOUSEHOLD_ID, ("Mã hộ", "Mã hộ gia đình", "household id"), required=True),
    ColumnSpec(AREA, ("Khu vực", "Địa bàn", "Nông thôn/thành thị"), required=True),
    ColumnSpec(
        INCOME, ("Thu nhập bình quân", "Thu nhập bình quân đầu người", "Thu nhập BQ", "Thu nhập", "income")
    ),
    ColumnSpec(B1, ("Điểm B1", "B1", "Tổng điểm B1")),
    ColumnSpec(
        FARM,
        (
            "Hộ làm nông lâm ngư diêm nghiệp",
            "Hộ làm nông, lâm, ngư, diêm nghiệp",
            "Hộ nông lâm ngư diêm nghiệp",
            "Nông lâm ngư diêm nghiệp",
            "Hộ nông nghiệp",
            "farm household",
        ),
    ),
)


def format_a_specs() -> list[ColumnSpec]:
    """The core columns plus every indicator code any known standard has, with its Vietnamese names."""
    aliases: dict[str, list[str]] = {}
    for standard in list_standards():
        for indicator in standard.indicators:
            names = aliases.setdefault(indicator.code, [])
            for text in (indicator.name.vi, indicator.short.vi, indicator.name.en, *indicator.aliases):
                if text not in names:
                    names.append(text)
    return [*CORE_SPECS, *(ColumnSpec(code, tuple(names)) for code, names in aliases.items())]


def _missing_columns(table: Table) -> list[Problem]:
    problems = []
    for spec in CORE_SPECS[:2]:
        if spec.name not in table.found:
            problems.append(
                table.problem(
                    table.header_row,
                    spec.name,
                    f"thiếu cột bắt buộc `{spec.name}` ({spec.aliases[0]})",
                    f"required column `{spec.name}` ({spec.aliases[0]}) is missing",
                    f"thêm cột `{spec.name}` hoặc `{spec.aliases[0]}` vào dòng tiêu đề",
                    f"add a column `{spec.name}` or `{spec.aliases[0]}` to the header row",
                )
            )
    if INCOME not in table.found and B1 not in table.found:
        problems.append(
            table.problem(
                table.header_row,
                f"{INCOME} / {B1}",
                "cần cột thu nhập bình quân hoặc cột điểm B1",
                "a column income_per_capita or b1_score is required",
                "thêm cột `Thu nhập bình quân` (đồng/người/tháng) hoặc `Điểm B1`",
                "add a column `income_per_capita` (VND/person/month) or `b1_score`",
            )
        )
    return problems


def _blank_cells(
    table: Table, columns: list[str], what_vi: str, what_en: str, problems: list[Problem]
) -> None:
    """Report data rows where every one of ``columns`` is empty."""
    import polars as pl

    from giamngheo.tabular.columns import ROWS_SHOWN
    from giamngheo.tabular.reader import ROW

    empty = pl.all_horizontal([pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in columns])
    rows = table.frame.filter(empty)[ROW]
    for row in rows.head(ROWS_SHOWN):
        problems.append(table.problem(row, " / ".join(columns), f"thiếu {what_vi}", f"missing {what_en}"))
    if rows.len() > ROWS_SHOWN:
        more = rows.len() - ROWS_SHOWN
        problems.append(
            table.problem(None, " / ".join(columns), f"… và {more} dòng khác", f"… and {more} more rows")
        )


def _money_columns(table: Table) -> list[str]:
    return [c for c in (INCOME, B1) if c in table.found]


def yes_no_codes(found: Mapping[str, str], standard: Standard) -> list[str]:
    """The yes/no columns of a file: each indicator of the standard, and whether the household farms (empty =
    not recorded: null, as a register export writes it)."""
    return [code for code in (*standard.indicator_codes, FARM) if code in found]


def plain_cell_checks(found: Mapping[str, str], standard: Standard) -> list[pl.Expr]:
    """Aggregates over a table's frame, all true when every cell is in the plain form of a machine export —
    ids present, unique and unpadded; area codes; non-negative plain integers; income or B1 on every row;
    0/1 flags. Then nothing needs parsing value by value (the general path gives the same result, only
    slower). ``found``: canonical name → the file's column (``Table.found``), with both required columns and
    income or B1 (else there are missing columns to report: not plain).

    The ids' uniqueness is counted on their 64-bit hashes (a tenth of the cost of counting the strings):
    distinct hashes are distinct ids; a clash — duplicate ids, or two ids of one hash (about once in 10⁷
    files of a million rows) — sends the file down the general path, which finds duplicates exactly."""
    import polars as pl

    money = [pl.col(found[c]) for c in (INCOME, B1) if c in found]
    if HOUSEHOLD_ID not in found or AREA not in found or not money:
        return [pl.lit(False)]
    ids, area = pl.col(found[HOUSEHOLD_ID]), pl.col(found[AREA])
    checks = [
        ids.null_count() == 0,
        ids.hash().n_unique() == pl.len(),
        (
            ids.str.strip_chars() == ids
        ).all(),  # no white space around (Unicode's, as a regex's \s): 2/3 the cost
        area.is_in(list(standard.areas)).fill_null(False).all(),
        pl.any_horizontal([m.is_not_null() for m in money]).all(),
        *((m.is_null() | (m.cast(pl.Int64, strict=False) >= 0)).fill_null(False).all() for m in money),
        *(
            (flag.is_null() | (flag == "0") | (flag == "1")).all()  # two comparisons: a third of is_in's cost
            for flag in (pl.col(found[c]) for c in yes_no_codes(found, standard))
        ),
    ]
    return [check.alias(f"plain{i}") for i, check in enumerate(checks)]


def _all_cells_plain(table: Table, standard: Standard) -> bool:
    return table.frame.height == 0 or all(table.frame.select(plain_cell_checks(table.found, standard)).row(0))


def _plain_columns(table: Table, codes: list[str]) -> pl.DataFrame:
    import polars as pl

    found = table.found
    return table.frame.select(
        pl.col(found[AREA]).alias(AREA),
        *(pl.col(found[c]).cast(pl.Int64).alias(c) for c in _money_columns(table)),
        *((pl.col(found[c]) == "1").alias(c) for c in codes),  # null stays null: not deprived
    )


def parse_format_a(table: Table, standard: Standard, *, cells_plain: bool = False) -> pl.DataFrame:
    """The typed columns ``classify_frame`` reads: area, income_per_capita, b1_score, farm_household (when
    given), one per indicator. ``cells_plain``: the caller found ``plain_cell_checks`` all true on this
    table's frame (in a pass of its own), so they are not evaluated again."""
    import polars as pl

    from giamngheo.tabular.columns import area_column, duplicates, int_column, yes_no_columns

    problems = _missing_columns(table)
    if problems:
        raise InputError(problems)
    found = table.found
    codes = yes_no_codes(found, standard)
    if cells_plain or _all_cells_plain(table, standard):
        return _plain_columns(table, codes)
    _blank_cells(table, [found[HOUSEHOLD_ID]], "mã hộ", "household id", problems)
    _blank_cells(table, [found[AREA]], "khu vực", "area", problems)
    _blank_cells(
        table,
        [found[c] for c in (INCOME, B1) if c in found],
        "thu nhập bình quân và điểm B1",
        "both income and B1 score",
        problems,
    )
    duplicates(table, found[HOUSEHOLD_ID], problems)
    columns: list[pl.Series] = [area_column(table, found[AREA], problems).alias(AREA)]
    for code in (INCOME, B1):
        if code in found:
            columns.append(int_column(table, found[code], problems, minimum=0).alias(code))
    flags = yes_no_columns(table, [found[code] for code in codes], problems)
    columns += [flag.alias(code) for flag, code in zip(flags, codes, strict=True)]
    if problems:
        raise InputError(problems)
    return pl.DataFrame(columns)


def classify_table(
    table: Table, standard: Standard, *, cells_plain: bool = False, joined: bool = False
) -> pl.DataFrame:
    """Every input column (as read), then standard, deprivation_count, deprived, status. ``cells_plain``: as
    for ``parse_format_a``. ``joined`` (with ``cells_plain``; for a CSV written unquoted): the four results
    as one column of their values joined by commas (``classify_joined``): the same bytes once written."""
    import polars as pl

    from giamngheo.standards.frame import OUTPUT_COLUMNS, classify_frame, classify_joined
    from giamngheo.tabular.reader import ROW

    typed = parse_format_a(table, standard, cells_plain=cells_plain)
    original = table.frame.drop([ROW, *(c for c in OUTPUT_COLUMNS if c in table.frame.columns)])
    if joined and cells_plain:  # the plain checks hold what ``classify_frame`` checks: areas, income or B1
        return original.with_columns(classify_joined(typed, standard))
    results = classify_frame(typed, standard, empty_as_null=True).select(OUTPUT_COLUMNS)
    return pl.concat([original, results], how="horizontal")


def classify_file(path: str | Path, standard: Standard, *, sheet: str | None = None) -> pl.DataFrame:
    from giamngheo.tabular.reader import read_table

    return classify_table(read_table(path, format_a_specs(), sheet=sheet), standard)
