"""`giamngheo backup` and `giamngheo restore`: a backup restored into a fresh database has every table's rows,
counted and checksummed; a wrong file is refused with exit status 2 and a message naming it."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from giamngheo.demo.sontrung import DEMO_LOGINS, demo_load

GIAMNGHEO = Path(sys.executable).with_name("giamngheo")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backup (online backup API)")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL backup (pg_dump)"
)


def giamngheo(*args: str, database_url: str | None = None, data_dir: Path | None = None):
    environment = {**os.environ}
    environment.pop("DATABASE_URL", None)
    if database_url:
        environment["DATABASE_URL"] = database_url
    if data_dir:
        environment["GIAMNGHEO_DATA_DIR"] = str(data_dir)
    return subprocess.run([str(GIAMNGHEO), *args], env=environment, capture_output=True, text=True)


def sqlite_tables(cursor) -> dict[str, tuple[int, str]]:  # type: ignore[no-untyped-def]
    """Each table's row count and a checksum of its rows in storage order."""
    names = [
        row[0]
        for row in cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
    ]
    summary = {}
    for name in names:
        rows = cursor.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall()  # noqa: S608
        summary[name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return summary


def postgresql_tables(cursor) -> dict[str, tuple[int, str]]:  # type: ignore[no-untyped-def]
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    summary = {}
    for (name,) in cursor.fetchall():
        rows = "md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), ''))"
        cursor.execute(f'SELECT count(*), {rows} FROM "{name}" t')  # noqa: S608
        count, checksum = cursor.fetchone()
        summary[name] = (count, checksum)
    return summary


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_restores_into_a_fresh_database_with_every_row(tmp_path):
    demo_load()
    backup = tmp_path / "sao-luu.sqlite3"
    call_command("backup", "--output", str(backup))
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # personal data: the owner only
    assert [path.name for path in tmp_path.iterdir()] == [backup.name]  # one file, no -wal/-shm beside it
    fresh = tmp_path / "moi" / "giamngheo.sqlite3"
    result = giamngheo(
        "restore", str(backup), "--noinput", database_url=f"sqlite:///{fresh}", data_dir=tmp_path
    )
    assert result.returncode == 0, result.stderr
    # Plain sqlite3 connections on both sides: Django's converts column types on reading.
    name = connection.settings_dict["NAME"]
    source, restored = sqlite3.connect(name, uri=str(name).startswith("file:")), sqlite3.connect(fresh)
    try:
        before, after = sqlite_tables(source.cursor()), sqlite_tables(restored.cursor())
    finally:
        source.close()
        restored.close()
    assert before["accounts_user"][0] == len(DEMO_LOGINS) and before["units_unit"][0] > 10
    assert after == before


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restores_into_a_new_database_with_every_row(tmp_path):
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    demo_load()
    backup = tmp_path / "sao-luu.pgdump"
    call_command("backup", "--output", str(backup))
    assert backup.read_bytes().startswith(b"PGDMP") and stat.S_IMODE(backup.stat().st_mode) == 0o600
    db = connection.settings_dict
    fresh = f"{db['NAME']}_restore"
    server = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{server}/{fresh}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    try:
        result = giamngheo("restore", str(backup), "--noinput", database_url=url, data_dir=tmp_path)
        assert result.returncode == 0, result.stderr
        import psycopg

        with connection.cursor() as cursor:
            before = postgresql_tables(cursor)
        with psycopg.connect(url) as restored, restored.cursor() as cursor:
            after = postgresql_tables(cursor)
        assert before["accounts_user"][0] == len(DEMO_LOGINS) and before["units_unit"][0] > 10
        assert after == before
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


def refusal(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("restore", *args, "--noinput")
    assert caught.value.returncode == 2
    return str(caught.value)


def test_a_file_that_is_not_a_backup_is_refused_with_its_name_and_the_fix(db, tmp_path):
    wrong = tmp_path / "ghi-chu.txt"
    wrong.write_text("không phải bản sao lưu", encoding="utf-8")
    message = refusal(str(wrong))
    assert str(wrong) in message and "giamngheo backup" in message


def test_a_missing_file_is_refused(db, tmp_path):
    assert "no such backup file" in refusal(str(tmp_path / "khong-co.sqlite3"))


@on_sqlite
def test_a_sqlite_database_of_another_program_is_refused(db, tmp_path):
    other = tmp_path / "khac.sqlite3"
    with sqlite3.connect(other) as handle:
        handle.execute("CREATE TABLE notes (text)")
    assert "not an intact giamngheo database" in refusal(str(other))


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_a_truncated_backup_is_refused(tmp_path):
    demo_load()
    backup = tmp_path / "sao-luu.sqlite3"
    call_command("backup", "--output", str(backup))
    cut = tmp_path / "cut.sqlite3"
    cut.write_bytes(backup.read_bytes()[: 64 * 1024])
    message = refusal(str(cut))
    assert str(cut) in message and ("damaged" in message or "not an intact" in message)


@on_sqlite
def test_a_postgresql_backup_on_a_sqlite_installation_is_refused(db, tmp_path):
    archive = tmp_path / "tinh.pgdump"
    archive.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 100)
    message = refusal(str(archive))
    assert "postgresql backup but this installation uses sqlite" in message


def test_the_command_line_refuses_a_wrong_file_with_exit_2_and_no_traceback(tmp_path):
    wrong = tmp_path / "anh.jpg"
    wrong.write_bytes(b"\xff\xd8\xff\xe0 not a backup")
    result = giamngheo(
        "restore",
        str(wrong),
        "--noinput",
        database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}",
        data_dir=tmp_path,
    )
    assert result.returncode == 2 and str(wrong) in result.stderr and "Traceback" not in result.stderr
