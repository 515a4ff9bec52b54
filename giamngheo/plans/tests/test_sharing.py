"""Sharing a commune's reduction among villages, and the reduction an assigned rate asks for (pure)."""

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from giamngheo.demo.register import NEAR_POOR_WITH_LABOUR, POOR_WITH_LABOUR
from giamngheo.plans.sharing import ShareError, reduction_needed, share
from giamngheo.standards.formatting import percent

SEED_POOR = [3, 3, 2, 5, 4, 9, 9, 6, 5, 11, 6]
SEED_NEAR_POOR = [4, 5, 3, 6, 5, 6, 9, 6, 6, 6, 13]
SEED_POOR_TARGETS = [1, 0, 0, 1, 0, 2, 2, 1, 1, 3, 1]
SEED_NEAR_POOR_TARGETS = [1, 1, 0, 1, 1, 1, 3, 1, 1, 1, 4]


def test_the_assigned_rates_ask_for_the_seeds_reductions():
    assert reduction_needed(start=63, households=1545, assigned_rate=Decimal("3.30")) == 12
    assert reduction_needed(start=69, households=1545, assigned_rate=Decimal("3.50")) == 15


def test_a_rate_already_met_needs_no_reduction():
    assert reduction_needed(start=3, households=202, assigned_rate=Decimal("3.30")) == 0


def test_sharing_in_proportion_to_labour_capacity_gives_the_seed_targets_of_the_demo():
    villages = range(11)
    poor = share(
        12, dict(zip(villages, POOR_WITH_LABOUR, strict=True)), dict(zip(villages, SEED_POOR, strict=True))
    )
    near = share(
        15,
        dict(zip(villages, NEAR_POOR_WITH_LABOUR, strict=True)),
        dict(zip(villages, SEED_NEAR_POOR, strict=True)),
    )
    assert list(poor.values()) == SEED_POOR_TARGETS
    assert list(near.values()) == SEED_NEAR_POOR_TARGETS


def test_largest_remainders_make_the_parts_add_up():
    assert share(10, {"a": 1, "b": 1, "c": 1}, {"a": 9, "b": 9, "c": 9}) == {"a": 4, "b": 3, "c": 3}


def test_a_village_never_gets_more_than_it_has_and_the_rest_goes_to_the_others():
    assert share(6, {"a": 10, "b": 1}, {"a": 2, "b": 10}) == {"a": 2, "b": 4}


def test_without_weights_the_total_is_shared_in_proportion_to_what_villages_have():
    assert share(3, {"a": 0, "b": 0}, {"a": 1, "b": 2}) == {"a": 1, "b": 2}


def test_a_total_above_what_the_villages_have_is_refused():
    with pytest.raises(ShareError):
        share(5, {"a": 1}, {"a": 4})


@given(
    st.lists(st.tuples(st.integers(0, 20), st.integers(0, 30)), min_size=1, max_size=12),
    st.integers(0, 200),
)
def test_parts_always_sum_to_the_whole_within_the_caps(villages, total):
    weights = {i: w for i, (w, _) in enumerate(villages)}
    caps = {i: c for i, (_, c) in enumerate(villages)}
    assume(total <= sum(caps.values()))
    parts = share(total, weights, caps)
    assert sum(parts.values()) == total
    assert all(0 <= parts[i] <= caps[i] for i in caps)


@given(st.lists(st.integers(1, 20), min_size=1, max_size=12), st.integers(0, 60))
def test_without_binding_caps_each_part_is_its_quota_rounded_down_or_up(weights, total):
    caps = {i: 10_000 for i in range(len(weights))}
    parts = share(total, dict(enumerate(weights)), caps)
    for i, w in enumerate(weights):
        quota = total * w / sum(weights)
        assert int(quota) <= parts[i] <= int(quota) + 1


@given(st.integers(1, 3000), st.integers(0, 100), st.decimals(min_value=0, max_value=10, places=2))
def test_the_needed_reduction_is_the_smallest_that_meets_the_rate(households, start, rate):
    assume(start <= households)
    needed = reduction_needed(start=start, households=households, assigned_rate=rate)
    assert 0 <= needed <= start
    if percent(0, households) <= rate:
        assert percent(start - needed, households) <= rate
    if needed > 0 and needed < start:
        assert percent(start - needed + 1, households) > rate
