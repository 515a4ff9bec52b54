"""The poverty analysis (seed §II): every split adds up to its group."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from giamngheo.plans.documents.analysis import (
    CATEGORIES,
    GroupCounts,
    build_poverty_analysis,
    template_values,
)

SEED_POOR = GroupCounts(
    households=63,
    people=113,
    with_labour=16,
    without_labour=47,
    social_protection=35,
    provincial_income_support=2,
)
SEED_NEAR_POOR = GroupCounts(households=69, people=195, with_labour=50, without_labour=19)


def seed_analysis():
    return build_poverty_analysis(
        baseline_year=2022, households_total=1545, poor=SEED_POOR, near_poor=SEED_NEAR_POOR
    )


def test_rates_are_of_all_households_at_the_baseline():
    analysis = seed_analysis()
    assert analysis.poor.rate == Decimal("4.08") and analysis.near_poor.rate == Decimal("4.47")


def test_the_labour_split_adds_up_to_the_group():
    poor = seed_analysis().poor
    assert poor.with_labour + poor.without_labour + poor.labour_unknown == poor.households == 63


def test_results_without_a_labour_answer_are_counted_as_unknown_not_dropped():
    counts = GroupCounts(households=10, people=20, with_labour=3, without_labour=4)
    group = build_poverty_analysis(
        baseline_year=2022, households_total=100, poor=counts, near_poor=GroupCounts()
    ).poor
    assert group.labour_unknown == 3


def test_counts_that_cannot_be_parts_of_the_group_are_refused():
    bad = GroupCounts(households=5, people=9, with_labour=4, without_labour=4)
    with pytest.raises(ValueError):
        build_poverty_analysis(baseline_year=2022, households_total=100, poor=bad, near_poor=GroupCounts())


def test_the_document_placeholders_use_vietnamese_formats():
    values = template_values(seed_analysis())
    assert values["households_total"] == "1.545"
    assert values["poor_rate"] == "4,08%" and values["near_poor_rate"] == "4,47%"
    assert (values["poor_no_labour"], values["poor_labour"]) == ("47", "16")
    assert (values["poor_social_protection"], values["poor_income_support"]) == ("35", "2")


@st.composite
def group_counts(draw):
    households = draw(st.integers(0, 300))
    with_labour = draw(st.integers(0, households))
    without_labour = draw(st.integers(0, households - with_labour))
    categories = {c: draw(st.integers(0, households)) for c in CATEGORIES}
    return GroupCounts(
        households, draw(st.integers(households, households * 8)), with_labour, without_labour, **categories
    )


@given(group_counts(), group_counts(), st.integers(0, 5000))
def test_every_split_sums_to_its_group(poor, near_poor, extra):
    total = poor.households + near_poor.households + extra
    analysis = build_poverty_analysis(
        baseline_year=2022, households_total=total, poor=poor, near_poor=near_poor
    )
    for group in analysis.groups:
        assert group.with_labour + group.without_labour + group.labour_unknown == group.households
        for split in group.splits:
            assert split.yes + split.no == group.households
        assert Decimal(0) <= group.rate <= Decimal(100)
