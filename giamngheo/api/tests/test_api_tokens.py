"""Tokens: created once and shown once, stored hashed, listed and revoked (command line and own page),
expiring; a token acts as its user."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from giamngheo.api.models import ApiToken
from giamngheo.api.tokens import token_create, token_find


def _create(*args: str) -> str:
    out = io.StringIO()
    call_command("api", "token", "create", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_new_token_alone_on_the_last_line_and_stores_only_its_hash(officer, client):
    output = _create("--user", officer.username, "--days", "30", "--name", "laptop")
    secret = output.strip().splitlines()[-1]
    assert secret.startswith("gn_") and " " not in secret
    token = ApiToken.objects.get(user=officer)
    assert token.name == "laptop"
    assert secret not in str(list(ApiToken.objects.values()))
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    # Both sides in the commune's clock: between 17:00 and 24:00 UTC it is already tomorrow in Vietnam.
    expected = timezone.localdate() + datetime.timedelta(days=30)
    assert timezone.localtime(token.expires_at).date() == expected
    answer = client.get("/api/units", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200


def test_an_unknown_user_or_bad_days_is_a_usage_error_with_exit_status_2(officer):
    with pytest.raises(CommandError) as error:
        _create("--user", "nobody")
    assert error.value.returncode == 2
    with pytest.raises(CommandError) as error:
        _create("--user", officer.username, "--days", "0")
    assert error.value.returncode == 2


def test_tokens_are_listed_and_a_revoked_token_is_refused(officer, client):
    secret = token_create(user=officer, name="phone").secret
    out = io.StringIO()
    call_command("api", "token", "list", "--user", officer.username, stdout=out)
    prefix = secret.split("_")[1]
    assert prefix in out.getvalue() and "active" in out.getvalue()
    assert secret not in out.getvalue()
    call_command("api", "token", "revoke", prefix, stdout=io.StringIO())
    answer = client.get("/api/units", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 401
    assert answer.json()["code"] == "unauthorized"


def test_a_token_expires(officer, client):
    secret = token_create(user=officer, days=1).secret
    assert token_find(secret) is not None
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2)):
        assert token_find(secret) is None
        assert client.get("/api/units", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_a_wrong_secret_with_a_real_prefix_is_refused(officer, client):
    secret = token_create(user=officer).secret
    forged = secret[:-4] + ("aaaa" if not secret.endswith("aaaa") else "bbbb")
    assert client.get("/api/units", headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_a_user_creates_lists_and_revokes_their_own_tokens_on_their_page(officer, village_head, client):
    theirs = token_create(user=village_head).token
    client.force_login(officer)
    page = client.post("/api/trang/ma-truy-cap/", {"name": "script", "days": "7"})
    secret = page.context["new_secret"]
    assert secret in page.content.decode()
    again = client.get("/api/trang/ma-truy-cap/").content.decode()
    assert secret not in again and "script" in again  # shown once
    mine = ApiToken.objects.get(user=officer)
    client.post("/api/trang/ma-truy-cap/", {"revoke": str(mine.pk)})
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    # Another user's token cannot be revoked from this page.
    assert client.post("/api/trang/ma-truy-cap/", {"revoke": str(theirs.pk)}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_the_browser_session_reads_and_its_writes_need_the_csrf_token(officer, client):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(officer)
    assert browser.get("/api/units").status_code == 200
    refused = browser.post("/api/members/1/citizen-id")
    assert refused.status_code == 403 and refused.json()["code"] == "csrf"
    browser.get("/api/trang/ma-truy-cap/")  # sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    accepted = browser.post("/api/members/999999/citizen-id", headers={"X-CSRFToken": token})
    assert accepted.status_code == 404  # past CSRF: no such member


def test_an_administrator_sees_tokens_without_their_secrets_and_revokes_them(officer, client):
    from giamngheo.accounts.models import User

    admin = User.objects.create_superuser(username="root.api", password="x", email="")
    secret = token_create(user=officer, name="cron").secret
    client.force_login(admin)
    listing = client.get("/admin/api/apitoken/").content.decode()
    assert "cron" in listing and secret not in listing
    token = ApiToken.objects.get(user=officer)
    client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(f"/admin/api/apitoken/{token.pk}/change/").status_code == 200
