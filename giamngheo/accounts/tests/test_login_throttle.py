"""Every login path is throttled per (normalised user name, client address), counted before the password
check."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.accounts.throttle import normalise_username

LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")
WRONG = "sai-mat-khau"


def attempt(client: Client, username: str, password: str, *, path: str = LOGIN, address: str = "127.0.0.1"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_login_is_refused_after_five_failures_even_with_the_right_password(client, demo, password):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        attempt(client, "canbo.sontrung", WRONG)
    response = attempt(client, "canbo.sontrung", password)
    assert response.status_code == 429 and not logged_in(client)
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()


def test_a_successful_login_clears_earlier_failures(client, demo, password):
    attempt(client, "canbo.sontrung", WRONG)
    assert attempt(client, "canbo.sontrung", password).status_code == 302
    assert not AccessAttempt.objects.filter(username="canbo.sontrung").exists()


def test_the_admin_login_is_throttled_like_the_login_page(client, demo, password):
    for _ in range(8):
        attempt(client, "quantri", WRONG, path=ADMIN_LOGIN)
    response = attempt(client, "quantri", password, path=ADMIN_LOGIN)
    assert response.status_code == 429 and not logged_in(client)
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()


def test_failures_on_the_admin_login_count_for_the_login_page_too(client, demo, password):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        attempt(client, "quantri", WRONG, path=ADMIN_LOGIN)
    assert attempt(client, "quantri", password).status_code == 429 and not logged_in(client)


@pytest.mark.parametrize(
    "variant", ["ｔruongthon.hatrang", "ＴＲＵＯＮＧＴＨＯＮ.ＨＡＴＲＡＮＧ", " TruongThon.Hatrang "]
)
def test_a_variant_of_the_user_name_gets_no_fresh_tries(client, demo, password, variant):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        attempt(client, "truongthon.hatrang", WRONG)
    response = attempt(client, variant, WRONG)
    assert response.status_code == 429
    assert AccessAttempt.objects.get().failures_since_start == settings.LOGIN_MAX_FAILURES


def test_the_user_name_key_is_normalised_as_login_does_and_case_folded():
    assert normalise_username("ｔruongthon.hatrang") == "truongthon.hatrang"
    assert normalise_username(" TruongThon.HaTrang ") == "truongthon.hatrang"
    assert normalise_username(None) == ""


def test_an_office_sharing_an_address_is_not_locked_out_by_failures_on_other_names(client, demo, password):
    for number in range(20):
        attempt(client, f"khong.ton.tai.{number}", WRONG, address="10.1.2.3")
    assert attempt(client, "canbo.sontrung", password, address="10.1.2.3").status_code == 302


def test_a_locked_name_can_still_log_in_from_another_client(client, demo, password):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        attempt(client, "canbo.sontrung", WRONG, address="203.0.113.9")
    assert attempt(Client(), "canbo.sontrung", password, address="10.1.2.3").status_code == 302


def test_the_lock_ends_when_the_window_has_passed(client, demo, password):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        attempt(client, "canbo.sontrung", WRONG)
    later = timezone.now() + timezone.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        assert attempt(client, "canbo.sontrung", password).status_code == 302


def test_every_failure_is_logged_refused_ones_too(client, demo, caplog):
    with caplog.at_level(logging.WARNING, logger="giamngheo.security"):
        for _ in range(settings.LOGIN_MAX_FAILURES + 2):
            attempt(client, "ｃanbo.sontrung", WRONG)
    lines = [r.getMessage() for r in caplog.records if r.name == "giamngheo.security"]
    assert len(lines) == settings.LOGIN_MAX_FAILURES + 2
    assert all("'canbo.sontrung'" in line and "127.0.0.1" in line for line in lines)
    assert sum("refused" in line for line in lines) == 2
    assert not any(WRONG in line for line in lines)


@pytest.mark.django_db(transaction=True)
def test_parallel_attempts_are_counted_before_the_password_is_checked():
    """15 attempts at once: only LOGIN_MAX_FAILURES reach the password check, the others are refused."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("the in-memory SQLite test database shares one cache between threads; PostgreSQL runs it")
    User.objects.create_user(username="song.song", password="mat-khau-dung-1")
    answers: list[int] = []
    start = threading.Barrier(15)

    def one_attempt() -> None:
        try:
            start.wait()
            answers.append(attempt(Client(), "song.song", WRONG).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one_attempt) for _ in range(15)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Only LOGIN_MAX_FAILURES attempts reached the password check: that is the property. Which of those five
    # were answered "wrong password" (200) or already "too many" (429) depends on when each answered, after
    # the others' counts were in (the one that reaches the limit is answered 429 too).
    checked = AccessAttempt.objects.get(username="song.song").failures_since_start
    assert checked == settings.LOGIN_MAX_FAILURES
    assert 1 <= answers.count(200) <= settings.LOGIN_MAX_FAILURES - 1
    assert answers.count(429) == 15 - answers.count(200) and len(answers) == 15


def test_the_limit_and_the_window_come_from_the_environment(tmp_path: Path):
    script = "from django.conf import settings as s; print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.seconds)"
    env = {
        **os.environ,
        "LOGIN_MAX_FAILURES": "3",
        "LOGIN_FAILURE_WINDOW_SECONDS": "60",
        "GIAMNGHEO_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.split() == ["3", "60"]


@pytest.mark.django_db(transaction=True)
def test_parallel_correct_logins_of_one_user_all_get_in(settings):
    """A success releases the try it claimed: eight people of one office logging into one account at once
    (or a load test) all get in, though only LOGIN_MAX_FAILURES passwords are checked at a time."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("the in-memory SQLite test database shares one cache between threads; PostgreSQL runs it")
    # The real hasher, so that each check takes long enough for the attempts to overlap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    User.objects.create_user(username="cung.mot.tai.khoan", password="mat-khau-dung-1")
    parallel = settings.LOGIN_MAX_FAILURES + 3
    answers: list[int] = []
    start = threading.Barrier(parallel)

    def one_login() -> None:
        try:
            start.wait()
            answers.append(attempt(Client(), "cung.mot.tai.khoan", "mat-khau-dung-1").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one_login) for _ in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [302] * parallel
    assert not AccessAttempt.objects.filter(username="cung.mot.tai.khoan").exists()
