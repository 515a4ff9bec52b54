"""The commune chair's decision: it computes the movements of spec §5 and locks the round."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from giamngheo.errors import InputError
from giamngheo.reviews.models import ResultSource, ReviewResult, RoundHousehold, RoundKind, Step
from giamngheo.reviews.services import (
    ResultRow,
    complaint_record,
    posting_record,
    results_record,
    review_round_decide,
    review_round_open,
    round_household_add,
    round_households_seed,
    round_transitions_compute,
    screening_record,
    village_meeting_record,
)
from giamngheo.testing.registers import DEPRIVED_3, survey, take_through_posting


def imported_round(commune, review_register, year, statuses, decided_on=None):
    review_round = review_round_open(commune=commune, year=year)
    results_record(
        review_round=review_round,
        rows=[
            ResultRow(household=review_register[c], status=s, source=ResultSource.IMPORTED)
            for c, s in statuses.items()
        ],
    )
    return review_round_decide(
        review_round=review_round,
        decision_number=f"{year}/QĐ",
        decision_date=decided_on or datetime.date(year, 12, 20),
    )


def movements(review_round):
    return dict(
        ReviewResult.objects.filter(review_round=review_round).values_list("household__code", "transition")
    )


def test_the_decision_stores_each_households_movement(decided_2023):
    assert decided_2023.is_decided and decided_2023.decision_signer == "Trần Đình Quang (demo)"
    assert movements(decided_2023) == {
        "RV-01": "escaped_to_near_poor",
        "RV-02": "near_poor_to_poor",
        "RV-04": "newly_poor",
        "RV-11": "escaped_poverty",
    }
    assert set(RoundHousehold.objects.filter(review_round=decided_2023).values_list("step", flat=True)) == {
        Step.DECIDED
    }
    result = ReviewResult.objects.get(review_round=decided_2023, household__code="RV-04")
    assert result.history.first().transition == "newly_poor"


def test_a_household_back_on_a_list_within_the_look_back_fell_back(son_trung, review_register, decided_2023):
    later = imported_round(
        son_trung, review_register, 2024, {"RV-11": "poor", "RV-03": "near_poor", "RV-01": "not_poor"}
    )
    assert movements(later) == {
        "RV-11": "fell_back_poor",
        "RV-03": "newly_near_poor",
        "RV-01": "escaped_near_poverty",
    }


@time_machine.travel(datetime.datetime(2029, 1, 15), tick=False)  # the decision of 2028 is in the past
def test_an_earlier_list_outside_the_look_back_does_not_make_a_fall_back(
    son_trung, review_register, decided_2022
):
    # RV-11: poor in 2022, off the lists 2023–2027; the 5-year look-back of 2028 starts in December 2023.
    for year in range(2023, 2028):
        imported_round(son_trung, review_register, year, {"RV-11": "not_poor"})
    review_2028 = imported_round(son_trung, review_register, 2028, {"RV-11": "poor"})
    assert review_2028.standard_id == "VN-2027-2030"
    assert movements(review_2028) == {"RV-11": "newly_poor"}


def test_an_ad_hoc_round_compares_with_the_regular_review_before_it(son_trung, review_register, decided_2023):
    adhoc = review_round_open(commune=son_trung, year=2024, kind=RoundKind.ADHOC, month=3)
    results_record(
        review_round=adhoc, rows=[ResultRow(household=review_register["RV-04"], status="near_poor")]
    )
    assert {h: t.value for h, t in round_transitions_compute(review_round=adhoc).items()} == {
        review_register["RV-04"].pk: "escaped_to_near_poor"
    }


def test_the_decision_waits_for_every_household_of_the_list(round_2023, review_register, mai_ha):
    round_households_seed(review_round=round_2023)
    take_through_posting(round_2023, mai_ha, {"RV-01": (1_000_000, DEPRIVED_3)})
    with pytest.raises(InputError) as error:
        review_round_decide(
            review_round=round_2023, decision_number="1/QĐ", decision_date=datetime.date(2023, 12, 1)
        )
    assert "RV-02" in str(error.value) and "RV-11" in str(error.value)
    assert not ReviewResult.objects.filter(review_round=round_2023).exclude(transition="").exists()
    with pytest.raises(InputError):
        review_round_decide(
            review_round=round_2023, decision_number="  ", decision_date=datetime.date(2023, 12, 1)
        )


def test_every_write_to_a_decided_round_is_refused(decided_2023, review_register, mai_ha):
    entry = RoundHousehold.objects.get(review_round=decided_2023, household__code="RV-01")
    attempts = [
        lambda: survey(entry),
        lambda: screening_record(entry=entry, answers={}, screened_on=datetime.date(2023, 12, 2)),
        lambda: results_record(
            review_round=decided_2023, rows=[ResultRow(household=review_register["RV-03"], status="poor")]
        ),
        lambda: round_household_add(
            review_round=decided_2023, household=review_register["RV-03"], reason="added"
        ),
        lambda: round_households_seed(review_round=decided_2023),
        lambda: village_meeting_record(
            review_round=decided_2023,
            village=mai_ha,
            held_on=datetime.date(2023, 12, 2),
            chair_name="a",
            front_supervisor_name="b",
            attendees=3,
            votes={entry.pk: 3},
        ),
        lambda: posting_record(
            review_round=decided_2023, village=mai_ha, starts_on=datetime.date(2023, 12, 4)
        ),
        lambda: complaint_record(
            entry=entry, complainant="a", content="b", received_on=datetime.date(2023, 12, 2)
        ),
        lambda: review_round_decide(
            review_round=decided_2023, decision_number="2", decision_date=datetime.date(2023, 12, 5)
        ),
    ]
    for attempt in attempts:
        with pytest.raises(InputError) as error:
            attempt()
        assert "locked" in str(error.value) and "khoá" in str(error.value)
    assert ReviewResult.objects.get(review_round=decided_2023, household__code="RV-01").status == "near_poor"


def test_a_locked_round_answers_the_forms_with_a_clear_message(client, officer, decided_2023):
    client.force_login(officer)
    entry = RoundHousehold.objects.get(review_round=decided_2023, household__code="RV-01")
    response = client.post(
        reverse("reviews:phieu_b", args=[decided_2023.pk, entry.pk]),
        {"surveyed_on": "2023-12-05", "income_per_capita": "500000"},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200 and ("khoá" in page or "khóa" in page)
    assert (
        ReviewResult.objects.get(review_round=decided_2023, household__code="RV-01").income_per_capita
        == 1_300_000
    )


def test_the_officer_prepares_the_decision_and_the_chairman_issues_it_on_its_page(
    client, officer, chairman, round_2023, son_trung
):
    client.force_login(officer)
    url = reverse("reviews:decision", args=[round_2023.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"action": "prepare", "decision_number": "99/QĐ-UBND", "decision_date": "2023-12-20"}
    )
    assert response.status_code == 302
    round_2023.refresh_from_db()
    assert round_2023.is_prepared and not round_2023.is_decided
    client.force_login(chairman)
    response = client.post(url, {"action": "issue", "confirm": "on"})
    assert response.status_code == 302
    round_2023.refresh_from_db()
    assert round_2023.is_decided and round_2023.decision_date == datetime.date(2023, 12, 20)


def test_only_the_commune_officer_and_the_chairman_reach_the_decision(
    client, village_head, province_viewer, round_2023
):
    for user in (village_head, province_viewer):
        client.force_login(user)
        assert client.get(reverse("reviews:decision", args=[round_2023.pk])).status_code == 403


def test_an_imported_official_result_needs_no_steps_in_the_system(round_2023, review_register):
    round_households_seed(review_round=round_2023)
    results_record(
        review_round=round_2023,
        rows=[
            ResultRow(household=review_register[code], status="poor", source=ResultSource.IMPORTED)
            for code in ("RV-01", "RV-02", "RV-11")
        ],
    )
    decided = review_round_decide(
        review_round=round_2023, decision_number="5/QĐ", decision_date=datetime.date(2023, 12, 20)
    )
    assert movements(decided) == {
        "RV-01": "stayed_poor",
        "RV-02": "near_poor_to_poor",
        "RV-11": "stayed_poor",
    }


def test_the_village_page_says_how_long_a_newly_escaped_household_keeps_its_rights(
    client, officer, decided_2023, ha_trang
):
    client.force_login(officer)
    page = client.get(
        reverse("reviews:round_village", args=[decided_2023.pk, ha_trang.code])
    ).content.decode()
    assert "14/12/2026" in page  # review of 14/12/2023 + the standard's 3 years
