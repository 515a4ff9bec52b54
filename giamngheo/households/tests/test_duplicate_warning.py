"""The duplicate warning: same name (accents ignored) and birth date in the commune."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from giamngheo.households.models import Member
from giamngheo.households.selectors import member_possible_duplicates

pytestmark = pytest.mark.django_db


def test_a_namesake_born_the_same_day_in_the_commune_is_a_possible_duplicate(household_register, son_trung):
    found = member_possible_duplicates(
        commune=son_trung, full_name="nguyen van duc", birth_date=datetime.date(1980, 3, 2)
    )
    assert [m.household.code for m in found] == ["T-001"]


def test_another_birth_date_or_another_commune_is_no_duplicate(household_register, son_trung):
    assert (
        member_possible_duplicates(
            commune=son_trung, full_name="Nguyễn Văn Đức", birth_date=datetime.date(1981, 3, 2)
        )
        == []
    )
    h4 = household_register["h4"]
    assert (
        member_possible_duplicates(
            commune=h4.commune, full_name="Nguyễn Văn Đức", birth_date=datetime.date(1980, 3, 2)
        )
        == []
    )


def test_the_form_warns_and_saves_only_after_the_user_confirms(household_register, officer, client):
    client.force_login(officer)
    url = reverse("households:member_add", args=[household_register["h3"].pk])
    data = {"full_name": "Nguyễn Văn Đức", "relation": "other", "birth_date": "1980-03-02", "sex": "male"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "0********123" in response.content.decode()  # the other person, with the ID masked
    assert Member.objects.filter(full_name="Nguyễn Văn Đức").count() == 1
    response = client.post(url, {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert Member.objects.filter(full_name="Nguyễn Văn Đức").count() == 2


def test_the_form_refuses_a_citizen_id_already_registered(household_register, officer, client):
    client.force_login(officer)
    url = reverse("households:member_add", args=[household_register["h3"].pk])
    response = client.post(url, {"full_name": "Ai Đó", "relation": "other", "citizen_id": "042080000123"})
    assert response.status_code == 200
    assert "đã có trong sổ" in response.content.decode()
    assert not Member.objects.filter(full_name="Ai Đó").exists()


def test_a_namesake_in_another_village_is_reported_without_a_name_or_household(household_register, client):
    from giamngheo.accounts.models import User

    ha_trang_head = User.objects.get(username="truongthon.hatrang")  # T-001's Nguyễn Văn Đức is in Mai Hà
    client.force_login(ha_trang_head)
    url = reverse("households:member_add", args=[household_register["h2"].pk])
    data = {"full_name": "Nguyễn Văn Đức", "relation": "other", "birth_date": "1980-03-02", "sex": "male"}
    page = client.post(url, data).content.decode()
    assert "ngoài địa bàn" in page and "Sơn Trung" in page  # whom to ask: the commune above both villages
    for leak in ("T-001", "0********123", "Mai Hà", f"/ho-gia-dinh/{household_register['h1'].pk}/"):
        assert leak not in page
    assert Member.objects.filter(full_name="Nguyễn Văn Đức").count() == 1
    assert client.post(url, {**data, "confirm_duplicate": "on"}).status_code == 302


def test_a_citizen_id_registered_in_another_commune_names_nobody(household_register, other_officer, client):
    client.force_login(other_officer)
    url = reverse("households:member_add", args=[household_register["h4"].pk])
    page = client.post(url, {"full_name": "Ai Đó", "relation": "other", "citizen_id": "042080000123"})
    text = page.content.decode()
    assert page.status_code == 200 and "ngoài địa bàn" in text and "Hà Tĩnh" in text
    for leak in ("Nguyễn Văn Đức", "T-001", "Sơn Trung", "Mai Hà"):
        assert leak not in text.replace("Nguyễn Văn Đức</a>", "")  # h4's own head shows in the breadcrumb
    assert not Member.objects.filter(full_name="Ai Đó").exists()
