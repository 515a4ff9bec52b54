"""Issue 17 D, "done when": the demo runs the end-2026 review from opening to certificates with its documents,
as the README's walkthrough tells it — the officer opens the round and takes Mai Hà through Phiếu B, the
village meeting and the posting (the other villages' households are left for a later round, with the
reason), prepares the decision; the chairman (``chutich.sontrung``) issues it; then the decision, the
summary, the posting notice, Mẫu số 01 and the certificates download as DOCX and PDF."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from giamngheo.reviews.models import ReviewRound, RoundHousehold
from giamngheo.reviews.services import (
    SurveyInput,
    posting_record,
    round_household_defer,
    round_households_seed,
    survey_record,
    village_meeting_record,
)
from giamngheo.reviews.word import DOCX_TYPE
from giamngheo.testing.registers import CHAIRMAN_NAME

pytestmark = pytest.mark.slow


@time_machine.travel(datetime.datetime(2026, 12, 4, 9, 0), tick=False)
def test_the_end_2026_review_from_opening_to_certificates(client, demo_register, officer, chairman, mai_ha):
    client.force_login(officer)
    opened = client.post(
        reverse("reviews:round_list"), {"commune": demo_register.pk, "year": 2026, "kind": "regular"}
    )
    assert opened.status_code == 302, opened.content.decode()[:2000]
    review_round = ReviewRound.objects.get(commune=demo_register, year=2026, kind="regular")
    assert review_round.standard_id == "VN-2027-2030"
    round_households_seed(review_round=review_round, actor=officer)
    entries = RoundHousehold.objects.filter(review_round=review_round).select_related("household")
    ours = [e for e in entries if e.unit_path == mai_ha.path]
    assert ours
    for entry in entries:
        if entry.unit_path != mai_ha.path:
            round_household_defer(entry=entry, reason="Chưa rà soát trong bản demo", actor=officer)
    for entry in ours:
        survey_record(
            entry=entry,
            data=SurveyInput(b1_score=None, income_per_capita=1_100_000, answers={}),
            surveyed_on=datetime.date(2026, 10, 5),
            interviewer="Điều tra viên",
            actor=officer,
        )
    village_meeting_record(
        review_round=review_round,
        village=mai_ha,
        held_on=datetime.date(2026, 11, 9),
        chair_name="Trần Văn Hùng",
        front_supervisor_name="Nguyễn Thị Mặt Trận",
        attendees=40,
        votes={entry.pk: 35 for entry in ours},
        actor=officer,
    )
    posting = posting_record(
        review_round=review_round, village=mai_ha, starts_on=datetime.date(2026, 11, 16), actor=officer
    )
    decision = reverse("reviews:decision", args=[review_round.pk])
    prepared = client.post(
        decision, {"action": "prepare", "decision_number": "95/QĐ-UBND", "decision_date": "01/12/2026"}
    )
    assert prepared.status_code == 302, prepared.content.decode()[:3000]
    client.force_login(chairman)
    assert client.post(decision, {"action": "issue", "confirm": "on"}).status_code == 302
    review_round.refresh_from_db()
    assert review_round.is_decided and review_round.issued_by == chairman
    assert review_round.effective_date == datetime.date(2026, 12, 1)

    downloads = {
        "decision": reverse("reviews:decision_docx", args=[review_round.pk]),
        "summary": reverse("reviews:summary", args=[review_round.pk]) + "?format=docx",
        "notice": reverse("reviews:posting_notice_docx", args=[review_round.pk, posting.pk]),
        "request": reverse("reviews:request_form_docx", args=[review_round.pk]),
        "certificates": reverse("reviews:certificates_docx", args=[review_round.pk, mai_ha.code]),
    }
    for name, url in downloads.items():
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == DOCX_TYPE, name
    pdfs = [
        reverse("reviews:decision_document", args=[review_round.pk]),
        reverse("reviews:summary", args=[review_round.pk]) + "?format=pdf",
        reverse("reviews:posting_notice", args=[review_round.pk, posting.pk]),
        reverse("reviews:certificates", args=[review_round.pk, mai_ha.code]),
    ]
    for url in pdfs:
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf", url
    from giamngheo.testing.pdf import pdf_words

    words = pdf_words(client.get(pdfs[0]).content)
    assert "95/QĐ-UBND" in words and "NĂM 2027" in words and CHAIRMAN_NAME in words
