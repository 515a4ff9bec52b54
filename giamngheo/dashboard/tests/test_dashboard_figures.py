"""The home page with data: rates against targets per unit below, the trend, indicator coverage, supports
and spending, households needing attention — the report's figures, for the user's scope, in few queries."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from giamngheo.dashboard.selectors import home_overview
from giamngheo.support import services


@pytest.fixture
def year_2023(support_register, officer):
    from giamngheo.plans.services import plan_open

    plan_open(
        actor=None,
        commune=support_register.commune,
        year=2023,
        assigned_poor_rate=Decimal("20.00"),
        assigned_near_poor_rate=Decimal("40.00"),
    )
    source = services.source_create(
        actor=officer, unit=support_register.commune, kind="for_the_poor_fund", name="Quỹ VNN"
    )
    services.ledger_allocate(
        actor=officer, source=source, amount=5_000_000, date="2023-01-05", description="Số dư"
    )
    services.support_record(
        actor=officer,
        household=support_register["T01"],
        kind="donation",
        form="donation_cash",
        date="2023-01-16",
        amount=500_000,
        source=source,
    )
    services.escape_plan_create(
        actor=officer, household=support_register["T01"], year=2023, group="has_labour"
    )
    return source


def test_the_overview_of_a_year_compares_rates_with_targets(support_register, officer, year_2023):
    overview = home_overview(user=officer)
    assert overview.year == 2023 and overview.has_data
    total = overview.total
    assert (total.households, total.poor, total.poor_rate, total.poor_target, total.poor_met) == (
        6,
        1,
        Decimal("16.67"),
        Decimal("20.00"),
        True,
    )
    assert [line.unit.name for line in overview.lines][:2] == ["Mai Hà", "Hà Tràng"]
    assert [row["year"] for row in overview.trend] == [2022, 2023]
    assert overview.supports == [
        {
            "kind": "donation",
            "label": overview.supports[0]["label"],
            "count": 1,
            "households": 1,
            "amount": 500_000,
        }
    ]
    assert overview.sources[0]["balance"] == 4_500_000
    assert [h.code for h in overview.attention["no_plan"]] == ["T02", "T03", "T04", "T06"]
    assert [m.full_name for m in overview.attention["out_of_school"]] == ["Nguyễn Thị Bé (test)"]
    health = next(i for i in overview.indicators if i["code"] == "health_insurance")
    assert (health["numerator"], health["denominator"]) == (3, 4)


def test_the_page_shows_the_figures_and_the_charts_data(client, support_register, officer, year_2023):
    client.force_login(officer)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "Thôn Mai Hà" in page and "16,67%" in page and "20,00%" in page and "T02" in page
    charts = json.loads(
        re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', page, re.S)[1]
    )
    assert charts["labels"][:2] == ["Mai Hà", "Hà Tràng"] and charts["years"] == [2022, 2023]
    assert "vendor/chartjs/chart.umd.min.js" in page and "js/dashboard.js" in page


def test_the_village_head_sees_the_village_only(client, support_register, village_head, year_2023):
    client.force_login(village_head)
    page = client.get(reverse("dashboard:home") + "?year=2023").content.decode()
    assert "Thôn Mai Hà" in page and "Hà Tràng" not in page and "T04" not in page and "T02" in page


def test_the_province_viewer_sees_each_commune(client, support_register, province_viewer, year_2023):
    overview = home_overview(user=province_viewer, year=2023)
    assert [line.unit.name for line in overview.lines] == ["Sơn Trung", "Sơn Hồng"]
    assert overview.total.households == 7


def test_the_dashboard_with_data_makes_a_fixed_number_of_queries(
    client, support_register, officer, year_2023, django_assert_max_num_queries
):
    client.force_login(officer)
    # More than the plain page's 8: session, user and unit (3), unit tree, year (escape plans, decided rounds:
    # 2), rounds of the two bases (2), ad-hoc overrides (2), status counts and the register's households (2),
    # plan targets (4, the baseline's register households among them), trend and its register counts (2),
    # indicators (3), supports, money, attention (3), the unit's level and the villages moved in from other
    # communes (a small table); on PostgreSQL also the session settings and the lists read once (2) — each a
    # grouped query, the same count for a village, a commune or a province.
    with django_assert_max_num_queries(31):
        assert client.get(reverse("dashboard:home")).status_code == 200


def test_a_year_without_reviews_falls_back_to_the_plain_overview(client, officer):
    client.force_login(officer)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert (
        "Thôn Hải Thượng" in page
        and "No decided review yet" in page
        or "Chưa có" in page
        or "No decided" in page
    )


def test_a_province_viewer_opens_a_commune_from_the_table(
    client, support_register, province_viewer, year_2023
):
    client.force_login(province_viewer)
    page = client.get(reverse("dashboard:home") + "?year=2023").content.decode()
    assert "?unit=18133&amp;year=2023" in page and "T02" not in page  # no household lists above a commune
    page = client.get(reverse("dashboard:home") + "?unit=18133&year=2023").content.decode()
    assert (
        "<h1>Xã Sơn Trung</h1>" in page and "T02" in page and '?unit=42&amp;year=2023">Tỉnh Hà Tĩnh' in page
    )


def test_a_unit_outside_the_scope_is_not_found(client, support_register, officer):
    client.force_login(officer)
    assert client.get(reverse("dashboard:home") + "?unit=18136").status_code == 404
    assert client.get(reverse("dashboard:home") + "?unit=18133-01").status_code == 200
