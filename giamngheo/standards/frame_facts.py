"""Indicators of a whole register from household and member facts, vectorised with polars.

The same rules as ``indicators`` (a property test holds the two together), written as column expressions
so a province's million households are evaluated without a Python loop per household or member:

* member-level verdicts are computed for every member row at once, then each household takes the "any
  member" of them with one ``group_by``;
* three-valued logic (True / False / unknown) is carried as small integers — 0 = False, 1 = unknown,
  2 = True — so AND is ``min``, "any member" is ``max`` and NOT is ``2 − x``: exactly ``and3``/``any3``/
  ``not3`` of ``indicators``, at the speed of integer aggregates;
* every age test is a birth-date comparison: "aged n or more at the review date" ⇔ born on or before a
  date found by bisection over ``ages.age_on`` (the 29 February rule included), school age likewise by
  birth year, and working age through two birth-date bounds per sex found by bisection over
  ``ages.retirement_date`` (born on or before ⇒ retired). The engine's own functions set the bounds, so the
  two paths cannot drift apart — and comparing dates is far cheaper than taking millions of them apart.

Input frames (a missing column means "unknown" for every row):

* households: ``household`` (key), ``area``, ``income_per_capita``, ``b1_score``, ``farm_household``
  (null: not recorded), ``size`` (declared number
  of members, used when no member is registered), ``dwelling``, ``floor_area_m2`` (the register keeps two
  decimals; compared in hundredths of m²), ``safe_water``, ``hygienic_latrine``, ``internet_use``,
  ``owns_info_device``, ``waste_handled``, and optional direct answers of Phiếu B as Boolean columns
  ``answer:<code>`` (an answer wins over the facts, as in ``indicators.evaluate_indicator``);
* members: ``household`` (key) and the fields of ``facts.MemberFacts``. Enum fields (``sex``,
  ``employment``, ``education_level``, ``school_level``, and ``dwelling`` of households) are either the
  enum's string values or integer codes = the value's position in the engine's enum (``enum_code``).

A household with no member rows has its member-based indicators unknown, as ``classify`` does when
``HouseholdFacts.members`` is empty; its declared ``size`` stands in for the member count (floor area per
person), as ``HouseholdFacts.member_count`` does.

Pure: polars and the standard's data, no Django.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from giamngheo.standards.ages import age_on, retirement_date
from giamngheo.standards.facts import (
    EDUCATION_ORDER,
    SCHOOL_ORDER,
    Dwelling,
    EducationLevel,
    Employment,
    SchoolLevel,
    Sex,
)
from giamngheo.standards.model import Standard, WorkingAge

if TYPE_CHECKING:
    import polars as pl

KEY = "household"
ANSWER_PREFIX = "answer:"
NO, UNKNOWN, YES = 0, 1, 2

# Indicators decided by a household fact alone: deprived ⇔ the fact is False (``indicators._lacks``).
LACKS = {
    "drinking_water": "safe_water",
    "sanitation": "hygienic_latrine",
    "telecom": "internet_use",
    "information_devices": "owns_info_device",
    "waste": "waste_handled",
}
MEMBER_RULES = ("employment", "nutrition", "health_insurance", "adult_education", "child_schooling")
HOUSEHOLD_RULES = ("dependants", "housing_quality", "housing_area", *LACKS)
RULE_CODES = frozenset((*MEMBER_RULES, *HOUSEHOLD_RULES))  # every code ``indicators.RULES`` knows

ENUMS: dict[str, type[StrEnum]] = {
    "sex": Sex,
    "employment": Employment,
    "education_level": EducationLevel,
    "school_level": SchoolLevel,
    "dwelling": Dwelling,
}
HOUSEHOLD_FLAGS = ("safe_water", "hygienic_latrine", "internet_use", "owns_info_device", "waste_handled")
MEMBER_FLAGS = (
    "severe_disability",
    "able_to_work",
    "has_vocational_certificate",
    "in_training",
    "attending_school",
    "has_health_insurance",
    "stunted_or_underweight",
)


def enum_code(enum: type[StrEnum], value: str) -> int:
    """The integer code of an enum value: its position in the engine's enum (the rank, for ordered ones)."""
    return list(enum).index(enum(value))


# --- working age as birth-date bounds ---------------------------------------------------------------------


def _last_true(low: datetime.date, high: datetime.date, test: Any) -> datetime.date:
    """The last day in [low, high] for which the monotone ``test`` (True … True False … False) holds."""
    lo, hi = low.toordinal(), high.toordinal()
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if test(datetime.date.fromordinal(mid)):
            lo = mid
        else:
            hi = mid - 1
    return datetime.date.fromordinal(lo)


def retired_born_by(on: datetime.date, sex: Sex, working_age: WorkingAge) -> datetime.date:
    """The latest birth date of a person of ``sex`` who has reached retirement age on ``on``.

    The retirement date grows with the birth date (a later birth never retires earlier), so the retired are
    exactly those born on or before this bound; ``ages.retirement_date`` decides, by bisection.
    """
    far = datetime.date(on.year - 200, 1, 1)
    return _last_true(far, on, lambda born: retirement_date(born, sex, working_age) <= on)


# --- small expression helpers ------------------------------------------------------------------------------


def _tri(condition: pl.Expr) -> pl.Expr:
    """A Boolean expression (null = unknown) as 0/1/2."""
    import polars as pl

    return (condition.cast(pl.Int8) * YES).fill_null(UNKNOWN).cast(pl.Int8)


def _not(tri: pl.Expr) -> pl.Expr:
    import polars as pl

    return (YES - tri).cast(pl.Int8)


def _and(*tris: pl.Expr) -> pl.Expr:
    import polars as pl

    return pl.min_horizontal(*tris).cast(pl.Int8)


def _or(*tris: pl.Expr) -> pl.Expr:
    import polars as pl

    return pl.max_horizontal(*tris).cast(pl.Int8)


def _as_boolean(tri: pl.Expr) -> pl.Expr:
    import polars as pl

    return pl.when(tri == UNKNOWN).then(None).otherwise(tri == YES)


def _normalise(df: pl.DataFrame, flags: tuple[str, ...], enums: tuple[str, ...]) -> pl.DataFrame:
    """Missing columns become all-unknown; flags become Boolean; enum strings become their integer codes."""
    import polars as pl

    columns = []
    for name in flags:
        columns.append(
            pl.col(name).cast(pl.Boolean) if name in df.columns else pl.lit(None, pl.Boolean).alias(name)
        )
    for name in enums:
        if name not in df.columns:
            columns.append(pl.lit(None, pl.Int8).alias(name))
        elif df.schema[name].is_integer():
            columns.append(pl.col(name).cast(pl.Int8))
        else:  # strings: "" and anything not a value of the enum is unknown
            mapping = {member.value: code for code, member in enumerate(ENUMS[name])}
            columns.append(
                pl.col(name).cast(pl.String).replace_strict(mapping, default=None, return_dtype=pl.Int8)
            )
    return df.with_columns(columns)


# --- members ----------------------------------------------------------------------------------------------


class _Ages:
    """Age tests at the review date as birth-date comparisons: ``age ≥ n`` ⇔ born on or before the last
    birth date that makes one ``n`` on ``on`` (found by bisection over ``ages.age_on``, so the 29 February
    rule is the engine's). A date comparison is far cheaper than taking every birth date apart; a missing
    birth date gives null (unknown) as ``indicators.age_between`` does."""

    def __init__(self, on: datetime.date) -> None:
        import polars as pl

        self.on = on
        self.birth = pl.col("birth_date")

    def born_by(self, years: int) -> datetime.date:
        on = self.on
        if years <= 0:
            return on
        return _last_true(
            datetime.date(on.year - years - 2, 1, 1), on, lambda born: age_on(born, on) >= years
        )

    def at_least(self, years: int) -> pl.Expr:
        return self.birth <= self.born_by(years)

    def under(self, years: int) -> pl.Expr:
        return self.birth > self.born_by(years)

    def at_most(self, years: int) -> pl.Expr:
        return self.under(years + 1)


def _member_columns(standard: Standard, on: datetime.date) -> dict[str, pl.Expr]:
    """Each member's three-valued verdict for every member-based rule the standard has."""
    import polars as pl

    ages = _Ages(on)
    birth = ages.birth

    def flag(name: str) -> pl.Expr:
        return _tri(pl.col(name))

    working_age = standard.working_age
    male = birth > retired_born_by(on, Sex.MALE, working_age)
    female = birth > retired_born_by(on, Sex.FEMALE, working_age)
    sex = pl.col("sex")
    # ``ages.is_working_age``: too young ⇒ no; else the retirement bound of the sex — or of both sexes when
    # it is unknown, which decides only when they agree.
    working = _tri(
        pl.when(ages.under(working_age.min_age))
        .then(False)
        .when(sex == enum_code(Sex, Sex.MALE))
        .then(male)
        .when(sex == enum_code(Sex, Sex.FEMALE))
        .then(female)
        .when(male == female)
        .then(male)
        .otherwise(None)
    )
    out: dict[str, pl.Expr] = {"__able": _and(working, flag("able_to_work"))}
    codes = set(standard.indicator_codes)
    params = {code: standard.indicator(code).params for code in codes}

    if "employment" in codes:
        deprived = [enum_code(Employment, s) for s in params["employment"]["deprived_employment"]]
        out["employment"] = _and(working, _tri(pl.col("employment").is_in(deprived)))
    if "dependants" in codes:
        p = params["dependants"]
        disabled = pl.col("severe_disability").fill_null(False) & ~pl.col("able_to_work").fill_null(False)
        out["__dependant"] = _or(
            _tri(ages.under(p["child_under_age"])), _tri(ages.at_least(p["elderly_from_age"])), _tri(disabled)
        )
    if "nutrition" in codes:
        out["nutrition"] = _and(
            _tri(ages.under(params["nutrition"]["child_under_age"])), flag("stunted_or_underweight")
        )
    if "health_insurance" in codes:
        out["health_insurance"] = _and(
            _tri(ages.at_least(params["health_insurance"]["min_age"])), _not(flag("has_health_insurance"))
        )
    if "adult_education" in codes:
        out["adult_education"] = _adult_education(params["adult_education"], ages, flag)
    if "child_schooling" in codes:
        out["child_schooling"] = _child_schooling(params["child_schooling"], ages)
    return out


def _adult_education(params: Mapping[str, Any], ages: _Ages, flag: Any) -> pl.Expr:
    """``indicators.adult_education`` with ``_lacks_expected_diploma``, band by band."""
    import polars as pl

    in_range = _tri(ages.at_least(params["min_age"]) & ages.at_most(params["max_age"]))
    education, certificate = pl.col("education_level"), pl.col("has_vocational_certificate")
    lacks: Any = pl
    for band in sorted(params["expected_by_age"], key=lambda b: -b["from_age"]):
        suffices = bool(band.get("vocational_certificate_suffices"))
        needed = EDUCATION_ORDER[EducationLevel(band["min_level"])]
        verdict: Any = pl.when(pl.lit(suffices) & certificate.fill_null(False)).then(NO)
        verdict = verdict.when(education.is_null()).then(UNKNOWN).when(education >= needed).then(NO)
        verdict = verdict.when(pl.lit(suffices) & certificate.is_null()).then(UNKNOWN).otherwise(YES)
        lacks = lacks.when(ages.at_least(band["from_age"])).then(verdict)
    lacks = lacks.otherwise(NO).cast(pl.Int8)  # younger than every band: nothing is expected
    return (
        pl.when(in_range != YES)
        .then(in_range)
        .otherwise(_and(_not(flag("in_training")), lacks))
        .cast(pl.Int8)
    )


def _child_schooling(params: Mapping[str, Any], ages: _Ages) -> pl.Expr:
    """``indicators.child_schooling``: exact age for eligibility, school age for the level expected."""
    import polars as pl

    on = ages.on
    child = _tri(ages.at_least(params["min_age"]) & ages.under(params["under_age"]))
    starts = params["school_year_starts"]
    began = on.year if (on.month, on.day) >= (starts["month"], starts["day"]) else on.year - 1
    bands = sorted(params["expected_level_by_school_age"], key=lambda b: -b["from_age"])
    expected: Any = pl
    for band in bands:
        # school age (``began`` − birth year) ≥ from_age ⇔ born in or before the year began − from_age
        last_birthday = datetime.date(began - band["from_age"], 12, 31)
        expected = expected.when(ages.birth <= last_birthday).then(SCHOOL_ORDER[SchoolLevel(band["level"])])
    expected = expected.otherwise(SCHOOL_ORDER[SchoolLevel(bands[-1]["level"])])
    attending, level = pl.col("attending_school"), pl.col("school_level")
    verdict = (
        pl.when(attending.is_null())
        .then(UNKNOWN)
        .when(~attending)
        .then(YES)
        .when(level.is_null())
        .then(NO)  # attends school, level not recorded: the benefit of the doubt, as the engine gives
        .when(level < expected)
        .then(YES)
        .otherwise(NO)
    )
    return pl.when(child != YES).then(child).otherwise(verdict).cast(pl.Int8)


def _members_by_household(members: pl.DataFrame, standard: Standard, on: datetime.date) -> pl.DataFrame:
    import polars as pl

    members = _normalise(members, MEMBER_FLAGS, ("sex", "employment", "education_level", "school_level"))
    if "birth_date" not in members.columns:
        members = members.with_columns(pl.lit(None, pl.Date).alias("birth_date"))
    columns = _member_columns(standard, on)
    aggregates = [pl.len().alias("__members"), pl.col("__able").max().alias("__able")]
    for code in MEMBER_RULES:
        if code in columns:
            aggregates.append(pl.col(code).max())  # any member (any3)
    if "__dependant" in columns:
        aggregates += [
            (pl.col("__dependant") == YES).sum().alias("__dependants_sure"),
            (pl.col("__dependant") >= UNKNOWN).sum().alias("__dependants_possible"),
        ]
    return (
        members.lazy()
        .select(pl.col(KEY), *[expr.alias(name) for name, expr in columns.items()])
        .group_by(KEY)
        .agg(aggregates)
        .collect()
    )


# --- households -------------------------------------------------------------------------------------------


def _min_area_fraction(value: Any) -> Fraction:
    """The per-person minimum as an exact fraction (8 → 8/1, 7.5 → 15/2), as ``Decimal(str(v))`` reads it."""
    return Fraction(Decimal(str(value)))


def _household_rule(code: str, standard: Standard) -> pl.Expr:
    import polars as pl

    params = standard.indicator(code).params
    members = pl.col("__members")
    if code in MEMBER_RULES:
        return pl.col(code).fill_null(UNKNOWN).cast(pl.Int8)  # no member registered: unknown
    if code == "dependants":
        limit = pl.lit(params["max_percent"]) * members
        return (
            pl.when(members.is_null())
            .then(UNKNOWN)
            .when(pl.col("__dependants_sure") * 100 > limit)
            .then(YES)
            .when(pl.col("__dependants_possible") * 100 <= limit)
            .then(NO)
            .otherwise(UNKNOWN)
            .cast(pl.Int8)
        )
    if code == "housing_quality":
        deprived = [enum_code(Dwelling, d) for d in params["deprived_dwellings"]]
        return _tri(pl.col("dwelling").is_in(deprived))
    if code == "housing_area":
        minimum = _min_area_fraction(params["min_m2_per_person"])
        people = pl.col("__people")
        hundredths = (pl.col("floor_area_m2").cast(pl.Float64) * 100).round(0).cast(pl.Int64)
        # area / people < minimum ⇔ area × 100 × q < p × 100 × people, in integers (7.99 m² < 8, 8 is not)
        short = hundredths * minimum.denominator < people.cast(pl.Int64) * (minimum.numerator * 100)
        return pl.when(people.is_null() | (people == 0)).then(UNKNOWN).otherwise(_tri(short)).cast(pl.Int8)
    if code in LACKS:
        return _not(_tri(pl.col(LACKS[code])))
    return pl.lit(UNKNOWN, pl.Int8)  # a province's own indicator: only a direct answer decides it


def indicator_frame(
    households: pl.DataFrame, members: pl.DataFrame, standard: Standard, on: datetime.date
) -> pl.DataFrame:
    """One row per household, in the order given: ``household``, ``member_count`` (registered members, or
    the declared size when none is registered), ``labour_capacity`` (a member of working age able to work;
    null = unknown) and one Boolean column per indicator of the standard, in its order (null = unknown;
    an answer column wins over the facts)."""
    import polars as pl

    households = _normalise(households, HOUSEHOLD_FLAGS, ("dwelling",))
    for name, dtype in (("size", pl.Int64), ("floor_area_m2", pl.Float64)):
        if name not in households.columns:
            households = households.with_columns(pl.lit(None, dtype).alias(name))
    by_household = _members_by_household(members, standard, on)
    work = households.join(by_household, on=KEY, how="left", maintain_order="left").with_columns(
        pl.when(pl.col("__members") > 0)
        .then(pl.col("__members"))
        .otherwise(pl.col("size"))
        .cast(pl.Int64)
        .alias("__people")
    )
    columns = [
        pl.col(KEY),
        pl.col("__people").alias("member_count"),
        # no member registered: unknown, as ``has_no_labour_capacity`` says for an empty household
        _as_boolean(pl.col("__able").fill_null(UNKNOWN)).alias("labour_capacity"),
    ]
    for code in standard.indicator_codes:
        verdict = _household_rule(code, standard)
        answer = f"{ANSWER_PREFIX}{code}"
        if answer in households.columns:
            verdict = (
                pl.when(pl.col(answer).is_not_null())
                .then(_tri(pl.col(answer).cast(pl.Boolean)))
                .otherwise(verdict)
            )
        columns.append(_as_boolean(verdict).alias(code))
    return work.select(columns)


def classify_facts(
    households: pl.DataFrame, members: pl.DataFrame, standard: Standard, on: datetime.date
) -> pl.DataFrame:
    """``indicator_frame`` plus the classification of ``frame.classify_frame``, one row per household in
    the order given: ``area``, ``income_per_capita``, ``b1_score``, ``classifiable`` (False when the area
    is not one of the standard's or neither income nor a B1 score is known — ``classify`` refuses those;
    their result columns are null), ``income_test`` (``income``/``b1``), ``at_or_below_line``,
    ``standard``, ``deprivation_count``, ``deprived``, ``b2_score`` and ``status``."""
    import polars as pl

    from giamngheo.standards.frame import classify_frame

    indicators = indicator_frame(households, members, standard, on)
    inputs = households.select(
        pl.col(KEY),
        pl.col("area").cast(pl.String)
        if "area" in households.columns
        else pl.lit(None, pl.String).alias("area"),
        *[
            pl.col(name).cast(pl.Int64) if name in households.columns else pl.lit(None, pl.Int64).alias(name)
            for name in ("income_per_capita", "b1_score")
        ],
        pl.col("farm_household").cast(pl.Boolean)
        if "farm_household" in households.columns
        else pl.lit(None, pl.Boolean).alias("farm_household"),
    )
    income, b1, area = pl.col("income_per_capita"), pl.col("b1_score"), pl.col("area")
    work = pl.concat([inputs, indicators.drop(KEY)], how="horizontal").with_columns(
        (area.is_in(list(standard.areas)).fill_null(False) & (income.is_not_null() | b1.is_not_null())).alias(
            "classifiable"
        ),
        pl.when(income.is_not_null())
        .then(pl.lit("income"))
        .when(b1.is_not_null())
        .then(pl.lit("b1"))
        .alias("income_test"),
    )
    work = work.with_columns(
        pl.when(pl.col("classifiable")).then(pl.col("income_test")).alias("income_test"),
        pl.when(pl.col("classifiable"))
        .then(
            pl.coalesce(
                income <= _per_area(dict(standard.income_lines)), b1 <= _per_area(dict(standard.b1_cutoffs))
            )
        )
        .alias("at_or_below_line"),
    )
    codes = list(standard.indicator_codes)
    mask = pl.col("classifiable")
    classified = classify_frame(
        work.filter(mask).select("area", "income_per_capita", "b1_score", "farm_household", *codes), standard
    )
    results = classified.select("standard", "deprivation_count", "deprived", "status").with_columns(
        (pl.col("deprivation_count") * standard.b2_points_per_indicator).alias("b2_score")
    )
    # put the results back in the households' order; unclassifiable rows get nulls
    index = work.with_row_index("__row")
    done = pl.concat([index.filter(mask).select("__row"), results], how="horizontal")
    return index.join(done, on="__row", how="left", maintain_order="left").drop("__row")


def _per_area(values: dict[str, int]) -> pl.Expr:
    import polars as pl

    expr: Any = pl
    for area, value in values.items():
        expr = expr.when(pl.col("area") == area).then(pl.lit(value, dtype=pl.Int64))
    return expr.otherwise(pl.lit(None, dtype=pl.Int64))
