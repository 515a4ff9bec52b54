from django.urls import path

from giamngheo.field import views

app_name = "field"

urlpatterns = [
    path("", views.home, name="home"),
    path("phieu-a/", views.form_a, name="form_a"),
    path("phieu-b/", views.form_b, name="form_b"),
    path("hop-thu-di/", views.outbox, name="outbox"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="sw"),
]
