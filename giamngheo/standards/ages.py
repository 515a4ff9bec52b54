"""Ages at a review date and working age under the 2019 Labour Code — exact day arithmetic.

The retirement-age schedule is data (``working_age`` of a standard), never code: men 60y3m in 2021 rising
3 months a year to 62, women 55y4m rising 4 months a year to 60 (Decree 135/2020/NĐ-CP). As that decree's
table does, the age that applies to a person is the one of the calendar year in which they reach it.
"""

from __future__ import annotations

import calendar
from datetime import date

from giamngheo.standards.facts import MemberFacts, Sex
from giamngheo.standards.model import AgeSpan, RetirementSchedule, WorkingAge


def age_on(birth_date: date, on: date) -> int:
    """Completed years on ``on``; someone born on 29 February turns a year older on 1 March."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day (31/01 + 1 month = 28 or 29/02)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _retirement_age_in(schedule: RetirementSchedule, year: int, first_year: int) -> AgeSpan:
    if year < first_year:
        return schedule.before
    months = min(
        schedule.start.total_months + schedule.step_months * (year - first_year), schedule.max.total_months
    )
    return AgeSpan(months // 12, months % 12)


def retirement_date(birth_date: date, sex: Sex, working_age: WorkingAge) -> date:
    """The day a person reaches the retirement age that applies to them."""
    schedule = working_age.male if sex == Sex.MALE else working_age.female
    first_year = working_age.schedule_from_year
    before = add_months(birth_date, schedule.before.total_months)
    if before.year < first_year:
        return before
    year = first_year
    while True:  # ends: the age is capped, so the reached date stops moving while ``year`` grows
        reached = add_months(birth_date, _retirement_age_in(schedule, year, first_year).total_months)
        if reached.year <= year:
            return reached
        year += 1


def is_working_age(member: MemberFacts, on: date, working_age: WorkingAge) -> bool | None:
    """From ``min_age`` to the day before retirement age; None when the birth date (or a sex that matters)
    is unknown."""
    if member.birth_date is None:
        return None
    if age_on(member.birth_date, on) < working_age.min_age:
        return False
    sexes = [member.sex] if member.sex is not None else [Sex.MALE, Sex.FEMALE]
    answers = {on < retirement_date(member.birth_date, sex, working_age) for sex in sexes}
    return answers.pop() if len(answers) == 1 else None
