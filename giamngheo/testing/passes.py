"""Which tests run in which pass of ``make test``.

``make test`` runs the suite twice, on SQLite and then on PostgreSQL. A test that touches no test database
gives the same result in both, so it runs in the first pass only (about 500 tests, ~20 s of the PostgreSQL
pass's wall time). ``make test`` says which pass is running with ``GIAMNGHEO_TEST_PASS`` (``first`` or
``second``); without it (``make test-sqlite`` or ``make test-postgres`` alone, a plain ``pytest``) every
test runs.

A test runs in the first pass only when both hold:

- it cannot reach the test database: no ``django_db`` mark and no fixture that needs the database
  (pytest-django's ``django_db_setup`` is not among its fixtures: ``db``, ``transactional_db``,
  ``live_server``, the personas and registers all need it). pytest-django refuses any query from such a
  test, so it cannot depend on what the database holds;
- its module never names a database (``vendor``, ``connection``, ``DATABASES``, ``DATABASE_URL``,
  ``postgres``, ``sqlite``, ``initdb``, ``pg_dump``): a test that reads the database's settings or vendor,
  or starts a PostgreSQL server of its own, runs in both passes.

So that no test runs nowhere, a first-pass-only test that is skipped in the first pass fails instead.
"""

from __future__ import annotations

import os
import re
from collections.abc import Generator
from functools import cache
from pathlib import Path

import pytest

TEST_RUN_VARIABLE = "GIAMNGHEO_TEST_PASS"  # the environment variable make test sets
NAMES_A_DATABASE = re.compile(
    r"vendor|connection|DATABASES|DATABASE_URL|postgres|sqlite|initdb|pg_dump", re.IGNORECASE
)


def current_pass() -> str:
    """``first``, ``second`` or ``""`` (not run by ``make test``: every test runs)."""
    value = os.environ.get(TEST_RUN_VARIABLE, "")
    if value not in ("", "first", "second"):
        raise pytest.UsageError(f"{TEST_RUN_VARIABLE} must be 'first', 'second' or unset, not {value!r}")
    return value


@cache
def _names_a_database(module: Path) -> bool:
    return bool(NAMES_A_DATABASE.search(module.read_text(encoding="utf-8")))


def first_pass_only(item: pytest.Item) -> bool:
    """Whether the test gives the same result whatever the test database (see the module's docstring)."""
    if item.get_closest_marker("django_db") is not None:
        return False
    if "django_db_setup" in getattr(item, "fixturenames", ()):
        return False
    return not _names_a_database(Path(str(item.path)))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if current_pass() != "second":
        return
    kept: list[pytest.Item] = []
    ran_before: list[pytest.Item] = []
    for item in items:
        (ran_before if first_pass_only(item) else kept).append(item)
    if ran_before:
        config.hook.pytest_deselected(items=ran_before)
        items[:] = kept


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    xfail = hasattr(report, "wasxfail")  # an expected failure is reported as a skip: not one here
    if report.skipped and not xfail and current_pass() == "first" and first_pass_only(item):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid} touches no test database, so it runs in the first pass of make test only, "
            f"but it was skipped there ({reason}): it would run in no pass. If it needs a particular "
            "database, name it in its module (e.g. connection.vendor) so that it runs in both passes."
        )
    return report
