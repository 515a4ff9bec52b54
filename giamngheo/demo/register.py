"""The Sơn Trung demo register: 1,545 invented households whose end-2022 review gives the seed's figures.

Every name, birth date and fact here is invented (deterministically, from fixed seeds) and marked as demo
data: codes start with ``ST``, addresses end with "dữ liệu mẫu (demo)", citizen ID numbers start with
``099`` — a province code that does not exist, so no real person's number can be produced.

What the data reproduces (seed §I table and §II analysis):

* per village: total households, poor and near-poor households at the end of 2022 (the seed's table);
* 63 poor households with 113 people, 69 near-poor with 195 people;
* 35 poor households under social protection (BTXH), 2 with provincial income support (Hà Tĩnh NQ 72);
* labour capacity: the seed says 48 poor households without labour capacity and 16 with, which is 64, not
  63. We keep the 16 with labour capacity and use **47 + 16 = 63** (near-poor: 19 + 50 = 69, as the seed).

The facts of every household and member are built so that the standards engine gives the household the
same status as the list (income at or below the line and ≥ 3 deprivations for a poor household, fewer for a
near-poor one, income above the line otherwise) — checked for every household when the register is built.
The labour-capacity split is the engine's too (no member of working age able to work), not a flag.

An end-2023 review follows, with the households that moved during 2023 (see ``MOVES_2023``), so the plan
page can show target against actual.

Loading is bulk (``bulk_create_with_history``: the register keeps its history rows) and takes a few seconds
(4.3 s to build and write, ``bench/RESULTS-plans.md``); ``register_load`` does nothing when the commune
already has households.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from giamngheo.households.models import Household, Member
from giamngheo.households.services import household_search_text
from giamngheo.reviews.models import ReviewResult, ReviewRound
from giamngheo.reviews.services import ResultRow, results_record, review_round_decide, review_round_open
from giamngheo.standards import (
    NEAR_POOR,
    NOT_POOR,
    POOR,
    Area,
    HouseholdFacts,
    MemberFacts,
    classify,
    evaluate,
    has_no_labour_capacity,
    standard_for_year,
)
from giamngheo.standards.classify import AVERAGE
from giamngheo.text import fold
from giamngheo.units.models import Unit

REVIEW_2022 = datetime.date(2022, 12, 14)
REVIEW_2023 = datetime.date(2023, 12, 14)
DECISION_2022 = ("125/QĐ-UBND (demo)", datetime.date(2022, 12, 22))
DECISION_2023 = ("138/QĐ-UBND (demo)", datetime.date(2023, 12, 21))

# Per village, in the seed's order: households with labour capacity among the poor and the near-poor at the
# end of 2022 (the rest have none). Chosen so that sharing the seed's reductions (12 poor, 15 near-poor)
# in proportion to them with largest remainders gives exactly the seed's per-village targets.
POOR_WITH_LABOUR = (1, 0, 0, 1, 0, 3, 3, 1, 1, 4, 2)  # 16
NEAR_POOR_WITH_LABOUR = (4, 3, 1, 4, 3, 4, 9, 3, 3, 3, 13)  # 50

# Household sizes (số khẩu) by group: 113 people in poor households, 195 in near-poor ones.
SIZES = {
    ("poor", False): [1] * 32 + [2] * 15,  # 47 households, 62 people
    ("poor", True): [3] * 13 + [4] * 3,  # 16 households, 51 people
    ("near_poor", False): [1] * 10 + [2] * 9,  # 19 households, 28 people
    ("near_poor", True): [3] * 33 + [4] * 17,  # 50 households, 167 people
}
SOCIAL_PROTECTION_POOR = 35  # all among poor households without labour capacity
INCOME_SUPPORT_POOR = 2
MERITORIOUS = {"poor": 2, "near_poor": 3}
ETHNIC_MINORITY = {"near_poor": 1}
NEAR_POOR_WITHOUT_INSURANCE = 12  # near-poor households with one member (aged 6+) without a BHYT card
POOR_EMPLOYMENT_GAP = 4  # poor households with labour where an adult works for wages without a contract
POOR_CHILD_OUT_OF_SCHOOL = 1

# What happened in 2023, per village: poor → not poor (income), poor → near-poor (house repaired),
# near-poor → not poor, not poor → near-poor (income fell). End-2023: 52 poor (target 51), 54 near-poor.
MOVES_2023: tuple[dict[str, int], ...] = (
    {"p2x": 1, "n2x": 1},  # Mai Hà
    {"n2x": 1},  # Hà Tràng
    {},  # Hồ Sơn
    {"p2n": 1, "n2x": 2},  # Long Đình
    {"n2x": 1},  # Tiên Long
    {"p2x": 2, "n2x": 1},  # Trung Thịnh
    {"p2x": 1, "p2n": 1, "n2x": 4},  # Lâm Thành
    {"p2x": 1, "n2x": 1, "x2n": 1},  # Tân Tràng
    {"p2x": 1, "n2x": 1},  # Yên Sơn
    {"p2x": 2, "n2x": 1},  # Mỹ Sơn
    {"p2x": 1, "n2x": 5},  # Hải Thượng
)

# Sizes of the other households (not poor / average): a rural commune, mostly 3–5 people.
OTHER_SIZES = {1: 6, 2: 15, 3: 20, 4: 30, 5: 17, 6: 8, 7: 4}
AVERAGE_SHARE = 0.12  # share of the other households at an average living standard

HOUSEHOLD_CODES = (
    "housing_quality",
    "housing_area",
    "drinking_water",
    "sanitation",
    "telecom",
    "information_devices",
)
HOUSEHOLD_CODE_WEIGHTS = (5, 2, 1, 4, 4, 2)

FAMILY = (
    ["Nguyễn"] * 10
    + ["Trần"] * 4
    + ["Lê"] * 4
    + ["Phan"] * 3
    + ["Võ"] * 3
    + ["Hoàng"] * 2
    + [
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Đinh",
        "Thái",
        "Chu",
    ]
)
MIDDLE = {
    "male": ["Văn", "Văn", "Đình", "Xuân", "Hữu", "Quang", "Minh", "Đức", "Công"],
    "female": ["Thị"] * 5 + ["Thu", "Ngọc", "Thanh", "Hồng"],
}
GIVEN = {
    "male": [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Hải",
        "Hùng",
        "Khánh",
        "Lâm",
        "Long",
        "Mạnh",
        "Nam",
        "Phong",
        "Quân",
        "Sơn",
        "Tài",
        "Thắng",
        "Thành",
        "Tiến",
        "Toàn",
        "Trung",
        "Tuấn",
        "Việt",
        "Vinh",
        "Hoà",
        "Hiếu",
        "Kiên",
        "Lực",
        "Nghĩa",
        "Phúc",
        "Thịnh",
    ],
    "female": [
        "Anh",
        "Chi",
        "Dung",
        "Giang",
        "Hà",
        "Hằng",
        "Hoa",
        "Hồng",
        "Hương",
        "Lan",
        "Liên",
        "Linh",
        "Loan",
        "Mai",
        "Nga",
        "Nhung",
        "Oanh",
        "Phương",
        "Quyên",
        "Tâm",
        "Thảo",
        "Thu",
        "Trang",
        "Vân",
        "Yến",
        "Hiền",
        "Lụa",
        "Sen",
        "Tuyết",
    ],
}


@dataclass
class HouseholdSpec:
    """One invented household: what is stored, and the status it must get at each review."""

    village_index: int  # 0-based, seed order
    code: str
    group: str  # poor, near_poor, other
    with_labour: bool
    members: list[dict[str, Any]]
    facts_2022: dict[str, Any]  # household-level facts at the end-2022 review
    status_2022: str
    facts_2023: dict[str, Any] = field(default_factory=dict)
    status_2023: str = ""
    social_protection: bool = False
    provincial_income_support: bool = False
    meritorious: bool = False
    ethnic_minority: bool = False
    result_2022: Any = None
    result_2023: Any = None
    labour_2022: bool | None = None
    labour_2023: bool | None = None


# --- people ------------------------------------------------------------------------------------------------


def _birth(rng: random.Random, age: int) -> datetime.date:
    """A birth date making the person exactly ``age`` on the end-2022 review date."""
    return datetime.date(REVIEW_2022.year - age, rng.randint(1, 11), rng.randint(1, 28))


def _school_level(birth: datetime.date) -> str:
    """The level a child attends in the 2023–24 school year (school age = 2023 − birth year). Stored as it
    is now; for the end-2022 review the child is then at or ahead of the expected level, never behind."""
    school_age = 2023 - birth.year
    if school_age >= 15:
        return "upper_secondary"
    if school_age >= 11:
        return "lower_secondary"
    if school_age >= 6:
        return "primary"
    return "preschool"


class People:
    """Invented people of one village, with a citizen ID sequence that cannot be a real one."""

    def __init__(self, rng: random.Random, village_index: int) -> None:
        self.rng = rng
        self.sequence = village_index * 10_000

    def _citizen_id(self, sex: str, birth: datetime.date) -> str:
        self.sequence += 1
        century_sex = (0 if birth.year < 2000 else 2) + (1 if sex == "female" else 0)
        return f"099{century_sex}{birth.year % 100:02d}{self.sequence:06d}"

    def name(self, sex: str, family: str | None = None) -> str:
        rng = self.rng
        return f"{family or rng.choice(FAMILY)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"

    def person(
        self, *, sex: str, age: int, relation: str, family: str | None = None, **facts: Any
    ) -> dict[str, Any]:
        birth = _birth(self.rng, age)
        base: dict[str, Any] = {
            "full_name": self.name(sex, family),
            "relation": relation,
            "birth_date": birth,
            "sex": sex,
            "ethnicity": "Kinh",
            "citizen_id": self._citizen_id(sex, birth) if age >= 14 else "",
            "severe_disability": False,
            "able_to_work": None,
            "receives_social_allowance": False,
            "employment": "",
            "education_level": "",
            "has_vocational_certificate": False,
            "in_training": False,
            "attending_school": None,
            "school_level": "",
            "has_health_insurance": True,
            "stunted_or_underweight": None,
        }
        base.update(facts)
        return base

    def elderly(
        self, sex: str, relation: str, family: str | None = None, near: int | None = None
    ) -> dict[str, Any]:
        age = self.rng.randint(66, 89) if near is None else min(max(near + self.rng.randint(-5, 5), 66), 89)
        return self.person(
            sex=sex,
            age=age,
            relation=relation,
            family=family,
            able_to_work=False,
            employment="not_in_labour_force",
            education_level=self.rng.choice(["none", "primary", "primary", "lower_secondary"]),
        )

    def adult(
        self, sex: str, relation: str, family: str | None = None, near: int | None = None
    ) -> dict[str, Any]:
        age = self.rng.randint(24, 50) if near is None else min(max(near + self.rng.randint(-6, 4), 22), 50)
        young = age <= 30
        return self.person(
            sex=sex,
            age=age,
            relation=relation,
            family=family,
            able_to_work=True,
            employment="self_employed",
            education_level="upper_secondary"
            if young
            else self.rng.choice(["lower_secondary", "upper_secondary"]),
            has_vocational_certificate=young and self.rng.random() < 0.3,
        )

    def disabled_adult(self, sex: str, relation: str, family: str | None = None) -> dict[str, Any]:
        return self.person(
            sex=sex,
            age=self.rng.randint(32, 50),
            relation=relation,
            family=family,
            severe_disability=True,
            able_to_work=False,
            employment="not_in_labour_force",
            education_level="primary",
        )

    def child(self, relation: str, family: str, max_age: int = 12) -> dict[str, Any]:
        """A child of 0–``max_age`` (at most 12: still a child, not of working age, at the 2023 review)."""
        sex = self.rng.choice(["male", "female"])
        age = self.rng.randint(0, max(min(max_age, 12), 0))
        child = self.person(sex=sex, age=age, relation=relation, family=family, stunted_or_underweight=False)
        birth = child["birth_date"]
        age_2023 = age + 1
        if age_2023 >= 3:
            child["attending_school"] = True
            child["school_level"] = _school_level(birth)
        else:
            child["attending_school"] = False
        if age >= 11:
            child["education_level"] = "primary" if age < 15 else "lower_secondary"
        return child


def _age(member: dict[str, Any]) -> int:
    birth = member["birth_date"]
    return REVIEW_2022.year - birth.year - ((REVIEW_2022.month, REVIEW_2022.day) < (birth.month, birth.day))


def _family(people: People, size: int, with_labour: bool) -> list[dict[str, Any]]:
    """Members of one household: the head first."""
    rng = people.rng
    family = rng.choice(FAMILY)
    if not with_labour:
        if size == 1:
            if rng.random() < 0.15:
                return [people.disabled_adult(rng.choice(["male", "female"]), "head", family)]
            return [people.elderly("female" if rng.random() < 0.7 else "male", "head", family)]
        kind = rng.random()
        if kind < 0.5:
            head = people.elderly("male", "head", family)
            return [head, people.elderly("female", "spouse", near=_age(head))]
        if kind < 0.8:
            return [
                people.elderly(rng.choice(["male", "female"]), "head", family),
                people.child("grandchild", family, 11),
            ]
        return [
            people.elderly(rng.choice(["male", "female"]), "head", family),
            people.disabled_adult("male", "child", family),
        ]
    head_sex = "male" if rng.random() < 0.8 else "female"
    spouse_sex = "female" if head_sex == "male" else "male"
    head = people.adult(head_sex, "head", family)
    members = [head]
    if size >= 2:
        members.append(people.adult(spouse_sex, "spouse", near=_age(head)))
    youngest_parent = min(_age(m) for m in members)
    extra = size - 2
    with_grandparents = extra >= 3 or (extra >= 1 and rng.random() < 0.35)
    if with_grandparents and extra >= 1:
        members.append(people.elderly(rng.choice(["male", "female"]), "parent", family))
        extra -= 1
        if extra >= 3:
            members.append(people.elderly("female", "parent"))
            extra -= 1
    for _ in range(max(extra, 0)):
        members.append(people.child("child", family, max_age=youngest_parent - 20))
    return members


def _other_family(people: People, size: int) -> list[dict[str, Any]]:
    """A household that is neither poor nor near-poor: a family, an older couple or a person alone."""
    rng = people.rng
    if size == 1:
        return [people.elderly("female", "head") if rng.random() < 0.5 else people.adult("male", "head")]
    if size == 2 and rng.random() < 0.4:
        head = people.elderly("male", "head")
        return [head, people.elderly("female", "spouse", near=_age(head))]
    return _family(people, size, True)


# --- facts and classification ------------------------------------------------------------------------------

FINE_HOUSEHOLD = {
    "dwelling": "solid",
    "safe_water": True,
    "hygienic_latrine": True,
    "internet_use": True,
    "owns_info_device": True,
    "waste_handled": True,
}


def _member_facts(member: dict[str, Any]) -> MemberFacts:
    return MemberFacts(
        name=member["full_name"],
        birth_date=member["birth_date"],
        sex=member["sex"] or None,
        severe_disability=member["severe_disability"],
        able_to_work=member["able_to_work"],
        receives_social_allowance=member["receives_social_allowance"],
        employment=member["employment"] or None,
        education_level=member["education_level"] or None,
        has_vocational_certificate=member["has_vocational_certificate"],
        in_training=member["in_training"],
        attending_school=member["attending_school"],
        school_level=member["school_level"] or None,
        has_health_insurance=member["has_health_insurance"],
        stunted_or_underweight=member["stunted_or_underweight"],
    )


def household_facts(spec: HouseholdSpec, facts: dict[str, Any]) -> HouseholdFacts:
    return HouseholdFacts(
        household_id=spec.code,
        area=Area.RURAL,
        members=tuple(_member_facts(m) for m in spec.members),
        size=len(spec.members),
        dwelling=facts["dwelling"],
        floor_area_m2=facts["floor_area_m2"],
        safe_water=facts["safe_water"],
        hygienic_latrine=facts["hygienic_latrine"],
        internet_use=facts["internet_use"],
        owns_info_device=facts["owns_info_device"],
        waste_handled=facts["waste_handled"],
        income_per_capita=facts["income_per_capita"],
    )


def _set_household_deprivation(
    facts: dict[str, Any], code: str, rng: random.Random, size: int, deprived: bool
) -> None:
    if code == "housing_quality":
        facts["dwelling"] = rng.choice(["semi_solid", "semi_solid", "makeshift"]) if deprived else "solid"
    elif code == "housing_area":
        per_person = rng.randint(40, 75) / 10 if deprived else rng.randint(12, 30)
        facts["floor_area_m2"] = Decimal(str(round(per_person * size, 1))).quantize(Decimal("0.1"))
    else:
        flag = {
            "drinking_water": "safe_water",
            "sanitation": "hygienic_latrine",
            "telecom": "internet_use",
            "information_devices": "owns_info_device",
        }[code]
        facts[flag] = not deprived


def _weighted_sample(rng: random.Random, codes: Sequence[str], weights: Sequence[int], k: int) -> list[str]:
    pool, pool_weights, chosen = list(codes), list(weights), []
    for _ in range(min(k, len(pool))):
        pick = rng.choices(range(len(pool)), weights=pool_weights)[0]
        chosen.append(pool.pop(pick))
        pool_weights.pop(pick)
    return chosen


def _member_deprivations(spec: HouseholdSpec, on: datetime.date) -> set[str]:
    """Deprivations that come from the members alone (household-level facts all fine)."""
    facts = {
        **FINE_HOUSEHOLD,
        "floor_area_m2": Decimal(30 * len(spec.members)),
        "income_per_capita": 1_000_000,
    }
    standard = standard_for_year(on.year)
    return {e.code for e in evaluate(household_facts(spec, facts), standard, on) if e.deprived}


def _income(rng: random.Random, status: str) -> int:
    incomes: dict[str, tuple[int, int]] = {
        POOR: (55, 140),
        NEAR_POOR: (95, 148),
        AVERAGE: (155, 225),
        NOT_POOR: (230, 600),
    }
    low, high = incomes[status]
    return rng.randint(low, high) * 10_000


def _deprivation_target(rng: random.Random, status: str) -> int:
    if status == POOR:
        return rng.choices([3, 4, 5], weights=[50, 35, 15])[0]
    if status == NEAR_POOR:
        return rng.choices([0, 1, 2], weights=[20, 45, 35])[0]
    return rng.choices([0, 1, 2], weights=[70, 25, 5])[0]


def _build_facts(spec: HouseholdSpec, rng: random.Random) -> dict[str, Any]:
    """Household-level facts giving ``spec.status_2022`` its deprivation count (members' come first)."""
    size = len(spec.members)
    facts: dict[str, Any] = {
        **FINE_HOUSEHOLD,
        "floor_area_m2": None,
        "income_per_capita": _income(rng, spec.status_2022),
    }
    _set_household_deprivation(facts, "housing_area", rng, size, False)
    wanted = _deprivation_target(rng, spec.status_2022)
    # The status of the other households follows from their income; only the listed ones need the count.
    from_members = _member_deprivations(spec, REVIEW_2022) if spec.group != "other" else set()
    if spec.status_2022 == NEAR_POOR:
        wanted = min(max(wanted, len(from_members)), 2)
    extra = max(wanted - len(from_members), 0)
    for code in _weighted_sample(rng, HOUSEHOLD_CODES, HOUSEHOLD_CODE_WEIGHTS, extra):
        _set_household_deprivation(facts, code, rng, size, True)
    return facts


# --- the register ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VillageCounts:
    name: str
    households: int
    poor: int
    near_poor: int


def _groups(rng: random.Random) -> dict[tuple[str, bool], list[int]]:
    sizes = {key: list(values) for key, values in SIZES.items()}
    for values in sizes.values():
        rng.shuffle(values)
    return sizes


def build_register(villages: Sequence[VillageCounts], *, verify_all: bool = False) -> list[HouseholdSpec]:
    """The whole register in memory (no database): deterministic, checked against the engine.

    Every household is classified at the end-2022 review. At the end-2023 review only the households whose
    facts changed are classified again; the others keep their result, which the engine confirms when
    ``verify_all`` is set (a slow test does; ages move on by a year, the generator keeps clear of every age
    boundary the standard has).
    """
    if len(villages) != len(POOR_WITH_LABOUR):
        raise ValueError("the demo register is built for Sơn Trung's 11 villages")
    sizes = _groups(random.Random("sontrung-sizes"))
    specs: list[HouseholdSpec] = []
    for index, village in enumerate(villages):
        rng = random.Random(f"sontrung-village-{index + 1}")
        people = People(rng, index + 1)
        counts = {
            ("poor", True): POOR_WITH_LABOUR[index],
            ("poor", False): village.poor - POOR_WITH_LABOUR[index],
            ("near_poor", True): NEAR_POOR_WITH_LABOUR[index],
            ("near_poor", False): village.near_poor - NEAR_POOR_WITH_LABOUR[index],
        }
        entries: list[tuple[str, bool, int]] = []
        for (group, with_labour), n in counts.items():
            entries += [(group, with_labour, sizes[(group, with_labour)].pop()) for _ in range(n)]
        others = village.households - len(entries)
        other_sizes = rng.choices(list(OTHER_SIZES), weights=list(OTHER_SIZES.values()), k=others)
        entries += [("other", True, size) for size in other_sizes]
        rng.shuffle(entries)
        for number, (group, with_labour, size) in enumerate(entries, start=1):
            if group == "other":
                members = _other_family(people, size)
                status = AVERAGE if rng.random() < AVERAGE_SHARE else NOT_POOR
            else:
                members = _family(people, size, with_labour)
                status = POOR if group == "poor" else NEAR_POOR
            specs.append(
                HouseholdSpec(
                    village_index=index,
                    code=f"ST{index + 1:02d}{number:03d}",
                    group=group,
                    with_labour=with_labour,
                    members=members,
                    facts_2022={},
                    status_2022=status,
                )
            )
    if any(sizes.values()):
        raise ValueError("the village counts do not match the demo's poor and near-poor households")
    rng = random.Random("sontrung-categories")
    _assign_categories(specs, rng)
    _assign_member_gaps(specs, rng)
    for spec in specs:
        spec.facts_2022 = _build_facts(spec, random.Random(f"sontrung-facts-{spec.code}"))
    _classify(specs, 2022)
    _apply_moves(specs, villages)
    _classify(specs, 2023, only_changed=not verify_all)
    return specs


def _pick(rng: random.Random, specs: list[HouseholdSpec], n: int) -> list[HouseholdSpec]:
    return rng.sample(specs, n)


def _assign_categories(specs: list[HouseholdSpec], rng: random.Random) -> None:
    poor_no_labour = [s for s in specs if s.group == "poor" and not s.with_labour]
    social = _pick(rng, poor_no_labour, SOCIAL_PROTECTION_POOR)
    for spec in social:
        spec.social_protection = True
        spec.members[0]["receives_social_allowance"] = True
    for spec in _pick(rng, [s for s in poor_no_labour if not s.social_protection], INCOME_SUPPORT_POOR):
        spec.provincial_income_support = True
    for group, n in MERITORIOUS.items():
        for spec in _pick(rng, [s for s in specs if s.group == group], n):
            spec.meritorious = True
    for group, n in ETHNIC_MINORITY.items():
        for spec in _pick(rng, [s for s in specs if s.group == group and s.with_labour], n):
            spec.ethnic_minority = True
            for member in spec.members:
                member["ethnicity"] = "Mường"


def _assign_member_gaps(specs: list[HouseholdSpec], rng: random.Random) -> None:
    """The gaps the indicator targets are about: a BHYT card missing, wage work without contract, a child
    out of school. Each is also a deprivation, so it counts towards the household's status."""
    near_poor = [s for s in specs if s.group == "near_poor" and s.with_labour]
    for spec in _pick(rng, near_poor, NEAR_POOR_WITHOUT_INSURANCE):
        adults = [m for m in spec.members if m["relation"] in ("head", "spouse")]
        adults[-1]["has_health_insurance"] = False
    poor_labour = [s for s in specs if s.group == "poor" and s.with_labour]
    for spec in _pick(rng, poor_labour, POOR_EMPLOYMENT_GAP):
        spec.members[0]["employment"] = "employed_without_contract"
    with_school_child = [
        s
        for s in poor_labour
        if any(
            m["attending_school"] and m["birth_date"].year <= 2016
            for m in s.members
            if m["relation"] == "child"
        )
    ]
    for spec in _pick(rng, with_school_child, POOR_CHILD_OUT_OF_SCHOOL):
        child = next(m for m in spec.members if m["attending_school"] and m["birth_date"].year <= 2016)
        child["attending_school"] = False
        child["school_level"] = ""
    for spec in specs:  # other households: a few cards missing too, as in any commune
        if spec.group == "other" and rng.random() < 0.04:
            spec.members[0]["has_health_insurance"] = False


def _classify(specs: list[HouseholdSpec], year: int, *, only_changed: bool = False) -> None:
    on = REVIEW_2022 if year == 2022 else REVIEW_2023
    standard = standard_for_year(year)
    mismatches = []
    for spec in specs:
        if only_changed and spec.facts_2023 == spec.facts_2022:
            spec.result_2023, spec.labour_2023 = spec.result_2022, spec.labour_2022
            continue
        facts = spec.facts_2022 if year == 2022 else spec.facts_2023
        expected = spec.status_2022 if year == 2022 else spec.status_2023
        household = household_facts(spec, facts)
        result = classify(household, standard, on)
        no_labour = has_no_labour_capacity(household, standard, on)
        if spec.group == "other" and no_labour is not None:
            spec.with_labour = not no_labour
        if result.status != expected or no_labour is None or (no_labour == spec.with_labour):
            mismatches.append(f"{spec.code} {year}: {result.status} ≠ {expected} (labour {no_labour})")
        if year == 2022:
            spec.result_2022, spec.labour_2022 = result, not no_labour
        else:
            spec.result_2023, spec.labour_2023 = result, not no_labour
    if mismatches:  # a bug in this generator, never a user error
        raise AssertionError("demo register inconsistent with the engine: " + "; ".join(mismatches[:5]))


def _apply_moves(specs: list[HouseholdSpec], villages: Sequence[VillageCounts]) -> None:
    """End-2023 facts: most households unchanged; the movers of ``MOVES_2023`` change income or housing."""
    for spec in specs:
        spec.facts_2023 = dict(spec.facts_2022)
        spec.status_2023 = spec.status_2022
    rng = random.Random("sontrung-2023")
    for index, moves in enumerate(MOVES_2023):
        here = [s for s in specs if s.village_index == index]
        poor_labour = [s for s in here if s.group == "poor" and s.with_labour]
        poor_no_labour = [s for s in here if s.group == "poor" and not s.with_labour]
        near_labour = [s for s in here if s.group == "near_poor" and s.with_labour]
        others = [s for s in here if s.group == "other" and s.with_labour and s.status_2022 == NOT_POOR]
        for spec in poor_labour[: moves.get("p2x", 0)]:  # escaped: income above the line
            spec.facts_2023["income_per_capita"] = _income(rng, AVERAGE)
            spec.status_2023 = AVERAGE
        for spec in poor_no_labour[: moves.get("p2n", 0)]:  # house repaired, latrine built: near-poor
            for code in (
                "housing_quality",
                "sanitation",
                "housing_area",
                "drinking_water",
                "telecom",
                "information_devices",
            ):
                _set_household_deprivation(spec.facts_2023, code, rng, len(spec.members), False)
            spec.status_2023 = NEAR_POOR
        for spec in near_labour[: moves.get("n2x", 0)]:
            spec.facts_2023["income_per_capita"] = _income(rng, AVERAGE)
            spec.status_2023 = AVERAGE
        fell = (s for s in others if len(_member_deprivations(s, REVIEW_2023)) <= 1)
        for spec in islice(fell, moves.get("x2n", 0)):  # illness, lost work: income below the line
            spec.facts_2023 = {
                **spec.facts_2023,
                **FINE_HOUSEHOLD,
                "income_per_capita": _income(rng, NEAR_POOR),
            }
            spec.status_2023 = NEAR_POOR
    if sum(1 for s in specs if s.status_2023 != s.status_2022) != sum(sum(m.values()) for m in MOVES_2023):
        raise AssertionError("the 2023 moves could not all be applied")


def village_counts(rows: Sequence[dict[str, str]]) -> list[VillageCounts]:
    """From the seed table's rows (``sontrung.village_rows()``)."""
    return [
        VillageCounts(
            name=row["village"],
            households=int(row["households_total"]),
            poor=int(row["poor_end_2022"]),
            near_poor=int(row["near_poor_end_2022"]),
        )
        for row in rows
    ]


def register_summary(specs: Sequence[HouseholdSpec]) -> dict[str, Any]:
    """Figures of the built register (for tests and the loader's message)."""
    poor = [s for s in specs if s.status_2022 == POOR]
    near = [s for s in specs if s.status_2022 == NEAR_POOR]
    return {
        "households": len(specs),
        "members": sum(len(s.members) for s in specs),
        "poor": len(poor),
        "poor_people": sum(len(s.members) for s in poor),
        "near_poor": len(near),
        "near_poor_people": sum(len(s.members) for s in near),
        "poor_no_labour": sum(1 for s in poor if not s.labour_2022),
        "near_poor_no_labour": sum(1 for s in near if not s.labour_2022),
        "poor_social_protection": sum(1 for s in poor if s.social_protection),
        "poor_income_support": sum(1 for s in poor if s.provincial_income_support),
        "status_2023": dict(Counter(s.status_2023 for s in specs)),
    }


# --- loading into the database ----------------------------------------------------------------------------


def _history_date(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def _household_row(spec: HouseholdSpec, village: Unit, commune: Unit) -> Household:
    head = spec.members[0]
    facts = spec.facts_2022
    return Household(
        commune=commune,
        village=village,
        unit_path=village.path,
        code=spec.code,
        head_name=head["full_name"],
        size=len(spec.members),
        address=f"Thôn {village.name}, xã {commune.name} — dữ liệu mẫu (demo)",
        area=village.area,
        labour_capacity=None,  # derived from the members, as the engine does
        social_protection=spec.social_protection,
        ethnic_minority=spec.ethnic_minority,
        meritorious=spec.meritorious,
        provincial_income_support=spec.provincial_income_support,
        income_per_capita=facts["income_per_capita"],
        dwelling=facts["dwelling"],
        floor_area_m2=facts["floor_area_m2"],
        safe_water=facts["safe_water"],
        hygienic_latrine=facts["hygienic_latrine"],
        internet_use=facts["internet_use"],
        owns_info_device=facts["owns_info_device"],
        waste_handled=facts["waste_handled"],
        search_text=household_search_text(
            code=spec.code, head_name=head["full_name"], member_names=[m["full_name"] for m in spec.members]
        ),
    )


def _result_row(spec: HouseholdSpec, household: Household, year: int) -> ResultRow:
    result = spec.result_2022 if year == 2022 else spec.result_2023
    labour = spec.labour_2022 if year == 2022 else spec.labour_2023
    return ResultRow(
        household=household,
        status=result.status,
        members=len(spec.members),
        labour_capacity=labour,
        income_per_capita=result.income_per_capita,
        b2_score=result.b2_score,
        deprivation_count=result.deprivation_count,
        deprived=";".join(result.deprived),
        explanation_vi=result.explanation_vi,
        explanation_en=result.explanation_en,
    )


HOUSEHOLD_FACT_FIELDS = (
    "income_per_capita",
    "dwelling",
    "floor_area_m2",
    "safe_water",
    "hygienic_latrine",
    "internet_use",
    "owns_info_device",
    "waste_handled",
)


def register_present(commune: Unit) -> bool:
    return Household.objects.filter(commune=commune).exists()


@transaction.atomic
def register_load(commune: Unit, villages: Sequence[VillageCounts]) -> dict[str, Any] | None:
    """Write the register, the end-2022 review (decided) and the end-2023 review (decided).

    Does nothing (returns None) when the commune already has households: ``make run`` calls the demo on
    every start. Households and members are written in bulk with their history rows (simple_history's
    bulk helper), dated at the survey, since the register is the demo's starting point.
    """
    if register_present(commune):
        return None
    specs = build_register(villages)
    by_name = {fold(v.name): v for v in Unit.objects.filter(parent=commune, level__code="village")}
    village_units = [by_name[fold(v.name)] for v in villages]
    households = [_household_row(spec, village_units[spec.village_index], commune) for spec in specs]
    bulk_create_with_history(
        households, Household, batch_size=1000, default_date=_history_date(datetime.date(2022, 10, 15))
    )
    households = list(Household.objects.filter(commune=commune).order_by("code"))
    by_code = {h.code: h for h in households}
    members = [
        Member(
            household=by_code[spec.code],
            unit_path=by_code[spec.code].unit_path,
            search_text=fold(m["full_name"]),
            **m,
        )
        for spec in specs
        for m in spec.members
    ]
    bulk_create_with_history(
        members, Member, batch_size=2000, default_date=_history_date(datetime.date(2022, 10, 15))
    )

    round_2022 = review_round_open(commune=commune, year=2022, review_date=REVIEW_2022)
    results_record(review_round=round_2022, rows=[_result_row(s, by_code[s.code], 2022) for s in specs])
    review_round_decide(
        review_round=round_2022, decision_number=DECISION_2022[0], decision_date=DECISION_2022[1]
    )

    changed = []
    for spec in specs:
        if spec.facts_2023 != spec.facts_2022:
            household = by_code[spec.code]
            for name in HOUSEHOLD_FACT_FIELDS:
                setattr(household, name, spec.facts_2023[name])
            household.version += 1
            changed.append(household)
    bulk_update_with_history(
        changed,
        Household,
        [*HOUSEHOLD_FACT_FIELDS, "version"],
        batch_size=500,
        default_date=_history_date(datetime.date(2023, 10, 20)),
        default_change_reason="Rà soát cuối năm 2023 (demo)",
    )
    round_2023 = review_round_open(commune=commune, year=2023, review_date=REVIEW_2023)
    results_record(review_round=round_2023, rows=[_result_row(s, by_code[s.code], 2023) for s in specs])
    review_round_decide(
        review_round=round_2023, decision_number=DECISION_2023[0], decision_date=DECISION_2023[1]
    )
    return register_summary(specs)


def _raw_delete(queryset: Any) -> None:
    """Delete without per-row signals: the demo's invented rows need no "deleted" history rows, and
    simple_history would write one per row (thousands of single inserts)."""
    queryset._raw_delete(queryset.db)


@transaction.atomic
def register_reset(commune: Unit) -> None:
    """Remove the demo register of ``commune``: results, rounds, members, households and their history."""
    rounds = ReviewRound.objects.filter(commune=commune)
    households = Household.objects.filter(commune=commune)
    _raw_delete(ReviewResult.history.filter(review_round_id__in=rounds.values("pk")))
    _raw_delete(ReviewResult.objects.filter(review_round__in=rounds))
    _raw_delete(Member.history.filter(household_id__in=households.values("pk")))
    _raw_delete(Member.objects.filter(household__in=households))
    _raw_delete(Household.history.filter(commune_id=commune.pk))
    ReviewRound.history.filter(commune_id=commune.pk).delete()
    rounds.delete()  # a round may own other rows (meetings, postings): Django cascades to them
    _raw_delete(Household.objects.filter(commune=commune))


def spec_with(spec: HouseholdSpec, **changes: Any) -> HouseholdSpec:
    """A modified copy (tests)."""
    return replace(spec, **changes)
