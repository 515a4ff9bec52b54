"""The register pages as each persona sees them: scope, rights, masked citizen IDs, history, query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from giamngheo.households.models import CitizenIdReveal, Household

# pages in English: the assertions do not depend on the Vietnamese catalogue being compiled
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_client")]


def get(client, user, url):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.get(url)


def test_the_list_finds_a_household_by_a_name_typed_without_accents(household_register, officer, client):
    response = get(client, officer, reverse("households:list") + "?q=nguyen+van+duc")
    html = response.content.decode()
    assert response.status_code == 200
    assert "T-001" in html and "T-004" not in html and "T-003" not in html


def test_the_list_says_how_many_households_match(household_register, officer, client):
    html = get(client, officer, reverse("households:list") + "?q=t-00").content.decode()
    assert "Households found: 3" in html


def test_the_list_page_and_its_filters_take_a_bounded_number_of_queries(
    household_register, officer, client, django_assert_max_num_queries
):
    client.force_login(officer)
    url = (
        reverse("households:list")
        + f"?q=nguyen&status=near_poor&category=social_protection&unit={household_register['mai_ha'].pk}"
    )
    client.get(url)  # the first request warms the caches (levels, the count's estimate); then it is steady
    # (PostgreSQL adds the count's time budget: set_config, and inside the test's transaction a savepoint.)
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert "T-001" in response.content.decode()


def test_the_list_page_never_writes_the_stored_status(household_register, officer, client):
    """A GET reads the stored status; only the writes that decide results refresh it (``reviews.statuses``).
    A result slipped into a decided round behind the services' back stays unseen, and is reported stale."""
    from giamngheo.reviews.models import ReviewResult
    from giamngheo.reviews.selectors import communes_with_stale_status
    from giamngheo.testing.registers import decided_round

    h1 = household_register["h1"]
    late = decided_round(h1.commune, 2025)
    ReviewResult.objects.create(
        review_round=late, household=h1, unit_path=h1.unit_path, status="poor", members=3
    )
    response = get(client, officer, reverse("households:list") + "?status=poor")
    assert response.status_code == 200 and "T-001" not in response.content.decode()
    assert Household.objects.get(pk=h1.pk).status == "near_poor"
    assert communes_with_stale_status(officer) == 1


def test_the_list_page_does_not_query_once_per_row(
    household_register, officer, client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from giamngheo.households.services import household_create, member_add

    client.force_login(officer)
    url = reverse("households:list") + "?q=nguyen"
    client.get(url)  # warm the per-connection caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(30):
        household = household_create(
            actor=officer,
            village=household_register["mai_ha"],
            code=f"T-N{n}",
            head_name=f"Nguyễn Văn Số {n}",
            size=2,
        )
        member_add(actor=officer, household=household, full_name=f"Trần Thị Nguyên {n}")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "T-N29" in response.content.decode()


def _help(officer, household, n):  # type: ignore[no-untyped-def]
    """Supports of several kinds for the household (one per member for the cards) and an escape plan with
    milestones, helped by a member of an organisation: what the page's support panel lists."""
    import datetime

    from giamngheo.support import services as support

    organisation = support.organisation_create(
        actor=officer, unit=household.commune, kind="womens_union", name=f"Hội Phụ nữ {n}"
    )
    helper = support.organisation_member_add(actor=officer, organisation=organisation, full_name=f"Chị {n}")
    support.support_record(
        actor=officer, household=household, kind="loan", form="loan_near_poor", date="2025-03-01", amount=1
    )
    for member in household.members.all():
        support.support_record(
            actor=officer,
            household=household,
            kind="health_insurance",
            form="hi_state_partial",
            member=member,
            date="2025-01-05",
            organisation=organisation,
        )
    plan = support.escape_plan_create(
        actor=officer,
        household=household,
        year=2025 + n,
        group="has_labour",
        organisation=organisation,
        helper=helper,
        milestones=[
            ("Vay vốn", datetime.date(2025 + n, 3, 31)),
            ("Chăn nuôi", datetime.date(2025 + n, 6, 30)),
        ],
    )
    return plan


def test_the_household_page_does_not_query_once_per_member_change_support_or_plan(
    household_register, officer, client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from giamngheo.households.services import household_update, member_add

    h1 = household_register["h1"]
    _help(officer, h1, 0)
    client.force_login(officer)
    url = reverse("households:detail", args=[h1.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(10):
        member_add(actor=officer, household=h1, full_name=f"Nguyễn Thị Mới {n}")
        h1 = household_update(
            actor=officer, household=h1, expected_version=h1.version, phone=f"09000000{n:02d}"
        )
    _help(officer, h1, 1)  # 14 more cards, another loan, a second plan with its milestones
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    html = response.content.decode()
    assert 'id="ho-tro"' in html and "Hội Phụ nữ 1" in html and "Chị 1" in html


def test_the_household_page_takes_a_bounded_number_of_queries(
    household_register, officer, client, django_assert_max_num_queries
):
    _help(officer, household_register["h1"], 0)
    client.force_login(officer)
    url = reverse("households:detail", args=[household_register["h1"].pk])
    # The register's part, then the support panel's: supports, plans and their milestones, money spent (it
    # reuses the members and review results the page has read).
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Help for this household" in html and "What it is entitled to" in html and "Hội Phụ nữ 0" in html


def test_the_household_page_shows_members_with_masked_citizen_ids(household_register, officer, client):
    html = get(
        client, officer, reverse("households:detail", args=[household_register["h1"].pk])
    ).content.decode()
    assert "0********123" in html and "042080000123" not in html
    assert "Trần Thị Hoa" in html


def test_showing_a_citizen_id_is_recorded(household_register, officer, client):
    member = household_register["h1"].members.get(full_name="Nguyễn Văn Đức")
    client.force_login(officer)
    response = client.post(reverse("households:citizen_id", args=[member.pk]), headers={"HX-Request": "true"})
    assert response.content.decode().strip() == '<span class="hh-cid">042080000123</span>'
    assert CitizenIdReveal.objects.filter(member=member, user=officer).count() == 1


def test_a_reader_cannot_show_a_citizen_id(household_register, province_viewer, client):
    member = household_register["h1"].members.get(full_name="Nguyễn Văn Đức")
    html = get(
        client, province_viewer, reverse("households:detail", args=[household_register["h1"].pk])
    ).content.decode()
    assert "0********123" in html and reverse("households:citizen_id", args=[member.pk]) not in html
    assert client.post(reverse("households:citizen_id", args=[member.pk])).status_code == 403
    assert not CitizenIdReveal.objects.exists()


def test_the_page_shows_the_results_by_year_and_the_derived_labour_capacity(
    household_register, officer, client
):
    html = get(
        client, officer, reverse("households:detail", args=[household_register["h2"].pk])
    ).content.decode()
    assert "2022" in html and "2023" in html and "Poor" in html
    assert "derived from the members" in html and "ages and ability to work" in html


def test_the_history_says_who_changed_what_from_what_to_what(household_register, officer, client):
    h1 = household_register["h1"]
    client.force_login(officer)
    form = client.get(reverse("households:edit", args=[h1.pk])).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update(phone="0912000111", safe_water="true", version=h1.version)
    response = client.post(reverse("households:edit", args=[h1.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    html = client.get(reverse("households:detail", args=[h1.pk])).content.decode()
    assert "Nguyễn Thị Lan (demo)" in html  # who
    assert "Phone: <del>—</del> → <ins>0912000111</ins>" in html
    assert "Safe domestic water: <del>—</del> → <ins>Yes</ins>" in html


def test_a_stale_form_shows_the_conflict_in_vietnamese_and_english_and_keeps_the_saved_value(
    household_register, officer, village_head, client
):
    h1 = household_register["h1"]
    client.force_login(village_head)
    form = client.get(reverse("households:edit", args=[h1.pk])).context["form"]
    stale = {k: ("" if v is None else v) for k, v in form.initial.items()}
    client.force_login(officer)
    client.post(reverse("households:edit", args=[h1.pk]), {**stale, "phone": "0911111111"})
    client.force_login(village_head)
    response = client.post(reverse("households:edit", args=[h1.pk]), {**stale, "phone": "0922222222"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "vừa được người khác cập nhật" in html and "Someone else updated this household" in html
    assert "0911111111" in html  # what the other user saved is shown
    assert Household.objects.get(pk=h1.pk).phone == "0911111111"


@pytest.mark.parametrize("name", ["edit", "member_add", "split", "merge"])
def test_the_province_viewer_reads_but_cannot_open_the_edit_pages(
    household_register, province_viewer, client, name
):
    assert (
        get(
            client, province_viewer, reverse("households:detail", args=[household_register["h1"].pk])
        ).status_code
        == 200
    )
    assert client.get(reverse(f"households:{name}", args=[household_register["h1"].pk])).status_code == 403


def test_the_village_head_edits_their_village_only(household_register, village_head, client):
    assert (
        get(client, village_head, reverse("households:edit", args=[household_register["h1"].pk])).status_code
        == 200
    )
    assert client.get(reverse("households:detail", args=[household_register["h2"].pk])).status_code == 404
    assert client.get(reverse("households:edit", args=[household_register["h2"].pk])).status_code == 404


def test_another_communes_officer_sees_nothing_of_the_household(household_register, other_officer, client):
    assert (
        get(
            client, other_officer, reverse("households:detail", args=[household_register["h1"].pk])
        ).status_code
        == 404
    )
    member = household_register["h1"].members.first()
    assert client.post(reverse("households:citizen_id", args=[member.pk])).status_code == 404


def test_an_officer_adds_a_household_from_a_phone_form(household_register, officer, client):
    client.force_login(officer)
    response = client.post(
        reverse("households:create"),
        {
            "village": household_register["ha_trang"].pk,
            "code": "T-020",
            "head_name": "Phan Văn Tú",
            "size": 2,
            "area": "rural",
        },
    )
    assert response.status_code == 302
    created = Household.objects.get(code="T-020")
    assert created.commune.code == "18133" and created.history.latest().history_user == officer


def test_the_province_viewer_cannot_add_a_household(household_register, province_viewer, client):
    assert get(client, province_viewer, reverse("households:create")).status_code == 403


def test_moving_a_member_through_the_page(household_register, officer, client):
    member = household_register["h1"].members.get(full_name="Nguyễn Văn An")
    client.force_login(officer)
    response = client.post(
        reverse("households:member_move", args=[member.pk]),
        {"version": member.version, "to_code": "T-002", "relation": "grandchild"},
    )
    assert response.status_code == 302
    html = client.get(reverse("households:detail", args=[household_register["h2"].pk])).content.decode()
    assert "Nguyễn Văn An" in html and "Moved in from household T-001" in html


def test_merging_through_the_page_asks_for_confirmation_first(household_register, officer, client):
    h1, h3 = household_register["h1"], household_register["h3"]
    client.force_login(officer)
    url = reverse("households:merge", args=[h1.pk])
    response = client.post(url, {"version": h1.version, "other_code": "T-003"})
    assert response.status_code == 200 and "Đặng Văn Bình" in response.content.decode()
    assert Household.objects.get(pk=h3.pk).dissolved_on is None
    response = client.post(
        url, {"version": h1.version, "other_code": "T-003", "other_version": h3.version, "confirm": "1"}
    )
    assert response.status_code == 302
    assert Household.objects.get(pk=h3.pk).merged_into_id == h1.pk


def test_splitting_through_the_page(household_register, officer, client):
    h1 = household_register["h1"]
    spouse = h1.members.get(full_name="Trần Thị Hoa")
    client.force_login(officer)
    response = client.post(
        reverse("households:split", args=[h1.pk]),
        {
            "version": h1.version,
            "members": [spouse.pk],
            "code": "T-001B",
            "head": spouse.pk,
            "village": h1.village_id,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    new = Household.objects.get(code="T-001B")
    html = client.get(reverse("households:detail", args=[new.pk])).content.decode()
    assert "Split off from household T-001" in html
