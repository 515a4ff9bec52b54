"""Writes to review rounds and results. Results of a decided round are official and locked."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from giamngheo.accounts.models import User
from giamngheo.errors import InputError
from giamngheo.households.models import Household
from giamngheo.reviews.models import ResultSource, ReviewResult, ReviewRound, RoundKind, RoundState
from giamngheo.standards.loader import get_standard, standard_for_year
from giamngheo.units.models import Unit


def default_review_date(*, year: int, kind: str, month: int | None) -> datetime.date:
    """The regular review closes on 14 December; an ad-hoc round is held from the 15th of its month."""
    if kind == RoundKind.ADHOC:
        return datetime.date(year, month or 1, 15)
    return datetime.date(year, 12, 14)


@transaction.atomic
def review_round_open(
    *,
    commune: Unit,
    year: int,
    kind: str = RoundKind.REGULAR,
    month: int | None = None,
    standard_id: str | None = None,
    review_date: datetime.date | None = None,
    actor: User | None = None,
) -> ReviewRound:
    """The round of this commune and period, created on first use with the standard in force for the year."""
    if kind == RoundKind.ADHOC and not (month and 1 <= month <= 12):
        raise InputError.single(
            "Đợt rà soát đột xuất cần tháng (1–12)", "An ad-hoc round needs a month (1–12)"
        )
    if kind == RoundKind.REGULAR:
        month = None
    existing = ReviewRound.objects.filter(commune=commune, year=year, kind=kind, month=month).first()
    if existing is not None:
        return existing
    standard = get_standard(standard_id) if standard_id else standard_for_year(year)
    review_round = ReviewRound(
        commune=commune,
        year=year,
        kind=kind,
        month=month,
        standard_id=standard.id,
        standard_version=standard.version,
        review_date=review_date or default_review_date(year=year, kind=kind, month=month),
    )
    review_round._history_user = actor  # type: ignore[attr-defined]
    review_round.save()
    return review_round


@dataclass(frozen=True)
class ResultRow:
    """One household's result as it enters a round (from a survey, an import or the demo)."""

    household: Household
    status: str
    source: str = ResultSource.SURVEY
    members: int | None = None  # defaults to the household's declared size
    labour_capacity: bool | None = None
    income_per_capita: int | None = None
    b1_score: int | None = None
    b2_score: int | None = None
    deprivation_count: int | None = None
    deprived: str = ""
    explanation_vi: str = ""
    explanation_en: str = ""


def ensure_round_open(review_round: ReviewRound) -> None:
    if review_round.state == RoundState.DECIDED:
        raise InputError.single(
            f"Kết quả rà soát {review_round} đã được UBND xã quyết định công nhận và bị khoá",
            f"The results of {review_round} were decided by the commune chair and are locked",
            fix_vi="Mở một đợt rà soát đột xuất để điều chỉnh",
            fix_en="Open an ad-hoc round to correct them",
        )


@transaction.atomic
def results_record(*, review_round: ReviewRound, rows: Iterable[ResultRow], actor: User | None = None) -> int:
    """Put these results into an open round, replacing earlier results of the same households. Bulk writes."""
    ensure_round_open(review_round)
    rows = list(rows)
    household_ids = [row.household.pk for row in rows]
    ReviewResult.objects.filter(review_round=review_round, household_id__in=household_ids).delete()
    results = [
        ReviewResult(
            review_round=review_round,
            household=row.household,
            unit_path=row.household.unit_path,
            status=row.status,
            source=row.source,
            members=row.members if row.members is not None else row.household.size,
            labour_capacity=row.labour_capacity
            if row.labour_capacity is not None
            else row.household.labour_capacity,
            social_protection=row.household.social_protection,
            ethnic_minority=row.household.ethnic_minority,
            meritorious=row.household.meritorious,
            provincial_income_support=row.household.provincial_income_support,
            income_per_capita=row.income_per_capita,
            b1_score=row.b1_score,
            b2_score=row.b2_score,
            deprivation_count=row.deprivation_count,
            deprived=row.deprived,
            explanation_vi=row.explanation_vi,
            explanation_en=row.explanation_en,
        )
        for row in rows
    ]
    bulk_create_with_history(results, ReviewResult, batch_size=2000, default_user=actor)
    return len(results)


@transaction.atomic
def review_round_decide(
    *,
    review_round: ReviewRound,
    decision_number: str,
    decision_date: datetime.date,
    actor: User | None = None,
) -> ReviewRound:
    """The commune chair's decision: the results become official and locked."""
    review_round = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
    ensure_round_open(review_round)
    if not decision_number.strip():
        raise InputError.single(
            "Cần số quyết định", "A decision number is required", column="decision_number"
        )
    review_round.state = RoundState.DECIDED
    review_round.decision_number = decision_number.strip()
    review_round.decision_date = decision_date
    review_round._history_user = actor  # type: ignore[attr-defined]
    review_round.save()
    return review_round
