"""The demo tree and its users, built once per test session.

Right after pytest-django creates the test database (``django_db_setup``, overridden in the root
``conftest.py``), the Sơn Trung demo's units and users (``demo_load()`` without the register) are written and
committed. Every test then runs in a transaction rolled back at its end (pytest-django's ``db``): each test
starts from the same tree and users and never sees another test's writes. Before, each of ~500 tests wrote
the tree and the users again (0.1–1 s each).

A transactional test (``transaction=True``, ``live_server``) commits, and Django empties every table after
it (flush): the hook below writes the tree and the users again, so the next test finds them. Under
pytest-xdist each worker has its own test database, hence its own copy.
"""

from __future__ import annotations

import copy
from collections.abc import Generator

import pytest
from pytest_django.fixtures import validate_django_db
from pytest_django.plugin import blocking_manager_key

_state = {"loaded": False}


def session_data_load(django_db_blocker) -> None:  # type: ignore[no-untyped-def]
    """Write the demo tree and users, committed (idempotent: ``demo_load`` upserts)."""
    from giamngheo.demo.sontrung import demo_load

    with django_db_blocker.unblock():
        demo_load()
    _state["loaded"] = True


def close_stray_connections(django_db_blocker) -> None:  # type: ignore[no-untyped-def]
    """At the session's end, before pytest-django drops the test database: on PostgreSQL, end the other
    sessions still connected to it. The live server answers each request in a thread of its own, and a
    thread's connection stays open after the thread ends (``CONN_MAX_AGE``), so ``DROP DATABASE`` was refused
    ("being accessed by other users") and the test databases were left on the server."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()


def flushes_database(item: pytest.Item) -> bool:
    """Whether pytest-django runs this test as a ``TransactionTestCase`` (which flushes at its end)."""
    names = getattr(item, "fixturenames", ())
    if {"transactional_db", "live_server", "django_db_reset_sequences"} & set(names):
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    transaction, reset_sequences, *_rest = validate_django_db(marker)
    return bool(transaction or reset_sequences)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None]:
    result = yield  # the test's fixtures are torn down: a transactional test's flush has happened
    if _state["loaded"] and flushes_database(item):
        session_data_load(item.config.stash[blocking_manager_key])
    return result


@pytest.fixture(scope="session", autouse=True)
def flush_by_delete() -> Generator[None]:
    """On PostgreSQL, a transactional test's flush empties the tables with ``DELETE`` rather than one
    ``TRUNCATE`` of all ~150 tables: the same empty tables (sequences are not reset either way), but
    ``TRUNCATE`` makes new files for every table and index (~3 s per flush under load, 0.25 s with
    ``DELETE``; ~20 flushes a run). The foreign keys are deferred (Django makes them so), checked at the
    flush's commit, when every table is empty. A flush that resets sequences or cascades is left as Django
    writes it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    operations = type(connection.ops)
    truncate = operations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):  # type: ignore[no-untyped-def]
        if reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
        ]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(operations, "sql_flush", sql_flush)
        yield


@pytest.fixture(autouse=True)
def vietnamese_by_default() -> Generator[None]:
    """Each test starts in Vietnamese, whatever language an earlier test switched to in this thread."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.activate("vi")


# --- Registers built once per module -----------------------------------------------------------------------
#
# A register fixture (``support_register``…) is built once per test module inside an outer transaction that
# is rolled back after the module's last test; each test runs in a savepoint inside it (pytest-django's
# ``db``) and gets its own deep copy of the built objects, as Django's ``TestCase.setUpTestData`` does. So no
# test sees another's writes, and a test of the module that does not ask for the register never sees it:
# the tests that use one run last in their module (the hook below). A transactional test cannot run inside
# a transaction: when it is the first of its module to ask, the register is built for each test instead.

SHARED_REGISTERS = ("support_register", "household_register", "review_register", "son_hong_register")
_open: list[str] = []  # the registers whose outer transaction is open


def built_once(request: pytest.FixtureRequest, django_db_blocker, build):  # type: ignore[no-untyped-def]
    """The body of a module-scoped fixture: ``build()`` in an outer transaction, rolled back at the end;
    None (build per test) when the test that asks first is transactional."""
    from django.db import transaction

    if flushes_database(request._pyfuncitem):
        yield None
        return
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            data = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    name = str(request.fixturename)
    _open.append(name)
    yield data
    _open.remove(name)
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def fresh(built, build):  # type: ignore[no-untyped-def]
    """A test's own copy of what ``built_once`` built (or a new build when it built nothing)."""
    return build() if built is None else copy.deepcopy(built)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if _open and flushes_database(item):
        pytest.fail(
            f"{item.nodeid} is transactional but runs inside the outer transaction of {_open}: "
            "give it a module of its own",
            pytrace=False,
        )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that use the full demo register run last in the session; then, in each run of consecutive
    tests of one module, the tests that use a shared register come last: so the others never see them."""

    def module(item: pytest.Item) -> str:
        return item.nodeid.split("::")[0]

    def uses_register(item: pytest.Item) -> bool:
        return bool(set(SHARED_REGISTERS) & set(getattr(item, "fixturenames", ())))

    def uses_demo_register(item: pytest.Item) -> bool:
        return "demo_register" in getattr(item, "fixturenames", ())

    # The full demo register is loaded once for the session: the tests that use it run after all others.
    items[:] = [i for i in items if not uses_demo_register(i)] + [i for i in items if uses_demo_register(i)]
    ordered: list[pytest.Item] = []
    start = 0
    for end in range(1, len(items) + 1):
        if end == len(items) or module(items[end]) != module(items[start]):
            run = items[start:end]
            ordered += [i for i in run if not uses_register(i)] + [i for i in run if uses_register(i)]
            start = end
    items[:] = ordered
