"""HTTP protections that hold for every page: session limits, no caching of personal data, CSV encoding.

- A session ends after SESSION_IDLE_SECONDS without a request, and SESSION_MAX_SECONDS after it began
  (one working day), whatever the activity.
- Every answer to a logged-in user (pages, fragments, downloads) is `Cache-Control: no-store`: nothing with
  personal data stays in a shared computer's browser cache or a proxy.
- A CSV is sent as UTF-8 with a byte-order mark and says so, so Excel opens Vietnamese names correctly.
- An HTML document sent as a file (a printable plan) carries its own styles; its policy allows inline styles
  and nothing else (no script at all), instead of the pages' `'self'`-only policy.
"""

from __future__ import annotations

import codecs
import time
from collections.abc import Callable, Iterable, Iterator

from csp.constants import NONE, UNSAFE_INLINE
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

SESSION_STARTED = "giamngheo_session_started"
SESSION_SEEN = "giamngheo_session_seen"
# The last-seen stamp is written at most this often, so reading pages rarely writes the session row.
SEEN_RESOLUTION_SECONDS = 60
BOM = codecs.BOM_UTF8

DOCUMENT_POLICY = {
    "default-src": [NONE],
    "style-src": [UNSAFE_INLINE],
    "font-src": ["data:"],
    "img-src": ["data:"],
}


class SessionLimitMiddleware:
    """After AuthenticationMiddleware: log out a session that was idle too long or began too long ago."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session, now = request.session, int(time.time())
        started = session.get(SESSION_STARTED)
        seen = session.get(SESSION_SEEN)
        if started is None or seen is None:
            session[SESSION_STARTED] = session[SESSION_SEEN] = now
            return
        if now - seen > settings.SESSION_IDLE_SECONDS or now - started > settings.SESSION_MAX_SECONDS:
            logout(request)
            messages.info(request, _("Your session has ended. Please log in again."))
            return
        if now - seen >= SEEN_RESOLUTION_SECONDS:
            session[SESSION_SEEN] = now


def session_stamp_at_login(sender, request: HttpRequest, user, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """``user_logged_in``: start the session's clock when the login writes the session anyway, so the first
    page after it does not write the session row again (every login path, ``force_login`` included)."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_STARTED] = request.session[SESSION_SEEN] = now


class PrivateResponseMiddleware:
    """Below the CSP middleware: marks answers private and fixes CSV encoding before the headers go out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/csv"):
            csv_with_bom(response)
        elif content_type.startswith("text/html") and response.get("Content-Disposition"):
            response._csp_config = DOCUMENT_POLICY  # type: ignore[attr-defined]
        return response


def csv_with_bom(response: HttpResponse) -> None:
    response["Content-Type"] = "text/csv; charset=utf-8"
    if response.streaming:
        response.streaming_content = _bom_first(response.streaming_content)  # type: ignore[attr-defined]
        # The length may grow by the mark; a streamed answer needs none.
        if response.has_header("Content-Length"):
            del response["Content-Length"]
        return
    if not response.content.startswith(BOM):
        response.content = BOM + response.content
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))


def _bom_first(chunks: Iterable[bytes]) -> Iterator[bytes]:
    first = True
    for chunk in chunks:
        if first and chunk:
            first = False
            if not chunk.startswith(BOM):
                yield BOM
        yield chunk
    if first:
        yield BOM
