"""Writes of the progress report: a unit submits its figures for a period upward (frozen as a new version),
the level above approves or returns it. Keyword-only, validated, one transaction each."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.errors import InputError
from giamngheo.reports import permissions
from giamngheo.reports.models import ProgressReport, ReportState
from giamngheo.reports.periods import parse_period
from giamngheo.reports.progress import build_progress
from giamngheo.support.services.common import _deny, _history_user
from giamngheo.units.models import Unit


@transaction.atomic
def progress_report_submit(*, actor: User, unit: Unit, period: str, reason: str = "") -> ProgressReport:
    """Freeze the report of ``unit`` for ``period`` and submit it upward as a new version.

    A correction of an approved report needs a reason; a version awaiting a decision blocks a new one.
    """
    if not permissions.can_submit_report(actor, unit):
        raise _deny(
            f"Chỉ cán bộ của {unit.display_name} mới gửi được báo cáo của đơn vị này",
            f"Only an officer of {unit.display_name} may submit its report",
        )
    parsed = parse_period(period)
    # Lock the unit's versions of this period: two officers submitting at once get versions n+1 and n+2.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    previous = ProgressReport.objects.filter(unit=unit, period=parsed.code).order_by("-version").first()
    if previous is not None and previous.state == ReportState.SUBMITTED:
        raise InputError.single(
            f"Báo cáo {parsed.code} (phiên bản {previous.version}) đang chờ cấp trên xem xét",
            f"The report for {parsed.code} (version {previous.version}) is awaiting a decision",
            fix_vi="Chờ cấp trên duyệt hoặc trả lại trước khi gửi phiên bản mới",
            fix_en="Wait until it is approved or returned before submitting a new version",
        )
    approved_before = ProgressReport.objects.filter(
        unit=unit, period=parsed.code, state=ReportState.APPROVED
    ).exists()
    if approved_before and not reason.strip():
        raise InputError.single(
            f"Báo cáo {parsed.code} đã được duyệt và khoá; phiên bản điều chỉnh cần lý do",
            f"The report for {parsed.code} was approved and is locked; a corrected version needs a reason",
            column="reason",
            fix_vi="Ghi lý do điều chỉnh",
            fix_en="Give the reason for the correction",
        )
    data = build_progress(user=actor, unit=unit, period=parsed).to_json()
    report = ProgressReport(
        unit=unit,
        unit_path=unit.path,
        period=parsed.code,
        period_start=parsed.start,
        period_end=parsed.end,
        version=(previous.version + 1) if previous else 1,
        state=ReportState.SUBMITTED,
        data=data,
        reason=reason.strip(),
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    _history_user(report, actor)
    report.save()
    return report


@transaction.atomic
def progress_report_decide(
    *, actor: User, report: ProgressReport, approve: bool, comment: str = ""
) -> ProgressReport:
    current = ProgressReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
    if current.submitted_by_id == actor.pk:
        raise _deny(
            "Người gửi báo cáo không được tự duyệt hoặc trả lại báo cáo đó",
            "Whoever submitted a report may not approve or return it",
        )
    if not permissions.can_decide_report(actor, current):
        raise _deny(
            "Chỉ cấp trên của đơn vị mới duyệt hoặc trả lại báo cáo",
            "Only the level above the unit may approve or return its report",
        )
    if current.state != ReportState.SUBMITTED:
        raise InputError.single(
            f"Báo cáo này đã được xử lý ({current.get_state_display()}) và bị khoá",
            f"This report was decided already ({current.state}) and is locked",
            fix_vi="Đơn vị gửi phiên bản mới nếu cần điều chỉnh",
            fix_en="The unit submits a new version if a correction is needed",
        )
    if not approve and not comment.strip():
        raise InputError.single(
            "Trả lại báo cáo cần ghi ý kiến",
            "Returning a report needs a comment",
            column="comment",
            fix_vi="Ghi điều cần sửa",
            fix_en="Say what needs correcting",
        )
    current.state = ReportState.APPROVED if approve else ReportState.RETURNED
    current.comment = comment.strip()
    current.decided_by = actor
    current.decided_at = timezone.now()
    _history_user(current, actor)
    current.save()
    return current
