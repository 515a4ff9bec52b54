"""Review rounds, their results and households to survey, and each commune's official lists per year as JSON
and CSV (the exchange a province collects). Reads through ``reviews.selectors``, as the pages do."""

from __future__ import annotations

import datetime
from enum import Enum

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.decorators import decorate_view

from giamngheo.api.common import Cursor, Id, Limit, Page, Year, acting, answers
from giamngheo.api.cursors import keyset_page
from giamngheo.api.errors import NotFound
from giamngheo.api.output import csv_response
from giamngheo.api.selectors import official_list_rows
from giamngheo.common.replicas import reads_from_replica
from giamngheo.reviews.models import ReviewRound, RoundKind, RoundState, Status
from giamngheo.reviews.selectors import (
    LIST_KINDS,
    entries_visible_to,
    results_visible_to,
    round_get,
    rounds_visible_to,
)

router = Router(tags=["reviews"])

ListKind = Enum("ListKind", {k: k for k in LIST_KINDS}, type=str)  # type: ignore[misc]
KindFilter = Enum("KindFilter", {k: k for k in RoundKind.values}, type=str)  # type: ignore[misc]
StateFilter = Enum("StateFilter", {k: k for k in RoundState.values}, type=str)  # type: ignore[misc]
StatusFilter = Enum("ResultStatus", {k: k for k in Status.values}, type=str)  # type: ignore[misc]


class RoundOut(Schema):
    id: int
    commune_id: int
    commune_code: str
    commune_name: str
    year: int
    kind: str
    month: int | None
    period: str
    standard_id: str
    standard_version: str
    review_date: datetime.date
    state: str
    decision_number: str
    decision_date: datetime.date | None
    effective_date: datetime.date

    @staticmethod
    def resolve_commune_code(obj: ReviewRound) -> str:
        return obj.commune.code

    @staticmethod
    def resolve_commune_name(obj: ReviewRound) -> str:
        return obj.commune.name


class RoundPage(Page):
    items: list[RoundOut]


class ResultOut(Schema):
    id: int
    household_id: int
    household_code: str
    head_name: str
    village_id: int
    status: str
    source: str
    members: int
    labour_capacity: bool | None
    income_per_capita: int | None
    b1_score: int | None
    b2_score: int | None
    deprivation_count: int | None
    deprived: list[str]
    transition: str


class ResultPage(Page):
    items: list[ResultOut]


class EntryOut(Schema):
    id: int
    household_id: int
    household_code: str
    head_name: str
    village_id: int
    household_version: int
    reason: str
    step: int
    back_to_survey: bool


class EntryPage(Page):
    items: list[EntryOut]


class ListRowOut(Schema):
    number: int
    code: str
    head_name: str
    members: int
    village: str
    status: str
    movement: str


class OfficialListOut(Schema):
    commune_id: int
    commune_code: str
    commune_name: str
    year: int
    kind: str
    review_round_id: int
    standard_id: str
    decision_number: str
    decision_date: datetime.date | None
    effective_date: datetime.date
    rows: list[ListRowOut]


def _round(request: HttpRequest, round_id: int) -> ReviewRound:
    review_round = round_get(user=acting(request), pk=round_id)
    if review_round is None:
        raise NotFound()
    return review_round


@router.get("/review-rounds", response=answers(RoundPage), summary="Review rounds")
@decorate_view(reads_from_replica)
def round_list(
    request: HttpRequest,
    commune: Id | None = None,
    year: int | None = Query(None, ge=1900, le=2200),
    kind: KindFilter | None = None,
    state: StateFilter | None = None,
    cursor: str | None = Cursor,
    limit: int = Limit,
) -> dict:
    rounds = rounds_visible_to(acting(request))
    if commune is not None:
        rounds = rounds.filter(commune_id=commune)
    if year is not None:
        rounds = rounds.filter(year=year)
    if kind is not None:
        rounds = rounds.filter(kind=kind.value)
    if state is not None:
        rounds = rounds.filter(state=state.value)
    rows, next_cursor = keyset_page(rounds, cursor, limit)
    return {"items": rows, "next_cursor": next_cursor}


@router.get("/review-rounds/{round_id}", response=answers(RoundOut), summary="One review round")
def round_detail(request: HttpRequest, round_id: Id) -> ReviewRound:
    return _round(request, round_id)


@router.get("/review-rounds/{round_id}/results", response=answers(ResultPage), summary="Results of a round")
@decorate_view(reads_from_replica)
def round_results(
    request: HttpRequest,
    round_id: Id,
    village: Id | None = None,
    status: StatusFilter | None = None,
    cursor: str | None = Cursor,
    limit: int = Limit,
) -> dict:
    review_round = _round(request, round_id)
    results = (
        results_visible_to(acting(request)).filter(review_round=review_round).select_related("household")
    )
    if village is not None:
        results = results.filter(household__village_id=village)
    if status is not None:
        results = results.filter(status=status.value)
    rows, next_cursor = keyset_page(results, cursor, limit)
    items = [
        {
            "id": r.pk,
            "household_id": r.household_id,
            "household_code": r.household.code,
            "head_name": r.household.head_name,
            "village_id": r.household.village_id,
            "status": r.status,
            "source": r.source,
            "members": r.members,
            "labour_capacity": r.labour_capacity,
            "income_per_capita": r.income_per_capita,
            "b1_score": r.b1_score,
            "b2_score": r.b2_score,
            "deprivation_count": r.deprivation_count,
            "deprived": [code for code in r.deprived.split(";") if code],
            "transition": r.transition,
        }
        for r in rows
    ]
    return {"items": items, "next_cursor": next_cursor}


@router.get(
    "/review-rounds/{round_id}/entries",
    response=answers(EntryPage),
    summary="Households listed in a round, with the register version to survey from (for the offline app)",
)
def round_entries(
    request: HttpRequest,
    round_id: Id,
    village: Id | None = None,
    cursor: str | None = Cursor,
    limit: int = Limit,
) -> dict:
    review_round = _round(request, round_id)
    entries = entries_visible_to(acting(request), review_round).select_related("household")
    if village is not None:
        entries = entries.filter(household__village_id=village)
    rows, next_cursor = keyset_page(entries, cursor, limit)
    items = [
        {
            "id": e.pk,
            "household_id": e.household_id,
            "household_code": e.household.code,
            "head_name": e.household.head_name,
            "village_id": e.household.village_id,
            "household_version": e.household.version,
            "reason": e.reason,
            "step": e.step,
            "back_to_survey": e.back_to_survey,
        }
        for e in rows
    ]
    return {"items": items, "next_cursor": next_cursor}


def _official(request: HttpRequest, commune_id: int, year: int, kind: str) -> dict:
    review_round = (
        rounds_visible_to(acting(request))
        .filter(commune_id=commune_id, year=year, kind=RoundKind.REGULAR, state=RoundState.DECIDED)
        .first()
    )
    if review_round is None:
        raise NotFound()
    rows = official_list_rows(user=acting(request), review_round=review_round, kind=kind)
    return {
        "commune_id": review_round.commune_id,
        "commune_code": review_round.commune.code,
        "commune_name": review_round.commune.name,
        "year": review_round.year,
        "kind": kind,
        "review_round_id": review_round.pk,
        "standard_id": review_round.standard_id,
        "decision_number": review_round.decision_number,
        "decision_date": review_round.decision_date,
        "effective_date": review_round.effective_date,
        "rows": [row.__dict__ for row in rows],
    }


KIND_HELP = "which list: " + ", ".join(LIST_KINDS)


@router.get(
    "/communes/{commune_id}/official-lists/{year}",
    response=answers(OfficialListOut),
    summary="A commune's official list of a year (its decided regular review) as JSON",
)
@decorate_view(reads_from_replica)
def official_list_json(
    request: HttpRequest,
    commune_id: Id,
    year: Year,
    kind: ListKind = Query("poor", description=KIND_HELP),
) -> dict:
    return _official(request, commune_id, year, kind.value if isinstance(kind, Enum) else str(kind))


CSV_COLUMNS = ["number", "code", "head_name", "members", "village", "status", "movement"]


@router.get(
    "/communes/{commune_id}/official-lists/{year}/csv",
    response=answers(None),
    summary="The same official list as CSV (UTF-8, one header row)",
    openapi_extra={
        "responses": {200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}}
    },
)
@decorate_view(reads_from_replica)
def official_list_csv(
    request: HttpRequest,
    commune_id: Id,
    year: Year,
    kind: ListKind = Query("poor", description=KIND_HELP),
) -> HttpResponse:
    value = kind.value if isinstance(kind, Enum) else str(kind)
    data = _official(request, commune_id, year, value)
    rows = [[row[c] for c in CSV_COLUMNS] for row in data["rows"]]
    name = f"danh-sach-{value}-{data['commune_code']}-{year}.csv"
    return csv_response(CSV_COLUMNS, rows, name)
