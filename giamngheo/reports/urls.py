from django.urls import path

from giamngheo.reports import views

app_name = "reports"
urlpatterns = [
    path("tien-do/tep/", views.progress_file, name="progress_file"),
    path("tai-lieu/<int:pk>/", views.document_job, name="document_job"),
    path("tai-lieu/<int:pk>/trang-thai/", views.document_job_status, name="document_job_status"),
    path("tai-lieu/<int:pk>/tai-ve/", views.document_job_download, name="document_job_download"),
    path("tai-lieu/<int:pk>/chay-lai/", views.document_job_run_again, name="document_job_run_again"),
]
