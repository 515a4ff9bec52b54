"""The public posting of a village's agreed results (for the standard's working days), the complaints
received and their re-check (phúc tra), which confirms a result or sends the household back to Phiếu B."""

from __future__ import annotations

import datetime

from django.db import transaction
from simple_history.utils import bulk_update_with_history

from giamngheo.accounts.models import User
from giamngheo.errors import InputError
from giamngheo.households.models import Household
from giamngheo.reviews.models import (
    Complaint,
    ComplaintOutcome,
    Posting,
    ReviewResult,
    ReviewRound,
    RoundHousehold,
    Screening,
    Step,
    VillageMeeting,
)
from giamngheo.reviews.procedure import add_working_days
from giamngheo.reviews.services.common import (
    _entry_locked,
    _not_after_today,
    _require_village,
    _save_entry,
    lock_open_round,
)
from giamngheo.standards.loader import get_standard
from giamngheo.units.models import Unit

# --- public posting, complaints and re-checks --------------------------------------------------------------


@transaction.atomic
def posting_record(
    *,
    review_round: ReviewRound,
    village: Unit,
    starts_on: datetime.date,
    place: str = "",
    actor: User | None = None,
) -> Posting:
    """Post the village's agreed results publicly for the standard's number of working days."""
    review_round = lock_open_round(review_round)
    _require_village(review_round, village)
    waiting = list(
        RoundHousehold.objects.filter(
            review_round=review_round, unit_path=village.path, step=Step.AGREED, deferred=False
        )
    )
    if not waiting:
        raise InputError.single(
            f"Thôn {village.name} không có hộ nào đã được họp dân thống nhất đang chờ niêm yết",
            f"{village.name} has no household agreed by the village meeting waiting to be posted",
            column="village",
            fix_vi="Ghi biên bản họp dân trước",
            fix_en="Record the village meeting first",
        )
    met_on = (
        VillageMeeting.objects.filter(votes__entry__in=waiting, votes__agreed=True)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    if met_on is not None and starts_on < met_on:
        raise InputError.single(
            f"Niêm yết từ {starts_on:%d/%m/%Y} là trước cuộc họp dân ngày {met_on:%d/%m/%Y} "
            f"của thôn {village.name}",
            f"A posting from {starts_on.isoformat()} is before the village meeting of {met_on.isoformat()} "
            f"in {village.name}",
            column="starts_on",
            fix_vi="Niêm yết từ ngày họp dân trở đi",
            fix_en="Post from the day of the meeting on",
        )
    days = get_standard(review_round.standard_id).posting_working_days
    waiting_codes = sorted(
        Household.objects.filter(pk__in=[e.household_id for e in waiting]).values_list("code", flat=True)
    )
    posting = Posting(
        review_round=review_round,
        village=village,
        unit_path=village.path,
        starts_on=starts_on,
        ends_on=add_working_days(starts_on, days),
        working_days=days,
        place=place.strip(),
        household_count=len(waiting),
        household_codes=waiting_codes,
    )
    posting._history_user = actor  # type: ignore[attr-defined]
    posting.save()
    for entry in waiting:
        entry.step, entry.posting = Step.POSTED, posting
    bulk_update_with_history(waiting, RoundHousehold, ["step", "posting"], default_user=actor)
    return posting


@transaction.atomic
def complaint_record(
    *,
    entry: RoundHousehold,
    complainant: str,
    content: str,
    received_on: datetime.date,
    actor: User | None = None,
) -> Complaint:
    review_round, entry = _entry_locked(entry)
    if not complainant.strip() or not content.strip():
        raise InputError.single(
            "Cần người khiếu nại và nội dung khiếu nại",
            "The complainant and the complaint are required",
            column="complainant",
        )
    _not_after_today(
        received_on, column="received_on", what_vi="Ngày nhận khiếu nại", what_en="The date received"
    )
    posting = entry.posting
    if posting is not None and received_on < posting.starts_on:
        raise InputError.single(
            f"Ngày nhận khiếu nại {received_on:%d/%m/%Y} trước khi kết quả của hộ {entry.household.code} "
            f"được niêm yết ({posting.starts_on:%d/%m/%Y})",
            f"The complaint's date {received_on.isoformat()} is before the results of household "
            f"{entry.household.code} were posted ({posting.starts_on.isoformat()})",
            column="received_on",
            fix_vi="Ghi ngày xã nhận được khiếu nại",
            fix_en="Enter the day the commune received the complaint",
        )
    complaint = Complaint(
        review_round=review_round,
        entry=entry,
        unit_path=entry.unit_path,
        complainant=complainant.strip(),
        content=content.strip(),
        received_on=received_on,
    )
    complaint._history_user = actor  # type: ignore[attr-defined]
    complaint.save()
    return complaint


@transaction.atomic
def complaint_resolve(
    *,
    complaint: Complaint,
    rechecked_on: datetime.date,
    finding: str,
    resurvey: bool = False,
    actor: User | None = None,
) -> Complaint:
    """The re-check (phúc tra) of a complaint: it confirms the result, or finds grounds to survey the
    household again. A status never changes here: with ``resurvey`` the household goes back to Phiếu B,
    then to the village meeting and the posting, as any household (Decision 24/2021/QĐ-TTg); the new
    Phiếu B's status is its result, with the engine's explanation, and the complaint records it."""
    review_round = lock_open_round(complaint.review_round)
    complaint = Complaint.objects.select_related("entry__household").get(pk=complaint.pk)
    if not complaint.is_open:
        raise InputError.single(
            "Khiếu nại này đã được phúc tra", "This complaint was already re-checked", column="complaint"
        )
    if rechecked_on < complaint.received_on:
        raise InputError.single(
            "Ngày phúc tra trước ngày nhận khiếu nại",
            "The re-check date is before the date the complaint was received",
            column="rechecked_on",
        )
    _not_after_today(
        rechecked_on, column="rechecked_on", what_vi="Ngày phúc tra", what_en="The re-check date"
    )
    if not finding.strip():
        raise InputError.single(
            "Cần ghi kết quả phúc tra", "The finding of the re-check is required", column="finding"
        )
    entry = complaint.entry
    result = ReviewResult.objects.filter(review_round=review_round, household_id=entry.household_id).first()
    if resurvey and entry.step == Step.SCREENED_OUT:
        raise InputError.single(
            f"Hộ {entry.household.code} bị loại ở Phiếu A: nhập lại Phiếu A trước khi khảo sát lại",
            f"Household {entry.household.code} was screened out by Phiếu A: enter Phiếu A again first",
            column="resurvey",
        )
    complaint.rechecked_on = rechecked_on
    complaint.finding = finding.strip()
    complaint.status_before = result.status if result else ""
    if resurvey:
        complaint.outcome = ComplaintOutcome.RESURVEY
        complaint.status_after = ""
        entry.step = Step.SCREENED if Screening.objects.filter(entry=entry).exists() else Step.LISTED
        entry.back_to_survey = True
        entry.posting = None
        _save_entry(entry, actor)
    else:
        complaint.outcome = ComplaintOutcome.KEPT
        complaint.status_after = complaint.status_before
    complaint._history_user = actor  # type: ignore[attr-defined]
    complaint.save()
    return complaint
