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
        "Trần Đình Quang (demo)",
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


def test_certificates_are_numbered_and_name_the_year_they_govern(
    mai_ha_pdf, client, officer, decided_2023, review_register
):
    """Issue 17 D: numbered certificates (the same number printed alone or with its village); the year is
    the one the list governs (2024 for the end-2023 review), never written "2.024"."""
    words = pdf_words(mai_ha_pdf)
    for number in ("001/GCN-2024", "002/GCN-2024", "003/GCN-2024"):
        assert number in words, number
    assert "Năm 2024" in words and "2.024" not in words
    response = client.get(
        reverse("reviews:certificate_one", args=[decided_2023.pk, review_register["RV-04"].pk])
    )
    assert "003/GCN-2024" in pdf_words(response.content)  # RV-01, RV-02, RV-04 in code order


def test_the_address_is_not_repeated(client, officer, decided_2023, review_register):
    from giamngheo.households.models import Household

    Household.objects.filter(pk=review_register["RV-02"].pk).update(address="Thôn Mai Hà, xã Sơn Trung")
    client.force_login(officer)
    response = client.get(
        reverse("reviews:certificate_one", args=[decided_2023.pk, review_register["RV-02"].pk])
    )
    words = pdf_words(response.content)
    assert "Thôn Mai Hà, xã Sơn Trung, tỉnh Hà Tĩnh" in words
    assert words.casefold().count("mai hà") == 1


def test_the_date_line_stays_inside_the_frame(officer, decided_2023, mai_ha):
    from weasyprint import HTML

    from giamngheo.reviews.documents import certificates_html

    html = certificates_html(user=officer, review_round=decided_2023, village=mai_ha)
    for page in HTML(string=html).render().pages:
        frame = _find(page._page_box, lambda box: "certificate" in (box.element.get("class") or "").split())
        line = _find(frame, lambda box: "place-date" in (box.element.get("class") or "").split())
        right = frame.position_x + frame.margin_width() - frame.border_right_width - frame.padding_right
        assert line.position_x + line.margin_width() <= right + 0.5
        assert all(_right_edge(text) <= right + 0.5 for text in _texts_in(line))


def _find(box, wanted):  # type: ignore[no-untyped-def]
    if getattr(box, "element", None) is not None and box.element_tag and wanted(box):
        return box
    for child in getattr(box, "children", None) or []:
        if (found := _find(child, wanted)) is not None:
            return found
    return None


def _texts_in(box):  # type: ignore[no-untyped-def]
    if hasattr(box, "text"):
        yield box
    for child in getattr(box, "children", None) or []:
        yield from _texts_in(child)


def _right_edge(box) -> float:  # type: ignore[no-untyped-def]
    return box.position_x + box.width
