"""Shared fixtures: the demo tree and personas with different scopes.

- ``officer``: commune officer of Sơn Trung (sees the commune and its 11 villages, edits);
- ``village_head``: village head of Mai Hà (sees Mai Hà only);
- ``other_officer``: commune officer of Sơn Hồng (sees nothing of Sơn Trung);
- ``province_viewer``: Hà Tĩnh province viewer (sees every commune, edits nothing).
"""

from __future__ import annotations

import pytest

from giamngheo.accounts.models import User
from giamngheo.demo.sontrung import COMMUNE_CODE, DEMO_PASSWORD, demo_load
from giamngheo.units.models import Unit


@pytest.fixture
def demo(db) -> Unit:  # type: ignore[no-untyped-def]
    return demo_load()


@pytest.fixture
def password() -> str:
    return DEMO_PASSWORD


@pytest.fixture
def officer(demo) -> User:  # type: ignore[no-untyped-def]
    return User.objects.select_related("unit").get(username="canbo.sontrung")


@pytest.fixture
def village_head(demo) -> User:  # type: ignore[no-untyped-def]
    return User.objects.select_related("unit").get(username="truongthon.maiha")


@pytest.fixture
def other_officer(demo) -> User:  # type: ignore[no-untyped-def]
    return User.objects.select_related("unit").get(username="canbo.sonhong")


@pytest.fixture
def province_viewer(demo) -> User:  # type: ignore[no-untyped-def]
    return User.objects.select_related("unit").get(username="tinh.hatinh")


@pytest.fixture
def son_trung(demo) -> Unit:  # type: ignore[no-untyped-def]
    return Unit.objects.get(code=COMMUNE_CODE)
