"""Live values of the indicator targets: the indicators as ``giamngheo.figures`` defines them — one
definition for the plan page, the dashboard and the progress report (issue 11 A).

They are about the people and households on the lists in force during the plan's year (the baseline amended
by the year's decided ad-hoc reviews), read on ``as_of`` (today, or 31 December of a past plan year):

* health insurance: people with a card (the register's fact, or a delivered card valid that day) / all of
  them (answers not recorded are shown apart);
* school attendance: children of the standard's school ages attending school (the register's fact, or a
  schooling support delivered in the 12 months before) / all such children;
* housing survey: households whose house was surveyed or helped (a housing support recorded) / those with a
  damaged house (the standard's deprived dwellings) or a housing support;
* loans and job counselling, from the support tracker: households that need a preferential loan (a loan
  recorded, met or not; newly-escaped households keep their eligibility) / those that got one; people who
  need job help (a job support recorded) / those who got it. Until a need is recorded the page says so,
  with the number of households or people concerned.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from giamngheo import figures
from giamngheo.accounts.models import User
from giamngheo.plans.models import Measure, Plan
from giamngheo.standards.formatting import percent
from giamngheo.standards.loader import standard_for_year


@dataclass(frozen=True)
class LiveValue:
    measure: str
    available: bool  # False: the data needed does not exist yet (see ``concerned``)
    numerator: int | None = None
    denominator: int | None = None
    unknown: int = 0  # people whose answer is not recorded (counted in the denominator, not the numerator)
    concerned: int | None = None  # households or people the target is about (shown when not measurable)

    @property
    def percent(self) -> Decimal | None:
        if not self.available or self.numerator is None or not self.denominator:
            return None
        return percent(self.numerator, self.denominator)

    def met(self, target: Decimal | None) -> bool | None:
        value = self.percent
        if value is None or target is None:
            return None
        return value >= target


def as_of_date(plan: Plan, today: datetime.date | None = None) -> datetime.date:
    today = today or datetime.date.today()
    return min(today, datetime.date(plan.year, 12, 31))


def live_values(*, user: User, plan: Plan, as_of: datetime.date | None = None) -> dict[str, LiveValue]:
    """The plan's measures on ``as_of``: the indicators as ``figures`` defines them for the lists in force
    during the plan's year — the same numbers as the dashboard and the progress report."""
    on = as_of or as_of_date(plan)
    standard = standard_for_year(plan.year)
    values, counts = figures.indicators_in_force(user=user, unit=plan.commune, year=plan.year, on=on)

    def live(measure: str, code: str, available: bool = True, **extra: int) -> LiveValue:
        value = values[code]
        return LiveValue(measure, available, value["numerator"], value["denominator"], **extra)

    return {
        Measure.HEALTH_INSURANCE: live(
            Measure.HEALTH_INSURANCE,
            "health_insurance",
            unknown=counts.get("insurance_unknown", 0),
            concerned=counts.get("people", 0),
        ),
        Measure.SCHOOL_ATTENDANCE: live(
            Measure.SCHOOL_ATTENDANCE,
            "schooling",
            available="child_schooling" in standard.indicator_codes,
            concerned=counts.get("children", 0),
        ),
        Measure.HOUSING_SURVEY: live(
            Measure.HOUSING_SURVEY, "housing", concerned=counts.get("housing_need", 0)
        ),
        Measure.LOANS: live(Measure.LOANS, "loans", concerned=counts.get("households_listed", 0)),
        Measure.JOB_COUNSELLING: live(Measure.JOB_COUNSELLING, "jobs", concerned=counts.get("people", 0)),
        Measure.NONE: LiveValue(Measure.NONE, False),
    }
