"""What the review's writes share: the open round's row lock (every write takes it first and refuses a
decided round), a household's entry locked with it, and the checks of a village and of a date."""

from __future__ import annotations

import datetime

from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.errors import InputError
from giamngheo.reviews.models import ReviewRound, RoundHousehold, RoundState
from giamngheo.units.models import Unit

# --- the open round's lock and the shared checks -----------------------------------------------------------


def ensure_round_open(review_round: ReviewRound) -> None:
    if review_round.state == RoundState.DECIDED:
        raise InputError.single(
            f"Kết quả rà soát {review_round} đã được UBND xã quyết định công nhận và bị khoá",
            f"The results of {review_round} were decided by the commune chair and are locked",
            fix_vi="Mở một đợt rà soát thường xuyên (hằng tháng) để điều chỉnh",
            fix_en="Open an ad-hoc round to correct them",
        )


def lock_open_round(review_round: ReviewRound) -> ReviewRound:
    """The round's row, locked until the transaction ends, after checking it is still open (not decided)."""
    current = (
        ReviewRound.objects.select_for_update(of=("self",)).select_related("commune").get(pk=review_round.pk)
    )
    ensure_round_open(current)
    return current


def _require_village(review_round: ReviewRound, village: Unit) -> None:
    if village.parent_id != review_round.commune_id:
        raise InputError.single(
            f"{village.name} không phải là thôn của {review_round.commune.name}",
            f"{village.name} is not a village of {review_round.commune.name}",
            column="village",
            fix_vi="Chọn một thôn của xã đang rà soát",
            fix_en="Pick a village of the commune under review",
        )


def _not_after_today(day: datetime.date, column: str, what_vi: str, what_en: str) -> None:
    """A date of the procedure is a fact that happened: never later than today."""
    today = timezone.localdate()
    if day > today:
        raise InputError.single(
            f"{what_vi} ({day:%d/%m/%Y}) sau ngày hôm nay ({today:%d/%m/%Y})",
            f"{what_en} ({day.isoformat()}) is after today ({today.isoformat()})",
            column=column,
            fix_vi="Ghi ngày đã thực hiện; việc chưa làm thì ghi sau",
            fix_en="Enter the day it took place; record what has not happened yet later",
        )


def _entry_locked(entry: RoundHousehold, *related: str) -> tuple[ReviewRound, RoundHousehold]:
    review_round = lock_open_round(entry.review_round)
    current = RoundHousehold.objects.select_related("household", *related).get(pk=entry.pk)
    if current.deferred:
        raise InputError.single(
            f"Hộ {current.household.code} đã được để lại cho đợt rà soát sau",
            f"Household {current.household.code} was left for a later round",
            column="household",
            fix_vi="Rà soát hộ này trong đợt sau",
            fix_en="Review it in the next round",
        )
    return review_round, current


def _save_entry(entry: RoundHousehold, actor: User | None) -> None:
    entry._history_user = actor  # type: ignore[attr-defined]
    entry.save()
