from django.urls import path

from giamngheo.reviews import views

app_name = "reviews"
DOCX = {"fmt": "docx"}  # the Word version of a document the same view prints as PDF
urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("<int:pk>/chuan-ngheo/", views.round_standard, name="round_standard"),
    path("<int:pk>/dua-danh-sach-hien-tai/", views.round_seed, name="round_seed"),
    path("<int:pk>/them-ho/", views.entry_add, name="entry_add"),
    path("<int:pk>/thon/<str:village_code>/", views.round_village, name="round_village"),
    path("<int:pk>/ho/<int:entry_pk>/de-dot-sau/", views.entry_defer, name="entry_defer"),
    path("<int:pk>/ho/<int:entry_pk>/phieu-a/", views.phieu_a_form, name="phieu_a"),
    path("<int:pk>/ho/<int:entry_pk>/phieu-a/tinh/", views.phieu_a_live, name="phieu_a_live"),
    path("<int:pk>/ho/<int:entry_pk>/phieu-b/", views.phieu_b_form, name="phieu_b"),
    path("<int:pk>/ho/<int:entry_pk>/phieu-b/tinh/", views.phieu_b_live, name="phieu_b_live"),
    path("<int:pk>/thon/<str:village_code>/hop-dan/", views.meeting_new, name="meeting_new"),
    path("<int:pk>/hop-dan/<int:meeting_pk>/bien-ban.pdf", views.meeting_minutes, name="meeting_minutes"),
    path("<int:pk>/thon/<str:village_code>/niem-yet/", views.posting_new, name="posting_new"),
    path("<int:pk>/niem-yet/<int:posting_pk>/thong-bao.pdf", views.posting_notice, name="posting_notice"),
    path(
        "<int:pk>/niem-yet/<int:posting_pk>/thong-bao.docx",
        views.posting_notice,
        DOCX,
        name="posting_notice_docx",
    ),
    path("<int:pk>/mau-01.pdf", views.request_form, name="request_form"),
    path("<int:pk>/mau-01.docx", views.request_form, DOCX, name="request_form_docx"),
    path("<int:pk>/khieu-nai/", views.complaints, name="complaints"),
    path(
        "<int:pk>/khieu-nai/<int:complaint_pk>/phuc-tra/", views.complaint_recheck, name="complaint_recheck"
    ),
    path("<int:pk>/quyet-dinh/", views.decision, name="decision"),
    path("<int:pk>/giay-chung-nhan/thon-<str:village_code>.pdf", views.certificates, name="certificates"),
    path("<int:pk>/giay-chung-nhan/ho-<int:household_pk>.pdf", views.certificate_one, name="certificate_one"),
    path(
        "<int:pk>/giay-chung-nhan/thon-<str:village_code>.docx",
        views.certificates_docx,
        name="certificates_docx",
    ),
    path(
        "<int:pk>/giay-chung-nhan/ho-<int:household_pk>.docx",
        views.certificate_one,
        DOCX,
        name="certificate_one_docx",
    ),
    path("<int:pk>/tong-hop/", views.summary, name="summary"),
    path("<int:pk>/quyet-dinh.pdf", views.decision_document, name="decision_document"),
    path("<int:pk>/quyet-dinh.docx", views.decision_document, DOCX, name="decision_docx"),
    path("<int:pk>/danh-sach/", views.lists, name="lists"),
    path("<int:pk>/danh-sach/<str:kind>.<str:fmt>", views.list_download, name="list_download"),
]
