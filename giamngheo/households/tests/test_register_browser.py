"""Browser: an officer on a phone searches "nguyen" and opens the household."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_searches_without_accents_and_opens_the_household(
    page, live_server, household_register, password
):
    page.goto(f"{live_server.url}/ho-gia-dinh/")
    page.fill("#id_username", "canbo.sontrung")
    page.fill("#id_password", password)
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/ho-gia-dinh/")
    page.fill("#id_q", "nguyen")
    page.press("#id_q", "Enter")
    page.wait_for_url("**/ho-gia-dinh/?q=nguyen**")
    link = page.get_by_role("link", name="Nguyễn Văn Đức")
    assert link.count() == 1  # the namesake in Sơn Hồng is outside the officer's commune
    link.click()
    page.wait_for_url("**/ho-gia-dinh/*/")
    assert "Nguyễn Văn Đức" in page.locator("h1").inner_text()
    assert page.get_by_text("0********123").is_visible()
    # Showing the full citizen ID (recorded) swaps it in place.
    page.locator("form.hh-inline button").first.click()
    page.get_by_text("042080000123").wait_for()
