"""The list of households a round reviews: the current lists and those an earlier round left for later
(seeded), a request or the officer's pick (added), a household left for a later round (deferred)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from simple_history.utils import bulk_create_with_history

from giamngheo.accounts.models import User
from giamngheo.errors import InputError
from giamngheo.households.models import Household
from giamngheo.reviews.models import (
    Complaint,
    ListReason,
    ReviewResult,
    ReviewRound,
    RoundHousehold,
    RoundKind,
    RoundState,
    Step,
)
from giamngheo.reviews.services.common import _entry_locked, _save_entry, lock_open_round
from giamngheo.standards.transitions import ON_LISTS

# --- the list of households to review ---------------------------------------------------------------------


def _require_in_commune(review_round: ReviewRound, household: Household) -> None:
    if household.commune_id != review_round.commune_id:
        raise InputError.single(
            f"Hộ {household.code} không thuộc {review_round.commune.name}",
            f"Household {household.code} is not in {review_round.commune.name}",
            column="household",
            fix_vi="Chọn một hộ của xã đang rà soát",
            fix_en="Pick a household of the commune under review",
        )


def current_list_status(*, review_round: ReviewRound) -> dict[int, str]:
    """Each household's status at the latest decided review before this round (any kind of round)."""
    latest: dict[int, str] = {}
    rows = (
        ReviewResult.objects.filter(
            review_round__commune_id=review_round.commune_id,
            review_round__state=RoundState.DECIDED,
            review_round__review_date__lt=review_round.review_date,
        )
        .order_by("review_round__review_date")
        .values_list("household_id", "status")
    )
    for household_id, status in rows.iterator(chunk_size=5000):
        latest[household_id] = status
    return latest


def deferred_households(*, review_round: ReviewRound) -> dict[int, str]:
    """Households an earlier decided round of the commune left for a later round and no round since has
    listed: household id → a note saying so (for the new round's list)."""
    listed_later = RoundHousehold.objects.filter(
        household_id=OuterRef("household_id"),
        review_round__commune_id=review_round.commune_id,
        review_round__review_date__gt=OuterRef("review_round__review_date"),
        review_round__review_date__lt=review_round.review_date,
    )
    rows = (
        RoundHousehold.objects.filter(
            review_round__commune_id=review_round.commune_id,
            review_round__state=RoundState.DECIDED,
            review_round__review_date__lt=review_round.review_date,
            deferred=True,
        )
        .filter(~Exists(listed_later))
        .select_related("review_round")
    )
    return {
        row.household_id: f"Để lại từ đợt {row.review_round.period}: {row.deferred_reason}".strip(": ")
        for row in rows
    }


@transaction.atomic
def round_household_defer(*, entry: RoundHousehold, reason: str, actor: User | None = None) -> RoundHousehold:
    """Leave a household for a later round: it is not decided in this one (its result here, if any, is
    removed with history) and the next round's "bring in" lists it."""
    review_round, entry = _entry_locked(entry)
    if not reason.strip():
        raise InputError.single(
            "Cần ghi lý do để hộ sang đợt sau",
            "Give the reason for leaving it for a later round",
            column="reason",
        )
    if Complaint.objects.filter(entry=entry, outcome="").exists():
        raise InputError.single(
            f"Hộ {entry.household.code} còn khiếu nại chưa phúc tra",
            f"Household {entry.household.code} has a complaint not re-checked yet",
            column="reason",
        )
    for result in ReviewResult.objects.filter(review_round=review_round, household_id=entry.household_id):
        result._history_user = actor  # type: ignore[attr-defined]
        result.delete()
    entry.deferred = True
    entry.deferred_reason = reason.strip()
    entry.posting = None
    _save_entry(entry, actor)
    return entry


@transaction.atomic
def round_households_seed(*, review_round: ReviewRound, actor: User | None = None) -> int:
    """Put the households of the current poor and near-poor lists on a regular round's list, and those an
    earlier round left for a later one on any round's list (idempotent). An ad-hoc round otherwise reviews
    only households that asked or whose situation changed."""
    review_round = lock_open_round(review_round)
    on_lists: set[int] = set()
    if review_round.kind == RoundKind.REGULAR:
        on_lists = {
            hid
            for hid, status in current_list_status(review_round=review_round).items()
            if status in ON_LISTS
        }
    deferred = deferred_households(review_round=review_round)
    present = set(
        RoundHousehold.objects.filter(review_round=review_round).values_list("household_id", flat=True)
    )
    households = Household.objects.filter(
        pk__in=sorted((on_lists | set(deferred)) - present),
        commune_id=review_round.commune_id,
        dissolved_on__isnull=True,
    )
    entries = [
        RoundHousehold(
            review_round=review_round,
            household=h,
            unit_path=h.unit_path,
            reason=ListReason.ON_LIST if h.pk in on_lists else ListReason.ADDED,
            note=deferred.get(h.pk, "") if h.pk not in on_lists else "",
            step=Step.LISTED,
        )
        for h in households.only("pk", "unit_path").iterator(chunk_size=2000)
    ]
    bulk_create_with_history(entries, RoundHousehold, batch_size=2000, default_user=actor)
    return len(entries)


@transaction.atomic
def round_household_add(
    *,
    review_round: ReviewRound,
    household: Household,
    reason: str,
    request_date: datetime.date | None = None,
    note: str = "",
    actor: User | None = None,
) -> RoundHousehold:
    """Add a household to the list: a request (Mẫu số 01, with the date received) or the officer's pick."""
    review_round = lock_open_round(review_round)
    _require_in_commune(review_round, household)
    if household.dissolved_on is not None:
        raise InputError.single(
            f"Hộ {household.code} đã giải thể (tách, nhập) ngày {household.dissolved_on:%d/%m/%Y}",
            f"Household {household.code} was closed (split or merged) on {household.dissolved_on:%Y-%m-%d}",
            column="household",
        )
    if reason not in ListReason.values:
        raise InputError.single(f"Lý do không hợp lệ: {reason}", f"Unknown reason: {reason}", column="reason")
    if reason == ListReason.REQUESTED and request_date is None:
        raise InputError.single(
            "Cần ngày nhận giấy đề nghị (Mẫu số 01)",
            "The date the request (Mẫu số 01) was received is required",
            column="request_date",
        )
    if RoundHousehold.objects.filter(review_round=review_round, household=household).exists():
        raise InputError.single(
            f"Hộ {household.code} đã có trong danh sách rà soát",
            f"Household {household.code} is already on the list of this round",
            column="household",
        )
    entry = RoundHousehold(
        review_round=review_round,
        household=household,
        unit_path=household.unit_path,
        reason=reason,
        request_date=request_date,
        note=note.strip(),
    )
    entry._history_user = actor  # type: ignore[attr-defined]
    entry.save()
    return entry
