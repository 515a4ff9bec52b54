"""Hypothesis strategies of the standards' facts, shared by the engine's and the bulk paths' property
tests."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from giamngheo.standards.facts import EducationLevel, Employment, MemberFacts, SchoolLevel, Sex

# review dates: the usual one, the day before a school year, a leap day, and 2027 (the new standard)
DATES = [date(2024, 11, 15), date(2024, 8, 31), date(2028, 2, 29), date(2027, 12, 14), date(2026, 3, 1)]
# ages around every boundary of the rules: 3, 6, 15, 16, 18, 30, 60 and the retirement ages (55–62)
AGES = [0, 2, 3, 5, 6, 10, 11, 14, 15, 16, 17, 18, 19, 29, 30, 31, 45, 55, 56, 57, 59, 60, 61, 62, 63, 80]

maybe_bool = st.one_of(st.none(), st.booleans())


def maybe(values) -> st.SearchStrategy:  # type: ignore[no-untyped-def]
    return st.one_of(st.none(), st.sampled_from(list(values)))


@st.composite
def birth_dates(draw, on: date) -> date | None:  # type: ignore[no-untyped-def]
    if draw(st.integers(0, 15)) == 0:
        return None
    if draw(st.integers(0, 20)) == 0:  # born on a leap day
        return date(draw(st.sampled_from([1964, 1968, 1996, 2008, 2012, 2016, 2020])), 2, 29)
    years = draw(st.sampled_from(AGES))
    try:
        birthday = on.replace(year=on.year - years)
    except ValueError:  # 29 February of a year that has none
        birthday = date(on.year - years, 3, 1)
    return birthday + timedelta(days=draw(st.integers(-3, 3)))


@st.composite
def members(draw, on: date) -> MemberFacts:  # type: ignore[no-untyped-def]
    return MemberFacts(
        birth_date=draw(birth_dates(on)),
        sex=draw(maybe(Sex)),
        severe_disability=draw(maybe_bool),
        able_to_work=draw(maybe_bool),
        employment=draw(maybe(Employment)),
        education_level=draw(maybe(EducationLevel)),
        has_vocational_certificate=draw(maybe_bool),
        in_training=draw(maybe_bool),
        attending_school=draw(maybe_bool),
        school_level=draw(maybe(SchoolLevel)),
        has_health_insurance=draw(maybe_bool),
        stunted_or_underweight=draw(maybe_bool),
    )
