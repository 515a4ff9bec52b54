from django.urls import path

from giamngheo.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_index, name="index"),
    path("lap/", views.plan_open, name="open"),
    path("<str:code>/mau-van-ban/", views.template_edit, name="template"),
    path("<str:code>/<int:year>/", views.plan_detail, name="detail"),
    path("<str:code>/<int:year>/chi-tieu/", views.targets_save, name="targets"),
    path("<str:code>/<int:year>/de-xuat/", views.targets_propose, name="propose"),
    path("<str:code>/<int:year>/ty-le-giao/", views.rates_save, name="rates"),
    path("<str:code>/<int:year>/chi-so/them/", views.indicator_add, name="indicator_add"),
    path("<str:code>/<int:year>/chi-so/<int:pk>/", views.indicator_edit, name="indicator_edit"),
    path("<str:code>/<int:year>/chi-so/<int:pk>/xoa/", views.indicator_delete, name="indicator_delete"),
    path("<str:code>/<int:year>/bieu.<str:fmt>", views.targets_download, name="targets_download"),
    path("<str:code>/<int:year>/ke-hoach.<str:fmt>", views.plan_download, name="plan_download"),
]
