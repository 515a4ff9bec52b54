"""Writes that set a round up — the standard it uses (its default, or another recorded with the reason in a
year when the standard changes), its opening — and write results into it (from a survey, an import or
the demo); and the check that keeps a village in its commune while a round holds its households."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from giamngheo.accounts.models import User
from giamngheo.errors import InputError
from giamngheo.households.models import Household
from giamngheo.reviews.models import ResultSource, ReviewResult, ReviewRound, RoundKind, RoundState
from giamngheo.reviews.procedure import StandardChoice, governed_year, standard_choice
from giamngheo.reviews.services.common import lock_open_round
from giamngheo.standards.loader import get_standard, list_standards, standard_for_year
from giamngheo.standards.model import Standard
from giamngheo.units.models import Unit


def default_review_date(*, year: int, kind: str, month: int | None) -> datetime.date:
    """The regular review closes on 14 December; an ad-hoc round is held from the 15th of its month."""
    if kind == RoundKind.ADHOC:
        return datetime.date(year, month or 1, 15)
    return datetime.date(year, 12, 14)


def round_standard_choice(*, kind: str, year: int) -> StandardChoice:
    """Which standard a round uses by default and what else may be recorded (spec §1), from the data."""
    choice = standard_choice(kind=kind, year=year, standards=list_standards())
    if choice is None:
        standard_for_year(governed_year(kind=kind, year=year))  # raises the loader's error, with the fix
        raise AssertionError("unreachable")
    return choice


def round_default_standard(*, kind: str, year: int) -> Standard:
    return round_standard_choice(kind=kind, year=year).default


@transaction.atomic
def review_round_standard_set(
    *, review_round: ReviewRound, standard_id: str, reason: str, actor: User | None = None
) -> ReviewRound:
    """Record the standard an open round uses instead of (or back to) its default, with the reason — only in
    a year when the standard changes (spec §1; issue 7 I), and only before any household is classified."""
    current = lock_open_round(review_round)
    choice = round_standard_choice(kind=current.kind, year=current.year)
    if not choice.transition:
        raise InputError.single(
            f"Năm {current.governed_year} không phải năm chuyển giai đoạn chuẩn nghèo: "
            f"đợt này dùng {choice.default.id}",
            f"{current.governed_year} is not a year when the poverty standard changes: this round uses "
            f"{choice.default.id}",
            column="standard",
        )
    standard = get_standard(standard_id)
    if not choice.allows(standard.id):
        allowed = ", ".join([choice.default.id, *(s.id for s in choice.alternatives)])
        raise InputError.single(
            f"Chuẩn {standard.id} không áp dụng cho đợt này",
            f"Standard {standard.id} does not apply to this round",
            column="standard",
            fix_vi=f"chọn một trong: {allowed}",
            fix_en=f"choose one of: {allowed}",
        )
    reason = reason.strip()
    if standard.id != choice.default.id and not reason:
        raise InputError.single(
            f"Cần ghi lý do dùng {standard.id} thay cho {choice.default.id}",
            f"Give the reason for using {standard.id} instead of {choice.default.id}",
            column="reason",
            fix_vi="ví dụ: số và ngày văn bản hướng dẫn của tỉnh",
            fix_en="for example the number and date of the province's instruction",
        )
    if ReviewResult.objects.filter(review_round=current).exists():
        raise InputError.single(
            "Đã có hộ được phân loại theo chuẩn hiện tại: không đổi chuẩn được nữa",
            "Households are already classified under the current standard: it can no longer be changed",
            column="standard",
            fix_vi="đổi chuẩn trước khi nhập Phiếu B",
            fix_en="change the standard before any Phiếu B is entered",
        )
    current.standard_id = standard.id
    current.standard_version = standard.version
    current.standard_reason = reason
    current._history_user = actor  # type: ignore[attr-defined]
    current._change_reason = reason  # type: ignore[attr-defined]
    current.save(update_fields=["standard_id", "standard_version", "standard_reason"])
    return current


@transaction.atomic
def review_round_open(
    *,
    commune: Unit,
    year: int,
    kind: str = RoundKind.REGULAR,
    month: int | None = None,
    standard_id: str | None = None,
    review_date: datetime.date | None = None,
    standard_reason: str = "",
    actor: User | None = None,
) -> ReviewRound:
    """The round of this commune and period, created on first use with the standard of the year whose lists
    it decides (``round_default_standard``) unless one is named."""
    if kind == RoundKind.ADHOC and not (month and 1 <= month <= 12):
        raise InputError.single(
            "Đợt rà soát thường xuyên cần tháng (1–12)", "An ad-hoc round needs a month (1–12)"
        )
    if kind == RoundKind.REGULAR:
        month = None
    existing = ReviewRound.objects.filter(commune=commune, year=year, kind=kind, month=month).first()
    if existing is not None:
        return existing
    standard = get_standard(standard_id) if standard_id else round_default_standard(kind=kind, year=year)
    review_round = ReviewRound(
        commune=commune,
        year=year,
        kind=kind,
        month=month,
        standard_id=standard.id,
        standard_version=standard.version,
        standard_reason=standard_reason,
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


@transaction.atomic
def results_record(*, review_round: ReviewRound, rows: Iterable[ResultRow], actor: User | None = None) -> int:
    """Put these results into an open round, replacing earlier results of the same households. Bulk writes."""
    lock_open_round(review_round)
    return len(_results_write(review_round=review_round, rows=rows, actor=actor))


def _results_write(
    *, review_round: ReviewRound, rows: Iterable[ResultRow], actor: User | None
) -> list[ReviewResult]:
    """``results_record`` once the caller holds the open round's lock: the results written, with their ids."""
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
    return bulk_create_with_history(results, ReviewResult, batch_size=2000, default_user=actor)


def open_rounds_keep_their_villages(*, unit: Unit, **_kwargs: Any) -> None:
    """A village may not leave its commune while one of that commune's reviews in progress holds its
    households (``units.services.unit_moved``): the round would be decided for households it no longer
    governs. Raising rolls the move back."""
    if unit.level.code != "village":
        return
    rounds = (
        ReviewRound.objects.filter(state=RoundState.OPEN)
        .exclude(commune_id=unit.parent_id)
        .filter(Q(households__household__village=unit) | Q(results__household__village=unit))
        .distinct()
        .select_related("commune")
    )
    holding = list(rounds[:3])
    if holding:
        names = ", ".join(f"{r.commune.name} {r.year}" for r in holding)
        raise InputError.single(
            f"Không chuyển được {unit.name}: hộ của thôn đang trong đợt rà soát chưa công nhận ({names})",
            f"Cannot move {unit.name}: its households are in a review still in progress ({names})",
            column="parent_code",
            fix_vi="Công nhận kết quả đợt rà soát trước, rồi chuyển thôn",
            fix_en="Decide the review first, then move the village",
        )
