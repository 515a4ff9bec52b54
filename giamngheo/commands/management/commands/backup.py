"""``giamngheo backup [--output FILE]`` and ``giamngheo restore FILE`` (``restore.py`` names the second).

- SQLite (the default, `make run`): Python's ``sqlite3`` online backup API copies the live database page by
  page while the server keeps running, into one file that SQLite itself can open.
- PostgreSQL (``DATABASE_URL``): ``pg_dump --format=custom``; ``pg_restore`` brings it back in one
  transaction.

The backup is checked before it is put in place (``PRAGMA integrity_check`` / ``pg_restore --list``) and is
readable by its owner only: it holds personal data. ``restore`` recognises the file by its first bytes and
refuses — exit status 2, a message naming the file and the fix, never a traceback — a file that is not a
giamngheo backup or that belongs to the other kind of database. Exit 0 done, 2 bad input, 1 anything else.
"""

from __future__ import annotations

import datetime
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

EXIT_BAD_INPUT = 2
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class BadInput(Exception):
    """A wrong file or usage: exit 2 with this message."""


class SafeCommand(BaseCommand):
    """Exit 2 with the message on bad input, 1 with a one-line message on anything else (no traceback)."""

    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            return super().execute(*args, **options)
        except BadInput as error:
            raise CommandError(str(error), returncode=EXIT_BAD_INPUT) from error
        except CommandError:
            raise
        except Exception as error:  # noqa: BLE001 - never a stack trace to an administrator
            if options.get("traceback"):
                raise
            raise CommandError(
                f"Lỗi không mong đợi / unexpected error: {type(error).__name__}: {error}", returncode=1
            ) from error


def database() -> dict[str, Any]:
    return connections[DEFAULT_DB_ALIAS].settings_dict


def is_sqlite() -> bool:
    return database()["ENGINE"] == "django.db.backends.sqlite3"


def default_output() -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if is_sqlite() else "pgdump"
    return Path(settings.DATA_DIR) / "backups" / f"giamngheo-{stamp}.{suffix}"


def pg_environment() -> dict[str, str]:
    """libpq's variables for the configured database: the password never shows in a process list."""
    db = database()
    values = {
        "PGDATABASE": db["NAME"],
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGHOST": db.get("HOST"),
        "PGPORT": str(db.get("PORT") or ""),
    }
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        values["PGSSLMODE"] = sslmode
    return {**os.environ, **{key: str(value) for key, value in values.items() if value}}


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BadInput(
            f"Không tìm thấy {name}: cài gói postgresql-client cùng phiên bản với máy chủ. / "
            f"{name} not found: install postgresql-client of the server's version "
            "(apt-get install postgresql-client)."
        )
    return path


def run_tool(command: list[str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, env=pg_environment(), capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(
            f"{Path(command[0]).name} thất bại / failed: {result.stderr.strip()}", returncode=1
        )
    return result


def kind_of(path: Path) -> str:
    """'sqlite' or 'postgresql' by the file's first bytes; BadInput naming the file otherwise."""
    if not path.is_file():
        raise BadInput(
            f"{path}: không tìm thấy tệp sao lưu — kiểm tra đường dẫn. / "
            f"{path}: no such backup file — check the path "
            f"(backups are in {Path(settings.DATA_DIR) / 'backups'})."
        )
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    raise BadInput(
        f"{path}: không phải tệp sao lưu giamngheo (cần tệp do `giamngheo backup` tạo ra). / "
        f"{path} is not a giamngheo backup: choose a file written by `giamngheo backup` "
        "(a SQLite database or a pg_dump custom-format archive)."
    )


def sqlite_backup_check(path: Path) -> None:
    """The file opens, is intact and holds a giamngheo database (it has Django's migration table)."""
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (status,) = source.execute("PRAGMA integrity_check").fetchone()
            tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            source.close()
    except sqlite3.DatabaseError as error:
        raise BadInput(
            f"{path}: tệp sao lưu bị hỏng ({error}); dùng một bản sao lưu khác. / "
            f"{path} is damaged ({error}): use another backup."
        ) from error
    if status != "ok" or "django_migrations" not in tables:
        raise BadInput(
            f"{path}: không phải cơ sở dữ liệu giamngheo còn nguyên vẹn; dùng một bản sao lưu khác. / "
            f"{path} is not an intact giamngheo database: use another backup."
        )


def sqlite_backup(output: Path) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    connection.ensure_connection()
    draft = output.with_name(f".{output.name}.partial")
    target = sqlite3.connect(draft)
    try:
        connection.connection.backup(target)  # the online backup API: the server keeps running
        # One self-contained file: no -wal/-shm companions beside it (the live database is in WAL mode).
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
    sqlite_backup_check(draft)
    os.chmod(draft, 0o600)
    os.replace(draft, output)


def pg_backup(output: Path) -> None:
    draft = output.with_name(f".{output.name}.partial")
    run_tool([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={draft}"])
    os.chmod(draft, 0o600)
    run_tool([pg_tool("pg_restore"), "--list", str(draft)])  # the archive reads back
    os.replace(draft, output)


def sqlite_restore(path: Path) -> None:
    sqlite_backup_check(path)
    connections[DEFAULT_DB_ALIAS].close()
    target_path = Path(database()["NAME"])
    target_path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    target = sqlite3.connect(target_path, timeout=20)
    try:
        source.backup(target)
    except sqlite3.OperationalError as error:
        raise BadInput(
            f"{target_path}: cơ sở dữ liệu đang bận ({error}); dừng máy chủ (`make run`) rồi chạy lại. / "
            f"{target_path} is busy ({error}): stop the server (`make run`) and run restore again."
        ) from error
    finally:
        target.close()
        source.close()


def pg_restore(path: Path) -> None:
    run_tool([pg_tool("pg_restore"), "--list", str(path)])
    run_tool(
        [
            pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--dbname={database()['NAME']}",
            str(path),
        ]
    )


class Command(SafeCommand):
    help = "Sao lưu cơ sở dữ liệu vào một tệp / back the database up into one file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="the backup file (default: data/backups/giamngheo-…)")

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"] or default_output()
        if output.is_dir():
            raise BadInput(
                f"{output}: là một thư mục; hãy ghi tên tệp. / {output} is a folder: give a file name."
            )
        output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        (sqlite_backup if is_sqlite() else pg_backup)(output)
        self.stdout.write(f"Đã sao lưu / backed up: {output} ({output.stat().st_size:,} bytes)")


class RestoreCommand(SafeCommand):
    help = "Khôi phục cơ sở dữ liệu từ tệp sao lưu / restore the database from a backup file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a file written by `giamngheo backup`")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        kind = kind_of(path)
        here = "sqlite" if is_sqlite() else "postgresql"
        if kind != here:
            raise BadInput(
                f"{path}: là bản sao lưu {kind}, nhưng hệ thống đang dùng {here} (DATABASE_URL). / "
                f"{path} is a {kind} backup but this installation uses {here}: restore it with the matching "
                "DATABASE_URL (unset for SQLite), or pick a backup of this database."
            )
        if options["interactive"] and sys.stdin.isatty():
            answer = input(
                f"Ghi đè toàn bộ dữ liệu hiện có bằng {path}? / Replace all current data with {path}? [y/N] "
            )
            if answer.strip().lower() not in {"y", "yes", "c", "có", "co"}:
                raise BadInput("Đã huỷ / cancelled.")
        (sqlite_restore if kind == "sqlite" else pg_restore)(path)
        self.stdout.write(f"Đã khôi phục / restored: {path}")
