from django.urls import path

from giamngheo.api import views
from giamngheo.api.api import api

# The two pages come first: everything else under /api/ is the API itself.
urlpatterns = [
    path("trang/ma-truy-cap/", views.token_page, name="api_tokens"),
    path("trang/tra-cuu/", views.lookup_page, name="api_lookups"),
    path("", api.urls),
]
