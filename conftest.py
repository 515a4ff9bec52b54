"""The suite's fixtures live in the shared test kit, ``giamngheo.testing`` (see its ``__init__``): one name
per thing across every app. The demo tree and its users are written once, right after the test database is
created (``django_db_setup`` below); each test runs in a transaction rolled back at its end."""

from __future__ import annotations

import pytest

pytest_plugins = [
    "pytester",  # drives inner pytest runs (tests/test_kit_passes.py)
    "giamngheo.testing.session",
    "giamngheo.testing.personas",
    "giamngheo.testing.registers",
    "giamngheo.testing.demo_register",
    "giamngheo.testing.browser",
    "giamngheo.testing.passes",
]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """pytest-django's test database, then the demo tree and its users, committed once for the session."""
    from giamngheo.testing.session import close_stray_connections, session_data_load

    session_data_load(django_db_blocker)
    yield
    close_stray_connections(django_db_blocker)
