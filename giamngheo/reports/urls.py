from django.urls import path

from giamngheo.documents import views as jobs
from giamngheo.reports import views

app_name = "reports"
urlpatterns = [
    path("bao-cao/tien-do/tep/", views.progress_file, name="progress_file"),
    path("bao-cao/tai-lieu/<int:pk>/", jobs.document_job, name="document_job"),
    path("bao-cao/tai-lieu/<int:pk>/trang-thai/", jobs.document_job_status, name="document_job_status"),
    path("bao-cao/tai-lieu/<int:pk>/tai-ve/", jobs.document_job_download, name="document_job_download"),
    path("bao-cao/tai-lieu/<int:pk>/chay-lai/", jobs.document_job_run_again, name="document_job_run_again"),
    # The progress report's pages sit beside the support tracker's (their address since the start).
    path("ho-tro/bao-cao/", views.reports, name="progress_reports"),
    path("ho-tro/bao-cao/tai/", views.report_download, name="progress_download"),
    path("ho-tro/bao-cao/gui/", views.report_submit, name="progress_submit"),
    path("ho-tro/bao-cao/<int:pk>/", views.report, name="progress_report"),
    path(
        "ho-tro/bao-cao/<int:pk>/tai/<str:fmt>/",
        views.report_version_download,
        name="progress_version_download",
    ),
    path("ho-tro/bao-cao/<int:pk>/quyet-dinh/", views.report_decide, name="progress_decide"),
]
