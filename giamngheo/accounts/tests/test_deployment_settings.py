"""No secret key in the repository: a random one is made once in the data folder; the documented production
settings pass `giamngheo check --deploy`."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import secret_key_from_file

SETTINGS = Path(__file__).resolve().parents[3] / "config" / "settings.py"
GIAMNGHEO = Path(sys.executable).with_name("giamngheo")
# The production environment the README's "Bảo mật / Security" section documents.
PRODUCTION = {
    "DEBUG": "false",
    "SECURE_COOKIES": "true",
    "ALLOWED_HOSTS": "giamngheo.example.vn",
    "CSRF_TRUSTED_ORIGINS": "https://giamngheo.example.vn",
    "BEHIND_HTTPS_PROXY": "true",
}


def run_settings(data_dir: Path, code: str, **env: str) -> str:
    environment = {
        **os.environ,
        "GIAMNGHEO_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **env,
    }
    for name in ("DATABASE_URL", "SECRET_KEY"):
        if name not in env:
            environment.pop(name, None)
    setup = "import django; django.setup(); from django.conf import settings"
    command = [sys.executable, "-c", f"{setup}; {code}"]
    return subprocess.run(command, env=environment, capture_output=True, text=True, check=True).stdout.strip()


def test_no_secret_key_is_written_in_the_repository():
    text = SETTINGS.read_text(encoding="utf-8")
    assert "insecure" not in text and 'env_str("SECRET_KEY", "")' in text


def test_without_secret_key_a_random_key_is_made_once_in_the_data_folder(tmp_path):
    first = run_settings(tmp_path, "print(settings.SECRET_KEY)")
    key_file = tmp_path / "secret_key"
    assert key_file.read_text(encoding="ascii").strip() == first and len(first) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert run_settings(tmp_path, "print(settings.SECRET_KEY)") == first
    assert run_settings(tmp_path / "other", "print(settings.SECRET_KEY)") != first


def test_secret_key_from_the_environment_wins_and_no_file_is_made(tmp_path):
    key = "k" * 60
    assert run_settings(tmp_path, "print(settings.SECRET_KEY)", SECRET_KEY=key) == key
    assert not (tmp_path / "secret_key").exists()


def test_a_damaged_key_file_is_refused_with_the_fix(tmp_path):
    (tmp_path / "secret_key").write_text("short", encoding="ascii")
    with pytest.raises(Exception, match="delete it to make a new one, or set SECRET_KEY"):
        secret_key_from_file(tmp_path / "secret_key")


def test_the_documented_production_settings_pass_the_deployment_check(tmp_path):
    environment = {**os.environ, "GIAMNGHEO_DATA_DIR": str(tmp_path), **PRODUCTION}
    # Not production's: the suite's own (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright).
    for name in ("SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "FAST_PASSWORD_HASHER"):
        environment.pop(name, None)
    result = subprocess.run(
        [str(GIAMNGHEO), "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
