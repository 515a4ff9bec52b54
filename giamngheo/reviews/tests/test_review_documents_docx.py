"""Issue 17 D: each review document is DOCX as well as PDF — the decision with its articles and annexed lists,
the posting notice, the request form (Mẫu số 01), the summary report upward and the certificates. Each is
read back as LibreOffice lays it out (``soffice`` → PDF → ``pdftotext``): its key figures and its
Vietnamese, diacritics included."""

from __future__ import annotations

import pytest
from django.urls import reverse

from giamngheo.reviews.models import Posting, ReviewResult
from giamngheo.reviews.services import round_households_seed
from giamngheo.reviews.word import DOCX_TYPE
from giamngheo.testing.libreoffice import docx_as_laid_out, needs_libreoffice
from giamngheo.testing.registers import CHAIRMAN_NAME, DEPRIVED_3, prepare_2023, take_through_posting

pytestmark = [pytest.mark.slow, needs_libreoffice]


def words_of(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200 and response["Content-Type"] == DOCX_TYPE
    assert response["Content-Disposition"].endswith('.docx"')
    return " ".join(docx_as_laid_out(response.content).split())


def test_the_decision_with_its_articles_and_annexed_lists(client, officer, decided_2023):
    client.force_login(officer)
    words = words_of(client.get(reverse("reviews:decision_docx", args=[decided_2023.pk])))
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "XÃ SƠN TRUNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 210/QĐ-UBND",
        "Sơn Trung, ngày 01 tháng 12 năm 2023",
        "QUYẾT ĐỊNH",
        "Quyết định 24/2021/QĐ-TTg",
        "Điều 1. Công nhận 2 hộ nghèo và 1 hộ cận nghèo",
        "Điều 4.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        CHAIRMAN_NAME,
        "PHỤ LỤC I",
        "PHỤ LỤC IV",
        "DANH SÁCH HỘ NGHÈO NĂM 2024",
        "DANH SÁCH HỘ CẬN NGHÈO NĂM 2024",
        "Phạm Thị Lụa",
        "Nguyễn Văn Đức",
        "Tổng cộng: 2 hộ",
    ):
        assert expected in words, expected
    assert "DỰ THẢO" not in words


def test_before_the_issue_the_decision_is_a_draft_with_the_prepared_number(client, officer, round_2023):
    prepare_2023(round_2023, officer)
    client.force_login(officer)
    response = client.get(reverse("reviews:decision_docx", args=[round_2023.pk]))
    assert "du-thao" in response["Content-Disposition"]
    words = words_of(response)
    assert "DỰ THẢO" in words and "Số: 77/QĐ-UBND" in words and "ngày 20 tháng 12 năm 2023" in words


def test_the_posting_notice(client, village_head, round_2023, mai_ha):
    round_households_seed(review_round=round_2023)
    take_through_posting(
        round_2023, mai_ha, {"RV-01": (1_000_000, DEPRIVED_3), "RV-02": (1_300_000, {"sanitation": False})}
    )
    posting = Posting.objects.get(review_round=round_2023, village=mai_ha)
    client.force_login(village_head)
    page = client.get(reverse("reviews:round_village", args=[round_2023.pk, mai_ha.code])).content.decode()
    url = reverse("reviews:posting_notice_docx", args=[round_2023.pk, posting.pk])
    assert url in page
    words = words_of(client.get(url))
    for expected in (
        "THÔNG BÁO",
        "thôn Mai Hà",
        "13/11/2023",
        "15/11/2023 (3 ngày làm việc)",
        "RV-01",
        "Nguyễn Văn Đức",
        "Trần Thị Hoa",
        "Tổng cộng: 2 hộ",
        "Niêm yết công khai kết quả rà soát hộ nghèo, hộ cận nghèo tại thôn Mai Hà",
        "TRƯỞNG THÔN",
    ):
        assert expected in words, expected
    assert "Hộ nghèo" in words and "Hộ cận nghèo" in words


def test_the_request_form_blank_and_filled(client, officer, round_2023):
    round_households_seed(review_round=round_2023)
    client.force_login(officer)
    url = reverse("reviews:request_form_docx", args=[round_2023.pk])
    assert url in client.get(reverse("reviews:entry_add", args=[round_2023.pk])).content.decode()
    blank = words_of(client.get(url))
    for expected in (
        "Mẫu số 01",
        "GIẤY ĐỀ NGHỊ",
        "Kính gửi: Ủy ban nhân dân xã Sơn Trung",
        "xét vào danh sách hộ cận nghèo",
        "Lý do:",
        "NGƯỜI ĐỀ NGHỊ",
    ):
        assert expected in blank, expected
    filled = words_of(client.get(url, {"ho": "RV-01"}))
    assert "Nguyễn Văn Đức" in filled and "RV-01" in filled and "thôn Mai Hà, xã Sơn Trung" in filled


def test_the_summary_report_upward(client, steering_user, decided_2023):
    ReviewResult.objects.filter(review_round=decided_2023, household__code="RV-04").update(
        ethnic_minority=True
    )
    client.force_login(steering_user)
    url = reverse("reviews:summary", args=[decided_2023.pk])
    assert "?format=docx" in client.get(url).content.decode()
    words = words_of(client.get(url, {"format": "docx"}))
    for expected in (
        "XÃ SƠN TRUNG",
        "TỔNG HỢP KẾT QUẢ RÀ SOÁT",
        "(Kết quả rà soát năm 2023)",
        "Trong đó hộ DTTS",
        "Mai Hà Hà Tràng Hồ Sơn",
        "Hải Thượng Toàn xã",
        "4 1 0 0 0 0 0 0 0 0 0 5",  # households in the register, by village, then the commune
        "50,00% 0,00%",  # Mai Hà's poverty rate at the end …
        "0,00% 40,00%",  # … and the commune's (2 of 5)
        "25,00% 0,00%",  # Mai Hà's near-poverty rate
        CHAIRMAN_NAME,
    ):
        assert expected in words, expected
    # The ethnic-minority poor (RV-04 in Mai Hà) follow the rates: Mai Hà 1, the commune 1.
    assert "Trong đó hộ DTTS Hộ nghèo Hộ cận nghèo 1 0 0 0 0 0 0 0 0 0 0 1" in words


def test_the_certificates(client, officer, decided_2023, mai_ha, review_register):
    client.force_login(officer)
    village = reverse("reviews:certificates_docx", args=[decided_2023.pk, mai_ha.code])
    page = client.get(reverse("reviews:round_village", args=[decided_2023.pk, mai_ha.code])).content.decode()
    assert village in page
    words = words_of(client.get(village))
    assert words.count("GIẤY CHỨNG NHẬN HỘ NGHÈO") == 2 and words.count("GIẤY CHỨNG NHẬN HỘ CẬN NGHÈO") == 1
    for expected in ("Phạm Thị Lụa", "thôn Mai Hà, xã Sơn Trung, tỉnh Hà Tĩnh", "210/QĐ-UBND", "01/12/2023"):
        assert expected in words, expected
    one = reverse("reviews:certificate_one_docx", args=[decided_2023.pk, review_register["RV-04"].pk])
    single = words_of(client.get(one))
    assert "/GCN-2024" in single and "Phạm Thị Lụa" in single and "ngày … tháng" not in single
