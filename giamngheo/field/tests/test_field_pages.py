"""The installable app: manifest, service worker at the app's scope, pages with no inline script and no
personal data, and a logout that empties the browser's storage."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from giamngheo.field.views import SHELL_STATIC

pytestmark = pytest.mark.django_db


def test_the_manifest_makes_an_installable_app(client):
    answer = client.get(reverse("field:manifest"))
    assert answer["Content-Type"].startswith("application/manifest+json")
    data = answer.json()
    assert data["start_url"] == "/field/" and data["display"] == "standalone" and data["theme_color"]
    assert {icon["sizes"] for icon in data["icons"]} >= {"192x192", "512x512"}
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_service_worker_lists_the_shell_and_is_revalidated(client):
    answer = client.get(reverse("field:sw"))
    assert answer["Content-Type"].startswith("text/javascript")
    assert "no-cache" in answer["Cache-Control"] or "no-store" in answer["Cache-Control"]
    text = answer.content.decode()
    for name in ("field:home", "field:form_a", "field:form_b", "field:outbox"):
        assert f'"{reverse(name)}"' in text
    assert len(SHELL_STATIC) > 5 and all(f"/static/{name}" in text for name in SHELL_STATIC)


@pytest.mark.parametrize("name", ["field:home", "field:form_a", "field:form_b", "field:outbox"])
def test_pages_have_no_inline_script_and_no_user(client, village_head, name):
    client.force_login(village_head)
    html = client.get(reverse(name)).content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    for attrs, _body in scripts:
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
    assert village_head.username not in html and "manifest" in html


def test_logging_out_clears_the_site_data(client, village_head):
    client.force_login(village_head)
    answer = client.post(reverse("accounts:logout"))
    assert answer["Clear-Site-Data"] == '"cache", "storage"'
    assert "Clear-Site-Data" not in client.get(reverse("field:home"))


def test_the_menu_links_the_offline_app_for_users_of_a_unit(client, village_head):
    client.force_login(village_head)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert f'href="{reverse("field:home")}"' in page and "Ứng dụng thực địa ngoại tuyến" in page
