"""Browser (English locale): the pages are Vietnamese until the user chooses English, and the choice is
remembered; dates are typed as dd/mm/yyyy; the browser's own validation messages are the app's, in the page's
language."""

from __future__ import annotations

import datetime

import pytest

from giamngheo.support.models import Activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def english_page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="en-US", extra_http_headers={"Accept-Language": "en-US,en;q=0.9"})
    tab = context.new_page()
    yield tab
    context.close()
    from django.db import connections

    connections.close_all()


def log_in(page, live_server, password, path="/"):  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}{path}")
    page.fill("#id_username", "canbo.sontrung")
    page.fill("#id_password", password)
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}{path}")


def test_an_english_browser_gets_vietnamese_pages_and_vietnamese_validation_messages(
    english_page, live_server, demo, password
):
    page = english_page
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("h1").inner_text() == "Đăng nhập"

    log_in(page, live_server, password, "/nhap-du-lieu/")
    page.click("form.imports-form button.primary")
    message = page.eval_on_selector("#id_file", "e => e.validationMessage")
    assert message == "Vui lòng chọn tệp."  # not Chromium's "Please select a file."

    page.fill("#id_decision_date", "31-12-2023")
    page.set_input_files("#id_file", files=[{"name": "a.csv", "mimeType": "text/csv", "buffer": b"x"}])
    page.click("form.imports-form button.primary")
    pattern_message = page.eval_on_selector("#id_decision_date", "e => e.validationMessage")
    assert pattern_message == "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 14/12/2023."


def test_a_date_is_typed_as_day_month_year_in_an_english_browser(english_page, live_server, demo, password):
    page = english_page
    log_in(page, live_server, password, "/ho-tro/truyen-thong/")
    date_input = page.locator("form.sp-form input[name=date]")
    assert date_input.get_attribute("type") == "text"
    assert date_input.get_attribute("placeholder") == "dd/mm/yyyy"
    page.fill("form.sp-form input[name=title]", "Họp dân thôn Mai Hà")
    date_input.fill("03/04/2023")  # 3 April, as an officer writes it
    page.click("form.sp-form button.sp-primary")
    page.wait_for_url("**/truyen-thong/?year=2023")
    assert Activity.objects.get(title="Họp dân thôn Mai Hà").date == datetime.date(2023, 4, 3)
    assert page.locator("table", has_text="Họp dân thôn Mai Hà").get_by_text("03/04/2023").count() >= 1


def test_english_chosen_in_the_page_is_remembered_and_its_messages_are_english(
    english_page, live_server, demo, password
):
    page = english_page
    log_in(page, live_server, password)
    assert page.locator("html").get_attribute("lang") == "vi"
    page.click("button[value=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(f"{live_server.url}/nhap-du-lieu/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("form.imports-form button.primary")
    assert page.eval_on_selector("#id_file", "e => e.validationMessage") == "Please choose a file."
    page.click("button[value=vi]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/ho-gia-dinh/")
    assert page.locator("html").get_attribute("lang") == "vi"
