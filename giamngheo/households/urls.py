from django.urls import path

from giamngheo.households import views

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("them/", views.household_create, name="create"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/sua/", views.household_edit, name="edit"),
    path("<int:pk>/them-nguoi/", views.member_add, name="member_add"),
    path("<int:pk>/tach-ho/", views.household_split, name="split"),
    path("<int:pk>/nhap-ho/", views.household_merge, name="merge"),
    path("nguoi/<int:pk>/sua/", views.member_edit, name="member_edit"),
    path("nguoi/<int:pk>/chuyen-ho/", views.member_move, name="member_move"),
    path("nguoi/<int:pk>/cccd/", views.citizen_id_show, name="citizen_id"),
]
