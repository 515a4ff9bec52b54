"""Phiếu A (quick identification) and Phiếu B (survey) — pre-filled from the register, scored as you type."""

import datetime

import pytest
from django.urls import reverse

from giamngheo.errors import InputError
from giamngheo.households.models import Household
from giamngheo.households.services import ConflictError, household_update
from giamngheo.reviews.models import ListReason, ReviewResult, RoundHousehold, Screening, Step, Survey
from giamngheo.reviews.procedure import phieu_a
from giamngheo.reviews.services import (
    SurveyInput,
    round_household_add,
    round_households_seed,
    screening_record,
    survey_record,
)
from giamngheo.standards.loader import get_standard
from giamngheo.testing.language import vi
from giamngheo.testing.registers import DEPRIVED_3, survey


@pytest.fixture
def request_entry(round_2023, review_register):
    return round_household_add(
        review_round=round_2023,
        household=review_register["RV-04"],
        reason=ListReason.REQUESTED,
        request_date=datetime.date(2023, 9, 5),
    )


@pytest.fixture
def entries(round_2023):
    round_households_seed(review_round=round_2023)
    return {
        e.household.code: e
        for e in RoundHousehold.objects.filter(review_round=round_2023).select_related("household")
    }


def answers(yes: int) -> dict[str, bool]:
    codes = phieu_a(get_standard("VN-2022-2025")).codes
    return {code: index < yes for index, code in enumerate(codes)}


def form_data(**extra):
    data = {"surveyed_on": "2023-10-02", "interviewer": "Điều tra viên", "respondent": "", "note": ""}
    data.update(extra)
    return data


def test_phieu_a_passes_a_household_with_few_signs_of_wealth(request_entry):
    screening = screening_record(
        entry=request_entry, answers=answers(1), screened_on=datetime.date(2023, 9, 10)
    )
    assert (screening.yes_count, screening.screened_out) == (1, False)
    request_entry.refresh_from_db()
    assert request_entry.step == Step.SCREENED


def test_phieu_a_screens_out_a_household_that_is_clearly_not_poor(request_entry):
    screening = screening_record(
        entry=request_entry, answers=answers(2), screened_on=datetime.date(2023, 9, 10)
    )
    assert screening.screened_out
    request_entry.refresh_from_db()
    assert request_entry.step == Step.SCREENED_OUT
    with pytest.raises(InputError) as error:
        survey(request_entry)
    assert "Phiếu A" in str(error.value)


def test_phieu_a_must_answer_every_question(request_entry):
    incomplete = dict(list(answers(0).items())[:3])
    with pytest.raises(InputError) as error:
        screening_record(entry=request_entry, answers=incomplete, screened_on=datetime.date(2023, 9, 10))
    assert "missing" in str(error.value)
    assert not Screening.objects.filter(entry=request_entry).exists()


def test_phieu_a_page_shows_the_outcome_as_the_answers_are_ticked(
    client, village_head, round_2023, request_entry
):
    client.force_login(village_head)
    page = client.get(reverse("reviews:phieu_a", args=[round_2023.pk, request_entry.pk])).content.decode()
    assert "hx-post" in page and vi("Provisional") in page  # the question list is marked provisional
    assert "chưa đối chiếu với văn bản gốc của Thông tư 07/2021/TT-BLĐTBXH" in page
    live = client.post(
        reverse("reviews:phieu_a_live", args=[round_2023.pk, request_entry.pk]),
        {f"q_{code}": "1" if yes else "0" for code, yes in answers(3).items()},
    )
    assert vi("Screened out: clearly not poor") in live.content.decode()
    saved = client.post(
        reverse("reviews:phieu_a", args=[round_2023.pk, request_entry.pk]),
        {"screened_on": "2023-09-10", **{f"q_{c}": "0" for c in answers(0)}},
    )
    assert saved.status_code == 302
    assert RoundHousehold.objects.get(pk=request_entry.pk).step == Step.SCREENED


def test_the_phieu_b_form_is_prefilled_from_the_register(client, village_head, round_2023, entries):
    client.force_login(village_head)
    page = client.get(reverse("reviews:phieu_b", args=[round_2023.pk, entries["RV-01"].pk])).content.decode()
    # The register says: no hygienic latrine, nobody uses internet, the head has no health insurance.
    assert 'name="ind_sanitation" value="1" id="id_ind_sanitation_0" checked' in page
    assert 'name="ind_drinking_water" value="0" id="id_ind_drinking_water_1" checked' in page
    assert 'name="ind_telecom" value="1"' in page
    assert "Nhà tiêu hợp vệ sinh" in page  # the indicator's name from the standard's data


def test_the_status_and_its_reason_appear_as_the_reviewer_types(client, village_head, round_2023, entries):
    client.force_login(village_head)
    url = reverse("reviews:phieu_b_live", args=[round_2023.pk, entries["RV-01"].pk])
    poor = client.post(
        url,
        form_data(
            income_per_capita="1.200.000", ind_sanitation="1", ind_telecom="1", ind_health_insurance="1"
        ),
    ).content.decode()
    assert vi("Poor") in poor
    assert "Thu nhập 1.200.000 đ/người/tháng ≤ chuẩn 1.500.000 đ (nông thôn) và thiếu hụt 3 chỉ số" in poor
    near = client.post(
        url,
        form_data(income_per_capita="1200000", ind_sanitation="1", ind_telecom="0", ind_health_insurance="0"),
    ).content.decode()
    assert vi("Near-poor") in near
    b1 = client.post(url, form_data(b1_score="150")).content.decode()
    assert "Điểm B1 150 &gt; ngưỡng 140" in b1
    empty = client.post(url, form_data()).content.decode()
    assert (
        vi(
            "Answer the B1 items, or enter the B1 total or the income per person: the status appears here "
            "as you type."
        )
        in empty
    )


def test_saving_phieu_b_writes_the_result_of_the_round_with_history(
    client, village_head, round_2023, entries
):
    client.force_login(village_head)
    entry = entries["RV-01"]
    response = client.post(
        reverse("reviews:phieu_b", args=[round_2023.pk, entry.pk]),
        form_data(
            income_per_capita="1200000",
            ind_sanitation="1",
            ind_telecom="1",
            ind_health_insurance="1",
            ind_drinking_water="0",
            household_version=entry.household.version,
        ),
    )
    assert response.status_code == 302
    result = ReviewResult.objects.get(review_round=round_2023, household=entry.household)
    assert (result.status, result.source, result.b2_score, result.deprivation_count) == (
        "poor",
        "survey",
        30,
        3,
    )
    assert result.deprived == "health_insurance;sanitation;telecom"
    assert result.income_per_capita == 1_200_000 and result.members == 4  # the declared số khẩu
    assert result.history.first().history_user == village_head
    survey_row = Survey.objects.get(entry=entry)
    assert survey_row.answers["drinking_water"] is False and survey_row.history.count() == 1
    entry.refresh_from_db()
    assert entry.step == Step.SURVEYED


def test_the_b1_total_alone_classifies_against_the_cut_off(entries):
    result = survey_record(
        entry=entries["RV-02"],
        data=SurveyInput(b1_score=120, income_per_capita=None, answers=DEPRIVED_3),
        surveyed_on=datetime.date(2023, 10, 2),
    )
    assert (
        result.status == "poor"
        and result.b1_score == 120
        and "Điểm B1 120 ≤ ngưỡng 140" in result.explanation_vi
    )


def test_the_register_takes_the_surveys_facts_only_when_the_reviewer_agrees(entries, officer):
    household = entries["RV-01"].household
    survey(entries["RV-01"], income=1_100_000, answers={"sanitation": False, "telecom": True})
    household.refresh_from_db()
    assert household.hygienic_latrine is False and household.income_per_capita is None
    survey(
        entries["RV-01"],
        income=1_100_000,
        answers={"sanitation": False, "telecom": True},
        update_register=True,
        household_version=household.version,
        actor=officer,
    )
    household.refresh_from_db()
    assert household.hygienic_latrine is True and household.internet_use is False
    assert household.income_per_capita == 1_100_000
    assert household.history.first().history_user == officer


def test_a_household_changed_meanwhile_stops_the_save_and_nothing_is_written(entries, officer):
    entry = entries["RV-02"]
    opened_at = entry.household.version
    household_update(actor=officer, household=entry.household, expected_version=opened_at, phone="0912345678")
    with pytest.raises(ConflictError):
        survey(
            entry,
            income=900_000,
            answers={"sanitation": False},
            update_register=True,
            household_version=opened_at,
        )
    assert not ReviewResult.objects.filter(
        review_round=entry.review_round, household=entry.household
    ).exists()
    assert not Survey.objects.filter(entry=entry).exists()
    assert Household.objects.get(pk=entry.household.pk).hygienic_latrine is False


def test_a_village_head_cannot_survey_another_village(client, village_head, round_2023, entries):
    client.force_login(village_head)
    # Hà Tràng's household is outside the village head's scope: not even found.
    assert (
        client.get(reverse("reviews:phieu_b", args=[round_2023.pk, entries["RV-11"].pk])).status_code == 404
    )


def test_a_province_viewer_may_not_fill_in_the_forms(client, province_viewer, round_2023, entries):
    client.force_login(province_viewer)
    assert (
        client.get(reverse("reviews:phieu_b", args=[round_2023.pk, entries["RV-01"].pk])).status_code == 403
    )
    assert (
        client.post(reverse("reviews:phieu_b_live", args=[round_2023.pk, entries["RV-01"].pk])).status_code
        == 403
    )
