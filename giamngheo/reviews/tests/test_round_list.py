"""Rounds and their list of households: opening, the current lists, requests (Mẫu số 01), progress."""

import datetime

import pytest
from django.urls import reverse

from giamngheo.errors import InputError
from giamngheo.reviews.models import ListReason, ReviewRound, RoundHousehold, RoundKind, Step
from giamngheo.reviews.selectors import round_overview
from giamngheo.reviews.services import review_round_open, round_household_add, round_households_seed
from giamngheo.testing.registers import make_household


def codes(review_round):
    return set(
        RoundHousehold.objects.filter(review_round=review_round).values_list("household__code", flat=True)
    )


def test_opening_the_regular_round_brings_in_the_current_poor_and_near_poor_lists(
    client, officer, decided_2022
):
    client.force_login(officer)
    response = client.post(
        reverse("reviews:round_list"), {"commune": officer.unit.pk, "kind": "regular", "year": 2023}
    )
    review_round = ReviewRound.objects.get(year=2023, kind=RoundKind.REGULAR)
    assert response.status_code == 302 and response["Location"] == reverse(
        "reviews:round_detail", args=[review_round.pk]
    )
    assert {"RV-01", "RV-02", "RV-11"} <= codes(review_round)
    assert "RV-03" not in codes(review_round)  # not poor in 2022: not on a list
    assert (
        RoundHousehold.objects.filter(review_round=review_round, household__code="RV-01").get().reason
        == "on_list"
    )


def test_bringing_in_the_current_lists_twice_adds_nothing(round_2023):
    first = round_households_seed(review_round=round_2023)
    assert first >= 3
    assert round_households_seed(review_round=round_2023) == 0


def test_an_ad_hoc_round_needs_its_month_and_starts_with_an_empty_list(son_trung, decided_2022):
    with pytest.raises(InputError):
        review_round_open(commune=son_trung, year=2023, kind=RoundKind.ADHOC)
    adhoc = review_round_open(commune=son_trung, year=2023, kind=RoundKind.ADHOC, month=3)
    assert adhoc.review_date == datetime.date(2023, 3, 15)
    assert round_households_seed(review_round=adhoc) == 0


def test_a_request_is_added_with_the_date_it_was_received(round_2023, review_register, officer):
    entry = round_household_add(
        review_round=round_2023,
        household=review_register["RV-04"],
        reason=ListReason.REQUESTED,
        request_date=datetime.date(2023, 9, 5),
        actor=officer,
    )
    assert entry.step == Step.LISTED and entry.unit_path == review_register["RV-04"].unit_path
    assert entry.history.first().history_user == officer
    with pytest.raises(InputError) as again:
        round_household_add(
            review_round=round_2023, household=review_register["RV-04"], reason=ListReason.ADDED
        )
    assert "already on the list" in str(again.value)


def test_a_request_without_its_date_is_refused(round_2023, review_register):
    with pytest.raises(InputError) as error:
        round_household_add(
            review_round=round_2023, household=review_register["RV-04"], reason=ListReason.REQUESTED
        )
    assert error.value.problems[0].column == "request_date"


def test_a_household_of_another_commune_cannot_join_the_round(round_2023, demo):
    from giamngheo.units.models import Unit

    elsewhere = make_household(Unit.objects.get(code="18136-01"), "SH-01", "Võ Thị Hồng")
    with pytest.raises(InputError) as error:
        round_household_add(review_round=round_2023, household=elsewhere, reason=ListReason.ADDED)
    assert "Sơn Trung" in str(error.value)


def test_the_officer_adds_a_request_through_the_page(client, officer, round_2023, review_register):
    client.force_login(officer)
    url = reverse("reviews:entry_add", args=[round_2023.pk])
    response = client.post(
        url, {"household_code": "RV-04", "reason": "requested", "request_date": "2023-09-05"}
    )
    assert response.status_code == 302
    assert "RV-04" in codes(round_2023)
    unknown = client.post(url, {"household_code": "NOPE", "reason": "added"})
    assert unknown.status_code == 200 and "NOPE" not in codes(round_2023)


def test_the_overview_counts_households_per_step_and_village(
    round_2023, review_register, officer, mai_ha, ha_trang
):
    round_households_seed(review_round=round_2023)
    round_household_add(
        review_round=round_2023,
        household=review_register["RV-04"],
        reason="requested",
        request_date=datetime.date(2023, 9, 5),
    )
    overview = round_overview(user=officer, review_round=round_2023)
    by_village = {v.village.code: v for v in overview.villages}
    assert len(overview.villages) == 11  # every village of the commune, in the official order
    assert [v.village.sort_order for v in overview.villages] == sorted(
        v.village.sort_order for v in overview.villages
    )
    assert by_village[mai_ha.code].steps[Step.LISTED] >= 3
    assert by_village[ha_trang.code].steps[Step.LISTED] >= 1
    assert overview.total.total == sum(v.total for v in overview.villages)


def test_the_round_overview_page_needs_the_same_few_queries_however_many_households(
    client, officer, round_2023, mai_ha, django_assert_max_num_queries
):
    client.force_login(officer)
    round_households_seed(review_round=round_2023)
    url = reverse("reviews:round_detail", args=[round_2023.pk])
    client.get(url)  # warm the session and the standards cache
    with django_assert_max_num_queries(10):  # + the households of an imported list (issue 11 B)
        response = client.get(url)
    assert response.status_code == 200
    for index in range(30):
        household = make_household(mai_ha, f"RV-Q{index:02d}", f"Hộ số {index}")
        round_household_add(review_round=round_2023, household=household, reason="added")
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert "Mai Hà" in response.content.decode()


def test_the_village_page_shows_each_households_step(
    client, officer, round_2023, mai_ha, django_assert_max_num_queries
):
    client.force_login(officer)
    round_households_seed(review_round=round_2023)
    url = reverse("reviews:round_village", args=[round_2023.pk, mai_ha.code])
    client.get(url)
    with django_assert_max_num_queries(11):
        response = client.get(url)
    page = response.content.decode()
    assert "RV-01" in page and "Nguyễn Văn Đức" in page and 'class="steps' in page
    assert "RV-11" not in page  # Hà Tràng


def test_the_village_head_sees_the_round_but_only_their_village(client, village_head, round_2023, ha_trang):
    round_households_seed(review_round=round_2023)
    client.force_login(village_head)
    page = client.get(reverse("reviews:round_detail", args=[round_2023.pk])).content.decode()
    assert "Mai Hà" in page and "Hà Tràng" not in page
    assert (
        client.get(reverse("reviews:round_village", args=[round_2023.pk, ha_trang.code])).status_code == 404
    )
    assert client.post(reverse("reviews:entry_add", args=[round_2023.pk]), {}).status_code == 403


def test_an_officer_of_another_commune_sees_nothing_of_the_round(client, other_officer, round_2023):
    client.force_login(other_officer)
    assert client.get(reverse("reviews:round_detail", args=[round_2023.pk])).status_code == 404
    assert "Sơn Trung" not in client.get(reverse("reviews:round_list")).content.decode()


def test_the_province_viewer_reads_the_round_but_cannot_run_it(client, province_viewer, round_2023):
    client.force_login(province_viewer)
    assert client.get(reverse("reviews:round_detail", args=[round_2023.pk])).status_code == 200
    assert client.get(reverse("reviews:round_list")).status_code == 200
    assert client.post(reverse("reviews:round_list"), {"kind": "regular", "year": 2024}).status_code == 403
    assert client.post(reverse("reviews:round_seed", args=[round_2023.pk])).status_code == 403


def test_a_closed_household_is_neither_brought_in_nor_added(round_2023, review_register):
    from giamngheo.households.models import Household

    Household.objects.filter(pk=review_register["RV-02"].pk).update(dissolved_on=datetime.date(2023, 6, 1))
    round_households_seed(review_round=round_2023)
    assert "RV-02" not in codes(round_2023)
    with pytest.raises(InputError) as error:
        round_household_add(
            review_round=round_2023,
            household=Household.objects.get(pk=review_register["RV-02"].pk),
            reason="added",
        )
    assert "closed" in str(error.value)
