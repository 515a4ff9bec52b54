"""Phiếu A: the screening of a household on the list; enough answers showing it is clearly not poor screen
it out, and it is not surveyed with Phiếu B."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db import transaction

from giamngheo.accounts.models import User
from giamngheo.errors import InputError
from giamngheo.reviews.models import RoundHousehold, Screening, Step
from giamngheo.reviews.procedure import phieu_a, screening_outcome
from giamngheo.reviews.services.common import _entry_locked, _not_after_today, _save_entry
from giamngheo.standards.loader import get_standard

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
