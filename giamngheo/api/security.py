"""Who calls — a bearer token (clients, partners) or the browser's session (CSRF on writes) — and how often.

A token acts as its user — the same role and unit scope as on the web, through the same selectors. A partner
institution's user reaches only the partner lookup; every other user reaches everything but it.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.errors import AuthorizationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import BaseThrottle
from ninja.utils import check_csrf

from giamngheo.accounts.models import Role
from giamngheo.api.tokens import token_find

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _check_role(user: Any, partner: bool) -> None:
    if (user.role == Role.PARTNER) != partner:
        raise AuthorizationError()


class BearerToken(HttpBearer):
    def __init__(self, *, partner: bool = False) -> None:
        super().__init__()
        self.partner = partner

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_find(token)
        if found is None:
            return None
        _check_role(found.user, self.partner)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class SessionWithCsrf(APIKeyCookie):
    """The logged-in browser (or the offline app in it). Writes need Django's CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, *, partner: bool = False) -> None:
        super().__init__(csrf=False)
        self.partner = partner

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if "authorization" in request.headers:
            return None  # a client that sent a token is judged by its token alone
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request):
            raise HttpError(403, "CSRF check failed")
        _check_role(user, self.partner)
        return user


STAFF_AUTH = [BearerToken(), SessionWithCsrf()]
PARTNER_AUTH = [BearerToken(partner=True), SessionWithCsrf(partner=True)]


def rate_limit() -> tuple[int, int]:
    """(requests, seconds) from ``settings.API_RATE_LIMIT``, e.g. "120/60"."""
    count, _sep, seconds = str(getattr(settings, "API_RATE_LIMIT", "120/60")).partition("/")
    return int(count), int(seconds or 60)


class PerTokenThrottle(BaseThrottle):
    """A fixed window per token (per user for the session): over the limit, 429 with Retry-After."""

    _local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        limit, seconds = rate_limit()
        token = getattr(request, "api_token", None)
        # The token's random prefix, never its row id: ids come back (a rolled-back test, a restored copy).
        who = f"t{token.prefix}" if token is not None else f"u{getattr(request.user, 'pk', '')}"
        now = time.time()
        window = int(now // seconds)
        key = f"api-rate:{who}:{seconds}:{window}"
        cache.add(key, 0, timeout=seconds + 1)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=seconds + 1)
            used = 1
        self._local.wait = (window + 1) * seconds - now
        return used <= limit

    def wait(self) -> float | None:
        return max(getattr(self._local, "wait", 1.0), 1.0)
