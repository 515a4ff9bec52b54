"""Issue 17 C4 on Phiếu B: "average living standard" only for a household the register records as working in
agriculture, forestry, fishery or salt production; not recorded keeps the income band alone, as before."""

from __future__ import annotations

from giamngheo.households.models import Household
from giamngheo.reviews.models import RoundHousehold
from giamngheo.reviews.services import SurveyInput, round_households_seed, survey_classify


def test_phieu_b_gives_average_living_standard_only_to_a_farm_household(round_2023, review_register):
    round_households_seed(review_round=round_2023)
    entry = RoundHousehold.objects.select_related("household").get(
        review_round=round_2023, household__code="RV-01"
    )
    household = entry.household
    in_band = SurveyInput(b1_score=None, income_per_capita=2_000_000, answers={})  # rural band

    def status() -> str:
        household.refresh_from_db()
        return survey_classify(review_round=round_2023, household=household, data=in_band).status

    assert status() == "average"  # not recorded: the band alone, as before
    Household.objects.filter(pk=household.pk).update(farm_household=False)
    assert status() == "not_poor"
    Household.objects.filter(pk=household.pk).update(farm_household=True)
    assert status() == "average"
