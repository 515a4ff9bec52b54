"""Background work: a ``DocumentJob`` is rendered by a django-tasks worker (``giamngheo db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def document_job_execute(job_id: int) -> str:
    from giamngheo.documents.services import document_job_run

    return document_job_run(job_id=job_id)
