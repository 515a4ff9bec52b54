"""Status changes between reviews: escaped, newly poor, fell back, newly escaped (3 years)."""

from __future__ import annotations

from datetime import date

from giamngheo.standards.loader import get_standard
from giamngheo.standards.transitions import Transition, is_newly_escaped, latest_transition, transitions

RULES = get_standard("VN-2022-2025").transitions


def latest(*history: tuple[int, str]) -> Transition | None:
    return latest_transition(list(history), RULES)


def test_poor_to_off_the_lists_is_escaping_poverty():
    assert latest((2022, "poor"), (2023, "not_poor")) == Transition.ESCAPED_POVERTY
    assert latest((2022, "poor"), (2023, "average")) == Transition.ESCAPED_POVERTY


def test_poor_to_near_poor_is_escaping_to_near_poverty():
    assert latest((2022, "poor"), (2023, "near_poor")) == Transition.ESCAPED_TO_NEAR_POOR


def test_near_poor_to_off_the_lists_is_escaping_near_poverty():
    assert latest((2022, "near_poor"), (2023, "average")) == Transition.ESCAPED_NEAR_POVERTY


def test_a_household_never_on_the_lists_is_newly_poor_or_near_poor():
    assert latest((2022, "not_poor"), (2023, "poor")) == Transition.NEWLY_POOR
    assert (
        latest(
            (2023, "near_poor"),
        )
        == Transition.NEWLY_NEAR_POOR
    )


def test_a_household_back_on_the_lists_within_the_look_back_fell_back():
    assert latest((2022, "poor"), (2023, "not_poor"), (2024, "poor")) == Transition.FELL_BACK_POOR
    assert (
        latest((2022, "near_poor"), (2023, "not_poor"), (2024, "near_poor")) == Transition.FELL_BACK_NEAR_POOR
    )


def test_a_household_back_after_the_look_back_period_counts_as_new():
    assert latest((2016, "poor"), (2017, "not_poor"), (2024, "poor")) == Transition.NEWLY_POOR


def test_near_poor_to_poor_and_staying_are_their_own_changes():
    assert latest((2022, "near_poor"), (2023, "poor")) == Transition.NEAR_POOR_TO_POOR
    assert latest((2022, "poor"), (2023, "poor")) == Transition.STAYED_POOR
    assert latest((2022, "average"), (2023, "not_poor")) == Transition.STAYED_OFF_LISTS


def test_history_is_ordered_by_date_whatever_the_input_order():
    changes = transitions([(date(2023, 12, 1), "not_poor"), (date(2022, 12, 1), "poor")], RULES)
    assert [c for _, c in changes] == [Transition.NEWLY_POOR, Transition.ESCAPED_POVERTY]


def test_a_household_is_newly_escaped_for_three_years_after_leaving_the_lists():
    history = [(2021, "poor"), (2022, "not_poor")]  # left at the end of 2022
    assert is_newly_escaped(history, date(2023, 6, 1), RULES)
    assert is_newly_escaped(history, date(2025, 12, 31), RULES)
    assert not is_newly_escaped(history, date(2026, 1, 1), RULES)


def test_leaving_the_near_poor_list_also_makes_a_household_newly_escaped():
    assert is_newly_escaped([(2022, "near_poor"), (2023, "average")], date(2024, 1, 1))


def test_a_household_back_on_a_list_or_never_on_one_is_not_newly_escaped():
    assert not is_newly_escaped([(2022, "poor"), (2023, "not_poor"), (2024, "poor")], date(2025, 1, 1), RULES)
    assert not is_newly_escaped([(2022, "not_poor"), (2023, "not_poor")], date(2024, 1, 1), RULES)
    assert not is_newly_escaped([(2022, "poor"), (2023, "near_poor")], date(2024, 1, 1), RULES)


def test_the_status_names_are_declared_once_and_the_models_choices_use_them():
    from giamngheo.households.models import Status as Choices
    from giamngheo.standards.loader import STATUSES
    from giamngheo.standards.transitions import ON_LISTS, Status

    assert [s.value for s in Status] == ["poor", "near_poor", "average", "not_poor"] == list(STATUSES)
    assert Choices.values == list(STATUSES) and ON_LISTS == ("poor", "near_poor")
