"""The offline field app's assignment (issue 13): the households of the user's open review rounds that the
user may survey, with what Phiếu A and Phiếu B prefill, and the standards' own JSON so the phone scores with
the same data the server does. Read-only; uploads go through ``POST /api/surveys``."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.views.decorators.gzip import gzip_page
from ninja import Router, Schema
from ninja.decorators import decorate_view

from giamngheo.accounts.models import User
from giamngheo.api.common import Cursor, Limit, Page, acting, answers
from giamngheo.api.cursors import keyset_page
from giamngheo.households.facts import household_facts
from giamngheo.households.models import Member
from giamngheo.households.services import mask_citizen_id
from giamngheo.reviews.models import ReviewRound, RoundHousehold, RoundState, Screening, Survey
from giamngheo.reviews.procedure import phieu_a
from giamngheo.reviews.selectors import entries_visible_to, rounds_visible_to
from giamngheo.standards.indicators import evaluate
from giamngheo.standards.loader import get_standard
from giamngheo.units.models import Unit

router = Router(tags=["field"])


def field_data_days() -> int:
    """How many days the assignment may stay on a phone (``FIELD_DATA_DAYS``, set by the administrator)."""
    return int(getattr(settings, "FIELD_DATA_DAYS", 7))


class FieldRoundOut(Schema):
    id: int
    commune_name: str
    year: int
    kind: str
    period: str
    standard_id: str
    review_date: datetime.date
    villages: list[str]


class AssignmentOut(Schema):
    user_id: int
    parallel_uploads: int
    username: str
    downloaded_at: datetime.datetime
    expires_at: datetime.datetime
    days: int
    households: int
    rounds: list[FieldRoundOut]
    standards: dict[str, Any]
    phieu_a: dict[str, Any]


class FieldHouseholdOut(Schema):
    entry_id: int
    round_id: int
    household_id: int
    household_code: str
    household_version: int
    head_name: str
    head_citizen_id: str  # masked
    village: str
    address: str
    area: str
    size: int
    step: int
    reason: str
    phieu_a: dict[str, Any] | None
    phieu_b: dict[str, Any]
    facts_deprived: dict[str, bool | None]


class FieldHouseholdPage(Page):
    items: list[FieldHouseholdOut]


def _open_rounds(user: User) -> list[ReviewRound]:
    return list(rounds_visible_to(user).exclude(state=RoundState.DECIDED).order_by("pk"))


def _villages(user: User, review_round: ReviewRound) -> list[Unit]:
    """The villages of the round whose households the user may survey (a village head: their own)."""
    ids = entries_visible_to(user, review_round).values_list("household__village_id", flat=True).distinct()
    villages = Unit.objects.select_related("level").filter(pk__in=ids).order_by("sort_order", "name")
    return [v for v in villages if user.has_perm("reviews.record_village", v)]


def assignment_entries(user: User) -> QuerySet[RoundHousehold]:
    """Every entry of the user's open rounds in villages the user may survey: nothing else goes to a phone."""
    entries = RoundHousehold.objects.none()
    for review_round in _open_rounds(user):
        villages = [v.pk for v in _villages(user, review_round)]
        entries = entries | entries_visible_to(user, review_round).filter(household__village_id__in=villages)
    return entries


@router.get(
    "/field/assignment",
    response=answers(AssignmentOut),
    summary="The offline app's assignment: open rounds, their standards' JSON, Phiếu A, how many households",
)
@decorate_view(gzip_page)  # JSON of a few hundred households shrinks ~8 times: it matters on a 2G link
def assignment(request: HttpRequest) -> dict:
    user = acting(request)
    rounds = _open_rounds(user)
    described = []
    standards: dict[str, Any] = {}
    questions: dict[str, Any] = {}
    for review_round in rounds:
        villages = _villages(user, review_round)
        if not villages:
            continue
        standard = get_standard(review_round.standard_id)
        standards[standard.id] = dict(standard.raw)
        form_a = phieu_a(standard)
        questions[standard.id] = {
            "version": form_a.version,
            "screen_out_when_yes_at_least": dict(form_a.screen_out_when_yes_at_least),
            "questions": [
                {"code": q.code, "text": {"vi": q.text.vi, "en": q.text.en}} for q in form_a.questions
            ],
        }
        described.append(
            {
                "id": review_round.pk,
                "commune_name": review_round.commune.name,
                "year": review_round.year,
                "kind": review_round.kind,
                "period": str(review_round.period),
                "standard_id": standard.id,
                "review_date": review_round.review_date,
                "villages": [v.name for v in villages],
            }
        )
    now = timezone.now()
    return {
        "user_id": user.pk,
        "parallel_uploads": int(getattr(settings, "FIELD_PARALLEL_UPLOADS", 2)),
        "username": user.username,
        "downloaded_at": now,
        "expires_at": now + datetime.timedelta(days=field_data_days()),
        "days": field_data_days(),
        "households": assignment_entries(user).count(),
        "rounds": described,
        "standards": standards,
        "phieu_a": questions,
    }


def _household_row(entry: RoundHousehold) -> dict[str, Any]:
    household = entry.household
    review_round = entry.review_round
    members = list(household.members.all())
    head = next((m for m in members if m.relation == "head"), None)
    facts = household_facts(household, members)
    standard = get_standard(review_round.standard_id)
    from_facts = {e.code: e.from_facts for e in evaluate(facts, standard, review_round.review_date)}
    screening: Screening | None = getattr(entry, "screening", None)
    survey: Survey | None = getattr(entry, "survey", None)
    phieu_b: dict[str, Any] = {"income_per_capita": household.income_per_capita}
    if survey is not None:
        phieu_b = {
            "surveyed_on": survey.surveyed_on,
            "b1_score": survey.b1_score,
            "income_per_capita": survey.income_per_capita,
            "answers": survey.answers,
            "respondent": survey.respondent,
            "note": survey.note,
        }
    return {
        "entry_id": entry.pk,
        "round_id": entry.review_round_id,
        "household_id": household.pk,
        "household_code": household.code,
        "household_version": household.version,
        "head_name": household.head_name,
        "head_citizen_id": mask_citizen_id(head.citizen_id) if head and head.citizen_id else "",
        "village": household.village.name,
        "address": household.address,
        "area": household.area,
        "size": household.size,
        "step": entry.step,
        "reason": entry.reason,
        "phieu_a": {"screened_on": screening.screened_on, "answers": screening.answers}
        if screening
        else None,
        "phieu_b": phieu_b,
        "facts_deprived": from_facts,
    }


@router.get(
    "/field/assignment/households",
    response=answers(FieldHouseholdPage),
    summary="The assignment's households, a page at a time, with what the forms prefill (citizen IDs masked)",
)
@decorate_view(gzip_page)
def assignment_households(request: HttpRequest, cursor: str | None = Cursor, limit: int = Limit) -> dict:
    entries = (
        assignment_entries(acting(request))
        .select_related("review_round", "household", "household__village", "screening", "survey")
        .prefetch_related(Prefetch("household__members", queryset=Member.objects.order_by("pk")))
    )
    rows, next_cursor = keyset_page(entries, cursor, limit)
    return {"items": [_household_row(e) for e in rows], "next_cursor": next_cursor}
