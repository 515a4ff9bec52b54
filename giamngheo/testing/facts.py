"""Small builders for tests: members of a given age on the review date, households from answers."""

from __future__ import annotations

from datetime import date, timedelta

from giamngheo.standards.facts import HouseholdFacts, MemberFacts

REVIEW = date(2024, 11, 15)


def born(years: int, on: date = REVIEW, days_before_birthday: int = 0) -> date:
    """A birth date making someone exactly ``years`` old on ``on`` (or that many days short of it)."""
    birthday = on.replace(year=on.year - years)
    return birthday + timedelta(days=days_before_birthday)


def member(years: int, on: date = REVIEW, **facts: object) -> MemberFacts:
    return MemberFacts(birth_date=born(years, on), **facts)  # type: ignore[arg-type]


def household(**facts: object) -> HouseholdFacts:
    facts.setdefault("area", "rural")
    facts.setdefault("income_per_capita", 1_000_000)
    return HouseholdFacts(**facts)  # type: ignore[arg-type]


def answers(*deprived: str) -> dict[str, bool]:
    return dict.fromkeys(deprived, True)
