"""Who may act on a progress report: it is submitted by an editing user of the report's own unit and
approved or returned by an editing user of a unit above it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from giamngheo.accounts.models import User
    from giamngheo.reports.models import ProgressReport
    from giamngheo.units.models import Unit


def can_submit_report(user: User, unit: Unit) -> bool:
    if not user.is_authenticated or not user.can_edit:
        return False
    return user.is_system_admin or user.unit_id == unit.pk


def can_decide_report(user: User, report: ProgressReport) -> bool:
    if not user.is_authenticated or not user.can_edit:
        return False
    # Separation of duties: whoever submitted a report never decides it, an administrator included.
    if report.submitted_by_id is not None and report.submitted_by_id == user.pk:
        return False
    if user.is_system_admin:
        return True
    return (
        user.unit is not None
        and report.unit_path.startswith(user.unit.path)
        and report.unit_path != user.unit.path
    )
