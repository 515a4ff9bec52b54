"""The village meeting: the votes in favour of each surveyed household of the village; a household agreed by
fewer than the standard's share of attendees goes back to the survey."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_update_with_history

from giamngheo.accounts.models import User
from giamngheo.errors import InputError, Problem
from giamngheo.reviews.models import (
    MeetingVote,
    ReviewResult,
    ReviewRound,
    RoundHousehold,
    Status,
    Step,
    Survey,
    VillageMeeting,
)
from giamngheo.reviews.procedure import meeting_agreed, meeting_agreement
from giamngheo.reviews.services.common import _not_after_today, _require_village, lock_open_round
from giamngheo.standards.loader import get_standard
from giamngheo.units.models import Unit

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
