"""The import and export pages: upload, background job with progress, errors as a table and a workbook,
scope checks, export button."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from giamngheo.households.models import Household
from giamngheo.imports.models import ImportJob, JobState
from giamngheo.reviews.models import ReviewRound
from giamngheo.testing.files import commune_workbook, csv_file
from giamngheo.testing.tasks import DATABASE_TASKS, IMMEDIATE_TASKS

pytestmark = pytest.mark.django_db


def upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def post_import(client, path: Path, **fields):  # type: ignore[no-untyped-def]
    data = {"kind": "households", "year": 2024, "file": upload(path), **fields}
    return client.post(reverse("imports:index"), data)


@pytest.fixture
def officer_client(client, officer):  # type: ignore[no-untyped-def]
    client.force_login(officer)
    return client


def test_the_page_offers_upload_and_export_and_lists_recent_imports(
    officer_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = officer_client.get(reverse("imports:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html and reverse("imports:export") in html


@IMMEDIATE_TASKS
def test_an_officer_uploads_the_commune_list_and_it_imports_in_the_background(
    officer_client, commune_xlsx, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_import(officer_client, commune_xlsx, decision_number="123/QĐ-UBND")
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[job.pk])
    assert job.state == JobState.SUCCEEDED and job.commune.code == "18133" and job.content is None
    assert Household.objects.count() == 5
    assert ReviewRound.objects.get().decision_number == "123/QĐ-UBND"
    page = officer_client.get(response["Location"]).content.decode()
    assert "hx-trigger" not in page  # finished: no more polling
    assert "123/QĐ-UBND" in page and Household.history.first().history_user_id == job.user_id


@IMMEDIATE_TASKS
def test_a_dry_run_writes_nothing_and_offers_to_import_for_real(
    officer_client, commune_xlsx, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_import(officer_client, commune_xlsx, dry_run="on")
    job = ImportJob.objects.get()
    assert job.state == JobState.SUCCEEDED and not Household.objects.exists() and job.content is not None
    page = officer_client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert reverse("imports:rerun", args=[job.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(reverse("imports:rerun", args=[job.pk]))
    assert response.status_code == 302 and Household.objects.count() == 5


@IMMEDIATE_TASKS
def test_a_bad_file_shows_a_table_of_problems_and_a_workbook_with_an_error_column(
    officer_client, tmp_path, django_capture_on_commit_callbacks
):
    path = csv_file(
        tmp_path / "loi.csv",
        [
            "UBND XÃ SƠN TRUNG",
            "Mã hộ,Thôn,Họ và tên chủ hộ,Số khẩu,Phân loại",
            "A1,Mai Hà,An,0,nghèo",
            "A2,Mai Hà,Bình,2,nghèo",
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        post_import(officer_client, path)
    job = ImportJob.objects.get()
    assert job.state == JobState.FAILED and job.problems_total == 1 and not Household.objects.exists()
    page = officer_client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "Số khẩu" in page and "số phải từ 1 trở lên" in page
    response = officer_client.get(reverse("imports:errors", args=[job.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    data = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    assert data[0][0] == "UBND XÃ SƠN TRUNG" and data[2][:4] == ["A1", "Mai Hà", "An", "0"]
    assert "số phải từ 1 trở lên" in data[2][5] and data[3][5] is None
    listing = [list(r) for r in workbook.worksheets[1].iter_rows(values_only=True)]
    assert listing[1][:2] == [3, "Số khẩu"]


@IMMEDIATE_TASKS
def test_a_village_head_cannot_import_the_commune_list(
    client, village_head, commune_xlsx, django_capture_on_commit_callbacks
):
    client.force_login(village_head)
    with django_capture_on_commit_callbacks(execute=True):
        post_import(client, commune_xlsx)
    job = ImportJob.objects.get()
    assert job.state == JobState.FAILED and "không có quyền" in job.problems[0]["message_vi"]
    assert not Household.objects.exists() and not ReviewRound.objects.exists()


@IMMEDIATE_TASKS
def test_an_officer_of_another_commune_finds_none_of_its_villages(
    client, other_officer, commune_xlsx, django_capture_on_commit_callbacks
):
    client.force_login(other_officer)
    with django_capture_on_commit_callbacks(execute=True):
        post_import(client, commune_xlsx)
    job = ImportJob.objects.get()
    assert job.state == JobState.FAILED and not Household.objects.exists()
    assert all("không có thôn" in p["message_vi"] for p in job.problems)


def test_a_province_viewer_may_export_but_not_import(client, province_viewer, commune_xlsx):
    client.force_login(province_viewer)
    page = client.get(reverse("imports:index")).content.decode()
    assert 'enctype="multipart/form-data"' not in page
    assert post_import(client, commune_xlsx).status_code == 403
    assert not ImportJob.objects.exists()


def test_someone_elses_job_is_not_found(client, officer, other_officer):
    job = ImportJob.objects.create(kind="households", user=officer, file_name="x.csv", content=b"")
    client.force_login(other_officer)
    assert client.get(reverse("imports:detail", args=[job.pk])).status_code == 404


def test_a_form_without_year_or_with_a_pdf_is_refused_with_the_reason(officer_client, tmp_path):
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF")
    response = officer_client.post(reverse("imports:index"), {"kind": "households", "file": upload(pdf)})
    assert response.status_code == 400 and not ImportJob.objects.exists()
    assert ".xlsx" in response.content.decode()


@DATABASE_TASKS
def test_the_progress_block_polls_while_the_job_waits_for_the_worker(
    officer_client, commune_xlsx, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_import(officer_client, commune_xlsx)
    job = ImportJob.objects.get()
    assert job.state == JobState.QUEUED and job.task_id
    fragment = officer_client.get(reverse("imports:progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "<progress" in fragment and "<html" not in fragment


@DATABASE_TASKS
@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_queued_import(client, officer, commune_xlsx):
    client.force_login(officer)
    post_import(client, commune_xlsx)  # committed at once: the task is queued in the database
    job = ImportJob.objects.get()
    assert job.state == JobState.QUEUED
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.rows_total == 5 and job.percent == 100
    assert Household.objects.count() == 5


def test_the_export_button_downloads_the_users_unit_list(officer_client, son_trung, tmp_path):
    from giamngheo.imports.household_list import households_import

    households_import(path=commune_workbook(tmp_path / "l.xlsx"), year=2024)
    response = officer_client.post(reverse("imports:export"), {"year": 2024, "format": "xlsx"})
    assert (
        response.status_code == 200 and "danh-sach-ho-son-trung-2024.xlsx" in response["Content-Disposition"]
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.active.max_row == 9  # 2 titles, a blank, the header, 5 households


def test_a_village_head_exports_only_the_village(client, village_head, son_trung, tmp_path):
    from giamngheo.imports.household_list import households_import

    households_import(path=commune_workbook(tmp_path / "l.xlsx"), year=2024)
    client.force_login(village_head)
    response = client.post(reverse("imports:export"), {"year": 2024, "format": "csv"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 3 and all("Mai Hà" in line for line in lines[1:])


def test_an_export_of_a_year_without_results_says_so(officer_client):
    response = officer_client.post(reverse("imports:export"), {"year": 2019, "format": "csv"})
    assert response.status_code == 400 and "2019" in response.content.decode()
