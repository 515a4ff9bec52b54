"""Under the self-only Content-Security-Policy the pages still work in a real browser: no violation is
reported, Alpine (CSP build) computes, htmx swaps, the dashboard's bars get their widths."""

from __future__ import annotations

import pytest

from giamngheo.demo.sontrung import demo_load
from giamngheo.households.models import Household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch(page) -> list[str]:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_the_pages_work_under_the_policy_with_no_violation(page, live_server, password):
    demo_load(with_register=True)
    problems = watch(page)
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "canbo.sontrung")
    page.fill("#id_password", password)
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")

    bar = page.locator(".db-bar").first
    assert bar.evaluate("el => el.style.width").endswith("%")

    # The plan grid (Alpine component from static/js/app.js): typing a reduction updates the row's end.
    page.goto(f"{live_server.url}/ke-hoach/18133/2023/")
    field = page.locator("input[name^=poor-]").first
    row = field.locator("xpath=ancestor::tr")
    start = int(row.locator("td.num").nth(1).inner_text().replace(".", ""))
    field.fill("0")
    page.wait_for_timeout(0)
    assert row.locator("td.num[x-text^=end]").first.inner_text() == str(start)

    # A household's support form, and the household page's htmx "show" button.
    household = Household.objects.filter(commune__code="18133").order_by("pk").first()
    page.goto(f"{live_server.url}/ho-tro/ho/{household.pk}/")
    # Alpine hides the forms a support of the chosen kind cannot take (x-show) and disables them (:disabled).
    options = page.locator("#ghi-ho-tro select[name=form] option")
    assert options.count() > 1
    assert options.evaluate_all("os => os.some(o => o.disabled && o.style.display === 'none')")
    page.goto(f"{live_server.url}/ho-gia-dinh/{household.pk}/")
    forms = page.locator("form[data-remove-after-request]")
    if forms.count():
        action = forms.first.get_attribute("action")
        forms.first.locator("button").click()
        page.locator(f'form[action="{action}"]').wait_for(state="detached")

    page.goto(f"{live_server.url}/admin/")
    assert not problems, problems
