"""Background work: an import job runs in a django-tasks worker (``giamngheo db_worker``), not a request."""

from __future__ import annotations

from django_tasks import task


@task()
def import_job_execute(job_id: int) -> str:
    from giamngheo.imports.services import import_job_run

    return import_job_run(job_id=job_id)
