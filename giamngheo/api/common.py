"""What every endpoint module shares: the documented answers, the acting user, pages."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Schema

from giamngheo.accounts.models import User
from giamngheo.api.cursors import DEFAULT_LIMIT, ID_MAX, MAX_LIMIT
from giamngheo.api.errors import ERROR_CODES, ErrorOut

# Ids are 64-bit (BigAutoField); a larger number would overflow the database driver, so it is refused early.
Id = Annotated[int, Field(ge=1, le=ID_MAX)]
Year = Annotated[int, Field(ge=1900, le=2200)]

Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="rows per page (1–200)")
Cursor = Query(None, max_length=500, description="the previous page's next_cursor")


def answers(ok: Any, *, status: int = 200, more: tuple[int, ...] = ()) -> dict[Any, Any]:
    """The response map of an operation: its success and every error it can answer (all documented)."""
    errors: dict[int | frozenset[int], Any] = {frozenset(ERROR_CODES | set(more)): ErrorOut}
    return errors if ok is None else {status: ok, **errors}


def acting(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]  # ninja sets it on the request; HttpRequest has no such field


class Page(Schema):
    next_cursor: str | None = None
