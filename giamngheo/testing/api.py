"""API helpers for tests: a user's bearer header, the personas every API scope test walks through, and a
Phiếu B upload's body."""

from __future__ import annotations

from typing import Any

from giamngheo.accounts.models import User
from giamngheo.api.tokens import token_create
from giamngheo.reviews.models import RoundHousehold

PERSONAS = ("officer", "village_head", "other_officer", "province_viewer")


def bearer(user: User) -> dict[str, str]:
    """The ``Authorization`` header of a new token of ``user``."""
    return {"Authorization": f"Bearer {token_create(user=user, name='test').secret}"}


def phieu_b_upload(entry: RoundHousehold, key: str = "upload-0001", **extra: Any) -> dict[str, Any]:
    """The body of ``POST /api/surveys`` (or one item of a batch): a Phiếu B of ``entry`` surveyed on
    02/10/2024, from the household's current version, three indicators answered."""
    return {
        "idempotency_key": key,
        "entry_id": entry.pk,
        "household_version": entry.household.version,
        "form": "B",
        "surveyed_on": "2024-10-02",
        "interviewer": "Điều tra viên",
        "income_per_capita": 1_000_000,
        "answers": {"health_insurance": True, "sanitation": True, "telecom": True},
        **extra,
    }
