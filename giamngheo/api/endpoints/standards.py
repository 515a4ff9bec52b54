"""The poverty standards the engine knows (read-only, from ``giamngheo.standards.loader``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from giamngheo.api.common import answers
from giamngheo.api.errors import NotFound
from giamngheo.standards.loader import list_standards, registry
from giamngheo.standards.model import Standard

router = Router(tags=["standards"])


class StandardOut(Schema):
    id: str
    version: str
    scope: str
    name_vi: str
    name_en: str
    first_year: int
    last_year: int
    derives_from: str | None
    provisional: bool


class StandardDetailOut(StandardOut):
    indicator_codes: list[str]
    definition: dict[str, Any]


def _summary(standard: Standard) -> dict:
    return {
        "id": standard.id,
        "version": standard.version,
        "scope": standard.scope,
        "name_vi": standard.name.vi,
        "name_en": standard.name.en,
        "first_year": standard.first_year,
        "last_year": standard.last_year,
        "derives_from": standard.derives_from,
        "provisional": bool(standard.provisional),
    }


@router.get("/standards", response=answers(list[StandardOut]), summary="Poverty standards")
def standard_list(request: HttpRequest) -> list[dict]:
    return [_summary(s) for s in list_standards()]


@router.get("/standards/{standard_id}", response=answers(StandardDetailOut), summary="One standard in full")
def standard_detail(request: HttpRequest, standard_id: str) -> dict:
    standard = registry().get(standard_id)
    if standard is None:
        raise NotFound()
    return {
        **_summary(standard),
        "indicator_codes": list(standard.indicator_codes),
        "definition": dict(standard.raw),
    }
