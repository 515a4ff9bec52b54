"""Certificates (giấy chứng nhận) for poor and near-poor households: PDF, one page per household."""

import pytest
from django.urls import reverse

from giamngheo.testing.language import vi
from giamngheo.testing.pdf import pdf_text, pdf_words


@pytest.fixture
def mai_ha_pdf(client, officer, decided_2023, mai_ha):
    client.force_login(officer)
    response = client.get(reverse("reviews:certificates", args=[decided_2023.pk, mai_ha.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_a_village_prints_one_certificate_page_per_poor_or_near_poor_household(mai_ha_pdf):
    pages = [page for page in pdf_text(mai_ha_pdf).split("\f") if page.strip()]
    assert len(pages) == 3  # RV-01 near-poor, RV-02 and RV-04 poor; RV-03 has no result
    words = pdf_words(mai_ha_pdf)
    assert words.count(vi("CERTIFICATE OF A POOR HOUSEHOLD")) == 2
    assert words.count(vi("CERTIFICATE OF A NEAR-POOR HOUSEHOLD")) == 1


def test_the_certificate_carries_the_vietnamese_names_and_the_decision(mai_ha_pdf):
    words = pdf_words(mai_ha_pdf)
    for expected in (
        "Nguyễn Văn Đức",
        "Trần Thị Hoa",
        "Phạm Thị Lụa",
        "thôn Mai Hà, xã Sơn Trung, tỉnh Hà Tĩnh",
        "XÃ SƠN TRUNG",
        "210/QĐ-UBND",
        "01/12/2023",
        "Phan Văn Chủ Tịch",
        "Chuẩn nghèo đa chiều quốc gia giai đoạn 2022–2025",
    ):
        assert expected in words, expected


def test_one_households_certificate(client, officer, decided_2023, review_register):
    client.force_login(officer)
    response = client.get(
        reverse("reviews:certificate_one", args=[decided_2023.pk, review_register["RV-04"].pk])
    )
    assert "Phạm Thị Lụa" in pdf_words(response.content) and "Trần Thị Hoa" not in pdf_words(response.content)
    # Not poor in 2023: no certificate.
    assert (
        client.get(
            reverse("reviews:certificate_one", args=[decided_2023.pk, review_register["RV-11"].pk])
        ).status_code
        == 404
    )


def test_an_open_round_issues_no_certificate(client, officer, round_2023, mai_ha):
    client.force_login(officer)
    response = client.get(reverse("reviews:certificates", args=[round_2023.pk, mai_ha.code]))
    assert response.status_code == 302


def test_certificates_stay_within_the_users_reach(
    client, village_head, other_officer, decided_2023, ha_trang, mai_ha
):
    client.force_login(village_head)
    assert (
        client.get(reverse("reviews:certificates", args=[decided_2023.pk, ha_trang.code])).status_code == 404
    )
    client.force_login(other_officer)
    assert client.get(reverse("reviews:certificates", args=[decided_2023.pk, mai_ha.code])).status_code == 404
