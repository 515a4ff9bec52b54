"""Browser (English locale): the dashboard's charts write numbers the Vietnamese way (4,5%; 1.500.000) on a
Vietnamese page, whatever the browser's language, and the English way once English is chosen."""

from __future__ import annotations

import re

import pytest

from giamngheo.demo.sontrung import demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READY = "window.Chart && window.Chart.getChart(document.querySelector('canvas[data-kind=spending]'))"
TICKS = """kind => {
  const chart = window.Chart.getChart(document.querySelector(`canvas[data-kind=${kind}]`));
  const axis = chart.options.indexAxis === "y" ? chart.scales.x : chart.scales.y;
  return axis.ticks.map(t => t.label);
}"""
# The rates chart's own tooltip callback, given a poor-household rate of 4.5%.
TOOLTIP = """() => {
  const chart = window.Chart.getChart(document.querySelector("canvas[data-kind=rates]"));
  const label = chart.options.plugins.tooltip.callbacks.label;
  return label.call(chart.tooltip, { chart, dataset: { label: "X" }, parsed: { x: 0, y: 4.5 } });
}"""


@pytest.fixture
def english_desktop_page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()
    from django.db import connections

    connections.close_all()


def grouped(labels: list[str], separator: str) -> list[str]:
    return [label for label in labels if len(label.replace(separator, "")) > 3]


def test_chart_numbers_follow_the_pages_language_not_the_browsers(
    english_desktop_page, live_server, password
):
    page = english_desktop_page
    demo_load(with_register=True)
    page.goto(f"{live_server.url}/?year=2023")
    page.fill("#id_username", "canbo.sontrung")
    page.fill("#id_password", password)
    page.click("button.primary")
    page.wait_for_url("**/?year=2023")
    page.wait_for_function(READY)
    assert all(re.fullmatch(r"\d+(,\d+)?%", label) for label in page.evaluate(TICKS, "rates"))
    assert page.evaluate(TOOLTIP) == "X: 4,5%"
    spending = grouped(page.evaluate(TICKS, "spending"), ".")
    assert spending and all(re.fullmatch(r"\d{1,3}(\.\d{3})+", label) for label in spending), spending

    page.click("button[value=en]")
    page.wait_for_load_state()
    page.wait_for_function(READY)
    assert page.evaluate(TOOLTIP) == "X: 4.5%"
    spending = grouped(page.evaluate(TICKS, "spending"), ",")
    assert spending and all(re.fullmatch(r"\d{1,3}(,\d{3})+", label) for label in spending), spending
