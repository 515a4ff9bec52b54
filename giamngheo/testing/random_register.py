"""Households of random facts for the bulk paths' property tests (what-if, reclassification), and a few
fixed ones: ``register_rows`` draws rows, ``create_rows`` writes them straight into the tables (bulk, no
history), ``household``/``adult`` write one through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import strategies as st

from giamngheo.households.models import Household, Member
from giamngheo.households.services import household_create, member_add
from giamngheo.testing.strategies import DATES, members
from giamngheo.units.models import Unit

FINE = {  # a household deprived in nothing the register records
    "dwelling": "solid",
    "floor_area_m2": Decimal("60"),
    "safe_water": True,
    "hygienic_latrine": True,
    "internet_use": True,
    "owns_info_device": True,
    "waste_handled": True,
}


def villages(commune: Unit) -> list[Unit]:
    return list(Unit.objects.filter(parent=commune).order_by("sort_order"))


def adult(household: Household, name: str, year: int = 1985, **facts: object) -> Member:
    values = {
        "birth_date": datetime.date(year, 3, 1),
        "sex": "male",
        "able_to_work": True,
        "employment": "self_employed",
        "education_level": "upper_secondary",
        "has_health_insurance": True,
        **facts,
    }
    return member_add(actor=None, household=household, full_name=name, **values)


def household(village: Unit, code: str, income: int | None, size: int = 2, **facts: object) -> Household:
    values = {**FINE, **facts}
    return household_create(
        actor=None,
        village=village,
        code=code,
        head_name=f"Chủ hộ {code}",
        size=size,
        income_per_capita=income,
        **values,
    )


def _choice(value: object) -> str:
    return "" if value is None else str(value)


@st.composite
def register_rows(draw):  # type: ignore[no-untyped-def]
    on = draw(st.sampled_from(DATES))
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        people = draw(st.lists(members(on), max_size=5))
        rows.append(
            {
                "people": people,
                "size": draw(st.integers(1, 8)),
                "village": draw(st.integers(0, 2)),
                "area": draw(st.sampled_from(["rural", "urban"])),
                "income": draw(
                    st.one_of(
                        st.none(),
                        st.integers(0, 5_000_000),
                        st.sampled_from([1_500_000, 2_000_000, 2_200_000, 2_250_000, 2_800_000, 3_300_000]),
                    )
                ),
                "dwelling": draw(st.sampled_from(["", "solid", "semi_solid", "makeshift"])),
                "floor_area_m2": draw(
                    st.one_of(
                        st.none(),
                        st.decimals(0, 120, places=2),
                        st.sampled_from([Decimal("15.99"), Decimal("16"), Decimal("23.99"), Decimal("24")]),
                    )
                ),
                **{
                    flag: draw(st.one_of(st.none(), st.booleans()))
                    for flag in (
                        "safe_water",
                        "hygienic_latrine",
                        "internet_use",
                        "owns_info_device",
                        "waste_handled",
                        "farm_household",
                    )
                },
                "dissolved": draw(st.integers(0, 9)) == 0,
            }
        )
    return on, rows


def create_rows(rows: list[dict], commune: Unit) -> list[Household]:
    """Rows straight into the tables (bulk, no history): the facts exactly as drawn."""
    places = villages(commune)[:3]
    created = []
    for n, row in enumerate(rows):
        village = places[row["village"]]
        created.append(
            Household(
                commune=commune,
                village=village,
                unit_path=village.path,
                code=f"P{n:03d}",
                head_name=f"Hộ {n}",
                size=row["size"],
                area=row["area"],
                income_per_capita=row["income"],
                dwelling=row["dwelling"],
                floor_area_m2=row["floor_area_m2"],
                dissolved_on=datetime.date(2024, 1, 1) if row["dissolved"] else None,
                **{
                    f: row[f]
                    for f in (
                        "safe_water",
                        "hygienic_latrine",
                        "internet_use",
                        "owns_info_device",
                        "waste_handled",
                        "farm_household",
                    )
                },
            )
        )
    Household.objects.bulk_create(created)
    people = []
    for h, row in zip(created, rows, strict=True):
        for i, m in enumerate(row["people"]):
            people.append(
                Member(
                    household=h,
                    unit_path=h.unit_path,
                    full_name=f"Người {h.code}-{i}",
                    birth_date=m.birth_date,
                    sex=_choice(m.sex),
                    employment=_choice(m.employment),
                    education_level=_choice(m.education_level),
                    school_level=_choice(m.school_level),
                    severe_disability=m.severe_disability,
                    able_to_work=m.able_to_work,
                    has_vocational_certificate=m.has_vocational_certificate,
                    in_training=m.in_training,
                    attending_school=m.attending_school,
                    has_health_insurance=m.has_health_insurance,
                    stunted_or_underweight=m.stunted_or_underweight,
                )
            )
    Member.objects.bulk_create(people)
    return created
