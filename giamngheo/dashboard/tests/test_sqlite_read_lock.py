"""SQLite keeps answering under load: a read-only page never takes the write lock (``aggregate_session``
is a deferred read transaction on SQLite, not ``BEGIN IMMEDIATE``), so a writer holding the lock never
makes a dashboard wait or fail with "database is locked"."""

from __future__ import annotations

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from giamngheo import figures
from giamngheo.units.models import Unit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's locking"),
]


def writer(timeout: float) -> object:
    """A second connection to the same database, waiting at most ``timeout`` seconds for a lock."""
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    other.settings_dict = {
        **other.settings_dict,
        "OPTIONS": {**other.settings_dict["OPTIONS"], "timeout": timeout},
    }
    return other


def test_a_figures_session_leaves_the_write_lock_free(demo):
    other = writer(timeout=0.5)
    try:
        with figures.aggregate_session():
            assert Unit.objects.count() > 0  # the read snapshot is taken
            with other.cursor() as cursor:
                cursor.execute("BEGIN IMMEDIATE")  # "database is locked" if the session held the lock
                cursor.execute("ROLLBACK")
    finally:
        other.close()
    assert not connection.in_atomic_block


def test_the_dashboard_answers_while_a_writer_holds_the_lock(client, demo, officer):
    client.force_login(officer)
    client.get("/")  # the first page stamps the new session (a write, as logging in is)
    other = writer(timeout=0.5)
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN IMMEDIATE")
            try:
                assert client.get("/").status_code == 200
            finally:
                cursor.execute("ROLLBACK")
    finally:
        other.close()
