"""Writes of the imports app: import jobs (web UI). The bulk register writes of a household list live
with the rules they keep, in ``reviews.batch``."""

from __future__ import annotations

import datetime
import logging
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.common.lease import Heartbeat, still_running, worker_id
from giamngheo.errors import InputError
from giamngheo.imports.models import ImportJob, ImportKind, JobStage, JobState
from giamngheo.units.models import Unit

logger = logging.getLogger(__name__)

# --- import jobs (web UI) -----------------------------------------------------------------------------------

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def import_job_create(
    *,
    user: User,
    kind: str,
    upload: UploadedFile,
    year: int | None = None,
    dry_run: bool = False,
    draft: bool = False,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
) -> ImportJob:
    """Record the job with the uploaded file and start it in the background once the record is committed."""
    content = b"".join(upload.chunks())
    job = ImportJob.objects.create(
        kind=kind,
        user=user,
        file_name=Path(upload.name or "upload").name[:255],
        content=content,
        size_bytes=len(content),
        year=year if kind == ImportKind.HOUSEHOLDS else None,
        dry_run=dry_run,
        draft=draft and kind == ImportKind.HOUSEHOLDS,
        decision_number=decision_number.strip()[:60],
        decision_date=decision_date,
    )
    _enqueue_after_commit(job)
    return job


@transaction.atomic
def import_job_run_again(*, user: User, job: ImportJob) -> ImportJob:
    """A job whose worker died: recorded as stopped, and the same file queued again with the same choices
    (a dry run stays a dry run). The import wrote nothing (it is all-or-nothing), so running it again is
    safe."""
    current = ImportJob.objects.select_for_update().defer("content").get(pk=job.pk)
    if not current.worker_died:
        raise still_running()
    current.state, current.stage, current.finished_at = JobState.ERROR, JobStage.DONE, timezone.now()
    current.message = "worker stopped (máy chạy nền đã dừng)"
    current.save(update_fields=["state", "stage", "finished_at", "message"])
    return _queue_copy(user=user, job=current, dry_run=current.dry_run)


def import_job_rerun(*, user: User, job: ImportJob) -> ImportJob:
    """After a dry run: import the same file for real, with the same choices."""
    return _queue_copy(user=user, job=job, dry_run=False)


def _queue_copy(*, user: User, job: ImportJob, dry_run: bool) -> ImportJob:
    content = ImportJob.objects.values_list("content", flat=True).get(pk=job.pk)
    if content is None:
        raise InputError.single(
            "tệp của lần nhập này không còn được lưu",
            "the file of this import is no longer kept",
            fix_vi="tải tệp lên lại",
            fix_en="upload the file again",
        )
    new = ImportJob.objects.create(
        kind=job.kind,
        user=user,
        file_name=job.file_name,
        content=bytes(content),
        size_bytes=job.size_bytes,
        year=job.year,
        dry_run=dry_run,
        draft=job.draft,
        decision_number=job.decision_number,
        decision_date=job.decision_date,
    )
    _enqueue_after_commit(new)
    return new


def _enqueue_after_commit(job: ImportJob) -> None:
    from giamngheo.imports.tasks import import_job_execute

    def enqueue() -> None:
        result = import_job_execute.enqueue(job.pk)
        # The immediate backend (tests) has run the job already; only a queued job needs its task id.
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)


def lookup_root(user: User | None) -> Unit | None:
    """Where a user's file may name villages: their unit, or for a village head the commune (so that a
    commune's list gets the clear "not allowed" answer rather than "unknown village")."""
    if user is None or user.is_system_admin:
        return None
    unit = user.unit
    if unit is None:
        raise InputError.single(
            "tài khoản của bạn chưa gắn với đơn vị nào",
            "your account is not attached to a unit",
            fix_vi="nhờ quản trị hệ thống gán đơn vị cho tài khoản",
            fix_en="ask the system administrator to assign your unit",
        )
    if unit.level.code == "village" and unit.parent_id:
        return unit.parent
    return unit


def import_job_run(*, job_id: int) -> str:
    """Run a queued job (called by the background task): the job ends succeeded, failed (the file has
    errors, listed on the job) or error (unexpected; the worker's log has the traceback). The worker holds
    a lease on the job while it runs (``common/lease.py``)."""
    job = (
        ImportJob.objects.select_related("user", "user__unit", "user__unit__level")
        .defer("content")
        .get(pk=job_id)
    )
    if job.is_finished:
        return job.state
    job.state, job.started_at = JobState.RUNNING, timezone.now()
    job.worker, job.heartbeat_at = worker_id(), job.started_at
    job.save(update_fields=["state", "started_at", "worker", "heartbeat_at"])
    with Heartbeat(ImportJob, job.pk):
        return _run_started(job)


def _run_started(job: ImportJob) -> str:
    from giamngheo.imports.checks import problem_total
    from giamngheo.imports.household_list import households_import
    from giamngheo.imports.progress import JobProgress
    from giamngheo.imports.unit_list import units_import

    progress = JobProgress(job)
    try:
        if job.user is None:  # never run a web import with the command line's (system) rights
            raise InputError.single(
                "người tải tệp lên không còn tồn tại", "the user who uploaded the file is gone"
            )
        content = ImportJob.objects.values_list("content", flat=True).get(pk=job.pk)
        with tempfile.TemporaryDirectory(prefix="giamngheo-import-") as folder:
            path = Path(folder) / (Path(job.file_name).name or "upload")
            path.write_bytes(bytes(content or b""))
            if job.kind == ImportKind.UNITS:
                report = units_import(
                    path=path,
                    display_name=job.file_name,
                    dry_run=job.dry_run,
                    actor=job.user,
                    progress=progress,
                )
            else:
                assert job.year is not None
                report = households_import(
                    path=path,
                    year=job.year,
                    display_name=job.file_name,
                    dry_run=job.dry_run,
                    draft=job.draft,
                    decision_number=job.decision_number,
                    decision_date=job.decision_date,
                    actor=job.user,
                    within=lookup_root(job.user),
                    progress=progress,
                )
    except InputError as error:
        job.state = JobState.FAILED
        job.problems = [_problem_dict(p) for p in error.problems]
        job.problems_total = problem_total(error)
    except Exception as error:  # noqa: BLE001 - recorded on the job; the worker logs the traceback
        logger.exception("import job %s failed", job.pk)
        job.state = JobState.ERROR
        job.message = f"{type(error).__name__}: {error}"[:2000]
    else:
        job.state = JobState.SUCCEEDED
        job.counts = report.as_dict()
        if report.commune_code:
            job.commune = Unit.objects.filter(code=report.commune_code).first()
        if not job.dry_run:
            job.content = None  # the register holds the data now
    finally:
        progress.close()
    job.stage = JobStage.DONE
    job.finished_at = timezone.now()
    fields = ["state", "stage", "problems", "problems_total", "message", "counts", "commune", "finished_at"]
    job.save(
        update_fields=fields + (["content"] if job.state == JobState.SUCCEEDED and not job.dry_run else [])
    )
    return job.state


def _problem_dict(problem: Any) -> dict[str, Any]:
    return {
        "file": problem.file,
        "row": problem.row,
        "column": problem.column,
        "message_vi": problem.message_vi,
        "message_en": problem.message_en,
        "fix_vi": problem.fix_vi,
        "fix_en": problem.fix_en,
    }
