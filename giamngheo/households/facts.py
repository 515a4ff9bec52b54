"""From register rows to the standards engine's facts (the two use the same field names)."""

from __future__ import annotations

from collections.abc import Iterable

from giamngheo.households.models import Household, Member
from giamngheo.standards.facts import Area, Dwelling, HouseholdFacts, MemberFacts

MEMBER_FACT_FIELDS = (
    "birth_date",
    "severe_disability",
    "able_to_work",
    "receives_social_allowance",
    "has_vocational_certificate",
    "in_training",
    "attending_school",
    "has_health_insurance",
    "stunted_or_underweight",
)
MEMBER_CHOICE_FIELDS = (
    "sex",
    "employment",
    "education_level",
    "school_level",
)  # "" in the database = unknown
HOUSEHOLD_FACT_FIELDS = (
    "income_per_capita",
    "farm_household",
    "floor_area_m2",
    "safe_water",
    "hygienic_latrine",
    "internet_use",
    "owns_info_device",
    "waste_handled",
)


def member_facts(member: Member) -> MemberFacts:
    values = {name: getattr(member, name) for name in MEMBER_FACT_FIELDS}
    values.update({name: getattr(member, name) or None for name in MEMBER_CHOICE_FIELDS})
    return MemberFacts(name=member.full_name, **values)


def household_facts(
    household: Household, members: Iterable[Member], *, b1_score: int | None = None
) -> HouseholdFacts:
    values = {name: getattr(household, name) for name in HOUSEHOLD_FACT_FIELDS}
    return HouseholdFacts(
        household_id=household.code,
        area=Area(household.area),
        b1_score=b1_score,
        members=tuple(member_facts(m) for m in members),
        size=household.size,
        dwelling=Dwelling(household.dwelling) if household.dwelling else None,
        **values,
    )
