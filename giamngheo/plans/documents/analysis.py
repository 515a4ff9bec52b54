"""The poverty analysis of the plan (seed §II), as a pure builder from counts at the baseline review.

For the poor and the near-poor: households, people (khẩu) and the rate (% of all households), split by
labour capacity (with / without / not known), social protection (BTXH), provincial income support,
ethnic minority and meritorious service. Each split is "yes" and "no" of the same whole, so its parts
always add up to the group — the hand-typed seed's 48 + 16 ≠ 63 cannot happen here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from giamngheo.standards.formatting import number_vi, percent, percent_vi

GROUPS = ("poor", "near_poor")
CATEGORIES = ("social_protection", "provincial_income_support", "ethnic_minority", "meritorious")
CATEGORY_LABELS_VI = {
    "social_protection": "Thuộc chính sách bảo trợ xã hội",
    "provincial_income_support": "Được hỗ trợ thu nhập của tỉnh",
    "ethnic_minority": "Dân tộc thiểu số",
    "meritorious": "Có công với cách mạng",
}


@dataclass(frozen=True)
class GroupCounts:
    """Counts of one group (poor or near-poor) at the baseline, as one aggregate query returns them."""

    households: int = 0
    people: int = 0
    with_labour: int = 0
    without_labour: int = 0
    social_protection: int = 0
    provincial_income_support: int = 0
    ethnic_minority: int = 0
    meritorious: int = 0


@dataclass(frozen=True)
class Split:
    """One yes/no split of a group: ``yes + no == whole``."""

    key: str
    yes: int
    no: int

    @property
    def whole(self) -> int:
        return self.yes + self.no


@dataclass(frozen=True)
class GroupAnalysis:
    group: str
    households: int
    people: int
    rate: Decimal  # % of all households at the baseline
    with_labour: int
    without_labour: int
    labour_unknown: int  # results without a labour-capacity answer (an imported list may lack it)
    splits: tuple[Split, ...]

    def split(self, key: str) -> Split:
        return next(s for s in self.splits if s.key == key)


@dataclass(frozen=True)
class PovertyAnalysis:
    baseline_year: int
    households_total: int
    poor: GroupAnalysis
    near_poor: GroupAnalysis

    @property
    def groups(self) -> tuple[GroupAnalysis, GroupAnalysis]:
        return (self.poor, self.near_poor)


def _group(group: str, counts: GroupCounts, households_total: int) -> GroupAnalysis:
    known = counts.with_labour + counts.without_labour
    if known > counts.households or any(getattr(counts, c) > counts.households for c in CATEGORIES):
        raise ValueError(f"inconsistent counts for {group}: {counts}")
    return GroupAnalysis(
        group=group,
        households=counts.households,
        people=counts.people,
        rate=percent(counts.households, households_total),
        with_labour=counts.with_labour,
        without_labour=counts.without_labour,
        labour_unknown=counts.households - known,
        splits=tuple(
            Split(c, getattr(counts, c), counts.households - getattr(counts, c)) for c in CATEGORIES
        ),
    )


def build_poverty_analysis(
    *, baseline_year: int, households_total: int, poor: GroupCounts, near_poor: GroupCounts
) -> PovertyAnalysis:
    return PovertyAnalysis(
        baseline_year=baseline_year,
        households_total=households_total,
        poor=_group("poor", poor, households_total),
        near_poor=_group("near_poor", near_poor, households_total),
    )


def template_values(analysis: PovertyAnalysis) -> dict[str, str]:
    """The analysis as the plan document's placeholders, in Vietnamese formats (63; 1.545; 4,08%)."""
    values = {"households_total": number_vi(analysis.households_total)}
    for g in analysis.groups:
        values.update(
            {
                g.group: number_vi(g.households),
                f"{g.group}_people": number_vi(g.people),
                f"{g.group}_rate": percent_vi(g.rate),
                f"{g.group}_labour": number_vi(g.with_labour),
                f"{g.group}_no_labour": number_vi(g.without_labour),
                f"{g.group}_labour_unknown": number_vi(g.labour_unknown),
                **{
                    f"{g.group}_{c}": number_vi(g.split(c).yes)
                    for c in CATEGORIES
                    if c != "provincial_income_support"
                },
                f"{g.group}_income_support": number_vi(g.split("provincial_income_support").yes),
            }
        )
    return values
