"""Import and export pages (/nhap-du-lieu/): thin views, each with an explicit scope check.

An upload becomes an ``ImportJob`` that a background task runs; the job's page polls its progress with
htmx (a partial, every second while it runs) so the rest of the site stays usable meanwhile.
"""

from __future__ import annotations

import datetime
import os
import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from giamngheo.accounts.http import AuthenticatedRequest
from giamngheo.accounts.models import User
from giamngheo.common.replicas import reads_from_replica
from giamngheo.errors import InputError
from giamngheo.households.services import may_see_citizen_ids
from giamngheo.imports.error_workbook import error_workbook
from giamngheo.imports.forms import ExportForm, ImportForm
from giamngheo.imports.household_export import export_households
from giamngheo.imports.models import ImportJob, JobState
from giamngheo.imports.report import ImportReport
from giamngheo.imports.selectors import import_job_get, import_jobs_visible_to, latest_list_year
from giamngheo.imports.services import import_job_create, import_job_rerun, import_job_run_again

RECENT_JOBS = 20


def may_import(user: User) -> bool:
    return user.is_system_admin or (user.can_edit and user.unit_id is not None)


def may_import_units(user: User) -> bool:
    """Units are the administrators' — or, below their own unit, an editing user's (e.g. a new village)."""
    return user.is_system_admin or (
        user.can_edit and user.unit is not None and user.unit.level.code != "village"
    )


def _job_or_404(user: User, pk: int) -> ImportJob:
    try:
        return import_job_get(user=user, pk=pk)
    except ImportJob.DoesNotExist:
        raise Http404 from None


@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    if request.method == "POST":
        if not may_import(user):
            raise PermissionDenied
        form = ImportForm(request.POST, request.FILES, may_import_units=may_import_units(user))
        if not form.is_valid():
            return render(request, "imports/index.html", _index_context(user, form=form), status=400)
        data = form.cleaned_data
        job = import_job_create(
            user=user,
            kind=data["kind"],
            upload=data["file"],
            year=data.get("year"),
            dry_run=data["dry_run"],
            draft=data["draft"],
            decision_number=data.get("decision_number") or "",
            decision_date=data.get("decision_date"),
        )
        return redirect("imports:detail", pk=job.pk)
    return render(request, "imports/index.html", _index_context(user))


def _job_context(job: ImportJob) -> dict[str, object]:
    report = ImportReport.from_dict(job.counts) if job.state == JobState.SUCCEEDED and job.counts else None
    return {"job": job, "report": report, "hidden_problems": max(0, job.problems_total - len(job.problems))}


@login_required
@require_GET
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request.user, pk)
    return render(request, "imports/detail.html", _job_context(job))


@login_required
@require_GET
def progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The job's status block alone, for htmx to swap in while it runs."""
    job = _job_or_404(request.user, pk)
    return render(request, "imports/_status.html", _job_context(job))


@login_required
@require_POST
def rerun(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """After a successful dry run: import the same file for real."""
    user: User = request.user
    job = _job_or_404(user, pk)
    if not may_import(user) or not (
        job.dry_run and job.state == JobState.SUCCEEDED and job.user_id == user.pk
    ):
        raise PermissionDenied
    try:
        new = import_job_rerun(user=user, job=job)
    except InputError as error:
        return render(request, "imports/detail.html", {**_job_context(job), "error": error}, status=400)
    return redirect("imports:detail", pk=new.pk)


@login_required
@require_POST
def run_again(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A job whose worker died: run the same file again (whoever uploaded it, with the same choices)."""
    user: User = request.user
    job = _job_or_404(user, pk)
    if not may_import(user) or job.user_id != user.pk:
        raise PermissionDenied
    try:
        new = import_job_run_again(user=user, job=job)
    except InputError as error:
        return render(request, "imports/detail.html", {**_job_context(job), "error": error}, status=400)
    return redirect("imports:detail", pk=new.pk)


@login_required
@require_GET
def errors(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The uploaded rows with an error column beside each bad row, and a sheet listing every problem."""
    job = _job_or_404(request.user, pk)
    if job.state != JobState.FAILED:
        raise Http404
    content = ImportJob.objects.values_list("content", flat=True).get(pk=job.pk)
    data = error_workbook(job=job, content=bytes(content) if content is not None else None)
    name = f"loi-{slugify(Path(job.file_name).stem) or 'tep'}.xlsx"
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
@reads_from_replica
def export(request: AuthenticatedRequest) -> HttpResponseBase:
    """The household list of a review year for the user's unit and below, in format C. A POST: every export
    is recorded (who, what, with full or masked citizen IDs)."""
    user: User = request.user
    unit = user.unit
    if unit is None or not user.has_perm("units.view_unit_data", unit):
        raise PermissionDenied
    form = ExportForm(request.POST)
    if not form.is_valid():
        return render(request, "imports/index.html", _index_context(user, export_form=form), status=400)
    year, fmt = form.cleaned_data["year"], form.cleaned_data["format"]
    full = form.cleaned_data["full_citizen_ids"]
    folder = tempfile.mkdtemp(prefix="giamngheo-export-")
    path = Path(folder) / f"danh-sach-ho-{slugify(unit.name) or unit.code}-{year}.{fmt}"
    try:
        export_households(unit=unit, year=year, output=path, user=user, full_citizen_ids=full)
    except InputError as error:
        os.rmdir(folder)
        return render(request, "imports/index.html", _index_context(user, export_error=error), status=400)
    handle = path.open("rb")
    path.unlink()  # the open handle keeps the data until the response is sent; nothing stays on disk
    os.rmdir(folder)
    return FileResponse(handle, as_attachment=True, filename=path.name)


def _index_context(user: User, **extra: object) -> dict[str, object]:
    # Both forms start on the latest year that has a household list, not on this calendar year.
    year = latest_list_year(user=user, unit=user.unit) or datetime.date.today().year
    form = (
        ImportForm(may_import_units=may_import_units(user), initial={"year": year})
        if may_import(user)
        else None
    )
    context: dict[str, object] = {
        "form": form,
        "export_form": ExportForm(initial={"year": year}),
        "may_export_full_ids": user.unit is not None and may_see_citizen_ids(user, user.unit),
        "jobs": list(import_jobs_visible_to(user)[:RECENT_JOBS]),
        "unit": user.unit,
    }
    context.update(extra)
    return context
