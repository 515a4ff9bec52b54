"""The Sơn Trung demo's year of supports: loaded once over the demo register, real-looking on every page."""

import pytest
from django.urls import reverse

from giamngheo.demo.sontrung import load_register
from giamngheo.demo.supports import load_support_demo, support_demo_reset
from giamngheo.support.models import (
    EscapePlan,
    FundSource,
    LedgerEntry,
    Organisation,
    ProgressReport,
    Support,
)
from giamngheo.support.services import source_balance

pytestmark = pytest.mark.slow


@pytest.fixture
def loaded(demo):  # type: ignore[no-untyped-def]
    load_register(demo)
    return load_support_demo(demo)


def test_the_demo_gets_a_year_of_supports_plans_funds_and_activities(loaded, son_trung):
    assert loaded["escape_plans"] == 132  # every poor (63) and near-poor (69) household of the end-2022 lists
    assert {
        "loan",
        "health_insurance",
        "schooling",
        "housing",
        "job",
        "production",
        "income_support",
        "donation",
    } <= set(loaded)
    assert Organisation.objects.filter(unit=son_trung).count() == 6
    assert all(source_balance(s) >= 0 for s in FundSource.objects.filter(unit=son_trung))
    assert LedgerEntry.objects.filter(unit_path__startswith=son_trung.path, entry_type="spending").exists()
    assert list(ProgressReport.objects.order_by("period").values_list("period", "state")) == [
        ("2023-Q1", "approved"),
        ("2023-Q2", "submitted"),
    ]
    assert load_support_demo(son_trung) is None  # the demo loads on every start: nothing twice


def test_every_page_shows_the_demo(client, loaded, officer):
    client.force_login(officer)
    household = EscapePlan.objects.filter(organisation__isnull=False).first().household
    pages = [
        reverse("dashboard:home"),
        reverse("support:index"),
        reverse("support:plans"),
        reverse("support:organisations"),
        reverse("support:sources"),
        reverse("support:activities"),
        reverse("support:household", args=[household.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200 and "(demo)" in response.content.decode(), url
    report = client.get(reverse("support:reports") + "?period=2023").content.decode()
    assert "Mai Hà" in report and "Hội Liên hiệp Phụ nữ xã" in report


def test_the_demo_can_be_removed_before_its_register(loaded, son_trung):
    support_demo_reset(son_trung)
    assert (
        not Support.objects.exists()
        and not Organisation.objects.exists()
        and not LedgerEntry.objects.exists()
    )
