"""Phiếu B in a phone-sized browser: the status follows the answers as the reviewer types (htmx)."""

import pytest

from giamngheo.reviews.models import ReviewResult, RoundHousehold
from giamngheo.reviews.services import round_households_seed
from giamngheo.testing.language import vi

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone_page(page):
    """The shared browser page (root conftest): a phone-sized Vietnamese context, outside hosts refused."""
    return page


def test_the_status_changes_as_the_reviewer_answers_on_a_phone(round_2023, password, live_server, phone_page):
    round_households_seed(review_round=round_2023)
    entry = RoundHousehold.objects.get(review_round=round_2023, household__code="RV-01")
    phone_page.goto(f"{live_server.url}/")
    phone_page.fill("#id_username", "truongthon.maiha")
    phone_page.fill("#id_password", password)
    phone_page.click("button.primary")
    phone_page.wait_for_url(f"{live_server.url}/")
    phone_page.goto(f"{live_server.url}/ra-soat/{round_2023.pk}/ho/{entry.pk}/phieu-b/")
    live = phone_page.locator("#live")
    phone_page.fill("#id_income_per_capita", "1200000")
    # Pre-filled from the register: latrine, internet and health insurance deprived → poor.
    phone_page.locator("#live .badge.poor").wait_for()
    assert "thiếu hụt 3 chỉ số" in live.inner_text()
    phone_page.click("label[for=id_ind_telecom_1]")  # "not deprived": two deprivations left
    phone_page.locator("#live .badge.near_poor").wait_for()
    assert vi("Near-poor") in live.inner_text()
    phone_page.fill("#id_income_per_capita", "2600000")
    phone_page.locator("#live .badge.not_poor").wait_for()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the form must fit a phone_page's width"
    phone_page.click("button[type=submit].primary")
    phone_page.wait_for_url("**/thon/18133-01/")
    assert ReviewResult.objects.get(review_round=round_2023, household=entry.household).status == "not_poor"
