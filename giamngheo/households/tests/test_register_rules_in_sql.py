"""The list's SQL filters agree with the standards engine: labour capacity and newly escaped."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamngheo.households.labour import no_labour_capacity_q, standard_on, working_age_birth_dates
from giamngheo.households.models import Household, Member
from giamngheo.households.selectors import newly_escaped_cutoff
from giamngheo.reviews.models import ReviewResult
from giamngheo.reviews.statuses import household_statuses_refresh
from giamngheo.standards.ages import is_working_age
from giamngheo.standards.facts import HouseholdFacts, MemberFacts
from giamngheo.standards.indicators import has_no_labour_capacity
from giamngheo.standards.transitions import is_newly_escaped
from giamngheo.testing.registers import decided_round
from giamngheo.units.models import Unit

DB_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize(
    "on", [datetime.date(y, m, d) for y in (2021, 2024, 2027, 2030) for m, d in ((1, 1), (2, 28), (6, 15))]
)
@pytest.mark.parametrize("sex", ["male", "female"])
def test_the_working_age_birth_dates_are_exactly_the_engines_boundaries(on, sex):
    standard = standard_on(on)
    bounds = working_age_birth_dates(on, standard.id)
    wa = standard.working_age

    def working(born: datetime.date) -> bool | None:
        return is_working_age(MemberFacts(birth_date=born, sex=sex), on, wa)

    one = datetime.timedelta(days=1)
    assert working(bounds.latest) is True and working(bounds.latest + one) is False
    assert working(bounds.retired_by[sex]) is False and working(bounds.retired_by[sex] + one) is True


members = st.lists(
    st.tuples(
        st.one_of(st.none(), st.dates(datetime.date(1940, 1, 1), datetime.date(2024, 12, 31))),
        st.sampled_from(["male", "female", ""]),
        st.sampled_from([True, False, None]),
    ),
    max_size=4,
)


@pytest.mark.django_db
@DB_SETTINGS
@given(people=members, on=st.dates(datetime.date(2022, 1, 1), datetime.date(2030, 12, 31)))
def test_no_labour_capacity_in_sql_is_the_engines_answer(demo, people, on):
    village = Unit.objects.get(code="18133-01")
    household = Household.objects.create(
        commune=village.parent,
        village=village,
        unit_path=village.path,
        code=f"L-{Household.objects.count()}",
        head_name="x",
        size=max(1, len(people)),
        search_text="x",
    )
    for born, sex, able in people:
        Member.objects.create(
            household=household,
            unit_path=village.path,
            full_name="y",
            birth_date=born,
            sex=sex,
            able_to_work=able,
        )
    facts = HouseholdFacts(
        members=tuple(MemberFacts(birth_date=b, sex=s or None, able_to_work=a) for b, s, a in people)
    )
    expected = has_no_labour_capacity(facts, standard_on(on), on) is True
    assert Household.objects.filter(pk=household.pk).filter(no_labour_capacity_q(on)).exists() == expected


histories = st.dictionaries(
    st.integers(2018, 2026), st.sampled_from(["poor", "near_poor", "average", "not_poor"]), max_size=6
)


@pytest.mark.django_db
@DB_SETTINGS
@given(history=histories, on=st.dates(datetime.date(2019, 1, 1), datetime.date(2030, 12, 31)))
def test_the_stored_newly_escaped_day_gives_the_engines_answer(demo, history, on):
    village = Unit.objects.get(code="18133-01")
    household = Household.objects.create(
        commune=village.parent,
        village=village,
        unit_path=village.path,
        code=f"E-{Household.objects.count()}",
        head_name="x",
        size=1,
        search_text="x",
    )
    entries = sorted((datetime.date(year, 12, 14), status) for year, status in history.items())
    entries = [(day, status) for day, status in entries if day <= on]  # the reviews known on that day
    for day, status in entries:
        ReviewResult.objects.create(
            review_round=decided_round(village.parent, day.year),
            household=household,
            unit_path=village.path,
            status=status,
            members=1,
        )
    household_statuses_refresh(commune=village.parent, on=on)
    expected = is_newly_escaped(entries, on, standard_on(on).transitions)
    stored = Household.objects.filter(pk=household.pk, escaped_on__gte=newly_escaped_cutoff(on)).exists()
    assert stored == expected
    household.refresh_from_db()
    assert household.status == (entries[-1][1] if entries else "")
