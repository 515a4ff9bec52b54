"""Administrative units the caller may see."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.decorators import decorate_view

from giamngheo.api.common import Cursor, Id, Limit, Page, acting, answers
from giamngheo.api.cursors import keyset_page
from giamngheo.api.errors import NotFound
from giamngheo.common.replicas import reads_from_replica
from giamngheo.text import fold
from giamngheo.units.models import Unit
from giamngheo.units.selectors import units_visible_to

router = Router(tags=["units"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    display_name: str
    level: str
    parent_id: int | None
    path: str
    area: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    successor_id: int | None

    @staticmethod
    def resolve_level(obj: Unit) -> str:
        return obj.level.code


class UnitPage(Page):
    items: list[UnitOut]


@router.get("/units", response=answers(UnitPage), summary="Units (paged by id)")
@decorate_view(reads_from_replica)
def unit_list(
    request: HttpRequest,
    parent: Id | None = Query(None, description="only the units directly below this one"),
    level: str | None = Query(None, max_length=32, description="a level code: province, commune, village…"),
    q: str | None = Query(None, max_length=100, description="name or code, accents ignored"),
    cursor: str | None = Cursor,
    limit: int = Limit,
) -> dict:
    units = units_visible_to(acting(request))
    if parent is not None:
        units = units.filter(parent_id=parent)
    if level:
        units = units.filter(level__code=level)
    if q:
        units = units.filter(search_text__contains=fold(q)) | units.filter(code=q.strip())
    rows, next_cursor = keyset_page(units, cursor, limit)
    return {"items": rows, "next_cursor": next_cursor}


@router.get("/units/{unit_id}", response=answers(UnitOut), summary="One unit")
def unit_detail(request: HttpRequest, unit_id: Id) -> Unit:
    unit = units_visible_to(acting(request)).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    return unit
