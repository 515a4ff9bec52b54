"""Issue 17 D: the steering committee reads the summary of the commune's results (tổng hợp kết quả rà soát)
by village — lists at the start, movements, lists and rates at the end, ethnic-minority households — as a
page and a PDF (the steering-committee user got 403 before)."""

from __future__ import annotations

from django.urls import reverse

from giamngheo.accounts.models import User
from giamngheo.households.models import Household
from giamngheo.reviews.selectors import round_summary
from giamngheo.testing.pdf import pdf_words


def test_the_summary_by_village(officer, decided_2023, review_register):
    Household.objects.filter(code="RV-04").update(ethnic_minority=True)  # after the review: not its snapshot
    rows, total = round_summary(user=officer, review_round=decided_2023)
    mai_ha = next(r for r in rows if r.name == "Mai Hà")
    assert (mai_ha.households, mai_ha.poor_start, mai_ha.near_poor_start) == (4, 1, 1)
    assert (mai_ha.escaped_poverty, mai_ha.newly_poor, mai_ha.fell_back) == (1, 1, 0)
    assert (mai_ha.poor_end, mai_ha.near_poor_end, str(mai_ha.poor_rate)) == (2, 1, "50.00")
    assert mai_ha.poor_end_ethnic == 0  # the result's snapshot says not ethnic minority
    assert (total.poor_start, total.escaped_poverty, total.poor_end, total.households) == (2, 2, 2, 5)


def test_the_steering_committee_reads_the_page_and_the_pdf(client, demo, decided_2023, review_register):
    steering = User.objects.get(username="bcd.sontrung")
    client.force_login(steering)
    url = reverse("reviews:summary", args=[decided_2023.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Mai Hà" in text and "50,00%" in text and "2.024" not in text
    pdf = client.get(url, {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    words = pdf_words(pdf.content)
    assert "Mai Hà" in words and "50,00%" in words and "XÃ SƠN TRUNG" in words
