"""Live values of the indicator targets, measured on the register where the data exists.

The people counted are the members, in today's register, of the households on the poor and near-poor
lists of the plan's baseline (the lists the plan works on during its year); ages are taken at ``as_of``
(today, or 31 December of a past plan year). Two queries, whatever the number of targets.

* health insurance: members with a BHYT card / all members (unknown answers are shown apart);
* school attendance: children from 3 to under 16 attending school at the level their age expects
  (the standard's own age bands) / all such children;
* housing survey: households whose dwelling is not solid (thiếu kiên cố, đơn sơ) — the houses to survey;
* loans and job counselling come from the support tracker, counted exactly as the dashboard and the
  progress report count them (``figures``): households that need a preferential loan (a loan
  recorded, met or not; newly-escaped households keep their eligibility) / those that got one, and people
  who need job help (a job support recorded: counselling, referral, training, labour export) / those who got
  it. Until a need is recorded the page says so, with the number of households or people concerned.
  The tracker's figures take the lists in force during the plan's year (the baseline amended by the year's
  decided ad-hoc reviews); three more queries (the rounds, the loan records, the members' job supports).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from giamngheo import figures
from giamngheo.accounts.models import User
from giamngheo.households.models import Member
from giamngheo.plans.models import Measure, Plan
from giamngheo.reviews.models import Status
from giamngheo.reviews.selectors import results_visible_to
from giamngheo.standards.ages import age_on, is_working_age
from giamngheo.standards.facts import SCHOOL_ORDER, MemberFacts, SchoolLevel
from giamngheo.standards.formatting import percent
from giamngheo.standards.indicators import school_age
from giamngheo.standards.loader import standard_for_year
from giamngheo.units.selectors import scope_q


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


def _listed_results(user: User, plan: Plan):  # type: ignore[no-untyped-def]
    return results_visible_to(user).filter(
        review_round=plan.baseline_round,
        unit_path__startswith=plan.unit_path,
        status__in=[Status.POOR, Status.NEAR_POOR],
    )


def live_values(*, user: User, plan: Plan, as_of: datetime.date | None = None) -> dict[str, LiveValue]:
    on = as_of or as_of_date(plan)
    standard = standard_for_year(plan.year)
    schooling = (
        standard.indicator("child_schooling").params
        if "child_schooling" in standard.indicator_codes
        else None
    )
    # Joins from the results (round, status), not "id IN (subquery)": PostgreSQL plans the join well whatever
    # its statistics, while the IN form took over a second on a freshly loaded database.
    members = Member.objects.filter(
        scope_q(user, field="unit_path"),
        household__results__review_round=plan.baseline_round,
        household__results__status__in=[Status.POOR, Status.NEAR_POOR],
    ).values_list(
        "birth_date", "sex", "able_to_work", "has_health_insurance", "attending_school", "school_level"
    )
    insured = uninsured_unknown = people = 0
    children = attending = 0
    able = 0
    for birth, sex, able_to_work, insurance, at_school, level in members:
        people += 1
        insured += insurance is True
        uninsured_unknown += insurance is None
        if birth is not None and schooling is not None:
            age = age_on(birth, on)
            if schooling["min_age"] <= age < schooling["under_age"]:
                children += 1
                attending += bool(at_school) and _level_ok(birth, level, on, schooling)
        if able_to_work and is_working_age(
            MemberFacts(birth_date=birth, sex=sex or None), on, standard.working_age
        ):
            able += 1
    tracked = tracker_values(user=user, plan=plan, on=on)
    dwellings = _listed_results(user, plan).aggregate(
        households=Count("id"),
        not_solid=Count("id", filter=Q(household__dwelling__in=["semi_solid", "makeshift"])),
    )
    return {
        Measure.HEALTH_INSURANCE: LiveValue(
            Measure.HEALTH_INSURANCE, True, insured, people, unknown=uninsured_unknown, concerned=people
        ),
        Measure.SCHOOL_ATTENDANCE: LiveValue(
            Measure.SCHOOL_ATTENDANCE, schooling is not None, attending, children, concerned=children
        ),
        Measure.HOUSING_SURVEY: LiveValue(
            Measure.HOUSING_SURVEY,
            True,
            dwellings["not_solid"],
            dwellings["households"],
            concerned=dwellings["not_solid"],
        ),
        Measure.LOANS: tracked["loans"].live(Measure.LOANS, concerned=dwellings["households"]),
        Measure.JOB_COUNSELLING: tracked["jobs"].live(Measure.JOB_COUNSELLING, concerned=able),
        Measure.NONE: LiveValue(Measure.NONE, False),
    }


@dataclass(frozen=True)
class Tracked:
    met: int
    need: int

    def live(self, measure: str, *, concerned: int) -> LiveValue:
        return LiveValue(measure, True, self.met, self.need, concerned=concerned)


TRACKED = ("loans", "jobs")  # the tracker's indicator codes (``figures.INDICATOR_CODES``)


def tracker_values(*, user: User, plan: Plan, on: datetime.date) -> dict[str, Tracked]:
    """Loans and job counselling for the plan's commune on ``on``, from the support tracker's records."""
    commune = plan.commune
    basis = figures.status_basis(unit=commune, on=on, in_force_for=plan.year)
    over = figures.overrides(user=user, unit=commune, basis=basis)
    rows = figures.indicator_counts(user=user, unit=commune, basis=basis, over=over, codes=TRACKED)
    total, _children = figures.rollup(rows, commune)
    values = figures.indicator_values(total)
    return {code: Tracked(values[code]["numerator"], values[code]["denominator"]) for code in TRACKED}


def _level_ok(birth: datetime.date, level: str, on: datetime.date, params) -> bool:  # type: ignore[no-untyped-def]
    """Attending at the level the school age expects, or above; a level not recorded is given the benefit of
    the doubt, as the standards engine does."""
    if not level:
        return True
    bands = sorted(params["expected_level_by_school_age"], key=lambda b: -b["from_age"])
    age = school_age(birth, on, params["school_year_starts"])
    band = next((b for b in bands if age >= b["from_age"]), bands[-1])
    return SCHOOL_ORDER[SchoolLevel(level)] >= SCHOOL_ORDER[SchoolLevel(band["level"])]
