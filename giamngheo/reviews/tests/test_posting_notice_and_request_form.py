"""Issue 17 D: the posting notice (thông báo niêm yết) of a village's posting and a printable Mẫu số 01."""

from __future__ import annotations

import datetime

from django.urls import reverse

from giamngheo.reviews.models import Posting, RoundHousehold
from giamngheo.reviews.services import complaint_record, complaint_resolve, round_households_seed
from giamngheo.testing.pdf import pdf_words
from giamngheo.testing.registers import DEPRIVED_3, survey, take_through_posting


def test_the_posting_notice_lists_what_was_posted(client, village_head, round_2023, mai_ha):
    round_households_seed(review_round=round_2023)
    take_through_posting(
        round_2023, mai_ha, {"RV-01": (1_000_000, DEPRIVED_3), "RV-02": (1_300_000, {"sanitation": False})}
    )
    posting = Posting.objects.get(review_round=round_2023, village=mai_ha)
    entry = RoundHousehold.objects.get(review_round=round_2023, household__code="RV-02")
    complaint = complaint_record(
        entry=entry, complainant="A", content="B", received_on=datetime.date(2023, 11, 14)
    )
    complaint_resolve(
        complaint=complaint, rechecked_on=datetime.date(2023, 11, 15), finding="x", resurvey=True
    )
    survey(entry, income=2_600_000, answers={})  # surveyed again: the notice still shows what was posted
    client.force_login(village_head)
    page = client.get(reverse("reviews:round_village", args=[round_2023.pk, mai_ha.code])).content.decode()
    url = reverse("reviews:posting_notice", args=[round_2023.pk, posting.pk])
    assert url in page
    words = pdf_words(client.get(url).content)
    for expected in (
        "THÔNG BÁO",
        "thôn Mai Hà",
        "13/11/2023",
        "15/11/2023",
        "RV-01",
        "RV-02",
        "Trần Thị Hoa",
    ):
        assert expected in words, expected
    assert "Hộ cận nghèo" in words or "Cận nghèo" in words


def test_a_printable_request_form(client, officer, round_2023, review_register):
    round_households_seed(review_round=round_2023)
    client.force_login(officer)
    blank = client.get(reverse("reviews:request_form", args=[round_2023.pk]))
    assert blank["Content-Type"] == "application/pdf"
    words = pdf_words(blank.content)
    assert "Mẫu số 01" in words and "xã Sơn Trung" in words
    filled = pdf_words(
        client.get(reverse("reviews:request_form", args=[round_2023.pk]), {"ho": "RV-01"}).content
    )
    assert "Nguyễn Văn Đức" in filled and "RV-01" in filled
    assert (
        client.get(reverse("reviews:request_form", args=[round_2023.pk]), {"ho": "NOPE"}).status_code == 404
    )
