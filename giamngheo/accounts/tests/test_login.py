import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.demo.sontrung import DEMO_LOGINS


@pytest.mark.parametrize("username", [login.username for login in DEMO_LOGINS])
def test_every_demo_login_works(client, demo, password, username):
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:home")
    # A partner institution's home is its API token page (it works through the API only).
    assert client.get(reverse("dashboard:home"), follow=True).status_code == 200


def test_the_login_page_is_in_vietnamese(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="vi">' in page and "Đăng nhập" in page and "Mật khẩu" in page


def test_a_wrong_password_says_so_in_vietnamese(client, demo):
    response = client.post(reverse("accounts:login"), {"username": "canbo.sontrung", "password": "sai"})
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.content.decode()


def test_login_without_the_csrf_token_is_refused(demo, password):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("accounts:login"), {"username": "canbo.sontrung", "password": password})
    assert response.status_code == 403


def test_passwords_are_stored_hashed(officer, password):
    assert officer.password != password and "$" in officer.password


def test_pages_need_a_login(client, db):
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
