"""What we know about a household and its members — the input of indicator evaluation.

Every field may be ``None``: unknown. An indicator that cannot be decided from what is known is *not*
counted as deprived (as a missing column of format A is not), and the result lists it as unknown so the
officer can complete the survey. Enum fields also accept their string values (``"rural"``, ``"male"``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Area(StrEnum):
    RURAL = "rural"  # nông thôn
    URBAN = "urban"  # thành thị / đô thị


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class Dwelling(StrEnum):
    """Dwelling type as the review form records it.

    ``solid`` covers both *kiên cố* and *bán kiên cố* (durable houses); ``semi_solid`` is *thiếu kiên cố*
    (not durable) and ``makeshift`` is *đơn sơ*. Beware: *bán kiên cố* is ``solid``, not ``semi_solid``.
    """

    SOLID = "solid"
    SEMI_SOLID = "semi_solid"
    MAKESHIFT = "makeshift"


class Employment(StrEnum):
    EMPLOYED_WITH_CONTRACT = "employed_with_contract"  # works for wages with a labour contract
    EMPLOYED_WITHOUT_CONTRACT = "employed_without_contract"  # works for wages without a labour contract
    SELF_EMPLOYED = "self_employed"  # own farm or business (no contract expected)
    UNEMPLOYED = "unemployed"  # able and looking for work, has none
    NOT_IN_LABOUR_FORCE = "not_in_labour_force"  # studying, caring, unable to work, retired


class EducationLevel(StrEnum):
    """Highest general-education diploma, in increasing order (see ``EDUCATION_ORDER``)."""

    NONE = "none"
    PRIMARY = "primary"  # tiểu học
    LOWER_SECONDARY = "lower_secondary"  # trung học cơ sở (THCS)
    UPPER_SECONDARY = "upper_secondary"  # trung học phổ thông (THPT)
    POST_SECONDARY = "post_secondary"  # cao đẳng, đại học and above


EDUCATION_ORDER = {level: rank for rank, level in enumerate(EducationLevel)}


class SchoolLevel(StrEnum):
    """The level a child attends now, in increasing order (see ``SCHOOL_ORDER``)."""

    PRESCHOOL = "preschool"  # mầm non
    PRIMARY = "primary"  # tiểu học
    LOWER_SECONDARY = "lower_secondary"  # THCS
    UPPER_SECONDARY = "upper_secondary"  # THPT (or vocational school at that level)


SCHOOL_ORDER = {level: rank for rank, level in enumerate(SchoolLevel)}


def _coerce_enums(instance: Any, enums: dict[str, type[StrEnum]]) -> None:
    for name, enum in enums.items():
        value = getattr(instance, name)
        if value is not None and not isinstance(value, enum):
            object.__setattr__(instance, name, enum(value))


@dataclass(frozen=True)
class MemberFacts:
    """One member of the household (nhân khẩu)."""

    name: str | None = None  # for messages only
    birth_date: date | None = None  # ages are computed from it at the review date
    sex: Sex | None = None  # sets the retirement age, hence working age
    severe_disability: bool | None = None  # khuyết tật nặng / đặc biệt nặng
    able_to_work: bool | None = None  # has labour capacity (có khả năng lao động)
    receives_social_allowance: bool | None = (
        None  # trợ cấp BTXH; kept for support policies, no indicator uses it
    )
    employment: Employment | None = None  # situation of a working-age member
    education_level: EducationLevel | None = None  # highest diploma obtained
    has_vocational_certificate: bool | None = None  # chứng chỉ / bằng nghề
    in_training: bool | None = None  # attending a school, college or vocational course now
    attending_school: bool | None = None  # a child going to school now (preschool included)
    school_level: SchoolLevel | None = None  # level attended now, when attending
    has_health_insurance: bool | None = None  # holds a valid BHYT card
    stunted_or_underweight: bool | None = None  # a child under 16: height-for-age or weight-for-age deficit

    def __post_init__(self) -> None:
        _coerce_enums(
            self,
            {
                "sex": Sex,
                "employment": Employment,
                "education_level": EducationLevel,
                "school_level": SchoolLevel,
            },
        )


@dataclass(frozen=True)
class HouseholdFacts:
    """A household at a review: what was surveyed (facts) and what Phiếu B answered directly (answers).

    ``answers`` maps an indicator code to True (deprived) / False (not deprived), as ticked on the form or
    given in a format-A column; it wins over the facts when both exist (see ``indicators``).
    """

    household_id: str | None = None  # for messages only
    area: Area | None = None  # rural / urban: selects the income line and the B1 cut-off
    income_per_capita: int | None = None  # VND per person per month, household average
    b1_score: int | None = None  # Phiếu B, part B1 (income proxy score), as a typed total
    # Phiếu B part B1 item by item (item code → answer code) and the B1 region to score them in; when given,
    # the B1 score is computed from the standard's item tables (``b1``) instead of typed.
    b1_items: dict[str, str] | None = None
    b1_region: str | None = None
    # Works in agriculture, forestry, fishery or salt production: only such a household can be of average
    # living standard (Decision 24/2021). None = not recorded: the income band alone decides, as before.
    farm_household: bool | None = None
    members: tuple[MemberFacts, ...] = ()
    size: int | None = None  # number of members, when they are not listed one by one
    dwelling: Dwelling | None = None
    floor_area_m2: Decimal | int | float | None = None  # total floor area of the dwelling
    safe_water: bool | None = None  # access to a safe domestic water source
    hygienic_latrine: bool | None = None
    internet_use: bool | None = None  # at least one member uses internet / digital services
    owns_info_device: bool | None = None  # TV, radio, computer, smartphone, tablet or similar
    waste_handled: bool | None = None  # household waste collected or handled hygienically
    answers: dict[str, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _coerce_enums(self, {"area": Area, "dwelling": Dwelling})
        object.__setattr__(self, "members", tuple(self.members))

    @property
    def member_count(self) -> int | None:
        if self.members:
            return len(self.members)
        return self.size


def field_names(cls: type) -> list[str]:
    return [f.name for f in fields(cls)]
