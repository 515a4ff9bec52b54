"""The vectorised indicators (``frame_facts``) agree with the per-household engine on random households."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giamngheo.errors import InputError
from giamngheo.standards.ages import retirement_date
from giamngheo.standards.classify import classify
from giamngheo.standards.facts import (
    Dwelling,
    EducationLevel,
    Employment,
    HouseholdFacts,
    SchoolLevel,
    Sex,
)
from giamngheo.standards.frame_facts import (
    ANSWER_PREFIX,
    LACKS,
    RULE_CODES,
    classify_facts,
    enum_code,
    indicator_frame,
    retired_born_by,
)
from giamngheo.standards.indicators import RULES, Context, evaluate, has_no_labour_capacity
from giamngheo.standards.loader import get_standard, load_standards
from giamngheo.testing.strategies import DATES, maybe, maybe_bool, members

STANDARDS = [get_standard("VN-2022-2025"), get_standard("VN-2027-2030")]
standards = st.sampled_from(STANDARDS).map(lambda s: s.id)  # ids: short reports on failure
CODES = sorted({code for s in STANDARDS for code in s.indicator_codes})


@st.composite
def households(draw, on: date) -> HouseholdFacts:  # type: ignore[no-untyped-def]
    people = draw(st.lists(members(on), max_size=6))
    size = draw(st.one_of(st.none(), st.integers(0, 8)))
    count = len(people) or size or 1
    area = draw(
        st.one_of(
            st.none(),
            st.decimals(0, 200, places=2),
            st.sampled_from([Decimal(8 * count) + d for d in (Decimal("-0.01"), 0, Decimal("0.01"))]),
        )
    )
    return HouseholdFacts(
        area=draw(st.sampled_from(["rural", "urban"])),
        income_per_capita=draw(
            st.one_of(
                st.none(),
                st.integers(0, 5_000_000),
                st.sampled_from([1_500_000, 1_500_001, 2_000_000, 2_200_000, 2_250_000, 3_000_000]),
            )
        ),
        b1_score=draw(st.one_of(st.none(), st.integers(100, 200))),
        farm_household=draw(maybe_bool),
        members=tuple(people),
        size=size,
        dwelling=draw(maybe(Dwelling)),
        floor_area_m2=area,
        safe_water=draw(maybe_bool),
        hygienic_latrine=draw(maybe_bool),
        internet_use=draw(maybe_bool),
        owns_info_device=draw(maybe_bool),
        waste_handled=draw(maybe_bool),
        answers=draw(st.dictionaries(st.sampled_from(CODES), st.booleans(), max_size=3)),
    )


@st.composite
def registers(draw):  # type: ignore[no-untyped-def]
    on = draw(st.sampled_from(DATES))
    return on, draw(st.lists(households(on), min_size=1, max_size=8))


def frames(register: list[HouseholdFacts], *, codes: bool = False) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The register as the two input frames; ``codes`` gives enums as integer codes (the database path)."""

    def enum(enum_type, value):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return enum_code(enum_type, value) if codes else value.value

    household_rows, member_rows = [], []
    for key, h in enumerate(register):
        row = {
            "household": key,
            "area": h.area.value if h.area else None,
            "income_per_capita": h.income_per_capita,
            "b1_score": h.b1_score,
            "farm_household": h.farm_household,
            "size": h.size,
            "dwelling": enum(Dwelling, h.dwelling),
            "floor_area_m2": float(h.floor_area_m2) if h.floor_area_m2 is not None else None,
            **{flag: getattr(h, flag) for flag in LACKS.values()},
            **{f"{ANSWER_PREFIX}{code}": h.answers.get(code) for code in CODES},
        }
        household_rows.append(row)
        for m in h.members:
            member_rows.append(
                {
                    "household": key,
                    "birth_date": m.birth_date,
                    "sex": enum(Sex, m.sex),
                    "employment": enum(Employment, m.employment),
                    "education_level": enum(EducationLevel, m.education_level),
                    "school_level": enum(SchoolLevel, m.school_level),
                    **{
                        name: getattr(m, name)
                        for name in (
                            "severe_disability",
                            "able_to_work",
                            "has_vocational_certificate",
                            "in_training",
                            "attending_school",
                            "has_health_insurance",
                            "stunted_or_underweight",
                        )
                    },
                }
            )
    enum_type = pl.Int8 if codes else pl.String
    household_schema = {
        "household": pl.Int64,
        "area": pl.String,
        "income_per_capita": pl.Int64,
        "b1_score": pl.Int64,
        "farm_household": pl.Boolean,
        "size": pl.Int64,
        "dwelling": enum_type,
        "floor_area_m2": pl.Float64,
        **dict.fromkeys(LACKS.values(), pl.Boolean),
        **{f"{ANSWER_PREFIX}{code}": pl.Boolean for code in CODES},
    }
    member_schema = {
        "household": pl.Int64,
        "birth_date": pl.Date,
        **dict.fromkeys(("sex", "employment", "education_level", "school_level"), enum_type),
        **dict.fromkeys(
            (
                "severe_disability",
                "able_to_work",
                "has_vocational_certificate",
                "in_training",
                "attending_school",
                "has_health_insurance",
                "stunted_or_underweight",
            ),
            pl.Boolean,
        ),
    }
    return (
        pl.DataFrame(household_rows, schema=household_schema, orient="row"),
        pl.DataFrame(member_rows, schema=member_schema, orient="row"),
    )


def not3(value: bool | None) -> bool | None:
    return None if value is None else not value


@pytest.mark.slow
@settings(max_examples=120, deadline=None)
@given(register=registers(), standard_id=standards, codes=st.booleans())
def test_every_indicator_agrees_with_the_engine_on_random_households(register, standard_id, codes):
    on, households_facts = register
    standard = get_standard(standard_id)
    out = indicator_frame(*frames(households_facts, codes=codes), standard, on)
    assert out.columns == ["household", "member_count", "labour_capacity", *standard.indicator_codes]
    for facts, row in zip(households_facts, out.iter_rows(named=True), strict=True):
        expected = {
            e.code: e.answer if e.answer is not None else e.from_facts for e in evaluate(facts, standard, on)
        }
        assert {code: row[code] for code in standard.indicator_codes} == expected, facts
        assert row["member_count"] == facts.member_count
        assert row["labour_capacity"] == not3(has_no_labour_capacity(facts, standard, on))


@pytest.mark.slow
@settings(max_examples=50, deadline=None)
@given(register=registers(), standard_id=standards)
def test_the_classification_agrees_with_classify_and_unclassifiable_households_are_marked(
    register, standard_id
):
    on, households_facts = register
    standard = get_standard(standard_id)
    out = classify_facts(*frames(households_facts), standard, on)
    for facts, row in zip(households_facts, out.iter_rows(named=True), strict=True):
        try:
            one = classify(facts, standard, on)
        except InputError:
            assert row["classifiable"] is False and row["status"] is None
            continue
        assert row["classifiable"] is True
        assert (row["status"], row["deprivation_count"], row["deprived"], row["b2_score"]) == (
            one.status,
            one.deprivation_count,
            ";".join(one.deprived),
            one.b2_score,
        )
        assert (row["income_test"], row["at_or_below_line"]) == (one.income_test, one.at_or_below_line)


@pytest.mark.parametrize("on", [date(2020, 6, 30), date(2024, 12, 14), date(2027, 1, 1), date(2040, 5, 5)])
@pytest.mark.parametrize("sex", [Sex.MALE, Sex.FEMALE])
def test_the_retirement_bound_separates_retired_from_working_birth_dates_day_by_day(on, sex):
    working_age = STANDARDS[0].working_age
    bound = retired_born_by(on, sex, working_age)
    start = date(on.year - 66, 1, 1)
    for offset in range(0, 365 * 14):
        born = start + timedelta(days=offset)
        assert (born <= bound) == (retirement_date(born, sex, working_age) <= on), born


def test_every_rule_of_the_engine_has_a_vectorised_twin():
    assert set(RULES) == RULE_CODES


@pytest.mark.parametrize(("code", "flag"), sorted(LACKS.items()))
def test_household_fact_indicators_read_the_same_fact_as_the_engine(code, flag):
    standard = STANDARDS[0]
    lacking = HouseholdFacts(**{flag: False})
    having = HouseholdFacts(**{flag: True})
    assert RULES[code](Context(lacking, standard, DATES[0]), {}) is True
    assert RULES[code](Context(having, standard, DATES[0]), {}) is False


def test_a_household_listed_with_its_size_only_has_its_member_indicators_unknown():
    on = DATES[0]
    households = pl.DataFrame(
        {
            "household": [1],
            "area": ["rural"],
            "income_per_capita": [900_000],
            "size": [4],
            "floor_area_m2": [31.99],
        }
    )
    members = pl.DataFrame(schema={"household": pl.Int64, "birth_date": pl.Date})
    row = indicator_frame(households, members, STANDARDS[0], on).row(0, named=True)
    assert row["member_count"] == 4 and row["labour_capacity"] is None
    assert row["employment"] is None and row["dependants"] is None and row["health_insurance"] is None
    assert row["housing_area"] is True  # 31.99 m² for 4 declared people is short of 8 m² each


def test_an_indicator_of_a_province_without_a_rule_is_decided_by_its_answer_only(tmp_path):
    own = {
        "id": "XX-TEST",
        "derives_from": STANDARDS[0].id,
        "indicators": [
            {
                "code": "electricity",
                "dimension": "housing",
                "name": {"vi": "Điện", "en": "Electricity"},
                "short": {"vi": "điện", "en": "electricity"},
                "deprived_when": {"vi": "Không có điện", "en": "No electricity"},
                "params": {},
            }
        ],
    }
    (tmp_path / "XX-TEST.json").write_text(json.dumps(own), encoding="utf-8")
    standard = load_standards(tmp_path)["XX-TEST"]
    households = pl.DataFrame(
        {"household": [1, 2], "area": ["rural", "rural"], f"{ANSWER_PREFIX}electricity": [True, None]}
    )
    members = pl.DataFrame(schema={"household": pl.Int64})
    out = indicator_frame(households, members, standard, DATES[0])
    assert out["electricity"].to_list() == [True, None]


def test_the_vectorised_indicators_do_not_import_django():
    code = "import sys, giamngheo.standards.frame_facts\nprint('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
