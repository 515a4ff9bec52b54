"""The demo tree and the people who use it (the tree and the users exist from the session's start, see
``giamngheo.testing.session``; these fixtures read them, fresh for each test).

- ``officer``: commune officer of Sơn Trung (sees the commune and its 11 villages, edits);
- ``village_head``: village head of Mai Hà (sees Mai Hà only);
- ``other_officer``: commune officer of Sơn Hồng (sees nothing of Sơn Trung);
- ``province_viewer``: Hà Tĩnh province viewer (sees every commune, edits nothing);
- ``women_user``: mass organisation (Women's Union) of Sơn Trung; ``steering_user``: steering committee of
  Sơn Trung; ``system_admin``: the system administrator (superuser, province level);
- ``chairman``: the chairman of Sơn Trung's People's Committee (issues the decision the officer prepared).
"""

from __future__ import annotations

import pytest

from giamngheo.accounts.models import User
from giamngheo.demo.sontrung import COMMUNE_CODE, DEMO_PASSWORD
from giamngheo.units.models import Unit

MAI_HA = f"{COMMUNE_CODE}-01"
HA_TRANG = f"{COMMUNE_CODE}-02"


def persona(username: str) -> User:
    return User.objects.select_related("unit").get(username=username)


@pytest.fixture
def demo(db) -> Unit:  # type: ignore[no-untyped-def]
    """The demo tree (Hà Tĩnh, Hương Sơn, Sơn Trung and its villages, Sơn Hồng) and its users: Sơn Trung."""
    return Unit.objects.select_related("level").get(code=COMMUNE_CODE)


@pytest.fixture
def password() -> str:
    return DEMO_PASSWORD


@pytest.fixture
def son_trung(demo) -> Unit:  # type: ignore[no-untyped-def]
    return Unit.objects.get(code=COMMUNE_CODE)


@pytest.fixture
def mai_ha(demo) -> Unit:  # type: ignore[no-untyped-def]
    return Unit.objects.select_related("level").get(code=MAI_HA)


@pytest.fixture
def ha_trang(demo) -> Unit:  # type: ignore[no-untyped-def]
    return Unit.objects.select_related("level").get(code=HA_TRANG)


@pytest.fixture
def officer(demo) -> User:  # type: ignore[no-untyped-def]
    return persona("canbo.sontrung")


@pytest.fixture
def village_head(demo) -> User:  # type: ignore[no-untyped-def]
    return persona("truongthon.maiha")


@pytest.fixture
def other_officer(demo) -> User:  # type: ignore[no-untyped-def]
    return persona("canbo.sonhong")


@pytest.fixture
def province_viewer(demo) -> User:  # type: ignore[no-untyped-def]
    return persona("tinh.hatinh")


@pytest.fixture
def women_user(demo) -> User:  # type: ignore[no-untyped-def]
    return persona("hoiphunu.sontrung")


@pytest.fixture
def steering_user(demo) -> User:  # type: ignore[no-untyped-def]
    return persona("bcd.sontrung")


@pytest.fixture
def chairman(demo) -> User:  # type: ignore[no-untyped-def]
    return persona("chutich.sontrung")


@pytest.fixture
def system_admin(demo) -> User:  # type: ignore[no-untyped-def]
    return persona("quantri")


@pytest.fixture
def english_client(client):  # type: ignore[no-untyped-def]
    """The test client asking for English pages: assertions then do not depend on the Vietnamese catalogue
    being compiled."""
    client.cookies["django_language"] = "en"  # chosen with the switch: the browser's language never counts
    return client
