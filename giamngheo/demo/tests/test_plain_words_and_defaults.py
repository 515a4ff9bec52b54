"""The web speaks plainly and starts from sensible defaults (issue 11 G): no command-line words in messages,
year fields on the latest year with data, a dry run first and ticked, pagers that say where you are, no
empty column, no "households below" over an empty result, a lock badge that needs no emoji font."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from giamngheo.households.models import Household, Member, Relation
from giamngheo.reviews.models import ReviewRound, RoundState

pytestmark = pytest.mark.django_db


def page(client, user, url):  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(url)
    return response, response.content.decode()


def test_an_export_of_a_year_without_a_list_says_so_without_command_line_words(
    demo_register, officer, client
):
    client.force_login(officer)
    response = client.post(reverse("imports:export"), {"year": "2019", "format": "csv"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "không có kết quả rà soát năm 2019" in html
    for word in ("--year", "cột/column", "Cách sửa / fix", " / there are no"):
        assert word not in html


def test_the_import_and_export_years_start_on_the_latest_year_with_a_list(demo_register, officer, client):
    _response, html = page(client, officer, reverse("imports:index"))
    years = re.findall(r'name="year" value="(\d+)"', html)
    assert years == ["2023", "2023"]  # the end-2023 list; not this calendar year, which has none


def test_the_dry_run_comes_first_and_is_ticked(demo_register, officer, client):
    _response, html = page(client, officer, reverse("imports:index"))
    dry_run = re.search(r'<input type="checkbox" name="dry_run"[^>]*>', html).group()
    assert "checked" in dry_run
    assert html.index('name="dry_run"') < html.index('name="year"') < html.index('name="draft"')


def test_the_pager_says_which_rows_of_how_many_are_shown(demo_register, officer, client):
    _response, html = page(client, officer, reverse("households:list"))
    assert "1–50 / 1.545" in html
    next_url = re.search(r'<a href="(\?[^"]+)" rel="next">', html).group(1).replace("&amp;", "&")
    assert "s=50" in next_url
    _response, html = page(client, officer, reverse("households:list") + next_url)
    assert "51–100 / 1.545" in html


def test_a_search_shows_the_member_who_matched_under_the_head(demo_register, officer, client):
    member = Member.objects.filter(household__commune=demo_register).exclude(relation=Relation.HEAD).first()
    head = Household.objects.get(pk=member.household_id).head_name
    if head.split()[-1] == member.full_name.split()[-1]:
        pytest.skip("the demo member shares the head's given name")
    _response, html = page(client, officer, reverse("households:list") + f"?q={member.full_name}")
    assert head in html and member.full_name in html


def test_a_citizen_id_search_shows_the_member_it_belongs_to(demo_register, officer, client):
    member = Member.objects.filter(household__commune=demo_register).exclude(relation=Relation.HEAD).first()
    Member.objects.filter(pk=member.pk).update(citizen_id="042199000777")
    _response, html = page(client, officer, reverse("households:list") + "?q=042199000777")
    assert re.search(r'class="hh-match">[^<]*' + re.escape(member.full_name), html)


def test_the_open_a_plan_form_starts_on_the_year_after_the_latest_decided_review(
    demo_register, officer, client
):
    _response, html = page(client, officer, reverse("plans:index") + "?all=1")
    assert re.search(r'name="year" value="2024"', html)  # the end-2023 review is the latest decided


def test_the_categories_column_shows_only_when_a_household_of_the_page_has_a_category(
    demo_register, officer, client
):
    plain = Household.objects.filter(
        commune=demo_register,
        social_protection=False,
        ethnic_minority=False,
        meritorious=False,
        provincial_income_support=False,
    ).first()
    _response, html = page(client, officer, reverse("households:list") + f"?q={plain.code}")
    assert plain.code in html and "<th>Nhóm đối tượng</th>" not in html
    protected = Household.objects.filter(commune=demo_register, social_protection=True).first()
    _response, html = page(client, officer, reverse("households:list") + f"?q={protected.code}")
    assert "<th>Nhóm đối tượng</th>" in html and "hh-badge" in html


def test_a_village_heads_search_that_finds_nobody_does_not_speak_of_households_below(
    demo_register, village_head, client
):
    outside = Household.objects.filter(commune=demo_register).exclude(village=village_head.unit).first()
    _response, html = page(client, village_head, reverse("households:list") + f"?q={outside.head_name}+zzz")
    assert "Không có hộ nào phù hợp" in html or "No household matches" in html
    assert "các hộ dưới đây" not in html


def test_the_locked_badge_is_an_inline_icon_not_an_emoji(demo_register, officer, client):
    decided = ReviewRound.objects.filter(commune=demo_register, state=RoundState.DECIDED).first()
    _response, html = page(client, officer, reverse("reviews:round_detail", args=[decided.pk]))
    badge = re.search(r'<span class="badge locked">(.*?)</span>', html, re.S).group(1)
    assert "🔒" not in html and "<svg" in badge
