from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("giamngheo.api.urls")),
    path("field/", include("giamngheo.field.urls")),
    path("", include("giamngheo.accounts.urls")),
    path("", include("giamngheo.dashboard.urls")),
    path("ho-gia-dinh/", include("giamngheo.households.urls")),
    path("ra-soat/", include("giamngheo.reviews.urls")),
    path("nhap-du-lieu/", include("giamngheo.imports.urls")),
    path("ke-hoach/", include("giamngheo.plans.urls")),
    path("", include("giamngheo.reports.urls")),  # /bao-cao/… and the progress report at /ho-tro/bao-cao/…
    path("ho-tro/", include("giamngheo.support.urls")),
]
