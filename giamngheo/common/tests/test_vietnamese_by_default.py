"""Vietnamese whatever the browser's language; English only when chosen, and remembered. Dates typed and shown
as dd/mm/yyyy; the browser's own validation messages replaced by the app's, in the page's language."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from giamngheo.common.dates import date_field
from giamngheo.households.services import household_create, member_add
from giamngheo.units.models import Unit

pytestmark = pytest.mark.django_db


def test_an_english_browser_gets_the_login_page_in_vietnamese(client):
    html = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html


def test_an_officer_with_an_english_browser_sees_vietnamese_pages(officer, client):
    client.force_login(officer)
    response = client.get(reverse("dashboard:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="vi">' in response.content.decode()
    assert "Accept-Language" not in response.headers.get("Vary", "")


def test_english_chosen_with_the_switch_is_remembered_for_a_year_whatever_the_browser_says(officer, client):
    client.force_login(officer)
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/"}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) >= 365 * 24 * 60 * 60
    html = client.get(reverse("households:list"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<html lang="en">' in html
    client.post(reverse("set_language"), {"language": "vi", "next": "/"}, HTTP_ACCEPT_LANGUAGE="en")
    assert (
        '<html lang="vi">'
        in client.get(reverse("households:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_a_language_the_site_does_not_have_falls_back_to_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="vi">' in client.get(reverse("accounts:login")).content.decode()


class _DatedForm(forms.Form):
    day = date_field(label="day")


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("typed", ["14/12/2023", "14/12/2023 ", "2023-12-14", "4/1/2023"])
def test_a_date_is_read_as_day_month_year_or_iso_in_both_languages(language, typed):
    with translation.override(language):
        form = _DatedForm(data={"day": typed})
        assert form.is_valid(), form.errors
    expected = datetime.date(2023, 1, 4) if typed == "4/1/2023" else datetime.date(2023, 12, 14)
    assert form.cleaned_data["day"] == expected


def test_a_month_first_date_is_refused_with_the_format_to_use():
    form = _DatedForm(data={"day": "12/14/2023"})
    assert not form.is_valid()
    assert form.errors["day"] == ["Nhập ngày theo dạng dd/mm/yyyy, ví dụ 14/12/2023."]


def test_a_date_field_is_a_dd_mm_yyyy_text_input_not_the_browsers_date_input():
    html = str(_DatedForm(initial={"day": datetime.date(2023, 12, 4)})["day"])
    assert 'type="text"' in html and 'type="date"' not in html
    assert 'value="04/12/2023"' in html
    assert 'placeholder="dd/mm/yyyy"' in html and "pattern=" in html


def test_the_member_form_shows_the_birth_date_as_dd_mm_yyyy_in_english_too(officer, client):
    household = household_create(
        actor=officer, village=Unit.objects.get(code="18133-01"), code="T-1", head_name="A", size=1
    )
    member = member_add(
        actor=officer,
        household=household,
        full_name="A",
        relation="head",
        birth_date=datetime.date(1980, 3, 2),
    )
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("households:member_edit", args=[member.pk])).content.decode()
    assert 'type="date"' not in html
    assert 'value="02/03/1980"' in html


def test_every_page_carries_the_apps_own_validation_messages_in_its_language(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'data-msg-file="Vui lòng chọn tệp."' in html
    assert "js/forms.js" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert 'data-msg-file="Please choose a file."' in client.get(reverse("accounts:login")).content.decode()
