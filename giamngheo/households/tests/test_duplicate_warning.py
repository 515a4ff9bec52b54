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
