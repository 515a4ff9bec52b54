"""A dead worker's job does not stay "running": imports and background documents hold a lease
(``common/lease.py``); a job whose worker is gone is shown as stopped, with "run again"."""

from __future__ import annotations

import datetime
import socket
import subprocess
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from giamngheo.common.lease import Heartbeat, abandoned, worker_id
from giamngheo.documents.models import DocumentJob, DocumentKind, DocumentState
from giamngheo.imports.models import ImportJob, JobState
from giamngheo.testing.tasks import IMMEDIATE_TASKS

pytestmark = pytest.mark.django_db


def dead_worker() -> str:
    process = subprocess.Popen(["true"])  # noqa: S607 - a process that has ended: its pid is free
    process.wait()
    return f"{socket.gethostname()}:{process.pid}"


def test_a_worker_is_gone_when_its_process_ended_here_or_its_heartbeat_is_too_old():
    now = timezone.now()
    assert not abandoned(worker_id(), now)
    assert abandoned(dead_worker(), now)
    assert not abandoned("another-machine:42", now - datetime.timedelta(minutes=1))
    assert abandoned("another-machine:42", now - datetime.timedelta(hours=1))
    assert not abandoned("", None)  # a job without a lease (started before leases existed) is left alone


@IMMEDIATE_TASKS
def test_an_import_whose_worker_died_is_shown_stopped_and_runs_again(
    client, officer, django_capture_on_commit_callbacks
):
    job = ImportJob.objects.create(
        kind="households",
        user=officer,
        file_name="ds.csv",
        content=b"not a list",
        year=2024,
        dry_run=True,
        state=JobState.RUNNING,
        worker=dead_worker(),
        heartbeat_at=timezone.now(),
    )
    client.force_login(officer)
    html = client.get(reverse("imports:progress", args=[job.pk])).content.decode()
    assert reverse("imports:run_again", args=[job.pk]) in html and "hx-get" not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:run_again", args=[job.pk]))
    job.refresh_from_db()
    new = ImportJob.objects.exclude(pk=job.pk).get()
    assert job.state == JobState.ERROR and response.url == reverse("imports:detail", args=[new.pk])
    assert new.dry_run and new.file_name == "ds.csv" and new.is_finished  # the same choices, run again
    assert client.post(reverse("imports:run_again", args=[new.pk])).status_code == 400  # only a dead one


def test_a_live_import_keeps_polling_without_run_again(client, officer):
    job = ImportJob.objects.create(
        kind="units", user=officer, file_name="u.csv", state=JobState.RUNNING, worker=worker_id(),
        heartbeat_at=timezone.now(),
    )  # fmt: skip
    client.force_login(officer)
    html = client.get(reverse("imports:progress", args=[job.pk])).content.decode()
    assert "hx-get" in html and reverse("imports:run_again", args=[job.pk]) not in html


@IMMEDIATE_TASKS
def test_a_document_whose_worker_died_is_shown_failed_and_asked_for_again(
    client, officer, son_trung, django_capture_on_commit_callbacks
):
    job = DocumentJob.objects.create(
        kind=DocumentKind.PROGRESS,
        params={"unit": son_trung.code, "period": "2023-05", "format": "csv", "language": "vi"},
        title="Báo cáo",
        requested_by=officer,
        file_name="bao-cao.csv",
        content_type="text/csv",
        state=DocumentState.RUNNING,
        worker="another-machine:7",
        heartbeat_at=timezone.now() - datetime.timedelta(hours=2),
    )
    client.force_login(officer)
    html = client.get(reverse("reports:document_job_status", args=[job.pk])).content.decode()
    assert reverse("reports:document_job_run_again", args=[job.pk]) in html and "hx-get" not in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:document_job_run_again", args=[job.pk]))
    job.refresh_from_db()
    new = DocumentJob.objects.exclude(pk=job.pk).get()
    assert job.state == DocumentState.FAILED and new.params == job.params and new.state == DocumentState.DONE


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_renews_the_lease_while_the_job_runs(officer):
    old = timezone.now() - datetime.timedelta(hours=1)
    job = ImportJob.objects.create(kind="units", user=officer, file_name="u.csv", heartbeat_at=old)
    with Heartbeat(ImportJob, job.pk, interval=0.01):
        deadline = time.monotonic() + 10
        while ImportJob.objects.get(pk=job.pk).heartbeat_at == old and time.monotonic() < deadline:
            time.sleep(0.02)
    assert ImportJob.objects.get(pk=job.pk).heartbeat_at > old
