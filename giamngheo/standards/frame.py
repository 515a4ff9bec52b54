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


def _rules(work: pl.DataFrame, standard: Standard, codes: list[str]) -> tuple[pl.Expr, pl.Expr, pl.Expr, Any]:
    """The standard's rules as expressions over ``work``'s typed columns: each row's deprivations as a mask
    (bit ``i`` = ``codes[i]``), their count, whether the row is at or below the line (``__below``), and a
    function of the count's and ``__below``'s columns giving the status as a small code (an index of
    ``STATUS_ORDER``)."""
    import polars as pl

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

    def status(count: pl.Expr, below: pl.Expr) -> pl.Expr:
        # statuses as small codes, spelled once at the end (building strings inside when/then is slow)
        b2 = count * standard.b2_points_per_indicator
        return (
            pl.when(below & (b2 >= standard.b2_poor_min_points))
            .then(0)
            .when(below)
            .then(1)
            .when(in_average_band.fill_null(False))
            .then(2)
            .otherwise(3)
        )

    return mask, count, at_or_below, status


def _with_money(df: pl.DataFrame) -> pl.DataFrame:
    import polars as pl

    work = df
    for column in ("income_per_capita", "b1_score"):
        if column not in work.columns:
            work = work.with_columns(pl.lit(None, dtype=pl.Int64).alias(column))
    return work


def classify_frame(df: pl.DataFrame, standard: Standard, *, empty_as_null: bool = False) -> pl.DataFrame:
    """``empty_as_null``: no deprivation gives null rather than "" (an empty cell when written as CSV)."""
    import polars as pl

    work = _with_money(df)
    _check(work, standard)
    codes = [code for code in standard.indicator_codes if code in df.columns]
    mask, count, at_or_below, status = _rules(work, standard, codes)
    result = (
        work.lazy()
        .select(
            pl.lit(standard.id).alias("standard"),
            count.alias("deprivation_count"),
            mask.alias("deprived"),
            at_or_below.alias("__below"),
            pl.col("income_per_capita"),
            pl.col("area"),
            *([pl.col("farm_household")] if "farm_household" in work.columns else []),
        )
        .select(
            "standard",
            "deprivation_count",
            pl.col("deprived").replace_strict(_spelled_masks(codes, empty_as_null), return_dtype=pl.String),
            status(pl.col("deprivation_count"), pl.col("__below"))
            .replace_strict(dict(enumerate(STATUS_ORDER)), return_dtype=pl.String)
            .alias("status"),
        )
        .collect()
    )
    # a file classified before keeps its columns, and its old results are replaced by the new ones
    kept = df.drop([c for c in OUTPUT_COLUMNS if c in df.columns])
    return pl.concat([kept, result], how="horizontal")


JOINED = ",".join(OUTPUT_COLUMNS)


def classify_joined(df: pl.DataFrame, standard: Standard) -> pl.Series:
    """The four result columns of ``classify_frame(df, standard, empty_as_null=True)`` as ONE string column
    named ``JOINED``, each row's values joined by commas: written unquoted, the same bytes as the four columns
    (no deprivation: an empty cell), a third cheaper to write. Only for a frame that ``_check`` accepts and
    whose standard's id, codes and status names hold no comma, quote or line break (the caller's promise).

    Each row's deprivations (bit mask) and status (code 0–3) make one key, ``mask * 4 + status``; the row's
    text is the key's entry in a table of every key's text, built by polars expressions over the keys (the
    lookup copies no string: a gather of views)."""
    import polars as pl

    work = _with_money(df)
    codes = [code for code in standard.indicator_codes if code in df.columns]
    mask, count, at_or_below, status = _rules(work, standard, codes)
    keys = work.select((mask * 4 + status(count, at_or_below)).cast(pl.UInt32).alias("key")).to_series()
    every = pl.int_range(0, (1 << len(codes)) * 4, dtype=pl.Int64, eager=True).alias("key")
    bits = [pl.col("key") // (4 << bit) % 2 == 1 for bit in range(len(codes))]
    texts = (
        every.to_frame()
        .select(
            pl.concat_str(
                pl.lit(standard.id),
                (pl.sum_horizontal([b.cast(pl.Int32) for b in bits]) if bits else pl.lit(0)).cast(pl.String),
                pl.concat_str(
                    [pl.when(b).then(pl.lit(code)) for b, code in zip(bits, codes, strict=True)],
                    separator=";",
                    ignore_nulls=True,
                )
                if bits
                else pl.lit(""),
                pl.col("key").mod(4).replace_strict(dict(enumerate(STATUS_ORDER)), return_dtype=pl.String),
                separator=",",
            )
        )
        .to_series()
    )
    return texts.gather(keys).alias(JOINED)
