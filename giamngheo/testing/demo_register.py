"""The full demo register and plan (``demo_register``), shared by the tests of several apps.

Loading the register (1,545 households, ~5,600 members, two decided reviews, the 2023 plan and its year of
supports, with history rows) takes seconds, so it is loaded **once per test session** inside an outer
transaction that is rolled back at the session's end; each test runs in a savepoint inside it (pytest-django's
``db``), as Django's ``TestCase.setUpTestData`` does. The tests that use it run after every other test
(``giamngheo.testing.session`` orders them), so no other test ever sees it.

- ``demo_register``: the Sơn Trung commune, with the register, the decided end-2022 and end-2023 reviews
  and the 2023 plan with the seed's targets (plus the personas, ``giamngheo.testing.personas``).
- ``round_2024``: a 2024 review round opened on it, with every household of the register on its list.
"""

from __future__ import annotations

import pytest

from giamngheo.demo.sontrung import demo_load
from giamngheo.reviews.services import review_round_open, round_households_seed
from giamngheo.testing.session import built_once
from giamngheo.units.models import Unit


def _load() -> int:
    return demo_load(with_register=True).pk


@pytest.fixture(scope="session")
def _demo_register_built(request, django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    yield from built_once(request, django_db_blocker, _load)


@pytest.fixture
def demo_register(_demo_register_built, demo) -> Unit:  # type: ignore[no-untyped-def]
    pk = _load() if _demo_register_built is None else _demo_register_built
    return Unit.objects.select_related("level").get(pk=pk)


@pytest.fixture
def round_2024(demo_register):  # type: ignore[no-untyped-def]
    review_round = review_round_open(commune=demo_register, year=2024)
    round_households_seed(review_round=review_round)
    return review_round
