"""The PostgreSQL pass's migrated template: ``build URL NAME`` or ``drop URL NAME``.

``make test`` builds it while the static checks run (they leave a core idle); pytest-django then creates each
worker's test database as a copy of it (``CREATE DATABASE … TEMPLATE``, under a second) instead of migrating
every worker's database from nothing (~9 s of CPU each). The migrations still run from nothing on
PostgreSQL, once per ``make test``, here. URL is the server's test URL (its database is not used); NAME the
template's. Exit 0 without a template when the server does not answer (``make test-postgres`` says so).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
from pg_available import server_url  # this script's folder is on the path when it runs
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent


def drop(url: str, name: str) -> None:
    with psycopg.connect(server_url(url), autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def build(url: str, name: str) -> int:
    try:
        drop(url, name)
    except psycopg.OperationalError:
        print(f"PostgreSQL not reachable at {url}: no test template")
        return 0
    with psycopg.connect(server_url(url), autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DATABASE_")}
    environment["DATABASE_URL"] = server_url(url, name)
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=environment, check=False
    )
    if done.returncode != 0:
        drop(url, name)
        print(f"The migrations failed on PostgreSQL (template {name}): see above", file=sys.stderr)
        return done.returncode
    print(f"PostgreSQL test template {name}: migrated")
    return 0


if __name__ == "__main__":
    action, url, name = sys.argv[1:4]
    if action == "build":
        sys.exit(build(url, name))
    drop(url, name)
