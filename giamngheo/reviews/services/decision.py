"""Writes to review rounds and results. Results of a decided round are official and locked.

The steps of a round (Decision 24/2021/QĐ-TTg): list the households → Phiếu A (screening of requests) →
Phiếu B (survey; the engine classifies) → village meeting (≥ the agreement share of attendees, else back
to the survey) → public posting (complaints, re-checks) → the commune chair's decision, which computes the
movements of spec §5 and locks the round. Every service here takes the round's row lock and refuses a
decided round, so a write can never land in a round that is being (or has been) decided.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.dispatch import Signal
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from giamngheo.accounts.models import User
from giamngheo.common import fastbulk
from giamngheo.errors import InputError, Problem
from giamngheo.households.facts import household_facts
from giamngheo.households.models import Household, Member
from giamngheo.households.services import household_update
from giamngheo.reviews.models import (
    Complaint,
    ComplaintOutcome,
    ListReason,
    MeetingVote,
    Posting,
    ResultSource,
    ReviewResult,
    ReviewRound,
    RoundHousehold,
    RoundKind,
    RoundState,
    Screening,
    Status,
    Step,
    Survey,
    VillageMeeting,
)
from giamngheo.reviews.procedure import (
    StandardChoice,
    add_working_days,
    governed_year,
    meeting_agreed,
    meeting_agreement,
    phieu_a,
    screening_outcome,
    standard_choice,
)
from giamngheo.reviews.rules import is_commune_chairman
from giamngheo.reviews.statuses import household_statuses_refresh
from giamngheo.standards.classify import Result, classify
from giamngheo.standards.facts import HouseholdFacts
from giamngheo.standards.indicators import has_no_labour_capacity
from giamngheo.standards.loader import get_standard, list_standards, standard_for_year
from giamngheo.standards.model import Standard
from giamngheo.standards.transitions import ON_LISTS, Transition, transitions
from giamngheo.units.models import Unit

# Sent inside ``review_round_decide``'s transaction once a round is decided (kwargs: review_round) — by the
# chair, or by an imported official list, which is decided through the same service. The summary tables
# above this app (``rollups``) add the round's delta here, without ``reviews`` importing them.
round_decided = Signal()


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


def _require_village(review_round: ReviewRound, village: Unit) -> None:
    if village.parent_id != review_round.commune_id:
        raise InputError.single(
            f"{village.name} không phải là thôn của {review_round.commune.name}",
            f"{village.name} is not a village of {review_round.commune.name}",
            column="village",
            fix_vi="Chọn một thôn của xã đang rà soát",
            fix_en="Pick a village of the commune under review",
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


# --- Phiếu A ----------------------------------------------------------------------------------------------


@transaction.atomic
def screening_record(
    *,
    entry: RoundHousehold,
    answers: Mapping[str, bool],
    screened_on: datetime.date,
    interviewer: str = "",
    actor: User | None = None,
) -> Screening:
    """Record Phiếu A; the household is screened out when enough answers show it is clearly not poor."""
    review_round, entry = _entry_locked(entry)
    _not_after_today(
        screened_on, column="screened_on", what_vi="Ngày phỏng vấn Phiếu A", what_en="The Phiếu A date"
    )
    if entry.step >= Step.SURVEYED:
        raise InputError.single(
            f"Hộ {entry.household.code} đã được khảo sát bằng Phiếu B; Phiếu A không còn áp dụng",
            f"Household {entry.household.code} was already surveyed with Phiếu B; Phiếu A no longer applies",
            column="phieu_a",
        )
    questions = phieu_a(get_standard(review_round.standard_id))
    unknown = sorted(set(answers) - set(questions.codes))
    missing = [code for code in questions.codes if code not in answers]
    if unknown or missing:
        raise InputError.single(
            f"Phiếu A chưa đủ hoặc có câu hỏi lạ: thiếu {', '.join(missing) or '—'}; "
            f"lạ {', '.join(unknown) or '—'}",
            f"Phiếu A is incomplete or has unknown questions: missing {', '.join(missing) or '—'}; "
            f"unknown {', '.join(unknown) or '—'}",
            column="phieu_a",
            fix_vi="Trả lời Có/Không cho mọi câu hỏi",
            fix_en="Answer yes or no to every question",
        )
    yes, screened_out = screening_outcome(answers, area=entry.household.area, questions=questions)
    screening = Screening.objects.filter(entry=entry).first() or Screening(entry=entry)
    screening.screened_on = screened_on
    screening.interviewer = interviewer.strip()
    screening.answers = {code: bool(answers[code]) for code in questions.codes}
    screening.yes_count = yes
    screening.screened_out = screened_out
    screening.questions_version = questions.version
    screening._history_user = actor  # type: ignore[attr-defined]
    screening.save()
    entry.step = Step.SCREENED_OUT if screened_out else Step.SCREENED
    _save_entry(entry, actor)
    return screening


# --- Phiếu B ----------------------------------------------------------------------------------------------

# Household facts a B2 answer states exactly (deprived ⇔ the fact is False), so the register can take them.
ANSWER_TO_FACT = {
    "drinking_water": "safe_water",
    "sanitation": "hygienic_latrine",
    "telecom": "internet_use",
    "information_devices": "owns_info_device",
    "waste": "waste_handled",
}


@dataclass(frozen=True)
class SurveyInput:
    """What a reviewer enters on Phiếu B: B1 (its items in a region, or a typed total) and/or income; B2
    yes/no per indicator (absent: not asked)."""

    b1_score: int | None
    income_per_capita: int | None
    answers: Mapping[str, bool]
    b1_items: Mapping[str, str] | None = None  # item code → answer code (the score is computed from them)
    b1_region: str | None = None


def survey_facts(*, household: Household, members: list[Member], data: SurveyInput) -> HouseholdFacts:
    """The register's facts with the survey's answers on top (the answers win; see standards.indicators)."""
    facts = household_facts(household, members, b1_score=data.b1_score)
    return replace(
        facts,
        income_per_capita=data.income_per_capita,
        answers=dict(data.answers),
        b1_items=dict(data.b1_items) if data.b1_items else None,
        b1_region=data.b1_region or None,
    )


def survey_classify(*, review_round: ReviewRound, household: Household, data: SurveyInput) -> Result:
    """The engine's verdict for these answers — the same call the live form and the save use."""
    members = list(household.members.all())
    facts = survey_facts(household=household, members=members, data=data)
    return classify(facts, get_standard(review_round.standard_id), review_round.review_date)


def register_changes(
    *, household: Household, standard_codes: tuple[str, ...], data: SurveyInput
) -> dict[str, Any]:
    """The register facts that differ from what the survey states (only facts a yes/no states exactly)."""
    changes: dict[str, Any] = {}
    if data.income_per_capita is not None and data.income_per_capita != household.income_per_capita:
        changes["income_per_capita"] = data.income_per_capita
    for code, field in ANSWER_TO_FACT.items():
        answer = data.answers.get(code)
        if code in standard_codes and answer is not None and getattr(household, field) != (not answer):
            changes[field] = not answer
    return changes


def _labour_capacity(household: Household, facts: HouseholdFacts, review_round: ReviewRound) -> bool | None:
    if household.labour_capacity is not None:
        return household.labour_capacity
    none_able = has_no_labour_capacity(
        facts, get_standard(review_round.standard_id), review_round.review_date
    )
    return None if none_able is None else not none_able


@transaction.atomic
def survey_record(
    *,
    entry: RoundHousehold,
    data: SurveyInput,
    surveyed_on: datetime.date,
    interviewer: str = "",
    respondent: str = "",
    note: str = "",
    update_register: bool = False,
    household_version: int | None = None,
    actor: User | None = None,
) -> ReviewResult:
    """Save Phiếu B, classify, and write the household's result of the round (source: survey).

    With ``update_register`` the household's facts in the register take the survey's values too, checked
    against ``household_version`` (another user's change in between is a conflict: nothing is saved).
    """
    # one query for the entry, its household and its Phiếu B so far (the round is locked first)
    review_round, entry = _entry_locked(entry, "survey")
    household = entry.household
    _not_after_today(
        surveyed_on, column="surveyed_on", what_vi="Ngày khảo sát Phiếu B", what_en="The Phiếu B date"
    )
    if entry.step == Step.SCREENED_OUT:
        raise InputError.single(
            f"Hộ {household.code} đã bị loại ở Phiếu A nên không khảo sát Phiếu B",
            f"Household {household.code} was screened out by Phiếu A, so it is not surveyed with Phiếu B",
            column="phieu_b",
            fix_vi="Nếu Phiếu A ghi sai, nhập lại Phiếu A trước",
            fix_en="If Phiếu A was wrong, enter Phiếu A again first",
        )
    standard = get_standard(review_round.standard_id)
    unknown = sorted(set(data.answers) - set(standard.indicator_codes))
    if unknown:
        raise InputError.single(
            f"Chỉ số không có trong chuẩn {standard.id}: {', '.join(unknown)}",
            f"Indicators not in standard {standard.id}: {', '.join(unknown)}",
            column="phieu_b",
        )
    members = list(household.members.all())
    facts = survey_facts(household=household, members=members, data=data)
    result = classify(facts, standard, review_round.review_date)
    # the B1 score as entered or as computed from the items (the engine checked a typed total against them)
    b1_score = result.b1_items.total if result.b1_items is not None else data.b1_score

    try:
        survey = entry.survey
    except Survey.DoesNotExist:
        survey = Survey(entry=entry)
    survey.surveyed_on = surveyed_on
    survey.interviewer = interviewer.strip()
    survey.respondent = respondent.strip()
    survey.b1_score = b1_score
    survey.b1_region = result.b1_items.region if result.b1_items is not None else ""
    survey.b1_items = dict(data.b1_items) if result.b1_items is not None and data.b1_items else {}
    survey.income_per_capita = data.income_per_capita
    survey.answers = {code: bool(value) for code, value in data.answers.items()}
    survey.note = note.strip()
    survey._history_user = actor  # type: ignore[attr-defined]
    survey.save()

    if update_register:
        changes = register_changes(household=household, standard_codes=standard.indicator_codes, data=data)
        if changes:
            household = household_update(
                actor=actor,
                household=household,
                expected_version=household_version if household_version is not None else household.version,
                **changes,
            )

    # the round is locked since _entry_locked: write the result without locking it again
    (written,) = _results_write(
        review_round=review_round,
        rows=[
            ResultRow(
                household=household,
                status=result.status,
                source=ResultSource.SURVEY,
                members=None,  # the declared số khẩu; the register may not list every member yet
                labour_capacity=_labour_capacity(household, facts, review_round),
                income_per_capita=result.income_per_capita,
                b1_score=b1_score,
                b2_score=result.b2_score,
                deprivation_count=result.deprivation_count,
                deprived=";".join(result.deprived),
                # the engine's sentence says which of B1 and income decided, and whether the other agrees
                explanation_vi=result.explanation_vi,
                explanation_en=result.explanation_en,
            )
        ],
        actor=actor,
    )
    entry.step = Step.SURVEYED
    entry.back_to_survey = False
    entry.posting = None
    _save_entry(entry, actor)
    # A re-check that sent the household back to the survey learns the status the new Phiếu B gave.
    for complaint in Complaint.objects.filter(
        entry=entry, outcome=ComplaintOutcome.RESURVEY, status_after=""
    ):
        complaint.status_after = result.status
        complaint._history_user = actor  # type: ignore[attr-defined]
        complaint.save(update_fields=["status_after"])
    return written


# --- village meeting ---------------------------------------------------------------------------------------


@transaction.atomic
def village_meeting_record(
    *,
    review_round: ReviewRound,
    village: Unit,
    held_on: datetime.date,
    chair_name: str,
    front_supervisor_name: str,
    attendees: int,
    votes: Mapping[int, int],
    secretary_name: str = "",
    place: str = "",
    notes: str = "",
    attendance: Mapping[str, Any] | None = None,
    actor: User | None = None,
) -> VillageMeeting:
    """The village meeting: votes in favour per surveyed household (keys are RoundHousehold ids).

    A household agreed by fewer than the required share of attendees goes back to the survey (Phiếu B),
    then to another meeting.
    """
    review_round = lock_open_round(review_round)
    _require_village(review_round, village)
    problems: list[Problem] = []
    if not chair_name.strip():
        problems.append(
            Problem(
                "Cần tên người chủ trì (trưởng thôn)",
                "The chair (village head) is required",
                column="chair_name",
            )
        )
    if not front_supervisor_name.strip():
        problems.append(
            Problem(
                "Cần tên đại diện Mặt trận Tổ quốc giám sát",
                "The Fatherland Front supervisor is required",
                column="front_supervisor_name",
            )
        )
    if attendees < 1:
        problems.append(
            Problem("Số người dự họp phải ≥ 1", "Attendees must be at least 1", column="attendees")
        )
    entries = {
        e.pk: e
        for e in RoundHousehold.objects.filter(review_round=review_round, pk__in=list(votes)).select_related(
            "household", "screening"
        )
    }
    for entry_id, count in votes.items():
        entry = entries.get(entry_id)
        if entry is None or entry.unit_path != village.path:
            problems.append(
                Problem(
                    f"Hộ #{entry_id} không thuộc thôn {village.name}",
                    f"Household #{entry_id} is not of {village.name}",
                )
            )
        elif entry.step != Step.SURVEYED:
            problems.append(
                Problem(
                    f"Hộ {entry.household.code} chưa khảo sát Phiếu B hoặc đã được họp xét",
                    f"Household {entry.household.code} is not waiting for the meeting (survey it first)",
                    column=entry.household.code,
                )
            )
        elif not 0 <= count <= max(attendees, 0):
            problems.append(
                Problem(
                    f"Hộ {entry.household.code}: số phiếu đồng ý {count} phải từ 0 đến số người dự họp "
                    f"({attendees})",
                    f"Household {entry.household.code}: {count} votes in favour must be between 0 and the "
                    f"attendees ({attendees})",
                    column=entry.household.code,
                )
            )
    if not votes:
        problems.append(
            Problem(
                "Chưa có hộ nào được đưa ra họp xét", "No household was put to the meeting", column="votes"
            )
        )
    surveyed_after = ", ".join(
        Survey.objects.filter(entry__in=list(entries), surveyed_on__gt=held_on)
        .order_by("entry__household__code")
        .values_list("entry__household__code", flat=True)
    )
    if surveyed_after:
        problems.append(
            Problem(
                f"Cuộc họp ngày {held_on:%d/%m/%Y} trước ngày khảo sát Phiếu B của hộ {surveyed_after}",
                f"The meeting of {held_on.isoformat()} is before the Phiếu B survey of {surveyed_after}",
                column="held_on",
            )
        )
    if problems:
        raise InputError(problems)
    _not_after_today(held_on, "held_on", "Ngày họp dân", "The meeting date")

    agreement = meeting_agreement(get_standard(review_round.standard_id))
    meeting = VillageMeeting(
        review_round=review_round,
        village=village,
        unit_path=village.path,
        held_on=held_on,
        place=place.strip(),
        chair_name=chair_name.strip(),
        front_supervisor_name=front_supervisor_name.strip(),
        secretary_name=secretary_name.strip(),
        attendees=attendees,
        agreement_percent=agreement.percent,
        notes=notes.strip(),
        **{
            name: value.strip() if isinstance(value, str) else value
            for name, value in (attendance or {}).items()
            if value is not None
        },
    )
    meeting._history_user = actor  # type: ignore[attr-defined]
    meeting.save()
    statuses = dict(
        ReviewResult.objects.filter(
            review_round=review_round, household_id__in=[e.household_id for e in entries.values()]
        ).values_list("household_id", "status")
    )
    rows = []
    for entry_id, count in votes.items():
        entry = entries[entry_id]
        agreed = meeting_agreed(votes_for=count, attendees=attendees, percent=agreement.percent)
        rows.append(
            MeetingVote(
                meeting=meeting,
                entry=entry,
                proposed_status=statuses.get(entry.household_id, Status.NOT_POOR),
                votes_for=count,
                agreed=agreed,
            )
        )
        if agreed:
            entry.step = Step.AGREED
        else:
            # Decision 24/2021: without enough agreement the household is surveyed again, then met on again.
            entry.step = Step.SCREENED if hasattr(entry, "screening") else Step.LISTED
            entry.back_to_survey = True
    MeetingVote.objects.bulk_create(rows)
    bulk_update_with_history(
        list(entries.values()), RoundHousehold, ["step", "back_to_survey"], default_user=actor
    )
    return meeting


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


# --- the decision ------------------------------------------------------------------------------------------


def round_transitions_compute(*, review_round: ReviewRound) -> dict[int, Transition]:
    """Each result's movement (spec §5) against the household's earlier decided results, by household id.

    The look-back for "fell back" and the rest of the rules come from the round's standard. Earlier results
    of any commune count (a household that moved keeps its history).
    """
    rules = get_standard(review_round.standard_id).transitions
    current = dict(
        ReviewResult.objects.filter(review_round=review_round).values_list("household_id", "status")
    )
    histories: dict[int, list[tuple[datetime.date, str]]] = defaultdict(list)
    earlier = ReviewResult.objects.filter(
        household_id__in=ReviewResult.objects.filter(review_round=review_round).values("household_id"),
        review_round__state=RoundState.DECIDED,
        review_round__review_date__lt=review_round.review_date,
    ).values_list("household_id", "review_round__review_date", "status")
    for household_id, when, status in earlier.iterator(chunk_size=5000):
        histories[household_id].append((when, status))
    movements = {}
    for household_id, status in current.items():
        history = [*histories.get(household_id, []), (review_round.review_date, status)]
        movements[household_id] = transitions(history, rules)[-1][1]
    return movements


def _decision_problems(review_round: ReviewRound, decision_date: datetime.date) -> list[Problem]:
    problems: list[Problem] = []
    # A household whose official result was imported (the list decided on paper) needs no step in here.
    imported = ReviewResult.objects.filter(review_round=review_round, source=ResultSource.IMPORTED)
    unfinished = (
        RoundHousehold.objects.filter(review_round=review_round, deferred=False)
        .exclude(step__in=[Step.POSTED, Step.SCREENED_OUT, Step.DECIDED])
        .exclude(household_id__in=imported.values("household_id"))
        .select_related("household")
        .order_by("unit_path", "household__code")
    )
    codes = [entry.household.code for entry in unfinished[:20]]
    count = unfinished.count()
    if count:
        more = f" (+{count - len(codes)})" if count > len(codes) else ""
        problems.append(
            Problem(
                f"{count} hộ chưa qua đủ các bước (khảo sát, họp dân, niêm yết): {', '.join(codes)}{more}",
                f"{count} households have not been through every step (survey, meeting, posting): "
                f"{', '.join(codes)}{more}",
                column="households",
                fix_vi="Hoàn thành các bước cho những hộ này, hoặc để họ sang đợt sau",
                fix_en="Finish the steps for these households first, or leave them for a later round",
            )
        )
    open_complaints = Complaint.objects.filter(review_round=review_round, outcome="").count()
    if open_complaints:
        problems.append(
            Problem(
                f"Còn {open_complaints} khiếu nại chưa phúc tra",
                f"{open_complaints} complaints have not been re-checked yet",
                column="complaints",
                fix_vi="Phúc tra và ghi kết quả trước khi quyết định",
                fix_en="Re-check them and record the outcome before the decision",
            )
        )
    late = Posting.objects.filter(review_round=review_round, ends_on__gte=decision_date).select_related(
        "village"
    )
    for posting in late:
        problems.append(
            Problem(
                f"Thôn {posting.village.name} niêm yết đến hết {posting.ends_on:%d/%m/%Y}: "
                "quyết định phải sau ngày đó",
                f"{posting.village.name} is posted until {posting.ends_on.isoformat()}: "
                "the decision must come after that day",
                column="decision_date",
            )
        )
    return problems


@transaction.atomic
def review_round_decide(
    *,
    review_round: ReviewRound,
    decision_number: str,
    decision_date: datetime.date,
    actor: User | None = None,
    signer: str = "",
) -> ReviewRound:
    """Record the commune chair's decision: the results become official and locked, and their movements are
    computed. In the pages the decision is prepared (``decision_prepare``) and issued by the chairman
    (``decision_issue``, which calls this); called directly it records a decision already signed on paper
    (an imported list, the demo's past years).

    A round run in the system (with a list of households) is decided only when every household went through
    the steps, no complaint is open and the posting has ended; an imported round has no list and is decided as
    it came.
    """
    issued_by, issued_at = review_round.issued_by, review_round.issued_at
    review_round = lock_open_round(review_round)
    _decision_checks(review_round, decision_number, decision_date)
    _transitions_write(review_round, round_transitions_compute(review_round=review_round), actor)
    # The decision itself is recorded in the round's history; the entries only follow it.
    RoundHousehold.objects.filter(review_round=review_round, step=Step.POSTED, deferred=False).update(
        step=Step.DECIDED
    )
    review_round.state = RoundState.DECIDED
    review_round.decision_number = decision_number.strip()
    review_round.decision_date = decision_date
    review_round.decision_signer = signer.strip()
    review_round.issued_by, review_round.issued_at = issued_by, issued_at
    review_round._history_user = actor  # type: ignore[attr-defined]
    review_round.save()
    # A household on a decided list was in the register at the review, whenever it was entered in the system
    # (an earlier year's list imported today): the rates of that list divide by it.
    listed_since = min(review_round.review_date, review_round.effective_date)
    Household.objects.filter(Q(registered_on__gt=listed_since), results__review_round=review_round).update(
        registered_on=listed_since
    )
    # The register's stored status (list filters, counts) follows the decided results from now on.
    household_statuses_refresh(commune=review_round.commune)
    round_decided.send(sender=ReviewRound, review_round=review_round)
    return review_round


# --- the decision in the system: the officer prepares it, the chairman issues it (issue 17 D) ---------------


def _decision_checks(review_round: ReviewRound, decision_number: str, decision_date: datetime.date) -> None:
    """The gates of a decision: a number, a date not after today, every household through the steps, no
    complaint open and every posting ended before the date."""
    if not decision_number.strip():
        raise InputError.single(
            "Cần số quyết định", "A decision number is required", column="decision_number"
        )
    _not_after_today(
        decision_date, column="decision_date", what_vi="Ngày quyết định", what_en="The decision date"
    )
    problems = _decision_problems(review_round, decision_date)
    if problems:
        raise InputError(problems)


@transaction.atomic
def decision_prepare(
    *, review_round: ReviewRound, decision_number: str, decision_date: datetime.date, actor: User
) -> ReviewRound:
    """The officer prepares the decision: its number and date, checked by the same gates as the decision
    itself; the round stays open until the chairman issues it. Preparing again replaces the draft."""
    review_round = lock_open_round(review_round)
    if not actor.has_perm("reviews.prepare_decision", review_round):
        raise InputError.single(
            "Chỉ cán bộ phụ trách giảm nghèo của xã (hoặc Chủ tịch UBND xã) chuẩn bị quyết định",
            "Only the commune's poverty-reduction officer (or the commune chairman) prepares the decision",
            column="actor",
        )
    _decision_checks(review_round, decision_number, decision_date)
    review_round.prepared_number = decision_number.strip()
    review_round.prepared_date = decision_date
    review_round.prepared_by = actor
    review_round.prepared_at = timezone.now()
    review_round._history_user = actor  # type: ignore[attr-defined]
    review_round._change_reason = "Dự thảo quyết định / decision prepared"  # type: ignore[attr-defined]
    review_round.save()
    return review_round


@transaction.atomic
def decision_issue(*, review_round: ReviewRound, actor: User) -> ReviewRound:
    """The chairman of the commune People's Committee issues the prepared decision: the gates are checked
    again (the round may have moved since), the results lock and the lists take effect from its date.

    Only the commune's chairman issues, whoever prepared the draft: an officer or an administrator who
    prepared it cannot issue it; a chairman may issue a draft they prepared themselves.
    """
    review_round = lock_open_round(review_round)
    # The predicate itself, not ``has_perm``: Django grants every permission to a superuser, and this rule
    # binds administrators too.
    if not is_commune_chairman(actor, review_round):
        raise InputError.single(
            "Chỉ Chủ tịch UBND xã ban hành quyết định công nhận; người chuẩn bị không tự ban hành",
            "Only the chairman of the commune People's Committee issues the decision; whoever prepared it "
            "cannot issue it",
            column="actor",
            fix_vi="Đề nghị Chủ tịch UBND xã đăng nhập và ban hành",
            fix_en="Ask the commune chairman to log in and issue it",
        )
    if not review_round.is_prepared:
        raise InputError.single(
            "Cán bộ chưa chuẩn bị quyết định (số, ngày)",
            "The decision has not been prepared yet (number, date)",
            column="decision_number",
            fix_vi="Cán bộ phụ trách giảm nghèo chuẩn bị dự thảo trước",
            fix_en="The poverty-reduction officer prepares the draft first",
        )
    assert review_round.prepared_date is not None
    review_round.issued_by = actor
    review_round.issued_at = timezone.now()
    return review_round_decide(
        review_round=review_round,
        decision_number=review_round.prepared_number,
        decision_date=review_round.prepared_date,
        actor=actor,
        signer=actor.display(),
    )


DECIDE_BATCH = 5000


# The movements that record no change of status: the household is where its previous decided result left it.
STAYED = frozenset({Transition.STAYED_POOR, Transition.STAYED_NEAR_POOR, Transition.STAYED_OFF_LISTS})


def _transitions_write(
    review_round: ReviewRound, movements: Mapping[int, Transition], actor: User | None
) -> None:
    """Write every result's movement, a batch of whole rows at a time (a 100,000-household round in seconds
    and in bounded memory, where ``bulk_update_with_history`` held the whole round for tens of seconds).

    History stays bounded (issue 15 part 6): only a movement that *is* a change of status (escaped, newly
    poor, fell back…) gets a "changed" history row (who, when, the row before → after); a "stayed" movement
    (~90 % of a season) is written like derived data, without a row — no fact changed: the status was
    recorded with the result's own history row and equals the previous decided one, the movement is
    recomputed from them by ``round_transitions_compute``, and who decided and when is the round's history
    row. A result whose stored movement is already the computed one is not written at all."""
    names = [f.attname for f in fastbulk.written_fields(ReviewResult)]
    now = timezone.now()
    last = 0
    while True:
        rows = list(
            ReviewResult.objects.filter(review_round=review_round, pk__gt=last)
            .order_by("pk")
            .values(*names)[:DECIDE_BATCH]
        )
        if not rows:
            return
        moved: list[dict[str, Any]] = []
        stayed: list[dict[str, Any]] = []
        for row in rows:
            movement = movements[row["household_id"]]
            if row["transition"] == movement.value:
                continue
            row["transition"] = movement.value
            (stayed if movement in STAYED else moved).append(row)
        fastbulk.update_with_history(
            ReviewResult, moved, ["transition"], user_id=actor.pk if actor else None, reason=None, now=now
        )
        fastbulk.update_rows(ReviewResult, stayed, ["transition"])
        last = rows[-1]["id"]
