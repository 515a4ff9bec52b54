from django.urls import path

from giamngheo.dashboard.views import home

app_name = "dashboard"
urlpatterns = [path("", home, name="home")]
