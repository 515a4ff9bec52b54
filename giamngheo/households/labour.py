"""“No labour capacity” (hộ không có khả năng lao động) derived from members — in Python and in SQL.

The rule is the engine's (``standards.indicators.has_no_labour_capacity``): the household has members and
none of them is both of working age and able to work, in three-valued logic (unknown stays unknown). To
filter a province's register by it, the same rule is turned into SQL: working age on a day is an interval
of birth dates per sex (at least ``min_age`` years old, not yet at the retirement age of the schedule), and
both ends are found by bisection over the engine's own functions, so the SQL and the engine cannot drift.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Exists, OuterRef, Q

from giamngheo.households.facts import household_facts
from giamngheo.households.models import Household, Member, Sex
from giamngheo.standards.ages import age_on, retirement_date
from giamngheo.standards.facts import Sex as EngineSex
from giamngheo.standards.indicators import has_no_labour_capacity
from giamngheo.standards.loader import list_standards, standard_for_year
from giamngheo.standards.model import Standard


def standard_on(day: datetime.date) -> Standard:
    """The national standard in force on ``day``; past the last known period, the latest one."""
    try:
        return standard_for_year(day.year)
    except Exception:  # noqa: BLE001 - a year no standard covers yet: use the most recent rules
        national = [s for s in list_standards() if s.scope == "national"]
        return max(national, key=lambda s: s.last_year)


def _last_true(low: datetime.date, high: datetime.date, test) -> datetime.date:  # type: ignore[no-untyped-def]
    """The last day in [low, high] for which the monotone ``test`` (True … True False … False) holds."""
    lo, hi = low.toordinal(), high.toordinal()
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if test(datetime.date.fromordinal(mid)):
            lo = mid
        else:
            hi = mid - 1
    return datetime.date.fromordinal(lo)


@dataclass(frozen=True)
class WorkingAgeBirthDates:
    """Who is of working age on a day, as birth dates: born on or before ``latest`` and after
    ``retired_by[sex]`` (on or before it, the person has reached the retirement age)."""

    latest: datetime.date
    retired_by: dict[str, datetime.date]


@lru_cache(maxsize=64)
def working_age_birth_dates(on: datetime.date, standard_id: str) -> WorkingAgeBirthDates:
    from giamngheo.standards.loader import get_standard

    working_age = get_standard(standard_id).working_age
    far = datetime.date(on.year - 150, 1, 1)
    latest = _last_true(far, on, lambda born: age_on(born, on) >= working_age.min_age)
    retired_by = {
        sex.value: _last_true(far, on, lambda born, sex=sex: retirement_date(born, sex, working_age) <= on)
        for sex in (EngineSex.MALE, EngineSex.FEMALE)
    }
    return WorkingAgeBirthDates(latest=latest, retired_by=retired_by)


def _not_working_age_q(bounds: WorkingAgeBirthDates) -> Q:
    """Members known *not* to be of working age (too young, or retired whatever their unknown sex)."""
    male, female = bounds.retired_by[Sex.MALE], bounds.retired_by[Sex.FEMALE]
    return Q(birth_date__isnull=False) & (
        Q(birth_date__gt=bounds.latest)
        | Q(sex=Sex.MALE, birth_date__lte=male)
        | Q(sex=Sex.FEMALE, birth_date__lte=female)
        | (~Q(sex__in=[Sex.MALE, Sex.FEMALE]) & Q(birth_date__lte=min(male, female)))
    )


def no_labour_capacity_q(on: datetime.date, standard: Standard | None = None) -> Q:
    """Households with no labour capacity on ``on``: declared so, or undeclared and derived from members
    exactly as the engine does (every member is known not to be of working age or known unable to work)."""
    standard = standard or standard_on(on)
    bounds = working_age_birth_dates(on, standard.id)
    members = Member.objects.filter(household=OuterRef("pk"))
    # A member who *may* be both of working age and able to work keeps the household off this list.
    maybe_able = members.exclude(able_to_work=False).exclude(_not_working_age_q(bounds))
    derived = Exists(members) & ~Exists(maybe_able)
    return Q(labour_capacity=False) | (Q(labour_capacity__isnull=True) & derived)


def household_no_labour_capacity(
    household: Household, members: list[Member], on: datetime.date
) -> tuple[bool | None, bool]:
    """(no labour capacity?, derived from members?) for the household page."""
    if household.labour_capacity is not None:
        return (not household.labour_capacity, False)
    facts = household_facts(household, members)
    return (has_no_labour_capacity(facts, standard_on(on), on), True)
