"""Counts of a review round per village and per group: the aggregate queries behind the plan.

Both take the queryset of results to count — scoped (``results_visible_to(user)``) in selectors, all of
them in services that validate targets — and run one GROUP BY each, on the indexed (round, unit_path).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from giamngheo.households.models import Household
from giamngheo.households.selectors import register_counts
from giamngheo.plans.documents.analysis import GroupCounts
from giamngheo.reviews.models import ReviewResult, ReviewRound, Status


@dataclass(frozen=True)
class VillageCounts:
    households: int = 0
    people: int = 0
    poor: int = 0
    poor_people: int = 0
    poor_with_labour: int = 0
    near_poor: int = 0
    near_poor_people: int = 0
    near_poor_with_labour: int = 0


POOR = Q(status=Status.POOR)
NEAR_POOR = Q(status=Status.NEAR_POOR)
WITH_LABOUR = Q(labour_capacity=True)


def counts_by_village(
    results: QuerySet[ReviewResult],
    households: QuerySet[Household],
    *,
    review_round: ReviewRound,
    under: str,
) -> dict[str, VillageCounts]:
    """Village path → counts, for the results of ``review_round`` below the path ``under``.

    ``households`` and ``people`` are the register's on the day the round's lists took effect — every
    household of the village, whether the round listed it or not: the rates divide by them (spec §1)."""
    registered = register_counts(households, under=under, on=review_round.effective_date)
    rows = (
        results.filter(review_round=review_round, unit_path__startswith=under)
        .values("unit_path")
        .annotate(
            poor=Count("id", filter=POOR),
            poor_people=Sum("members", filter=POOR),
            poor_with_labour=Count("id", filter=POOR & WITH_LABOUR),
            near_poor=Count("id", filter=NEAR_POOR),
            near_poor_people=Sum("members", filter=NEAR_POOR),
            near_poor_with_labour=Count("id", filter=NEAR_POOR & WITH_LABOUR),
        )
        .order_by()
    )
    found = {row.pop("unit_path"): {k: v or 0 for k, v in row.items()} for row in rows}
    return {
        path: VillageCounts(**registered.get(path, {}), **found.get(path, {}))
        for path in registered.keys() | found.keys()
    }


def counts_by_group(
    results: QuerySet[ReviewResult], *, review_round: ReviewRound, under: str
) -> dict[str, GroupCounts]:
    """Status (poor, near_poor) → counts with the analysis' splits."""
    rows = (
        results.filter(
            review_round=review_round, unit_path__startswith=under, status__in=[Status.POOR, Status.NEAR_POOR]
        )
        .values("status")
        .annotate(
            households=Count("id"),
            people=Sum("members"),
            with_labour=Count("id", filter=Q(labour_capacity=True)),
            without_labour=Count("id", filter=Q(labour_capacity=False)),
            social_protection=Count("id", filter=Q(social_protection=True)),
            provincial_income_support=Count("id", filter=Q(provincial_income_support=True)),
            ethnic_minority=Count("id", filter=Q(ethnic_minority=True)),
            meritorious=Count("id", filter=Q(meritorious=True)),
        )
        .order_by()
    )
    found = {row.pop("status"): GroupCounts(**{k: v or 0 for k, v in row.items()}) for row in rows}
    return {group: found.get(group, GroupCounts()) for group in ("poor", "near_poor")}
