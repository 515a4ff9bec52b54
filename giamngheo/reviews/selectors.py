"""Scoped reads of review results: counts per unit for a round, the decided round of a year."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum

from giamngheo.accounts.models import User
from giamngheo.reviews.models import ReviewResult, ReviewRound, RoundKind, RoundState, Status
from giamngheo.units.models import Unit
from giamngheo.units.selectors import scope_q


def results_visible_to(user: User) -> QuerySet[ReviewResult]:
    return ReviewResult.objects.filter(scope_q(user, field="unit_path"))


def decided_regular_round(*, commune: Unit, year: int) -> ReviewRound | None:
    return ReviewRound.objects.filter(
        commune=commune, year=year, kind=RoundKind.REGULAR, state=RoundState.DECIDED
    ).first()


def counts_by_unit_path(*, user: User, review_round: ReviewRound, under: Unit) -> dict[str, dict[str, int]]:
    """Households and people by status for each village path below ``under``: one GROUP BY query."""
    rows = (
        results_visible_to(user)
        .filter(review_round=review_round, unit_path__startswith=under.path)
        .values("unit_path")
        .annotate(
            households=Count("id"),
            people=Sum("members"),
            poor=Count("id", filter=Q(status=Status.POOR)),
            poor_people=Sum("members", filter=Q(status=Status.POOR)),
            near_poor=Count("id", filter=Q(status=Status.NEAR_POOR)),
            near_poor_people=Sum("members", filter=Q(status=Status.NEAR_POOR)),
        )
    )
    return {row.pop("unit_path"): {k: v or 0 for k, v in row.items()} for row in rows}
