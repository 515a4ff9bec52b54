from django.urls import path

from giamngheo.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("xuat-danh-sach-ho/", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/tien-do/", views.progress, name="progress"),
    path("<int:pk>/nhap-that/", views.rerun, name="rerun"),
    path("<int:pk>/chay-lai/", views.run_again, name="run_again"),
    path("<int:pk>/loi.xlsx", views.errors, name="errors"),
]
