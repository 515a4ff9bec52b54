"""The bulk path: classify a whole table with polars expressions, no Python loop per row.

Same rules as ``classify.classify`` fed the same answers (a property test holds them together). Input
columns: ``area`` (an area code of the standard), ``income_per_capita`` and/or ``b1_score`` (integers,
null = unknown), optional ``farm_household`` (boolean: works in agriculture, forestry, fishery or salt
production; false keeps a household in the average band out of it; null or no column = the band alone), and
one boolean column per indicator code (null = not deprived; a column for a code the standard does not have
is ignored). Output: the input columns, then ``standard``, ``deprivation_count``,
``deprived`` (codes in the standard's order, joined by ``;``) and ``status``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from giamngheo.errors import InputError
from giamngheo.standards.classify import AVERAGE, NEAR_POOR, NOT_POOR, POOR
from giamngheo.standards.model import Standard

if TYPE_CHECKING:
    import polars as pl

OUTPUT_COLUMNS = ("standard", "deprivation_count", "deprived", "status")
STATUS_ORDER = (POOR, NEAR_POOR, AVERAGE, NOT_POOR)


def _per_area(values: dict[str, int]) -> pl.Expr:
    """The value for each row's area (string comparisons: cheaper than a general mapping)."""
    import polars as pl

    expr: Any = pl
    for area, value in values.items():
        expr = expr.when(pl.col("area") == area).then(pl.lit(value, dtype=pl.Int64))
    return expr.otherwise(pl.lit(None, dtype=pl.Int64))


def _check(df: pl.DataFrame, standard: Standard) -> None:
    import polars as pl

    area, income, b1 = pl.col("area"), pl.col("income_per_capita"), pl.col("b1_score")
    bad_area = area.is_null() | ~area.is_in(list(standard.areas))
    unknown, neither = df.select(bad_area.any(), (income.is_null() & b1.is_null()).sum()).row(0)
    if unknown:
        example = df.filter(bad_area)["area"][0]
        raise InputError.single(
            f"khu vực không hợp lệ: {example!r}",
            f"unknown area: {example!r}",
            column="area",
            fix_vi=f"dùng một trong: {', '.join(standard.areas)}",
            fix_en=f"use one of: {', '.join(standard.areas)}",
        )
    if neither:
        raise InputError.single(
            f"{neither} hộ không có thu nhập bình quân và cũng không có điểm B1",
            f"{neither} households have neither income per capita nor a B1 score",
            column="income_per_capita / b1_score",
        )


def _spelled_masks(codes: list[str], empty_as_null: bool) -> dict[int, str | None]:
    """Every set of deprivations as a bit mask → its codes joined by ";" in the standard's order."""
    spelled: dict[int, str | None] = {}
    for mask in range(1 << len(codes)):
        text = ";".join(code for bit, code in enumerate(codes) if mask >> bit & 1)
        spelled[mask] = None if empty_as_null and not text else text
    return spelled


def classify_frame(df: pl.DataFrame, standard: Standard, *, empty_as_null: bool = False) -> pl.DataFrame:
    """``empty_as_null``: no deprivation gives null rather than "" (an empty cell when written as CSV)."""
    import polars as pl

    work = df
    for column in ("income_per_capita", "b1_score"):
        if column not in work.columns:
            work = work.with_columns(pl.lit(None, dtype=pl.Int64).alias(column))
    _check(work, standard)
    codes = [code for code in standard.indicator_codes if code in df.columns]
    flags = [pl.col(code).cast(pl.Boolean).fill_null(False).cast(pl.Int32) for code in codes]
    # each row's set of deprivations as a bit mask; the count and the codes are looked up from it
    mask = (
        pl.sum_horizontal([flag * (1 << bit) for bit, flag in enumerate(flags)])
        if flags
        else pl.lit(0, pl.Int32)
    )
    count = pl.sum_horizontal(flags) if flags else pl.lit(0, pl.Int32)
    income, b1 = pl.col("income_per_capita"), pl.col("b1_score")
    at_or_below = pl.coalesce(
        income <= _per_area(dict(standard.income_lines)), b1 <= _per_area(dict(standard.b1_cutoffs))
    )
    in_average_band = income <= _per_area(dict(standard.average_upper))
    if "farm_household" in work.columns:  # average living standard only for farm households (Decision 24)
        in_average_band = in_average_band & pl.col("farm_household").cast(pl.Boolean).fill_null(True)
    b2 = pl.col("deprivation_count") * standard.b2_points_per_indicator
    # statuses as small codes, spelled once at the end (building strings inside when/then is slow)
    status = (
        pl.when(pl.col("__below") & (b2 >= standard.b2_poor_min_points))
        .then(0)
        .when(pl.col("__below"))
        .then(1)
        .when(in_average_band.fill_null(False))
        .then(2)
        .otherwise(3)
    )
    result = (
        work.lazy()
        .select(
            pl.lit(standard.id).alias("standard"),
            count.alias("deprivation_count"),
            mask.alias("deprived"),
            at_or_below.alias("__below"),
            income,
            pl.col("area"),
            *([pl.col("farm_household")] if "farm_household" in work.columns else []),
        )
        .select(
            "standard",
            "deprivation_count",
            pl.col("deprived").replace_strict(_spelled_masks(codes, empty_as_null), return_dtype=pl.String),
            status.replace_strict(dict(enumerate(STATUS_ORDER)), return_dtype=pl.String).alias("status"),
        )
        .collect()
    )
    # a file classified before keeps its columns, and its old results are replaced by the new ones
    kept = df.drop([c for c in OUTPUT_COLUMNS if c in df.columns])
    return pl.concat([kept, result], how="horizontal")
