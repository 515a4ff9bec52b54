"""Issue 17 D: the decision itself, with its articles and the annexed lists (not only the annexes)."""

from __future__ import annotations

from django.urls import reverse

from giamngheo.testing.pdf import pdf_words
from giamngheo.testing.registers import prepare_2023


def test_the_decision_prints_its_articles_and_annexes(client, officer, decided_2023):
    client.force_login(officer)
    response = client.get(reverse("reviews:decision_document", args=[decided_2023.pk]))
    assert response["Content-Type"] == "application/pdf" and "du-thao" not in response["Content-Disposition"]
    words = pdf_words(response.content)
    for expected in (
        "QUYẾT ĐỊNH",
        "210/QĐ-UBND",
        "Điều 1.",
        "Điều 4.",
        "Quyết định 24/2021/QĐ-TTg",
        "DANH SÁCH HỘ NGHÈO NĂM 2024",
        "DANH SÁCH HỘ CẬN NGHÈO NĂM 2024",
        "Phạm Thị Lụa",
        "Trần Đình Quang (demo)",
        "Nơi nhận",
    ):
        assert expected in words, expected


def test_before_the_decision_it_is_a_draft(client, village_head, round_2023):
    client.force_login(village_head)
    response = client.get(reverse("reviews:decision_document", args=[round_2023.pk]))
    assert "du-thao" in response["Content-Disposition"]
    assert "DỰ THẢO" in pdf_words(response.content)


def test_a_prepared_draft_prints_the_prepared_number_and_date(client, officer, round_2023):
    prepare_2023(round_2023, officer)
    client.force_login(officer)
    words = pdf_words(client.get(reverse("reviews:decision_document", args=[round_2023.pk])).content)
    assert "DỰ THẢO" in words and "77/QĐ-UBND" in words and "ngày 20 tháng 12 năm 2023" in words
