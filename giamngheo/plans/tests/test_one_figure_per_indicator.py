"""One figure per indicator (issue 11 A): the plan page, the dashboard and the progress report of the demo's
year 2023 show the same numerator and denominator for each indicator, because they read it from one
definition (``giamngheo.figures.indicators_in_force``) — on the same lists (in force during 2023) and the same
day (31/12/2023)."""

from __future__ import annotations

import datetime

from django.urls import reverse

from giamngheo.reports.plan_link import MEASURE_TO_CODE

CODES = ("health_insurance", "schooling", "housing", "loans", "jobs")
END_2023 = datetime.date(2023, 12, 31)


def test_every_surface_shows_the_same_figure_for_each_indicator(client, demo_register, officer):
    from giamngheo.dashboard.selectors import home_overview
    from giamngheo.plans.models import Plan
    from giamngheo.plans.selectors import indicator_lines
    from giamngheo.reports.progress import build_progress

    plan = Plan.objects.get(commune=demo_register, year=2023)
    lines, on = indicator_lines(user=officer, plan=plan)
    assert on == END_2023
    on_plan = {
        MEASURE_TO_CODE[line.target.measure]: (line.value.numerator, line.value.denominator)
        for line in lines
        if line.target.measure in MEASURE_TO_CODE
    }
    dashboard = home_overview(user=officer, year=2023)
    assert dashboard.as_of == END_2023
    on_dashboard = {item["code"]: (item["numerator"], item["denominator"]) for item in dashboard.indicators}
    progress = build_progress(user=officer, unit=demo_register, period="2023")
    in_report = {
        row["code"]: (row["numerator"], row["denominator"]) for row in progress.data["indicator_targets"]
    }
    assert set(on_plan) == set(on_dashboard) == set(in_report) == set(CODES)
    assert on_plan == on_dashboard == in_report
    # Real figures, not empty ones: the demo's people on the lists, most of them insured.
    insured, people = on_plan["health_insurance"]
    assert people > 250 and 0 < insured <= people

    # The page says it in words with the same numbers.
    client.force_login(officer)
    html = client.get(reverse("plans:detail", args=[demo_register.code, 2023])).content.decode()
    assert f"{insured} trên {people}" in html or f"{insured} of {people}" in html
