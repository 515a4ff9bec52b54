"""Documents prepared in the background: a progress report's file is queued from its page, rendered by the
task as the user who asked, polled with htmx and downloaded; nobody else sees the job."""

import pytest
from django.urls import reverse

from giamngheo.documents.models import DocumentJob, DocumentState
from giamngheo.documents.services import document_job_run
from giamngheo.testing.tasks import IMMEDIATE_TASKS


def _client(client, user):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client


def test_the_page_says_what_will_be_prepared_and_queues_nothing_on_get(client, officer, support_register):
    url = reverse("reports:progress_file") + "?unit=18133&period=2023&format=pdf"
    page = _client(client, officer).get(url)
    assert page.status_code == 200 and b'method="post"' in page.content
    assert not DocumentJob.objects.exists()


@IMMEDIATE_TASKS
def test_a_province_sized_pdf_is_prepared_in_the_background_and_downloaded(
    client, officer, support_register, django_capture_on_commit_callbacks
):
    from giamngheo.testing.pdf import pdf_words

    officer_client = _client(client, officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            reverse("reports:progress_file"), {"unit": "18133", "period": "2023", "format": "pdf"}
        )
    job = DocumentJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:document_job", args=[job.pk]
    )
    assert job.state == DocumentState.DONE and job.requested_by == officer
    assert job.file_name == "bao-cao-tien-do-18133-2023.pdf"
    page = officer_client.get(response["Location"]).content.decode()
    assert "hx-trigger" not in page and reverse("reports:document_job_download", args=[job.pk]) in page
    download = officer_client.get(reverse("reports:document_job_download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf" and download.content.startswith(b"%PDF")
    assert "Mai Hà" in pdf_words(download.content)


def test_a_queued_job_polls_and_its_download_waits(
    client, officer, support_register, django_capture_on_commit_callbacks
):
    officer_client = _client(client, officer)
    response = officer_client.post(
        reverse("reports:progress_file"), {"unit": "18133", "period": "2023-Q2", "format": "xlsx"}
    )  # no on-commit callbacks run here: the job stays queued, as when no worker has taken it yet
    job = DocumentJob.objects.get()
    assert job.state == DocumentState.QUEUED
    status = officer_client.get(reverse("reports:document_job_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in status
    waiting = officer_client.get(reverse("reports:document_job_download", args=[job.pk]))
    assert waiting.status_code == 302 and waiting["Location"] == response["Location"]
    assert document_job_run(job_id=job.pk) == DocumentState.DONE  # what the worker does
    done = officer_client.get(reverse("reports:document_job_download", args=[job.pk]))
    assert done.content.startswith(b"PK") and "attachment" in done["Content-Disposition"]


def test_nobody_else_sees_the_job(client, officer, other_officer, province_viewer, support_register):
    _client(client, officer).post(
        reverse("reports:progress_file"), {"unit": "18133", "period": "2023", "format": "csv"}
    )
    job = DocumentJob.objects.get()
    for user in (other_officer, province_viewer):
        other = _client(client, user)
        assert other.get(reverse("reports:document_job", args=[job.pk])).status_code == 404
        assert other.get(reverse("reports:document_job_download", args=[job.pk])).status_code == 404


def test_a_unit_outside_the_scope_or_a_bad_period_is_refused_and_queues_nothing(
    client, officer, support_register
):
    officer_client = _client(client, officer)
    url = reverse("reports:progress_file")
    assert officer_client.post(url, {"unit": "18136", "period": "2023", "format": "pdf"}).status_code == 404
    bad = officer_client.post(url, {"unit": "18133", "period": "2023-13", "format": "pdf"})
    assert bad.status_code == 400 and b'role="alert"' in bad.content
    assert officer_client.post(url, {"unit": "18133", "period": "2023", "format": "exe"}).status_code == 404
    assert not DocumentJob.objects.exists()


def test_a_job_whose_unit_left_the_scope_fails_with_a_message(officer, support_register):
    from giamngheo.documents.services import document_job_request

    job = document_job_request(
        actor=officer,
        kind="progress",
        params={"unit": "18136", "period": "2023", "format": "csv", "language": "vi"},
        title="x",
        file_name="x.csv",
        content_type="text/csv",
    )
    assert document_job_run(job_id=job.pk) == DocumentState.FAILED
    job.refresh_from_db()
    assert job.content is None and "phạm vi" in job.message and "scope" in job.message


@pytest.mark.parametrize("units_in_full, background", [(30, False), (5, True)])
def test_the_report_page_sends_a_large_units_pdf_to_the_background(
    client, officer, support_register, monkeypatch, units_in_full, background
):
    # Sơn Trung has 11 villages: below the limit its PDF downloads directly, above it goes to the queue page.
    from giamngheo.reports import progress_render as progress

    monkeypatch.setattr(progress, "PDF_UNITS_IN_FULL", units_in_full)
    page = _client(client, officer).get(reverse("reports:progress_reports") + "?unit=18133&period=2023")
    html = page.content.decode()
    queued = reverse("reports:progress_file") + "?unit=18133&period=2023&format=pdf"
    direct = reverse("reports:progress_download") + "?unit=18133&period=2023&format=pdf"
    assert page.status_code == 200
    assert (queued in html) is background and (direct in html) is not background
