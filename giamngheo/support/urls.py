from django.urls import path

from giamngheo.support import views

app_name = "support"
urlpatterns = [
    path("", views.index, name="index"),
    path("ho/<int:pk>/", views.household, name="household"),
    path("ho/<int:pk>/ghi/", views.support_record, name="record"),
    path("ho/<int:pk>/ke-hoach/", views.plan_create, name="plan_create"),
    path("muc/<int:pk>/", views.support_edit, name="edit"),
    path("ke-hoach-thoat-ngheo/", views.plans, name="plans"),
    path("ke-hoach-thoat-ngheo/<int:pk>/", views.plan, name="plan"),
    path("ke-hoach-thoat-ngheo/<int:pk>/moc/", views.milestone_add, name="milestone_add"),
    path("moc/<int:pk>/xong/", views.milestone_done, name="milestone_done"),
    path("to-chuc/", views.organisations, name="organisations"),
    path("to-chuc/<int:pk>/thanh-vien/", views.organisation_member_add, name="member_add"),
    path("thanh-vien/<int:pk>/", views.organisation_member_toggle, name="member_toggle"),
    path("nguon-luc/", views.sources, name="sources"),
    path("nguon-luc/<int:pk>/", views.source, name="source"),
    path("but-toan/<int:pk>/dao/", views.ledger_reverse, name="reverse"),
    path("truyen-thong/", views.activities, name="activities"),
]
