"""Status lookups by partner institutions (the Social Policy Bank, health insurance, schools), and the record
of those lookups for the communes and provinces whose people were looked up."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from giamngheo.api.common import Cursor, Limit, Page, acting, answers
from giamngheo.api.cursors import keyset_page
from giamngheo.api.errors import NotFound
from giamngheo.api.security import PARTNER_AUTH
from giamngheo.api.selectors import lookups_visible_to
from giamngheo.api.services import partner_lookup

router = Router(tags=["partner lookup"])


class LookupIn(Schema):
    citizen_id: str = Field(..., pattern=r"^(\d{9}|\d{12})$", description="12 digits (CCCD) or 9 (CMND)")
    purpose: str = Field(
        ..., min_length=5, max_length=300, description="why: e.g. “xét cho vay hộ nghèo, hồ sơ 123/2026”"
    )


class LookupOut(Schema):
    status: str | None = Field(
        ..., description="poor, near_poor, average, not_poor; null: on no decided list"
    )
    standard: str | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None = Field(..., description="null: until the next decided review")


class LookupRecordOut(Schema):
    id: int
    at: datetime.datetime
    partner: str
    purpose: str
    citizen_id_masked: str
    found: bool
    status: str


class LookupRecordPage(Page):
    items: list[LookupRecordOut]


@router.post(
    "/partner/lookups",
    auth=PARTNER_AUTH,
    response=answers(LookupOut),
    summary="The status in force of a person, by citizen ID (partners only; every lookup is recorded)",
)
def lookup(request: HttpRequest, payload: LookupIn) -> dict:
    found = partner_lookup(
        actor=acting(request),
        citizen_id=payload.citizen_id,
        purpose=payload.purpose,
        token=getattr(request, "api_token", None),
    )
    if found is None:
        raise NotFound()
    return {
        "status": found.status,
        "standard": found.standard_id,
        "valid_from": found.valid_from,
        "valid_to": found.valid_to,
    }


@router.get(
    "/partner-lookups",
    response=answers(LookupRecordPage),
    summary="Partners' lookups of people of your area (who, when, why)",
)
def lookup_records(request: HttpRequest, cursor: str | None = Cursor, limit: int = Limit) -> dict:
    rows, next_cursor = keyset_page(lookups_visible_to(acting(request)), cursor, limit)
    items = [
        {
            "id": r.pk,
            "at": r.at,
            "partner": r.user.display(),
            "purpose": r.purpose,
            "citizen_id_masked": r.citizen_id_masked,
            "found": r.found,
            "status": r.status,
        }
        for r in rows
    ]
    return {"items": items, "next_cursor": next_cursor}
