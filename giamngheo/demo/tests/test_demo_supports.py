"""The Sơn Trung demo's year of supports (``demo.supports``), loaded with the register by ``giamngheo demo``:
escape plans, supports of every kind, funds and their ledger, organisations, activities and progress reports
— real-looking content on every page and in every report."""

import datetime
from collections import defaultdict

import pytest
import time_machine
from django.db.models import Sum
from django.urls import reverse

from giamngheo.dashboard.selectors import home_overview
from giamngheo.demo.supports import load_support_demo, support_demo_reset
from giamngheo.reports.models import ProgressReport
from giamngheo.reviews.models import ReviewResult
from giamngheo.support.kinds import SupportKind
from giamngheo.support.models import (
    Activity,
    EscapePlan,
    FundSource,
    LedgerEntry,
    Organisation,
    Support,
)

# pages in English: the assertions do not depend on the Vietnamese catalogue being compiled
pytestmark = pytest.mark.usefixtures("english_client")


def in_commune(model, commune):  # type: ignore[no-untyped-def]
    return model.objects.filter(unit_path__startswith=commune.path)


def test_the_demo_has_a_year_of_supports_plans_funds_and_activities(demo_register):
    # an escape plan for every poor (63) and near-poor (69) household of the end-2022 lists
    plans = in_commune(EscapePlan, demo_register).filter(year=2023)
    assert plans.count() == 132
    assert set(plans.values_list("status_at_start", flat=True)) == {"poor", "near_poor"}
    assert plans.filter(milestones__done_on__isnull=False).exists()
    supports = in_commune(Support, demo_register)
    assert set(supports.values_list("kind", flat=True)) == set(SupportKind.values)
    assert supports.filter(status="needed").exists()  # needs recorded and not met yet
    assert in_commune(Organisation, demo_register).count() == 6
    assert in_commune(Activity, demo_register).count() == 13
    assert list(
        ProgressReport.objects.filter(unit=demo_register).order_by("period").values_list("period", "state")
    ) == [("2023-Q1", "approved"), ("2023-Q2", "submitted")]


def test_loading_the_support_demo_again_writes_nothing(demo_register):
    def tracker_counts():  # type: ignore[no-untyped-def]
        return [in_commune(m, demo_register).count() for m in (Support, EscapePlan, LedgerEntry, Activity)]

    before = tracker_counts()
    assert load_support_demo(demo_register) is None
    assert tracker_counts() == before


def test_no_fund_goes_below_zero_on_any_day_and_the_ledger_matches_the_supports(demo_register):
    sources = FundSource.objects.filter(unit=demo_register)
    assert sources.count() == 5
    for source in sources:
        balance = 0
        for entry in source.entries.order_by("date", "id"):
            balance += entry.signed_amount
            assert balance >= 0, (source.name, entry.date)
    spending = defaultdict(int)
    for row in (
        in_commune(LedgerEntry, demo_register)
        .filter(support__isnull=False)
        .values("support_id")
        .annotate(total=Sum("signed_amount"))
    ):
        spending[row["support_id"]] = -row["total"]
    paid = in_commune(Support, demo_register).filter(status="delivered", source__isnull=False, amount__gt=0)
    assert paid.count() > 100
    assert all(spending[s.pk] == s.amount for s in paid)
    assert sum(spending.values()) == sum(s.amount for s in paid)


def test_every_support_page_shows_the_demo(client, demo_register, officer):
    client.force_login(officer)
    fund = FundSource.objects.get(unit=demo_register, kind="for_the_poor_fund")
    plan = in_commune(EscapePlan, demo_register).filter(helper__isnull=False).first()
    pages = {
        reverse("support:index"): "Ngân sách tỉnh — NQ 72/2022/NQ-HĐND",
        reverse("support:plans"): "Hội Liên hiệp Phụ nữ xã",
        reverse("support:plan", args=[plan.pk]): "Kế hoạch giúp hộ thoát nghèo năm 2023 (demo)",
        reverse("support:organisations"): "Nguyễn Hữu Phúc (demo)",
        reverse("support:sources"): "Quỹ Vì người nghèo xã Sơn Trung",
        reverse("support:source", args=[fund.pk]): "Ngày vì người nghèo 17/10",
        reverse("support:activities"): "Ra quân sửa nhà cho hộ nghèo (demo)",
        reverse("support:household", args=[plan.household_id]): "Donation or gift",
        reverse("reports:progress_reports") + "?period=2023": "Hội Liên hiệp Phụ nữ xã",
        reverse("households:detail", args=[plan.household_id]): 'id="ho-tro"',
    }
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url


@time_machine.travel(datetime.datetime(2024, 6, 1, 9, 0), tick=False)
def test_the_register_page_says_what_a_household_is_entitled_to(client, demo_register, officer):
    """A poor household is shown its distance to exit; one that left the poor list at the end-2023 review
    keeps its loan eligibility for three years."""
    results = ReviewResult.objects.filter(review_round__commune=demo_register, review_round__year=2023)
    poor = results.filter(status="poor").first().household_id
    escaped = (
        results.filter(status__in=["not_poor", "average"])
        .filter(household__results__review_round__year=2022, household__results__status="poor")
        .first()
        .household_id
    )
    client.force_login(officer)
    html = client.get(reverse("households:detail", args=[poor])).content.decode()
    assert "Distance to exit" in html and "What it is entitled to" in html
    html = client.get(reverse("households:detail", args=[escaped])).content.decode()
    # Three years from the day the end-2023 list took effect: its decision of 21/12/2023.
    assert "Newly escaped from poverty" in html and "keeps its loan eligibility until 21/12/2026" in html


def test_the_dashboard_shows_the_demo_year(client, demo_register, officer):
    overview = home_overview(user=officer)
    assert overview.year == 2023 and overview.has_data
    assert overview.supports_total["count"] > 300 and overview.supports_total["amount"] > 0
    assert {s["name"] for s in overview.sources} >= {"Quỹ Vì người nghèo xã Sơn Trung"}
    assert all(s["balance"] >= 0 for s in overview.sources)
    loans = next(i for i in overview.indicators if i["code"] == "loans")
    assert loans["denominator"] > 0 and loans["percent"] is not None
    client.force_login(officer)
    html = client.get(reverse("dashboard:home")).content.decode()
    assert "Quỹ Vì người nghèo xã Sơn Trung" in html


def test_the_support_demo_is_removed_before_its_register(demo_register):
    support_demo_reset(demo_register)
    for model in (Support, EscapePlan, LedgerEntry, Activity, Organisation, FundSource):
        assert not in_commune(model, demo_register).exists(), model
    assert not ProgressReport.objects.filter(unit=demo_register).exists()
