"""The register: search as the web does (``households.selectors.register_page``), one household with its
members, and a member's full citizen ID for a user who may edit (recorded, as on the web)."""

from __future__ import annotations

import datetime
from enum import Enum

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.decorators import decorate_view

from giamngheo.api.common import Cursor, Id, Page, acting, answers
from giamngheo.api.cursors import MAX_LIMIT, decode, encode
from giamngheo.api.errors import Forbidden, NotFound, invalid
from giamngheo.common.replicas import reads_from_replica
from giamngheo.households import selectors
from giamngheo.households.models import Household, Member
from giamngheo.households.services import citizen_id_reveal, mask_citizen_id
from giamngheo.reviews.models import Status
from giamngheo.units.models import Unit
from giamngheo.units.selectors import scope_q

router = Router(tags=["households"])

StatusFilter = Enum(  # type: ignore[misc]
    "StatusFilter", {value: value for value in [*Status.values, selectors.STATUS_NONE]}, type=str
)
Category = Enum("Category", {c: c for c in selectors.CATEGORIES}, type=str)  # type: ignore[misc]
Sort = Enum("Sort", {s: s for s in selectors.SORTS}, type=str)  # type: ignore[misc]


class HouseholdRow(Schema):
    id: int
    code: str
    head_name: str
    size: int
    village_id: int
    village_name: str
    commune_id: int
    status: str
    status_date: datetime.date | None
    dissolved_on: datetime.date | None
    version: int
    matched_members: list[str] = []


class HouseholdPage(Page):
    items: list[HouseholdRow]
    total: int | None
    total_capped: bool
    any_order: bool


class MemberOut(Schema):
    id: int
    full_name: str
    relation: str
    birth_date: datetime.date | None
    sex: str
    ethnicity: str
    citizen_id_masked: str
    version: int


class ResultBrief(Schema):
    review_round_id: int
    year: int
    kind: str
    period: str
    round_state: str
    status: str
    source: str
    transition: str


class HouseholdOut(HouseholdRow):
    address: str
    area: str
    labour_capacity: bool | None
    social_protection: bool
    ethnic_minority: bool
    meritorious: bool
    provincial_income_support: bool
    income_per_capita: int | None
    dwelling: str
    safe_water: bool | None
    hygienic_latrine: bool | None
    internet_use: bool | None
    owns_info_device: bool | None
    waste_handled: bool | None
    members: list[MemberOut]
    results: list[ResultBrief]


class CitizenIdOut(Schema):
    member_id: int
    citizen_id: str


def _row(household: Household, matched: list[Member] | None = None) -> dict:
    return {
        "id": household.pk,
        "code": household.code,
        "head_name": household.head_name,
        "size": household.size,
        "village_id": household.village_id,
        "village_name": household.village.name,
        "commune_id": household.commune_id,
        "status": household.status,
        "status_date": household.status_date,
        "dissolved_on": household.dissolved_on,
        "version": household.version,
        "matched_members": [m.full_name for m in matched or [] if m.full_name != household.head_name],
    }


@router.get("/households", response=answers(HouseholdPage), summary="Search the register")
@decorate_view(reads_from_replica)
def household_list(
    request: HttpRequest,
    q: str = Query("", max_length=100, description="a name, a household code or a citizen ID, as on the web"),
    unit: Id | None = Query(None, description="a commune or village of your area"),
    status: StatusFilter | None = Query(None, description="status of the latest decided review"),
    category: list[Category] = Query([], description="household categories (all must hold)"),
    newly_escaped: bool = False,
    include_closed: bool = False,
    sort: Sort = Query("name"),
    cursor: str | None = Cursor,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
) -> dict:
    user = acting(request)
    state = decode(cursor)
    chosen = None
    if unit is not None:
        chosen = Unit.objects.filter(scope_q(user), pk=unit).select_related("level").first()
        if chosen is None:
            raise invalid("query.unit", "Đơn vị không thuộc phạm vi của bạn", "This unit is not in your area")
    query = selectors.RegisterQuery(
        text=q,
        unit=chosen,
        status=status.value if status else "",
        categories=tuple(c.value for c in category),
        newly_escaped=newly_escaped,
        include_closed=include_closed,
        sort=sort.value if isinstance(sort, Enum) else str(sort),
        after=state.get("a"),
        known_total=state.get("n") if isinstance(state.get("n"), int) else None,
        any_order=bool(state.get("w")),
    )
    page = selectors.register_page(user, query, page_size=limit)
    next_cursor = None
    if page.next_after is not None:
        next_state = {"a": page.next_after, "w": int(page.any_order or query.any_order)}
        if page.total is not None and not page.capped:
            next_state["n"] = page.total
        next_cursor = encode(next_state)
    return {
        "items": [_row(h, page.matched_members.get(h.pk)) for h in page.rows],
        "next_cursor": next_cursor,
        "total": page.total,
        "total_capped": page.capped,
        "any_order": page.any_order or query.any_order,
    }


@router.get("/households/{household_id}", response=answers(HouseholdOut), summary="One household")
def household_detail(request: HttpRequest, household_id: Id) -> dict:
    household = selectors.household_for(acting(request), household_id)
    if household is None:
        raise NotFound()
    members = [
        {
            "id": m.pk,
            "full_name": m.full_name,
            "relation": m.relation,
            "birth_date": m.birth_date,
            "sex": m.sex,
            "ethnicity": m.ethnicity,
            "citizen_id_masked": mask_citizen_id(m.citizen_id),
            "version": m.version,
        }
        for m in selectors.household_members(household)
    ]
    results = [
        {
            "review_round_id": r.review_round_id,
            "year": r.review_round.year,
            "kind": r.review_round.kind,
            "period": r.review_round.period,
            "round_state": r.review_round.state,
            "status": r.status,
            "source": r.source,
            "transition": r.transition,
        }
        for r in selectors.household_results(household)
    ]
    fields = {
        name: getattr(household, name)
        for name in HouseholdOut.model_fields
        if name not in HouseholdRow.model_fields and name not in ("members", "results")
    }
    return {**_row(household), **fields, "members": members, "results": results}


@router.post(
    "/members/{member_id}/citizen-id",
    response=answers(CitizenIdOut),
    summary="A member's full citizen ID (editors only; every call is recorded)",
)
def member_citizen_id(request: HttpRequest, member_id: Id) -> dict:
    user = acting(request)
    member = Member.objects.filter(scope_q(user, field="unit_path"), pk=member_id).first()
    household = selectors.household_for(user, member.household_id) if member else None
    if member is None or household is None:
        raise NotFound()
    if not user.has_perm("units.change_unit_data", household.village):
        raise Forbidden()
    value = citizen_id_reveal(actor=user, member=member)
    return {"member_id": member.pk, "citizen_id": value}
