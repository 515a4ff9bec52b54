"""Scoped reads of submitted progress reports: a unit's versions, those awaiting the user's decision."""

from __future__ import annotations

from django.db.models import QuerySet

from giamngheo.accounts.models import User
from giamngheo.reports.models import ProgressReport
from giamngheo.units.models import Unit
from giamngheo.units.selectors import scope_q


def reports_for_unit(*, user: User, unit: Unit, period: str | None = None) -> QuerySet[ProgressReport]:
    reports = ProgressReport.objects.filter(scope_q(user, "unit_path"), unit=unit)
    if period:
        reports = reports.filter(period=period)
    return reports.select_related("submitted_by", "decided_by").order_by("-period_end", "period", "-version")


def reports_awaiting(*, user: User) -> QuerySet[ProgressReport]:
    """Reports of the units below the user's that wait for a decision (what the level above must act on)."""
    reports = ProgressReport.objects.filter(scope_q(user, "unit_path"), state="submitted")
    if user.unit_id is not None and not user.is_system_admin:
        reports = reports.exclude(unit_id=user.unit_id)
    return reports.select_related("unit__level", "submitted_by").order_by("submitted_at")


def report_for(user: User, pk: int) -> ProgressReport | None:
    return (
        ProgressReport.objects.filter(scope_q(user, "unit_path"), pk=pk)
        .select_related("unit__level", "submitted_by", "decided_by")
        .first()
    )


def units_for_picker(user: User) -> QuerySet[Unit]:
    """Units the user may report on: their unit and everything below down to communes (villages are
    reported inside their commune's report)."""
    return (
        Unit.objects.filter(scope_q(user))
        .select_related("level")
        .exclude(level__code="village")
        .exclude(level__is_legacy=True)
        .order_by("path")
    )
