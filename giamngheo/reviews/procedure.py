"""Parameters and small rules of the review procedure (Decision 24/2021/QĐ-TTg), read from data.

Where a parameter belongs to a standard it is read from the standard's ``review_procedure`` section (so a
province can change it in its own standard file); the questions of Phiếu A come from the standard too when
it carries them, else from ``reviews/data/phieu_a.json``. Pure functions: no database here.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from giamngheo.standards.model import Standard, Text

PHIEU_A_FILE = Path(__file__).parent / "data" / "phieu_a.json"

# Decision 24/2021/QĐ-TTg requires the agreement of at least half of the attendees of the village meeting.
# Used only while the standard's data file has no ``review_procedure.meeting_agreement_percent``.
DECISION_24_AGREEMENT_PERCENT = 50


@dataclass(frozen=True)
class Question:
    code: str
    text: Text


@dataclass(frozen=True)
class PhieuA:
    version: str
    questions: tuple[Question, ...]
    screen_out_when_yes_at_least: Mapping[str, int]  # by area (rural / urban)
    provisional: Text | None
    legal_basis: Text
    source: str  # "standard" or the data file's name

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(q.code for q in self.questions)


@dataclass(frozen=True)
class Agreement:
    percent: int
    from_standard: bool  # False: the value of Decision 24/2021 used as the default


def _text(value: Mapping[str, str]) -> Text:
    return Text(vi=value["vi"], en=value["en"])


def _phieu_a_from(raw: Mapping[str, Any], source: str) -> PhieuA:
    provisional = raw.get("provisional")
    return PhieuA(
        version=str(raw.get("version", "")),
        questions=tuple(Question(code=q["code"], text=_text(q["text"])) for q in raw["questions"]),
        screen_out_when_yes_at_least=dict(raw["screen_out_when_yes_at_least"]),
        provisional=_text(provisional) if provisional else None,
        legal_basis=_text(raw["legal_basis"]),
        source=source,
    )


@lru_cache(maxsize=1)
def _default_phieu_a() -> PhieuA:
    return _phieu_a_from(json.loads(PHIEU_A_FILE.read_text(encoding="utf-8")), PHIEU_A_FILE.name)


def phieu_a(standard: Standard) -> PhieuA:
    procedure = standard.raw.get("review_procedure") or {}
    if isinstance(procedure.get("phieu_a"), Mapping):
        return _phieu_a_from(procedure["phieu_a"], "standard")
    return _default_phieu_a()


def screening_outcome(answers: Mapping[str, bool], *, area: str, questions: PhieuA) -> tuple[int, bool]:
    """(number of "yes" answers, screened out?) — enough signs of a household that is clearly not poor."""
    yes = sum(1 for code in questions.codes if answers.get(code))
    limit = questions.screen_out_when_yes_at_least.get(area) or max(
        questions.screen_out_when_yes_at_least.values()
    )
    return yes, yes >= limit


def meeting_agreement(standard: Standard) -> Agreement:
    procedure = standard.raw.get("review_procedure") or {}
    value = procedure.get("meeting_agreement_percent")
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 100:
        return Agreement(percent=value, from_standard=True)
    return Agreement(percent=DECISION_24_AGREEMENT_PERCENT, from_standard=False)


def meeting_agreed(*, votes_for: int, attendees: int, percent: int) -> bool:
    """At least ``percent`` % of the attendees agreed; integer arithmetic, so 50% of 7 needs 4 votes."""
    return attendees > 0 and votes_for * 100 >= attendees * percent


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The last day of a posting of ``days`` working days that begins on ``start`` (Saturdays and Sundays are
    skipped; a start on a weekend begins on the Monday). Public holidays are not known to the system."""
    day = start
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    counted = 1
    while counted < max(days, 1):
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    return day


# --- which standard a round uses (spec §1) -----------------------------------------------------------------

REGULAR = "regular"  # RoundKind.REGULAR (models import this module's neighbours; no model import here)


def governed_year(*, kind: str, year: int) -> int:
    """The year whose lists a round decides: a regular review of Y (1/9–14/12) decides the lists of Y+1; an
    ad-hoc (thường xuyên, monthly) review of Y changes the lists in force in Y."""
    return year + 1 if kind == REGULAR else year


@dataclass(frozen=True)
class StandardChoice:
    """The standard a round uses by default, why, and which others the officer may record instead."""

    kind: str
    year: int  # the review year
    governed_year: int
    default: Standard
    # Set when no national standard is known for the governed year yet: the review year's is used.
    fallback: bool
    # The review year's standard differs from the governed year's (the end-2026 review: VN-2022-2025 is in
    # force while VN-2027-2030 governs the list it decides). Only then may another standard be recorded.
    transition: bool
    alternatives: tuple[Standard, ...]

    def allows(self, standard_id: str) -> bool:
        return standard_id == self.default.id or any(s.id == standard_id for s in self.alternatives)


def _national(year: int, standards: list[Standard]) -> Standard | None:
    matches = [s for s in standards if s.scope == "national" and s.covers(year)]
    return matches[0] if len(matches) == 1 else None


def standard_choice(*, kind: str, year: int, standards: list[Standard]) -> StandardChoice | None:
    """The default standard of a round of ``kind`` in ``year`` from the standards data (None: no national
    standard covers the governed year nor the review year). ``standards`` is ``loader.list_standards()``."""
    governed = governed_year(kind=kind, year=year)
    in_force = _national(year, standards)
    default = _national(governed, standards)
    fallback = default is None
    if default is None:
        default = in_force
    if default is None:
        return None
    transition = not fallback and in_force is not None and in_force.id != default.id
    alternatives: tuple[Standard, ...] = ()
    if transition and in_force is not None:
        # The review year's standard, and any provincial standard for either year.
        alternatives = tuple(
            s
            for s in standards
            if s.id != default.id
            and (s.id == in_force.id or (s.scope != "national" and (s.covers(year) or s.covers(governed))))
        )
    return StandardChoice(
        kind=kind,
        year=year,
        governed_year=governed,
        default=default,
        fallback=fallback,
        transition=transition,
        alternatives=alternatives,
    )


def review_window(*, kind: str, year: int, month: int | None) -> tuple[datetime.date, datetime.date]:
    """When a round of this period is held: the regular review 1 September – 14 December of its year; an
    ad-hoc round within its month (Decision 24/2021/QĐ-TTg, Art. 4)."""
    if kind == REGULAR:
        return datetime.date(year, 9, 1), datetime.date(year, 12, 14)
    first = datetime.date(year, month or 1, 1)
    following = datetime.date(year + (first.month == 12), first.month % 12 + 1, 1)
    return first, following - datetime.timedelta(days=1)
