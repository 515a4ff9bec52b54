"""A poverty standard as the engine sees it, built from one data file (see ``loader``).

Every threshold the engine uses lives here, read from ``data/*.json`` or an administrator's directory;
nothing in code knows a number of the law. ``provisional`` maps a field path (``income.average_upper``,
``indicators.health_insurance``) to a note saying what is not yet checked against the legal text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Text:
    """A sentence or label in Vietnamese and English."""

    vi: str
    en: str


@dataclass(frozen=True)
class Dimension:
    code: str
    name: Text


@dataclass(frozen=True)
class Indicator:
    """One deprivation indicator: its code (format A column), labels and the parameters of its rule."""

    code: str
    dimension: str
    name: Text
    short: Text  # short label used inside explanations: "BHYT", "nhà tiêu hợp vệ sinh", "internet"
    deprived_when: Text
    aliases: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AgeSpan:
    years: int
    months: int = 0

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months


@dataclass(frozen=True)
class RetirementSchedule:
    """Retirement age of one sex: ``before`` the schedule starts, then ``start`` rising by ``step_months``
    each calendar year up to ``max`` (2019 Labour Code, Art. 169; Decree 135/2020/NĐ-CP)."""

    before: AgeSpan
    start: AgeSpan
    step_months: int
    max: AgeSpan


@dataclass(frozen=True)
class WorkingAge:
    min_age: int
    schedule_from_year: int
    male: RetirementSchedule
    female: RetirementSchedule


@dataclass(frozen=True)
class B1Option:
    """One answer to a B1 item, with its points in each B1 region."""

    code: str
    name: Text
    points: Mapping[str, int]  # B1 region code → points


@dataclass(frozen=True)
class B1Item:
    """One question of Phiếu B part B1 (a household characteristic or asset) and its answers."""

    code: str
    name: Text
    options: tuple[B1Option, ...]

    def option(self, code: str) -> B1Option | None:
        return next((option for option in self.options if option.code == code), None)


@dataclass(frozen=True)
class B1Region:
    """A region of the B1 item tables (6 rural regions and urban in Circular 07/2021); ``area`` says which
    cut-off and income line apply to it."""

    code: str
    area: str
    name: Text


@dataclass(frozen=True)
class B1Table:
    """The B1 item tables: per region, a base score plus the points of the answer given to each item."""

    regions: tuple[B1Region, ...]
    base_points: Mapping[str, int]
    items: tuple[B1Item, ...]

    def region(self, code: str) -> B1Region | None:
        return next((region for region in self.regions if region.code == code), None)

    def regions_of(self, area: str) -> tuple[B1Region, ...]:
        return tuple(region for region in self.regions if region.area == area)

    def item(self, code: str) -> B1Item | None:
        return next((item for item in self.items if item.code == code), None)


@dataclass(frozen=True)
class TransitionRules:
    fell_back_look_back_years: int
    newly_escaped_years: int
    newly_escaped_from: tuple[str, ...]


@dataclass(frozen=True)
class Standard:
    id: str
    version: str
    scope: str  # "national" or "provincial" (a local standard is only used when named)
    name: Text
    legal_basis: tuple[Text, ...]
    first_year: int
    last_year: int
    areas: Mapping[str, Text]
    income_lines: Mapping[str, int]
    average_upper: Mapping[str, int]
    low_income_worker_max: Mapping[str, int]
    b1_cutoffs: Mapping[str, int]
    b2_points_per_indicator: int
    b2_poor_min_points: int
    poor_min_deprivations: int
    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]
    working_age: WorkingAge
    transitions: TransitionRules
    posting_working_days: int
    provisional: Mapping[str, Text]
    source: str  # the file it was loaded from (and its parent's, for a derived standard)
    derives_from: str | None = None
    b1_table: B1Table | None = None  # None: only a typed B1 total can be used
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def indicator_codes(self) -> tuple[str, ...]:
        return tuple(indicator.code for indicator in self.indicators)

    def indicator(self, code: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(code)

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year

    def provisional_notes(self, path: str) -> list[tuple[str, Text]]:
        """Notes on ``path`` itself, on anything above it (``indicators`` covers ``indicators.waste``) and
        below it (``indicators.dependants.params.elderly_from_age`` makes ``indicators.dependants``
        provisional too)."""
        return [
            (key, note)
            for key, note in self.provisional.items()
            if key == path or path.startswith(key + ".") or key.startswith(path + ".")
        ]

    def is_provisional(self, path: str) -> bool:
        return bool(self.provisional_notes(path))

    def label(self) -> str:
        return f"{self.id} v{self.version}"
