"""The tracker's pages: scoped reads (404 outside the unit), permission checks (403), form errors that
write nothing (400), a bounded number of queries, downloads and the report workflow on the web."""

import pytest
from django.urls import reverse

from giamngheo.reports.models import ProgressReport
from giamngheo.support import services
from giamngheo.support.models import Support


@pytest.fixture
def fund_of_2m(support_register, officer):
    source = services.source_create(
        actor=officer, unit=support_register.commune, kind="for_the_poor_fund", name="Quỹ VNN"
    )
    services.ledger_allocate(
        actor=officer, source=source, amount=2_000_000, date="2023-01-05", description="Số dư"
    )
    return source


def test_every_page_opens_for_the_officer(client, support_register, officer, fund_of_2m):
    plan = services.escape_plan_create(
        actor=officer, household=support_register["T01"], year=2023, group="has_labour"
    )
    support = services.support_record(
        actor=officer,
        household=support_register["T01"],
        kind="loan",
        form="loan_poor",
        status="needed",
        date="2023-02-01",
    )
    client.force_login(officer)
    for url in [
        reverse("support:index") + "?year=2023&q=T01",
        reverse("support:household", args=[support_register["T01"].pk]),
        reverse("support:edit", args=[support.pk]),
        reverse("support:plans") + "?year=2023",
        reverse("support:plan", args=[plan.pk]),
        reverse("support:organisations"),
        reverse("support:sources"),
        reverse("support:source", args=[fund_of_2m.pk]),
        reverse("support:activities"),
        reverse("reports:progress_reports") + "?period=2023-Q2",
    ]:
        assert client.get(url).status_code == 200, url


def test_a_household_outside_the_unit_is_not_found(client, support_register, officer, village_head):
    client.force_login(officer)
    assert client.get(reverse("support:household", args=[support_register["H01"].pk])).status_code == 404
    client.force_login(village_head)
    assert client.get(reverse("support:household", args=[support_register["T03"].pk])).status_code == 404
    assert client.get(reverse("support:household", args=[support_register["T01"].pk])).status_code == 200


def test_the_province_viewer_reads_but_cannot_write(client, support_register, province_viewer, fund_of_2m):
    client.force_login(province_viewer)
    household = support_register["T01"]
    assert client.get(reverse("support:household", args=[household.pk])).status_code == 200
    posts = [
        (
            reverse("support:record", args=[household.pk]),
            {"kind": "donation", "form": "donation_cash", "date": "2023-02-01"},
        ),
        (reverse("support:sources"), {"kind": "donor", "name": "X"}),
        (
            reverse("support:source", args=[fund_of_2m.pk]),
            {"entry_type": "allocation", "date": "2023-02-01", "amount": "1", "description": "x"},
        ),
        (reverse("support:organisations"), {"kind": "veterans", "name": "CCB"}),
        (reverse("reports:progress_submit"), {"unit": "18133", "period": "2023"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert not Support.objects.exists()


def test_a_bad_support_form_shows_the_error_and_writes_nothing(
    client, support_register, officer, fund_of_2m, settings
):
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the messages below are the English ones
    url = reverse("support:record", args=[support_register["T01"].pk])
    base = {"kind": "donation", "form": "donation_cash", "status": "delivered", "date": "2023-03-01"}
    for data, message in [
        ({"amount": "-500.000"}, "Enter a whole amount"),
        ({"amount": "abc"}, "Enter a whole amount"),
        ({"amount": "3.000.000", "source": fund_of_2m.pk}, "2,000,000 VND left"),
        ({"amount": "100.000", "date": "2099-01-01"}, "2099"),
    ]:
        response = client.post(url, {**base, **data})
        assert response.status_code == 400 and message in response.content.decode(), data
    assert not Support.objects.exists()
    response = client.post(
        url, {**base, "amount": "1.500.000", "source": fund_of_2m.pk, "detail_donor": "Nhà hảo tâm"}
    )
    assert response.status_code == 302
    assert Support.objects.get().details == {"donor": "Nhà hảo tâm"}


def test_a_mass_organisation_member_records_for_an_assigned_household(
    client, support_register, officer, women_user
):
    union = services.organisation_create(
        actor=officer, unit=support_register.commune, kind="womens_union", name="Hội PN"
    )
    services.organisation_member_add(
        actor=officer, organisation=union, full_name="Phạm Thị Hoa", user=women_user
    )
    services.escape_plan_create(
        actor=officer, household=support_register["T01"], year=2023, group="has_labour", organisation=union
    )
    client.force_login(women_user)
    data = {
        "kind": "donation",
        "form": "donation_in_kind",
        "status": "delivered",
        "date": "2023-03-01",
        "detail_items": "Gạo",
    }
    assert client.post(reverse("support:record", args=[support_register["T01"].pk]), data).status_code == 302
    assert client.post(reverse("support:record", args=[support_register["T02"].pk]), data).status_code == 403


def test_key_pages_make_a_bounded_number_of_queries(
    client, support_register, officer, fund_of_2m, django_assert_max_num_queries
):
    for code in ("T01", "T02", "T06"):
        services.support_record(
            actor=officer,
            household=support_register[code],
            kind="donation",
            form="donation_cash",
            date="2023-01-16",
            amount=300_000,
            source=fund_of_2m,
        )
        services.escape_plan_create(
            actor=officer, household=support_register[code], year=2023, group="has_labour"
        )
    client.force_login(officer)
    for url, bound in [
        (reverse("support:index") + "?year=2023", 8),
        (reverse("support:household", args=[support_register["T01"].pk]), 16),
        (reverse("support:plans") + "?year=2023", 10),
        (reverse("support:sources"), 6),
        (reverse("support:source", args=[fund_of_2m.pk]), 6),
    ]:
        with django_assert_max_num_queries(bound):
            assert client.get(url).status_code == 200


def test_reports_are_downloaded_submitted_and_decided_on_the_web(
    client, support_register, officer, system_admin
):
    client.force_login(officer)
    # A CSV starts with the UTF-8 byte-order mark (Excel reads Vietnamese names right).
    for fmt, start in [("csv", b"\xef\xbb\xbfsection,"), ("xlsx", b"PK"), ("docx", b"PK")]:
        url = reverse("reports:progress_download")
        response = client.get(url + f"?unit=18133&period=2023-Q2&format={fmt}")
        assert response.status_code == 200 and response.content.startswith(start)
        assert "bao-cao-tien-do-18133-2023-Q2" in response["Content-Disposition"]
    assert client.get(reverse("reports:progress_download") + "?period=2023-Q7&format=csv").status_code == 400
    response = client.post(reverse("reports:progress_submit"), {"unit": "18133", "period": "2023-Q2"})
    report = ProgressReport.objects.get()
    assert response.status_code == 302 and report.version == 1
    assert (
        client.post(reverse("reports:progress_decide", args=[report.pk]), {"decision": "approve"}).status_code
        == 403
    )
    client.force_login(system_admin)
    page = client.get(reverse("reports:progress_reports")).content.decode()
    assert reverse("reports:progress_report", args=[report.pk]) in page  # awaiting the province's decision
    client.post(
        reverse("reports:progress_decide", args=[report.pk]), {"decision": "approve", "comment": "Đồng ý"}
    )
    report.refresh_from_db()
    assert report.state == "approved"
    response = client.get(reverse("reports:progress_version_download", args=[report.pk, "csv"]))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "username", ["canbo.sontrung", "truongthon.maiha", "hoiphunu.sontrung", "bcd.sontrung", "tinh.hatinh"]
)
def test_every_user_of_a_unit_finds_the_progress_reports_and_the_exports_in_the_menu(client, demo, username):
    """Exports are reads: read-only roles get the import-and-export link too (the page itself refuses them
    an import); the progress reports have their own entry, marked current on their pages."""
    from giamngheo.accounts.models import User

    client.cookies["django_language"] = "en"  # chosen with the language switch
    client.force_login(User.objects.get(username=username))
    html = client.get(reverse("reports:progress_reports") + "?period=2023").content.decode()
    menu = html[html.index('class="mainnav"') : html.index("</nav>", html.index('class="mainnav"'))]
    assert f'href="{reverse("imports:index")}"' in menu and "Import and export" in menu
    assert f'href="{reverse("reports:progress_reports")}" aria-current="page"' in menu
    assert f'href="{reverse("support:index")}" aria-current' not in menu
    assert client.get(reverse("imports:index")).status_code == 200


def test_a_user_without_a_unit_gets_no_export_link(client, demo):
    from giamngheo.accounts.models import User

    loose = User.objects.create_user(username="chua.gan.don.vi", password="x", role="province_viewer")
    client.force_login(loose)
    html = client.get(reverse("households:list")).content.decode()
    assert reverse("imports:index") not in html and reverse("reports:progress_reports") in html
