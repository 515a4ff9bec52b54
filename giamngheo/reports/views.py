"""Documents prepared in the background (/bao-cao/tai-lieu/): a job's page, its status and its file.

A feature sends the user here when a document is too long to render during a request (a province's progress
report as PDF, the certificates of a large village): the page polls the job's status with htmx and offers
the file when it is ready. Only the user who asked may see a job (anyone else gets "not found").
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from giamngheo.accounts.models import User
from giamngheo.errors import InputError
from giamngheo.reports import progress as progress_report
from giamngheo.reports import services
from giamngheo.reports.models import DocumentJob, DocumentKind, DocumentState
from giamngheo.reports.services import document_job_request
from giamngheo.support.periods import parse_period
from giamngheo.units.models import Unit
from giamngheo.units.selectors import scope_q


def _job_or_404(request: HttpRequest, pk: int) -> DocumentJob:
    job = DocumentJob.objects.defer("content").filter(pk=pk, requested_by=request.user).first()
    if job is None:
        raise Http404(_("No such document."))
    return job


def _message(error: InputError) -> str:
    problem = error.problems[0]
    return problem.message_en if get_language() == "en" else problem.message_vi


@login_required
@require_http_methods(["GET", "POST"])
def progress_file(request: HttpRequest) -> HttpResponse:
    """The progress report of a unit and period as a file prepared in the background: GET shows what will
    be prepared, POST queues it and opens the job's page."""
    user: User = request.user  # type: ignore[assignment]
    data = request.POST if request.method == "POST" else request.GET
    unit = Unit.objects.filter(scope_q(user), code=data.get("unit", "")).select_related("level").first()
    if unit is None:
        raise Http404(_("No such unit in your scope."))
    fmt = data.get("format", "pdf")
    if fmt not in progress_report.FORMATS:
        raise Http404(_("Unknown format."))
    language = "en" if get_language() == "en" else "vi"
    context = {"unit": unit, "format": fmt, "period_text": data.get("period", "")}
    try:
        period = parse_period(data.get("period", ""))
    except InputError as error:
        return render(
            request, "reports/progress_file.html", {**context, "error": _message(error)}, status=400
        )
    context["period"] = period
    if request.method == "GET":
        return render(request, "reports/progress_file.html", context)
    label = period.label_en if language == "en" else period.label_vi
    job = document_job_request(
        actor=user,
        kind=DocumentKind.PROGRESS,
        params={"unit": unit.code, "period": period.code, "format": fmt, "language": language},
        title=f"{_('Progress report')} — {unit.display_name}, {label} ({fmt.upper()})",
        file_name=f"bao-cao-tien-do-{unit.code}-{period.code}.{fmt}",
        content_type=progress_report.FORMATS[fmt][0],
    )
    return redirect("reports:document_job", pk=job.pk)


@login_required
def document_job(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "reports/document_job.html", {"job": _job_or_404(request, pk)})


@login_required
def document_job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's status block alone, for htmx to swap in while it is prepared."""
    return render(request, "reports/_document_job_status.html", {"job": _job_or_404(request, pk)})


@login_required
@require_POST
def document_job_run_again(request: HttpRequest, pk: int) -> HttpResponse:
    """A document whose worker died: ask for it again."""
    job = _job_or_404(request, pk)
    try:
        new = services.document_job_run_again(actor=request.user, job=job)  # type: ignore[arg-type]
    except InputError:
        return redirect("reports:document_job", pk=job.pk)
    return redirect("reports:document_job", pk=new.pk)


@login_required
def document_job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    if job.state != DocumentState.DONE:
        return redirect("reports:document_job", pk=job.pk)
    content = DocumentJob.objects.values_list("content", flat=True).get(pk=job.pk)
    response = HttpResponse(bytes(content), content_type=job.content_type)
    disposition = "inline" if job.content_type == "application/pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{job.file_name}"'
    return response
