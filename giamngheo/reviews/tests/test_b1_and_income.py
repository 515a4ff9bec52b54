"""Issue 17 C3: when Phiếu B has both a B1 score and a surveyed income, the result says which decided and
why — a B1 score is never silently ignored (today B1 = 200 gave "Hộ nghèo" on an income of 740.000 without a
word). The village head surveys RV-01 of Mai Hà (rural: line 1.500.000 đ, B1 cut-off 140)."""

from __future__ import annotations

from django.urls import reverse

from giamngheo.reviews.models import RoundHousehold
from giamngheo.reviews.procedure import income_basis
from giamngheo.reviews.services import round_households_seed
from giamngheo.standards.loader import get_standard
from giamngheo.testing.registers import DEPRIVED_3, survey


def test_the_comparison_of_b1_and_income():
    standard = get_standard("VN-2022-2025")
    basis = income_basis(b1_score=200, income=740_000, standard=standard, area="rural")
    assert basis is not None and not basis.agree and basis.decided_by == "income"
    assert "thu nhập điều tra quyết định" in basis.sentence().vi and "cần kiểm tra lại" in basis.sentence().vi
    assert income_basis(b1_score=120, income=740_000, standard=standard, area="rural").agree  # type: ignore[union-attr]
    assert income_basis(b1_score=None, income=740_000, standard=standard, area="rural") is None


def test_a_saved_result_says_which_decided(round_2023, review_register):
    round_households_seed(review_round=round_2023)
    entry = RoundHousehold.objects.get(review_round=round_2023, household__code="RV-01")
    result = survey(entry, income=740_000, answers=DEPRIVED_3, b1_score=200)
    assert result.status == "poor"
    assert "740.000" in result.explanation_vi and "B1 (200)" in result.explanation_vi
    assert "cần kiểm tra lại Phiếu B" in result.explanation_vi
    assert "check Phiếu B again" in result.explanation_en


def test_the_live_result_shows_which_decided(client, village_head, round_2023, review_register):
    round_households_seed(review_round=round_2023)
    entry = RoundHousehold.objects.get(review_round=round_2023, household__code="RV-01")
    client.force_login(village_head)
    live = client.post(
        reverse("reviews:phieu_b_live", args=[round_2023.pk, entry.pk]),
        {"b1_score": "200", "income_per_capita": "740000"},
    ).content.decode()
    assert "B1 (200)" in live and "thu nhập điều tra quyết định" in live
