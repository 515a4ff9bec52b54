"""A large village's certificates are prepared in the background (a page each is too long for a request):
the village page's link explains and offers to prepare them; the job renders them as the user who asked."""

import pytest
from django.urls import reverse

from giamngheo.documents.models import DocumentJob, DocumentState
from giamngheo.reviews import documents
from giamngheo.testing.language import vi
from giamngheo.testing.pdf import pdf_words
from giamngheo.testing.tasks import IMMEDIATE_TASKS


@pytest.fixture
def large_village(monkeypatch):  # type: ignore[no-untyped-def]
    """Mai Hà's three certificates count as a large village's."""
    monkeypatch.setattr(documents, "CERTIFICATES_IN_REQUEST", 2)


def test_a_small_village_s_certificates_come_at_once(client, officer, decided_2023, mai_ha):
    client.force_login(officer)
    response = client.get(reverse("reviews:certificates", args=[decided_2023.pk, mai_ha.code]))
    assert response["Content-Type"] == "application/pdf" and not DocumentJob.objects.exists()


@IMMEDIATE_TASKS
def test_a_large_village_s_certificates_are_prepared_in_the_background(
    client, officer, decided_2023, mai_ha, large_village, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    url = reverse("reviews:certificates", args=[decided_2023.pk, mai_ha.code])
    page = client.get(url)
    assert page.status_code == 200 and b'method="post"' in page.content and not DocumentJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job = DocumentJob.objects.get()
    assert response["Location"] == reverse("reports:document_job", args=[job.pk])
    assert job.state == DocumentState.DONE and job.file_name.startswith(f"giay-chung-nhan-{mai_ha.code}-")
    pdf = client.get(reverse("reports:document_job_download", args=[job.pk])).content
    words = pdf_words(pdf)
    assert words.count(vi("CERTIFICATE OF A POOR HOUSEHOLD")) == 2 and "Nguyễn Văn Đức" in words


def test_the_job_renders_as_the_user_who_asked(officer, other_officer, decided_2023, mai_ha):
    from giamngheo.errors import InputError

    params = {"round": decided_2023.pk, "village": mai_ha.code}
    assert documents.certificates_for_job(officer, params).startswith(b"%PDF")
    with pytest.raises(InputError):  # another commune's officer does not see the round
        documents.certificates_for_job(other_officer, params)
