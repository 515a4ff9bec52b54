"""API helpers for tests: a user's bearer header, and the personas every API scope test walks through."""

from __future__ import annotations

from giamngheo.accounts.models import User
from giamngheo.api.tokens import token_create

PERSONAS = ("officer", "village_head", "other_officer", "province_viewer")


def bearer(user: User) -> dict[str, str]:
    """The ``Authorization`` header of a new token of ``user``."""
    return {"Authorization": f"Bearer {token_create(user=user, name='test').secret}"}
