"""API personas: the demo's users with tokens, and a partner institution of the province."""

from __future__ import annotations

import pytest

from giamngheo.accounts.models import Role, User
from giamngheo.testing.api import bearer


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with every allowance full (the counters live in the cache, not the database)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def partner(demo) -> User:  # type: ignore[no-untyped-def]
    """The demo's Social Policy Bank branch of Hà Tĩnh: looks up the province's people, nothing else."""
    return User.objects.select_related("unit").get(username="nhcsxh.hatinh", role=Role.PARTNER)


@pytest.fixture
def api(client):  # type: ignore[no-untyped-def]
    """``api.get(user, url, **params)`` / ``api.post(user, url, body)`` with the user's own new token."""

    class Caller:
        def get(self, user: User | None, url: str, **params):  # type: ignore[no-untyped-def]
            return client.get(url, params, headers=bearer(user) if user else {})

        def post(self, user: User | None, url: str, body: dict | None = None):  # type: ignore[no-untyped-def]
            return client.post(
                url, body or {}, content_type="application/json", headers=bearer(user) if user else {}
            )

    return Caller()
