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
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):  # type: ignore[no-untyped-def]
    """On PostgreSQL, when ``make test`` built a migrated template (``scripts/pg_test_template.py``, named by
    ``GIAMNGHEO_TEST_TEMPLATE``), each worker's test database is created as a copy of it: Django's ``migrate``
    then finds every migration applied."""
    import os

    from django.conf import settings

    template = os.environ.get("GIAMNGHEO_TEST_TEMPLATE")
    default = settings.DATABASES["default"]
    if template and default["ENGINE"] == "django.db.backends.postgresql":
        default.setdefault("TEST", {})["TEMPLATE"] = template


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """pytest-django's test database, then the demo tree and its users, committed once for the session."""
    from giamngheo.testing.session import close_stray_connections, session_data_load

    session_data_load(django_db_blocker)
    yield
    close_stray_connections(django_db_blocker)
