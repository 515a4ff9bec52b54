import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_logs_in_in_vietnamese_switches_to_english_logs_out(page, live_server, demo, password):
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Đăng nhập"
    page.fill("#id_username", "canbo.sontrung")
    page.fill("#id_password", password)
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Xã Sơn Trung"
    assert page.get_by_text("Thôn Mai Hà").is_visible()
    assert page.locator("html").get_attribute("lang") == "vi"
    # The font is vendored and used: Vietnamese text renders with Be Vietnam Pro, not a fallback.
    assert page.evaluate("document.fonts.check('16px \"Be Vietnam Pro\"', 'Sơn Trung')")

    page.click("button[value=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Commune Sơn Trung"

    page.click("form.logout button")
    page.wait_for_url("**/dang-nhap/")
    assert page.locator("h1").inner_text() == "Log in"
