"""Documents prepared in the background (/bao-cao/tai-lieu/): a job's page, its status and its file.

A feature sends the user here when a document is too long to render during a request (a province's progress
report as PDF, the certificates of a large village): the page polls the job's status with htmx and offers
the file when it is ready. Only the user who asked may see a job (anyone else gets "not found").
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giamngheo.accounts.http import AuthenticatedRequest
from giamngheo.documents import services
from giamngheo.documents.models import DocumentJob, DocumentState
from giamngheo.errors import InputError


def _job_or_404(request: AuthenticatedRequest, pk: int) -> DocumentJob:
    job = DocumentJob.objects.defer("content").filter(pk=pk, requested_by=request.user).first()
    if job is None:
        raise Http404(_("No such document."))
    return job


@login_required
def document_job(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return render(request, "reports/document_job.html", {"job": _job_or_404(request, pk)})


@login_required
def document_job_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The job's status block alone, for htmx to swap in while it is prepared."""
    return render(request, "reports/_document_job_status.html", {"job": _job_or_404(request, pk)})


@login_required
@require_POST
def document_job_run_again(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A document whose worker died: ask for it again."""
    job = _job_or_404(request, pk)
    try:
        new = services.document_job_run_again(actor=request.user, job=job)
    except InputError:
        return redirect("reports:document_job", pk=job.pk)
    return redirect("reports:document_job", pk=new.pk)


@login_required
def document_job_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    if job.state != DocumentState.DONE:
        return redirect("reports:document_job", pk=job.pk)
    content = DocumentJob.objects.values_list("content", flat=True).get(pk=job.pk)
    assert content is not None  # a finished job has its content
    response = HttpResponse(bytes(content), content_type=job.content_type)
    disposition = "inline" if job.content_type == "application/pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{job.file_name}"'
    return response
