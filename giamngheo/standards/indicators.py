"""Deprivation indicators evaluated from household and member facts, at a review date.

Each rule answers True (deprived), False (not deprived) or None (cannot tell from what is known). Rules
read their thresholds from the indicator's ``params`` in the standard's data file; an indicator whose code
has no rule here (a province's own indicator) is decided by the direct answer only.

When Phiếu B's direct answer and the facts disagree, **the answer wins** and the disagreement is reported:
the answer is what the surveyor recorded, the household signed and the village meeting approved — the legal
record — while the register's facts may be stale or incomplete. The discrepancy tells the officer to correct
one or the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from giamngheo.standards.ages import age_on, is_working_age
from giamngheo.standards.facts import (
    EDUCATION_ORDER,
    SCHOOL_ORDER,
    Dwelling,
    EducationLevel,
    Employment,
    HouseholdFacts,
    MemberFacts,
    SchoolLevel,
)
from giamngheo.standards.model import Indicator, Standard

# --- three-valued logic: True, False, or None for "unknown" ------------------------------------------------


def any3(values: Iterable[bool | None]) -> bool | None:
    """True if any is True; else None if any is unknown; else False."""
    unknown = False
    for value in values:
        if value is True:
            return True
        unknown = unknown or value is None
    return None if unknown else False


def and3(*values: bool | None) -> bool | None:
    if any(value is False for value in values):
        return False
    return None if any(value is None for value in values) else True


def not3(value: bool | None) -> bool | None:
    return None if value is None else not value


def age_between(member: MemberFacts, on: date, low: int, high: int | None) -> bool | None:
    """``low`` ≤ age, and age ≤ ``high`` when given (completed years, inclusive both ends)."""
    if member.birth_date is None:
        return None
    age = age_on(member.birth_date, on)
    return age >= low and (high is None or age <= high)


def age_under(member: MemberFacts, on: date, limit: int) -> bool | None:
    return None if member.birth_date is None else age_on(member.birth_date, on) < limit


@dataclass(frozen=True)
class Context:
    household: HouseholdFacts
    standard: Standard
    on: date


Rule = Callable[[Context, Mapping[str, Any]], bool | None]


# --- the rules ---------------------------------------------------------------------------------------------


def employment(ctx: Context, params: Mapping[str, Any]) -> bool | None:
    deprived_statuses = {Employment(s) for s in params["deprived_employment"]}

    def member_deprived(m: MemberFacts) -> bool | None:
        in_deprived_job = None if m.employment is None else m.employment in deprived_statuses
        return and3(is_working_age(m, ctx.on, ctx.standard.working_age), in_deprived_job)

    return any3(member_deprived(m) for m in ctx.household.members) if ctx.household.members else None


def is_dependant(member: MemberFacts, on: date, params: Mapping[str, Any]) -> bool | None:
    """A child under ``child_under_age``, an elderly person (from ``elderly_from_age``), or a severely
    disabled person who cannot work. Registers record a disability as the exception: an unrecorded one
    counts as none, and a severely disabled member counts unless recorded as able to work."""
    child = age_under(member, on, params["child_under_age"])
    elderly = age_between(member, on, params["elderly_from_age"], None)
    disabled = member.severe_disability is True and member.able_to_work is not True
    return any3([child, elderly, disabled])


def dependants(ctx: Context, params: Mapping[str, Any]) -> bool | None:
    members = ctx.household.members
    if not members:
        return None
    flags = [is_dependant(m, ctx.on, params) for m in members]
    sure, possible = flags.count(True), flags.count(True) + flags.count(None)
    limit = params["max_percent"] * len(members)  # deprived when dependants × 100 > 50% × members
    if sure * 100 > limit:
        return True
    if possible * 100 <= limit:
        return False
    return None


def nutrition(ctx: Context, params: Mapping[str, Any]) -> bool | None:
    under = params["child_under_age"]
    return (
        any3(and3(age_under(m, ctx.on, under), m.stunted_or_underweight) for m in ctx.household.members)
        if (ctx.household.members)
        else None
    )


def health_insurance(ctx: Context, params: Mapping[str, Any]) -> bool | None:
    members = ctx.household.members
    if not members:
        return None
    return any3(
        and3(age_between(m, ctx.on, params["min_age"], None), not3(m.has_health_insurance)) for m in members
    )


def _lacks_expected_diploma(member: MemberFacts, age: int, bands: list[Mapping[str, Any]]) -> bool | None:
    band = next((b for b in sorted(bands, key=lambda b: -b["from_age"]) if age >= b["from_age"]), None)
    if band is None:
        return False
    if band.get("vocational_certificate_suffices") and member.has_vocational_certificate:
        return False
    if member.education_level is None:
        return None
    has_level = EDUCATION_ORDER[member.education_level] >= EDUCATION_ORDER[EducationLevel(band["min_level"])]
    if has_level:
        return False
    if band.get("vocational_certificate_suffices") and member.has_vocational_certificate is None:
        return None
    return True


def adult_education(ctx: Context, params: Mapping[str, Any]) -> bool | None:
    def member_deprived(m: MemberFacts) -> bool | None:
        in_range = age_between(m, ctx.on, params["min_age"], params["max_age"])
        if in_range is not True:
            return in_range
        assert m.birth_date is not None
        lacks = _lacks_expected_diploma(m, age_on(m.birth_date, ctx.on), list(params["expected_by_age"]))
        return and3(not3(m.in_training), lacks)

    return any3(member_deprived(m) for m in ctx.household.members) if ctx.household.members else None


def school_age(birth_date: date, on: date, starts: Mapping[str, int]) -> int:
    """Age as schools count it: the calendar year the current school year began, minus the birth year
    (a child born in 2018 enters grade 1 in September 2024, whatever the birth month)."""
    began = on.year if (on.month, on.day) >= (starts["month"], starts["day"]) else on.year - 1
    return began - birth_date.year


def child_schooling(ctx: Context, params: Mapping[str, Any]) -> bool | None:
    """Eligibility (3 to under 16) uses the exact age; the level expected uses the school age, and a child
    ahead of their level is not deprived."""
    bands = sorted(params["expected_level_by_school_age"], key=lambda b: -b["from_age"])

    def member_deprived(m: MemberFacts) -> bool | None:
        child = and3(
            age_between(m, ctx.on, params["min_age"], None), age_under(m, ctx.on, params["under_age"])
        )
        if child is not True:
            return child
        if m.attending_school is None:
            return None
        if not m.attending_school:
            return True
        if m.school_level is None:
            return False  # attends school; level not recorded — give the benefit of the doubt
        assert m.birth_date is not None
        age = school_age(m.birth_date, ctx.on, params["school_year_starts"])
        band = next((b for b in bands if age >= b["from_age"]), bands[-1])
        return SCHOOL_ORDER[m.school_level] < SCHOOL_ORDER[SchoolLevel(band["level"])]

    return any3(member_deprived(m) for m in ctx.household.members) if ctx.household.members else None


def housing_quality(ctx: Context, params: Mapping[str, Any]) -> bool | None:
    dwelling = ctx.household.dwelling
    return None if dwelling is None else dwelling in {Dwelling(d) for d in params["deprived_dwellings"]}


def housing_area(ctx: Context, params: Mapping[str, Any]) -> bool | None:
    area, people = ctx.household.floor_area_m2, ctx.household.member_count
    if area is None or not people:
        return None
    # area / people < min  ⇔  area < min × people, in exact decimals (7.99 m² is short of 8, 8 is not)
    return Decimal(str(area)) < Decimal(str(params["min_m2_per_person"])) * people


def _lacks(flag: str) -> Rule:
    def rule(ctx: Context, params: Mapping[str, Any]) -> bool | None:
        return not3(getattr(ctx.household, flag))

    rule.__doc__ = f"Deprived when the household's ``{flag}`` is False."
    return rule


RULES: dict[str, Rule] = {
    "employment": employment,
    "dependants": dependants,
    "nutrition": nutrition,
    "health_insurance": health_insurance,
    "adult_education": adult_education,
    "child_schooling": child_schooling,
    "housing_quality": housing_quality,
    "housing_area": housing_area,
    "drinking_water": _lacks("safe_water"),
    "sanitation": _lacks("hygienic_latrine"),
    "telecom": _lacks("internet_use"),
    "information_devices": _lacks("owns_info_device"),
    "waste": _lacks("waste_handled"),
}


# --- evaluation of a whole standard ------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    """One indicator for one household: what counts, and where it came from."""

    code: str
    deprived: bool  # what counts for the classification (unknown counts as not deprived)
    source: str  # "answer", "facts" or "unknown"
    from_facts: bool | None  # the facts' verdict, even when the answer won
    answer: bool | None

    @property
    def discrepancy(self) -> bool:
        return self.answer is not None and self.from_facts is not None and self.answer != self.from_facts


def evaluate_indicator(
    indicator: Indicator, household: HouseholdFacts, standard: Standard, on: date
) -> Evaluation:
    rule = RULES.get(indicator.code)
    from_facts = rule(Context(household, standard, on), indicator.params) if rule else None
    answer = household.answers.get(indicator.code)
    if answer is not None:
        return Evaluation(indicator.code, bool(answer), "answer", from_facts, bool(answer))
    if from_facts is not None:
        return Evaluation(indicator.code, from_facts, "facts", from_facts, None)
    return Evaluation(indicator.code, False, "unknown", None, None)


def evaluate(household: HouseholdFacts, standard: Standard, on: date) -> list[Evaluation]:
    """Every indicator of the standard, in the standard's order; answers for other codes are ignored."""
    return [evaluate_indicator(indicator, household, standard, on) for indicator in standard.indicators]


def has_no_labour_capacity(household: HouseholdFacts, standard: Standard, on: date) -> bool | None:
    """True when no member of working age is able to work (hộ không có khả năng lao động); None if unknown."""
    if not household.members:
        return None
    able = any3(and3(is_working_age(m, on, standard.working_age), m.able_to_work) for m in household.members)
    return not3(able)


# --- parameter validation (used by the loader) -------------------------------------------------------------


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _enum_list(enum: type) -> Callable[[Any], bool]:
    values = {e.value for e in enum}  # type: ignore[attr-defined]
    return lambda v: isinstance(v, list) and all(item in values for item in v)


def _bands(keys: dict[str, Callable[[Any], bool]]) -> Callable[[Any], bool]:
    return lambda v: (
        isinstance(v, list)
        and len(v) > 0
        and all(
            isinstance(b, Mapping) and all(k in b and check(b[k]) for k, check in keys.items()) for b in v
        )
    )


_LEVELS = {e.value for e in EducationLevel}
_SCHOOL = {e.value for e in SchoolLevel}
PARAMS: dict[str, dict[str, tuple[Callable[[Any], bool], str]]] = {
    "employment": {"deprived_employment": (_enum_list(Employment), "a list of employment situations")},
    "dependants": {
        "max_percent": (lambda v: _is_int(v) and v <= 100, "an integer 0–100"),
        "child_under_age": (_is_int, "an age"),
        "elderly_from_age": (_is_int, "an age"),
    },
    "nutrition": {"child_under_age": (_is_int, "an age")},
    "health_insurance": {"min_age": (_is_int, "an age")},
    "adult_education": {
        "min_age": (_is_int, "an age"),
        "max_age": (_is_int, "an age"),
        "expected_by_age": (
            _bands({"from_age": _is_int, "min_level": lambda v: v in _LEVELS}),
            f"a list of {{from_age, min_level ∈ {sorted(_LEVELS)}, vocational_certificate_suffices}}",
        ),
    },
    "child_schooling": {
        "min_age": (_is_int, "an age"),
        "under_age": (_is_int, "an age"),
        "school_year_starts": (
            lambda v: isinstance(v, Mapping) and 1 <= v.get("month", 0) <= 12 and 1 <= v.get("day", 0) <= 31,
            "{month, day}",
        ),
        "expected_level_by_school_age": (
            _bands({"from_age": _is_int, "level": lambda v: v in _SCHOOL}),
            f"a list of {{from_age, level ∈ {sorted(_SCHOOL)}}}",
        ),
    },
    "housing_quality": {"deprived_dwellings": (_enum_list(Dwelling), "a list of dwelling types")},
    "housing_area": {
        "min_m2_per_person": (
            lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v > 0,
            "a number > 0",
        )
    },
}


def parameter_problems(indicator: Indicator) -> list[tuple[str, str]]:
    """(field path, what it must be) for every missing or invalid parameter of a known rule."""
    problems = []
    for key, (check, expected) in PARAMS.get(indicator.code, {}).items():
        if key not in indicator.params or not check(indicator.params[key]):
            problems.append((f"indicators.{indicator.code}.params.{key}", expected))
    return problems
