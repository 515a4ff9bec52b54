"""Status changes between a household's reviews (spec §5), as pure functions over its history.

A history is a list of ``(when, status)``: ``when`` is a review date or a review year; a year stands for the
31st of December of that year (the lists of an annual review take effect for the year after). "On the
lists" means poor or near-poor; ``average`` and ``not_poor`` are off the lists.

Judgment calls (parameters in the standard's ``transitions``):
* fell back (tái nghèo / tái cận nghèo) = now on a list, off at the previous review, and on *either* list at
  some review within the look-back period; the same household with no such review inside the period is
  counted as newly poor / near-poor (phát sinh mới) — the look-back defines what "never was" means;
* newly escaped (hộ mới thoát nghèo) = off the lists, having left one of ``newly_escaped_from`` (poor and
  near-poor, as Decision 28/2015/QĐ-TTg reads) at most ``newly_escaped_years`` ago, inclusive.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum

from giamngheo.standards.ages import add_months
from giamngheo.standards.model import TransitionRules


class Status(StrEnum):
    """A household's status after a review: the names, declared here once (the models' choices, the engine,
    the figures and the lists all use these values)."""

    POOR = "poor"
    NEAR_POOR = "near_poor"
    AVERAGE = "average"  # hộ có mức sống trung bình
    NOT_POOR = "not_poor"


ON_LISTS = (Status.POOR, Status.NEAR_POOR)
HistoryEntry = tuple[date | int, str]


class Transition(StrEnum):
    ESCAPED_POVERTY = "escaped_poverty"  # thoát nghèo: poor → off the lists
    ESCAPED_TO_NEAR_POOR = "escaped_to_near_poor"  # thoát nghèo sang cận nghèo
    ESCAPED_NEAR_POVERTY = "escaped_near_poverty"  # thoát cận nghèo: near-poor → off the lists
    NEWLY_POOR = "newly_poor"  # phát sinh mới hộ nghèo
    NEWLY_NEAR_POOR = "newly_near_poor"  # phát sinh mới hộ cận nghèo
    FELL_BACK_POOR = "fell_back_poor"  # tái nghèo
    FELL_BACK_NEAR_POOR = "fell_back_near_poor"  # tái cận nghèo
    NEAR_POOR_TO_POOR = "near_poor_to_poor"  # cận nghèo chuyển sang nghèo
    STAYED_POOR = "stayed_poor"
    STAYED_NEAR_POOR = "stayed_near_poor"
    STAYED_OFF_LISTS = "stayed_off_lists"


TRANSITION_VI = {
    Transition.ESCAPED_POVERTY: "thoát nghèo",
    Transition.ESCAPED_TO_NEAR_POOR: "thoát nghèo sang cận nghèo",
    Transition.ESCAPED_NEAR_POVERTY: "thoát cận nghèo",
    Transition.NEWLY_POOR: "hộ nghèo phát sinh mới",
    Transition.NEWLY_NEAR_POOR: "hộ cận nghèo phát sinh mới",
    Transition.FELL_BACK_POOR: "tái nghèo",
    Transition.FELL_BACK_NEAR_POOR: "tái cận nghèo",
    Transition.NEAR_POOR_TO_POOR: "từ cận nghèo thành nghèo",
    Transition.STAYED_POOR: "vẫn là hộ nghèo",
    Transition.STAYED_NEAR_POOR: "vẫn là hộ cận nghèo",
    Transition.STAYED_OFF_LISTS: "không thuộc danh sách",
}


def as_date(when: date | int) -> date:
    return when if isinstance(when, date) else date(when, 12, 31)


def _sorted(history: Sequence[HistoryEntry]) -> list[tuple[date, str]]:
    return sorted(((as_date(when), status) for when, status in history), key=lambda entry: entry[0])


def _on(status: str | None) -> bool:
    return status in ON_LISTS


def _change(previous: str | None, current: str, was_on_recently: bool) -> Transition:
    if not _on(current):
        escaped: dict[str, Transition] = {
            Status.POOR: Transition.ESCAPED_POVERTY,
            Status.NEAR_POOR: Transition.ESCAPED_NEAR_POVERTY,
        }
        return escaped.get(previous or "", Transition.STAYED_OFF_LISTS)
    poor = current == Status.POOR
    if previous == Status.POOR:
        return Transition.STAYED_POOR if poor else Transition.ESCAPED_TO_NEAR_POOR
    if previous == Status.NEAR_POOR:
        return Transition.NEAR_POOR_TO_POOR if poor else Transition.STAYED_NEAR_POOR
    if was_on_recently:
        return Transition.FELL_BACK_POOR if poor else Transition.FELL_BACK_NEAR_POOR
    return Transition.NEWLY_POOR if poor else Transition.NEWLY_NEAR_POOR


def transitions(history: Sequence[HistoryEntry], rules: TransitionRules) -> list[tuple[date, Transition]]:
    """The change at every review of ``history`` (the first review compares with "not on the lists")."""
    entries = _sorted(history)
    changes = []
    for index, (when, status) in enumerate(entries):
        previous = entries[index - 1][1] if index else None
        since = add_months(when, -12 * rules.fell_back_look_back_years)
        was_on_recently = any(_on(s) and w >= since for w, s in entries[: max(index - 1, 0)])
        changes.append((when, _change(previous, status, was_on_recently)))
    return changes


def latest_transition(history: Sequence[HistoryEntry], rules: TransitionRules) -> Transition | None:
    changes = transitions(history, rules)
    return changes[-1][1] if changes else None


def escaped_on(history: Sequence[HistoryEntry], on_date: date, rules: TransitionRules) -> date | None:
    """The review at which the household last left a list of ``newly_escaped_from``, if it is off the lists
    on ``on_date``."""
    entries = [(w, s) for w, s in _sorted(history) if w <= on_date]
    if not entries or _on(entries[-1][1]):
        return None
    index = len(entries) - 1
    while index > 0 and not _on(entries[index - 1][1]):
        index -= 1
    if index == 0 or entries[index - 1][1] not in rules.newly_escaped_from:
        return None
    return entries[index][0]


def is_newly_escaped(
    history: Sequence[HistoryEntry], on_date: date, rules: TransitionRules | None = None
) -> bool:
    """Hộ mới thoát nghèo on ``on_date``: left the lists at most ``newly_escaped_years`` before (inclusive).

    Without ``rules``, those of the standard in force in ``on_date``'s year are used.
    """
    if rules is None:
        from giamngheo.standards.loader import standard_for_year

        rules = standard_for_year(on_date.year).transitions
    left = escaped_on(history, on_date, rules)
    return left is not None and on_date <= add_months(left, 12 * rules.newly_escaped_years)


def status_from_history(
    history: Sequence[tuple[date, str]], rules: TransitionRules, on: date
) -> tuple[str, date | None, date | None]:
    """(latest status, its review date, day it left the lists) from decided results in review order.

    ``escaped_on`` is the engine's (``standards.transitions``): the review after the last one on a list of
    ``rules.newly_escaped_from``, when the household is off the lists now. Reviews dated after ``on`` count
    too (a round may be decided before its nominal review date): the stored status is the latest decided.
    """
    if not history:
        return ("", None, None)
    last_day, last_status = history[-1]
    return (last_status, last_day, escaped_on(list(history), max(on, last_day), rules))
