"""Opaque cursors: the state of a keyset page (the last id seen, and what the first page learnt), as base64
of a small JSON object. A client passes ``next_cursor`` back unchanged; it never builds one."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from django.db.models import QuerySet

from giamngheo.api.errors import invalid

DEFAULT_LIMIT = 50
ID_MAX = 2**63 - 1
MAX_LIMIT = 200


def encode(state: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(cursor: str | None) -> dict[str, Any]:
    if not cursor:
        return {}
    try:
        state = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        state = None
    after = state.get("a") if isinstance(state, dict) else None
    if not isinstance(after, int) or not 0 <= after <= ID_MAX:
        raise invalid(
            "query.cursor",
            "Con trỏ trang không hợp lệ; dùng đúng giá trị next_cursor của trang trước",
            "Invalid cursor; pass the previous page's next_cursor unchanged",
        )
    return state


def keyset_page(qs: QuerySet[Any], cursor: str | None, limit: int) -> tuple[list[Any], str | None]:
    """One page of ``qs`` in id order after the cursor's id, and the cursor of the next page (None: last)."""
    after = decode(cursor).get("a")
    if after is not None:
        qs = qs.filter(pk__gt=after)
    rows = list(qs.order_by("pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode({"a": rows[-1].pk}) if more else None
