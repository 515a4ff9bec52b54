"""The decision: the movements of the round's results (spec §5), the gates of a decision, the decision that
locks the round (prepared by the officer, issued by the commune chairman, or recorded as signed on
paper), and the bounded writing of the movements."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.common import fastbulk
from giamngheo.errors import InputError, Problem
from giamngheo.households.models import Household
from giamngheo.reviews.models import (
    Complaint,
    Posting,
    ResultSource,
    ReviewResult,
    ReviewRound,
    RoundHousehold,
    RoundState,
    Step,
)
from giamngheo.reviews.rules import is_commune_chairman
from giamngheo.reviews.services.common import _not_after_today, lock_open_round
from giamngheo.reviews.statuses import household_statuses_refresh
from giamngheo.standards.loader import get_standard
from giamngheo.standards.transitions import Transition, transitions

# Sent inside ``review_round_decide``'s transaction once a round is decided (kwargs: review_round) — by the
# chair, or by an imported official list, which is decided through the same service. The summary tables
# above this app (``rollups``) add the round's delta here, without ``reviews`` importing them.
round_decided = Signal()


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
