"""Writes of the reports app: documents prepared in the background (``DocumentJob``).

A feature asks for a document with ``document_job_request`` (what to render, for whom); the job is queued
after the transaction commits and ``document_job_run`` (the task) renders it with the renderer registered
for its kind, as the requesting user. A renderer is ``(user, params) -> bytes``; it raises ``InputError``
for a request that has become invalid (the message is shown on the job's page).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from giamngheo.accounts.models import User
from giamngheo.common.lease import Heartbeat, still_running, worker_id
from giamngheo.documents.models import DocumentJob, DocumentKind, DocumentState
from giamngheo.errors import InputError

LOGGER = logging.getLogger(__name__)

RENDERERS = {
    DocumentKind.PROGRESS: "giamngheo.reports.progress_render.render_for_job",
    DocumentKind.CERTIFICATES: "giamngheo.reviews.documents.certificates_for_job",
}
KEEP_FINISHED = datetime.timedelta(days=1)  # a user's finished files are cleared a day later


def document_job_request(
    *, actor: User, kind: str, params: dict[str, Any], title: str, file_name: str, content_type: str
) -> DocumentJob:
    """Queue a document for ``actor``; its page shows the progress and, when ready, the download."""
    DocumentJob.objects.filter(
        requested_by=actor,
        state__in=[DocumentState.DONE, DocumentState.FAILED],
        finished_at__lt=timezone.now() - KEEP_FINISHED,
    ).delete()
    job = DocumentJob.objects.create(
        kind=kind,
        params=params,
        title=title[:255],
        requested_by=actor,
        file_name=file_name[:255],
        content_type=content_type,
    )

    def enqueue() -> None:
        from giamngheo.documents.tasks import document_job_execute

        result = document_job_execute.enqueue(job.pk)
        DocumentJob.objects.filter(pk=job.pk, state=DocumentState.QUEUED).update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)
    return job


@transaction.atomic
def document_job_run_again(*, actor: User, job: DocumentJob) -> DocumentJob:
    """A document whose worker died: recorded as failed, and asked for again with the same parameters."""
    current = DocumentJob.objects.select_for_update().defer("content").get(pk=job.pk)
    if not current.worker_died:
        raise still_running()
    _finish(current, state=DocumentState.FAILED, message="worker stopped (máy chạy nền đã dừng)")
    return document_job_request(
        actor=actor,
        kind=current.kind,
        params=current.params,
        title=current.title,
        file_name=current.file_name,
        content_type=current.content_type,
    )


def document_job_run(*, job_id: int) -> str:
    job = DocumentJob.objects.select_related("requested_by").get(pk=job_id)
    if job.is_finished:
        return job.state
    now = timezone.now()
    DocumentJob.objects.filter(pk=job.pk).update(
        state=DocumentState.RUNNING, started_at=now, worker=worker_id(), heartbeat_at=now
    )
    with Heartbeat(DocumentJob, job.pk):
        return _render(job)


def _render(job: DocumentJob) -> str:
    renderer: Callable[[User, dict[str, Any]], bytes] = import_string(RENDERERS[DocumentKind(job.kind)])
    try:
        content = renderer(job.requested_by, job.params)
    except InputError as error:
        _finish(job, state=DocumentState.FAILED, message=str(error))
        return DocumentState.FAILED
    except Exception as error:  # recorded on the job: the user sees that it failed, the log has the why
        LOGGER.exception("document job %s failed", job.pk)
        _finish(job, state=DocumentState.FAILED, message=f"{type(error).__name__}: {error}"[:2000])
        return DocumentState.FAILED
    _finish(job, state=DocumentState.DONE, content=content)
    return DocumentState.DONE


def _finish(job: DocumentJob, *, state: str, content: bytes | None = None, message: str = "") -> None:
    DocumentJob.objects.filter(pk=job.pk).update(
        state=state, content=content, message=message, finished_at=timezone.now()
    )
