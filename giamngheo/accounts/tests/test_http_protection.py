"""HTTP protections: a self-only Content-Security-Policy, HSTS behind HTTPS, no caching of logged-in answers,
sessions of at most one working day with an idle timeout, CSV sent as UTF-8 with a byte-order mark."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import time_machine
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from giamngheo.imports.household_list import households_import
from giamngheo.testing.files import commune_workbook

HOME = reverse("dashboard:home")
LOGIN = reverse("accounts:login")


def test_pages_allow_scripts_styles_and_fonts_from_this_server_only(client, officer):
    client.force_login(officer)
    policy = dict(
        part.strip().split(" ", 1) for part in client.get(HOME)["Content-Security-Policy"].split(";")
    )
    for directive in ("default-src", "script-src", "style-src", "img-src", "font-src", "connect-src"):
        assert policy[directive] == "'self'", directive
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert "unsafe" not in client.get(LOGIN)["Content-Security-Policy"]


def test_the_pages_have_no_inline_script_or_style_the_policy_would_block(client, officer):
    client.force_login(officer)
    for url in (HOME, reverse("households:list"), reverse("imports:index"), LOGIN):
        html = client.get(url).content.decode()
        assert "<script>" not in html and "<style" not in html and ' style="' not in html, url
        assert " onchange=" not in html and "hx-on" not in html, url


TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Documents rendered to PDF or sent as a file carry their own styles (PrivateResponseMiddleware's policy).
DOCUMENTS = (
    "reviews/pdf/",
    "reports/print_base.html",
    "reports/plan_print.html",
    "reports/progress_print.html",
    "reports/targets_print.html",
    "reports/_targets_table_print.html",
)
INLINE = re.compile(
    r"<script(?![^>]*\b(src|type=\"application/json\")=)[^>]*>|<style|\sstyle=\"|\son[a-z]+=\"|hx-on"
)


def test_no_page_template_has_inline_script_style_or_handler():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name.startswith(DOCUMENTS):
            continue
        offenders += [f"{name}: {m.group(0)}" for m in INLINE.finditer(path.read_text(encoding="utf-8"))]
    assert not offenders, offenders


def test_hsts_only_when_served_over_https(client, db):
    assert "Strict-Transport-Security" not in client.get(LOGIN, secure=True)
    with override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True):
        header = Client().get(LOGIN, secure=True)["Strict-Transport-Security"]
    assert header.startswith("max-age=31536000") and "includeSubDomains" in header


def test_secure_cookies_bring_hsts_for_a_year(monkeypatch):
    import importlib

    import config.settings as module

    monkeypatch.setenv("SECURE_COOKIES", "1")
    try:
        fresh = importlib.reload(module)
        assert fresh.SECURE_HSTS_SECONDS == 365 * 24 * 3600 and fresh.SESSION_COOKIE_SECURE
        assert fresh.SECURE_SSL_REDIRECT and fresh.CSRF_COOKIE_SECURE
    finally:
        monkeypatch.delenv("SECURE_COOKIES")
        importlib.reload(module)


def test_logged_in_pages_are_never_stored_by_a_browser_or_proxy(client, officer):
    client.force_login(officer)
    for url in (HOME, reverse("households:list")):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_a_download_with_personal_data_is_never_stored_and_a_csv_has_a_bom_and_a_charset(
    client, officer, tmp_path
):
    households_import(path=commune_workbook(tmp_path / "l.xlsx"), year=2024)
    client.force_login(officer)
    response = client.post(reverse("imports:export"), {"year": 2024, "format": "csv"})  # recorded: a POST
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith(codecs.BOM_UTF8) and not body[3:].startswith(codecs.BOM_UTF8)
    assert "Sơn Trung" in body.decode("utf-8-sig") or "Mai Hà" in body.decode("utf-8-sig")


def test_a_session_ends_after_the_idle_timeout(client, officer):
    client.force_login(officer)
    assert client.get(HOME).status_code == 200
    later = timezone.now() + timezone.timedelta(seconds=settings.SESSION_IDLE_SECONDS + 5)
    with time_machine.travel(later, tick=False):
        response = client.get(HOME)
    assert response.status_code == 302 and LOGIN in response["Location"]


def test_an_active_session_still_ends_after_one_working_day(client, officer):
    client.force_login(officer)
    start = timezone.now()
    step = settings.SESSION_IDLE_SECONDS - 60
    assert settings.SESSION_MAX_SECONDS <= 9 * 3600 and settings.SESSION_COOKIE_AGE <= 9 * 3600
    answers = []
    for elapsed in range(0, settings.SESSION_MAX_SECONDS + step, step):
        with time_machine.travel(start + timezone.timedelta(seconds=elapsed), tick=False):
            answers.append((elapsed, client.get(HOME).status_code))
    assert all(code == 200 for elapsed, code in answers if elapsed <= settings.SESSION_MAX_SECONDS)
    assert answers[-1][1] == 302
