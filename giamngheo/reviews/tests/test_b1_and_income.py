"""Issue 17 C3 on Phiếu B: the B1 items are entered and the score computed from the standard's item table of
the region; a typed B1 total is still accepted; when both a B1 score and a surveyed income exist the page and
the stored explanation say which decided and why — a B1 score is never silently ignored (today B1 = 200 gave
"Hộ nghèo" on an income of 740.000 without a word). The village head surveys RV-01 of Mai Hà (rural: line
1.500.000 đ, B1 cut-off 140)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from giamngheo.reviews.models import ReviewResult, RoundHousehold, Survey
from giamngheo.reviews.services import round_households_seed
from giamngheo.standards.b1 import score_b1
from giamngheo.standards.loader import get_standard
from giamngheo.testing.language import vi
from giamngheo.testing.registers import DEPRIVED_3, survey

REGION = "rural_north_central_coast"  # Hà Tĩnh


@pytest.fixture
def entry(round_2023, review_register):  # type: ignore[no-untyped-def]
    round_households_seed(review_round=round_2023)
    return RoundHousehold.objects.get(review_round=round_2023, household__code="RV-01")


def poorest_items(standard_id: str = "VN-2022-2025") -> dict[str, str]:
    table = get_standard(standard_id).b1_table
    assert table is not None
    return {item.code: min(item.options, key=lambda o: o.points[REGION]).code for item in table.items}


def form_data(**extra: str) -> dict[str, str]:
    return {
        "surveyed_on": "2023-10-02",
        "interviewer": "Điều tra viên",
        "respondent": "",
        "note": "",
        **extra,
    }


def test_a_saved_result_says_which_decided(entry):
    result = survey(entry, income=740_000, answers=DEPRIVED_3, b1_score=200)
    assert result.status == "poor"
    assert "740.000" in result.explanation_vi and "B1 (200)" in result.explanation_vi
    assert "thu nhập điều tra quyết định" in result.explanation_vi
    assert "cần kiểm tra lại Phiếu B" in result.explanation_vi
    assert "check Phiếu B again" in result.explanation_en
    assert result.explanation_vi.count("B1 (200)") == 1  # said once, by the engine


def test_the_live_result_shows_which_decided(client, village_head, entry):
    client.force_login(village_head)
    url = reverse("reviews:phieu_b_live", args=[entry.review_round_id, entry.pk])
    live = client.post(url, {"b1_score": "200", "income_per_capita": "740000"}).content.decode()
    assert "B1 (200)" in live and "thu nhập điều tra quyết định" in live
    assert (
        vi(
            "Decided by the surveyed income (it is the criterion; the B1 score only estimates it). "
            "The B1 score %(score)s (cut-off %(cutoff)s) points the other way: check Phiếu B again."
        )
        % {"score": 200, "cutoff": 140}
        in live
    )
    alone = client.post(url, {"b1_score": "120"}).content.decode()
    assert (
        vi("Decided by the B1 total %(score)s as entered: no surveyed income was entered.") % {"score": 120}
        in alone
    )


def test_the_phieu_b_page_scores_b1_from_its_items(client, village_head, entry):
    client.force_login(village_head)
    page = client.get(reverse("reviews:phieu_b", args=[entry.review_round_id, entry.pk])).content.decode()
    assert 'name="b1_region"' in page and 'name="b1_car"' in page and "Có ô tô" in page
    items = poorest_items()
    expected = score_b1(get_standard(entry.review_round.standard_id), REGION, items).total
    assert expected is not None and expected <= 140
    fields = {f"b1_{code}": answer for code, answer in items.items()}

    live_url = reverse("reviews:phieu_b_live", args=[entry.review_round_id, entry.pk])
    half = dict(list(fields.items())[:5])
    partial = client.post(live_url, form_data(b1_region=REGION, **half)).content.decode()
    assert vi("B1 items answered: %(n)s of %(total)s") % {"n": 5, "total": 15} in partial
    live = client.post(live_url, form_data(b1_region=REGION, ind_sanitation="1", **fields)).content.decode()
    assert f"Điểm B1 {expected} (tính từ 15 câu hỏi B1, Nông thôn Bắc Trung Bộ" in live

    saved = client.post(
        reverse("reviews:phieu_b", args=[entry.review_round_id, entry.pk]),
        form_data(b1_region=REGION, household_version=str(entry.household.version), **fields),
    )
    assert saved.status_code == 302
    result = ReviewResult.objects.get(review_round=entry.review_round, household=entry.household)
    assert result.b1_score == expected and result.income_per_capita is None
    assert f"Điểm B1 {expected} (tính từ 15 câu hỏi B1" in result.explanation_vi
    survey_row = Survey.objects.get(entry=entry)
    assert (survey_row.b1_score, survey_row.b1_region, survey_row.b1_items) == (expected, REGION, items)

    again = client.get(reverse("reviews:phieu_b", args=[entry.review_round_id, entry.pk])).content.decode()
    assert f'<option value="{REGION}" selected>' in again
    assert '<option value="yes" selected>' not in again.split('name="b1_car"')[1].split("</select>")[0]


def test_unanswered_items_are_refused_with_their_names(client, village_head, entry):
    client.force_login(village_head)
    fields = {f"b1_{code}": answer for code, answer in poorest_items().items()}
    del fields["b1_car"]
    response = client.post(
        reverse("reviews:phieu_b", args=[entry.review_round_id, entry.pk]),
        form_data(b1_region=REGION, household_version=str(entry.household.version), **fields),
    )
    assert response.status_code == 200 and "Có ô tô" in response.content.decode()
    assert not ReviewResult.objects.filter(
        review_round=entry.review_round, household=entry.household
    ).exists()
