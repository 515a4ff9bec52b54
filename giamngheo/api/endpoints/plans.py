"""Yearly plans and their targets (``plans.selectors``), and progress figures per period — the numbers of
the progress report pages (``reports.progress.build_progress``)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.decorators import decorate_view

from giamngheo.api.common import Cursor, Id, Limit, Page, acting, answers
from giamngheo.api.cursors import keyset_page
from giamngheo.api.errors import NotFound
from giamngheo.common.replicas import reads_from_replica
from giamngheo.plans.models import Plan
from giamngheo.plans.selectors import plan_figures, plans_visible_to
from giamngheo.reports.progress import build_progress
from giamngheo.units.selectors import units_visible_to

router = Router(tags=["plans and progress"])


class PlanOut(Schema):
    id: int
    commune_id: int
    commune_name: str
    year: int
    baseline_round_id: int
    assigned_poor_rate: Decimal | None
    assigned_near_poor_rate: Decimal | None
    version: int


def _plan(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "commune_id": plan.commune_id,
        "commune_name": plan.commune.name,
        "year": plan.year,
        "baseline_round_id": plan.baseline_round_id,
        "assigned_poor_rate": plan.assigned_poor_rate,
        "assigned_near_poor_rate": plan.assigned_near_poor_rate,
        "version": plan.version,
    }


class PlanPage(Page):
    items: list[PlanOut]


class VillageTargetOut(Schema):
    village_id: int
    village_name: str
    households: int
    poor_start: int
    poor_reduction: int
    poor_end: int
    near_poor_start: int
    near_poor_reduction: int
    near_poor_end: int


class IndicatorTargetOut(Schema):
    id: int
    measure: str
    text: str
    definition: str
    target_percent: Decimal | None


class PlanDetailOut(PlanOut):
    whole_commune: bool
    villages: list[VillageTargetOut]
    indicators: list[IndicatorTargetOut]


@router.get("/plans", response=answers(PlanPage), summary="Yearly plans")
@decorate_view(reads_from_replica)
def plan_list(
    request: HttpRequest,
    commune: Id | None = None,
    year: int | None = Query(None, ge=1900, le=2200),
    cursor: str | None = Cursor,
    limit: int = Limit,
) -> dict:
    plans = plans_visible_to(acting(request))
    if commune is not None:
        plans = plans.filter(commune_id=commune)
    if year is not None:
        plans = plans.filter(year=year)
    rows, next_cursor = keyset_page(plans, cursor, limit)
    return {"items": [_plan(p) for p in rows], "next_cursor": next_cursor}


@router.get("/plans/{plan_id}", response=answers(PlanDetailOut), summary="One plan with its targets")
def plan_detail(request: HttpRequest, plan_id: Id) -> dict:
    user = acting(request)
    plan = plans_visible_to(user).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound()
    figures = plan_figures(user=user, plan=plan)
    villages = [
        {
            "village_id": line.village.pk,
            "village_name": line.village.name,
            "households": line.counts.households,
            "poor_start": line.counts.poor,
            "poor_reduction": line.poor_reduction,
            "poor_end": line.counts.poor - line.poor_reduction,
            "near_poor_start": line.counts.near_poor,
            "near_poor_reduction": line.near_poor_reduction,
            "near_poor_end": line.counts.near_poor - line.near_poor_reduction,
        }
        for line in figures.lines
    ]
    return {
        **_plan(plan),
        "whole_commune": figures.whole_commune,
        "villages": villages,
        "indicators": list(plan.indicators.all()),
    }


@router.get(
    "/progress",
    response=answers(dict[str, Any]),
    summary="Progress figures of a unit for a month (2023-05), a quarter (2023-Q2) or a year (2023)",
)
@decorate_view(reads_from_replica)
def progress(
    request: HttpRequest,
    unit: Id,
    period: str = Query(..., max_length=10, pattern=r"^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$"),
    today: datetime.date | None = Query(None, description="compute as of this day (default: today)"),
) -> dict:
    user = acting(request)
    chosen = units_visible_to(user).filter(pk=unit).first()
    if chosen is None:
        raise NotFound()
    return build_progress(user=user, unit=chosen, period=period, today=today).to_json()
