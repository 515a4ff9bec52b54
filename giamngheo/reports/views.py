"""Pages of the progress report (/ho-tro/bao-cao/): the figures of a unit and period, its files, the versions
submitted upward and the decision of the level above; and the report as a file prepared in the background
(/bao-cao/tien-do/tep/). Thin: scoped reads (out of scope = 404), explicit permission checks, services.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from giamngheo.accounts.http import AuthenticatedRequest
from giamngheo.accounts.models import User
from giamngheo.common.replicas import reads_from_replica
from giamngheo.common.web import language, problem_text, write_with_messages
from giamngheo.documents.models import DocumentKind
from giamngheo.documents.services import document_job_request
from giamngheo.errors import InputError
from giamngheo.reports import forms, permissions, progress_render, selectors, services
from giamngheo.reports import progress as progress_report
from giamngheo.reports.models import ProgressReport, ReportState
from giamngheo.reports.periods import parse_period, periods_of_year
from giamngheo.support.views.common import default_year, user_unit
from giamngheo.units.models import Unit
from giamngheo.units.selectors import scope_q


@login_required
@require_http_methods(["GET", "POST"])
def progress_file(request: AuthenticatedRequest) -> HttpResponse:
    """The progress report of a unit and period as a file prepared in the background: GET shows what will
    be prepared, POST queues it and opens the job's page."""
    user: User = request.user
    data = request.POST if request.method == "POST" else request.GET
    unit = Unit.objects.filter(scope_q(user), code=data.get("unit", "")).select_related("level").first()
    if unit is None:
        raise Http404(_("No such unit in your scope."))
    fmt = data.get("format", "pdf")
    if fmt not in progress_render.FORMATS:
        raise Http404(_("Unknown format."))
    language_code = language()
    context = {"unit": unit, "format": fmt, "period_text": data.get("period", "")}
    try:
        period = parse_period(data.get("period", ""))
    except InputError as error:
        context["error"] = problem_text(error.problems[0])
        return render(request, "reports/progress_file.html", context, status=400)
    context["period"] = period
    if request.method == "GET":
        return render(request, "reports/progress_file.html", context)
    label = period.label_en if language_code == "en" else period.label_vi
    job = document_job_request(
        actor=user,
        kind=DocumentKind.PROGRESS,
        params={"unit": unit.code, "period": period.code, "format": fmt, "language": language_code},
        title=f"{_('Progress report')} — {unit.display_name}, {label} ({fmt.upper()})",
        file_name=f"bao-cao-tien-do-{unit.code}-{period.code}.{fmt}",
        content_type=progress_render.FORMATS[fmt][0],
    )
    return redirect("reports:document_job", pk=job.pk)


def _report_unit(request: AuthenticatedRequest) -> Unit:
    user: User = request.user
    code = request.GET.get("unit") or request.POST.get("unit")
    if code:
        unit = Unit.objects.filter(scope_q(user), code=code).select_related("level").first()
        if unit is None:
            raise Http404(_("No such unit in your scope."))
        return unit
    return user_unit(request)


def _period(request: AuthenticatedRequest, unit: Unit) -> str:
    period = request.GET.get("period") or request.POST.get("period")
    if period:
        return period
    return str(default_year(request.user, unit))


@login_required
@reads_from_replica
def reports(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    unit = _report_unit(request)
    period_text = _period(request, unit)
    context: dict[str, Any] = {
        "unit": unit,
        "units": selectors.units_for_picker(user),
        "period_text": period_text,
        "awaiting": selectors.reports_awaiting(user=user),
        "can_submit": permissions.can_submit_report(user, unit),
        "submit_form": forms.ReportSubmitForm(),
    }
    try:
        period = parse_period(period_text)
    except InputError as error:
        context["error"] = problem_text(error.problems[0])
        return render(request, "support/reports.html", context, status=400)
    built = progress_report.build_progress(user=user, unit=unit, period=period)
    versions = list(selectors.reports_for_unit(user=user, unit=unit, period=period.code))
    context.update(
        {
            "period": period,
            "periods": periods_of_year(period.year),
            "years": list(range(timezone.localdate().year, 2021, -1)),
            "progress": built.data,
            # A large unit's PDF takes seconds to render: it is prepared in the background instead.
            "pdf_in_background": len(built.data["children"]) > progress_render.PDF_UNITS_IN_FULL,
            "as_of": datetime.date.fromisoformat(built.data["period"]["as_of"]),
            "tables": progress_render.document_tables(built, language()),
            "charts": _chart_data(built, language()),
            "versions": versions,
            "approved": any(v.state == ReportState.APPROVED for v in versions),
            "pending": any(v.state == ReportState.SUBMITTED for v in versions),
        }
    )
    return render(request, "support/reports.html", context)


def _chart_data(built: progress_report.Progress, language: str) -> dict[str, Any]:
    rows = built.data["children"] or [built.data["total"]]
    items = built.data["indicator_targets"]
    return {
        "labels": [r["name"] for r in rows],
        "poor": [float(r["poor_rate"]) for r in rows],
        "near_poor": [float(r["near_poor_rate"]) for r in rows],
        "poor_target": [float(r["poor_target_rate"]) if r["poor_target_rate"] else None for r in rows],
        "indicator_labels": [progress_render.indicator_label(i["code"], language) for i in items],
        "indicator_actual": [float(i["actual"]) if i["actual"] else None for i in items],
        "indicator_target": [float(i["target"]) if i["target"] else None for i in items],
        "label_poor": _("Poor"),
        "label_near_poor": _("Near-poor"),
        "label_target": _("Target"),
        "label_actual": _("Actual"),
    }


def _file_response(content: bytes, fmt: str, name: str) -> HttpResponse:
    content_type = progress_render.FORMATS[fmt][0]
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@reads_from_replica
def report_download(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    unit = _report_unit(request)
    fmt = request.GET.get("format", "pdf")
    if fmt not in progress_render.FORMATS:
        raise Http404(_("Unknown format."))
    try:
        period = parse_period(_period(request, unit))
    except InputError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    built = progress_report.build_progress(user=user, unit=unit, period=period)
    content = progress_render.render(built, fmt, language())
    return _file_response(content, fmt, f"bao-cao-tien-do-{unit.code}-{period.code}")


@login_required
@require_POST
def report_submit(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    unit = _report_unit(request)
    if not permissions.can_submit_report(user, unit):
        raise PermissionDenied(_("Only an officer of this unit may submit its report."))
    form = forms.ReportSubmitForm(request.POST)
    form.is_valid()
    report = write_with_messages(
        request,
        lambda: services.progress_report_submit(
            actor=user,
            unit=unit,
            period=request.POST.get("period", ""),
            reason=form.cleaned_data.get("reason", ""),
        ),
        success=_("The report was submitted to the level above."),
    )
    if report is None:
        return redirect(f"{_reports_url()}?unit={unit.code}&period={request.POST.get('period', '')}")
    return redirect("reports:progress_report", pk=report.pk)


def _reports_url() -> str:
    return reverse("reports:progress_reports")


def _report_or_404(user: User, pk: int) -> ProgressReport:
    stored = selectors.report_for(user, pk)
    if stored is None:
        raise Http404(_("No such report in your scope."))
    return stored


@login_required
@reads_from_replica
def report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user: User = request.user
    stored = _report_or_404(user, pk)
    built = progress_report.Progress.from_json(stored.data)
    others = selectors.reports_for_unit(user=user, unit=stored.unit, period=stored.period)
    return render(
        request,
        "support/report.html",
        {
            "report": stored,
            "progress": built.data,
            "tables": progress_render.document_tables(built, language()),
            "charts": _chart_data(built, language()),
            "versions": others,
            "can_decide": permissions.can_decide_report(user, stored)
            and stored.state == ReportState.SUBMITTED,
            "decision_form": forms.ReportDecisionForm(),
        },
    )


@login_required
@reads_from_replica
def report_version_download(request: AuthenticatedRequest, pk: int, fmt: str) -> HttpResponse:
    user: User = request.user
    stored = selectors.report_for(user, pk)
    if stored is None or fmt not in progress_render.FORMATS:
        raise Http404(_("No such report in your scope."))
    content = progress_render.render(progress_report.Progress.from_json(stored.data), fmt, language())
    return _file_response(
        content, fmt, f"bao-cao-tien-do-{stored.unit.code}-{stored.period}-v{stored.version}"
    )


@login_required
@require_POST
def report_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user: User = request.user
    stored = _report_or_404(user, pk)
    if not permissions.can_decide_report(user, stored):
        raise PermissionDenied(_("Only the level above may approve or return this report."))
    form = forms.ReportDecisionForm(request.POST)
    if form.is_valid():
        write_with_messages(
            request,
            lambda: services.progress_report_decide(
                actor=user,
                report=stored,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            ),
            success=_("The decision was recorded."),
        )
    return redirect("reports:progress_report", pk=pk)
