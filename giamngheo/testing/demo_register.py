"""The full demo register and plan, shared by the tests of several apps.

Loading the register (1,545 households, ~5,600 members, two decided reviews, with history rows) takes a few
seconds, so it is loaded **once per test package** inside an outer transaction that is rolled back when the
package's last test has run; each test then runs in a savepoint inside it (pytest-django's ``db``), as
Django's ``TestCase.setUpTestData`` does. Tests must not use ``transactional_db`` while it is active.

Package scope means the package of the ``conftest.py`` that imports the fixtures (a fixture of a plugin would
live for the whole session), so a tests package that needs the register says so in its ``conftest.py``::

    from giamngheo.testing.demo_register import demo_register, register_loaded  # noqa: F401

- ``demo_register``: the Sơn Trung commune, with the register, the decided end-2022 and end-2023 reviews
  and the 2023 plan with the seed's targets (plus the personas, ``giamngheo.testing.personas``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from giamngheo.demo.sontrung import demo_load
from giamngheo.units.models import Unit


@pytest.fixture(scope="package")
def register_loaded(django_db_setup, django_db_blocker) -> Iterator[int]:  # type: ignore[no-untyped-def]
    django_db_blocker.unblock()
    try:
        outer = transaction.atomic()
        outer.__enter__()
        commune = demo_load(with_register=True)
    finally:
        django_db_blocker.restore()
    yield commune.pk
    django_db_blocker.unblock()
    try:
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    finally:
        django_db_blocker.restore()


@pytest.fixture
def demo_register(register_loaded, demo) -> Unit:  # type: ignore[no-untyped-def]
    return Unit.objects.select_related("level").get(pk=register_loaded)
