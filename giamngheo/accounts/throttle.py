"""Login throttling for every login path (the login page, /admin/login/, anything calling `authenticate`).

django-axes does the bookkeeping (its backend refuses a locked-out client, its middleware answers, its admin
lists the attempts). This handler changes two things in it:

- an attempt is counted *before* the password is checked, in one locked row per (user name, client address):
  fifteen parallel attempts cannot all reach the password check, only the first LOGIN_MAX_FAILURES do;
- every failure, refused ones included, is written to the `giamngheo.security` log.

The user name is keyed as login compares it, and more loosely: NFKC (as Django's login form does, so a
full-width `ｔruongthon` is `truongthon`), trimmed and case-folded. Keying on name *and* address backs off one
person guessing one account from one place, and never locks an office sharing a connection out because of
failures on other names.
"""

from __future__ import annotations

import logging
import unicodedata

from axes.attempts import get_cool_off_threshold
from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog
from axes.signals import user_locked_out
from django.db import router, transaction

security_log = logging.getLogger("giamngheo.security")


def normalise_username(raw: object) -> str:
    return unicodedata.normalize("NFKC", str(raw or "")).strip().casefold()


def throttle_username(request, credentials: dict | None = None) -> str:  # type: ignore[no-untyped-def]
    """AXES_USERNAME_CALLABLE: the key of a login attempt's user name."""
    if credentials and "username" in credentials:
        return normalise_username(credentials["username"])
    data = getattr(request, "POST", None) or {}
    return normalise_username(data.get("username"))


class LoginThrottleHandler(AxesDatabaseHandler):
    def is_allowed(self, request, credentials: dict | None = None) -> bool:  # type: ignore[no-untyped-def]
        if self.is_blacklisted(request, credentials):
            return False
        if self.is_whitelisted(request, credentials):
            return True
        return self._attempt_claim(request, credentials)

    def _attempt_claim(self, request, credentials: dict | None) -> bool:  # type: ignore[no-untyped-def]
        """Count this attempt, or refuse it when the (name, address) pair has used up its tries.

        The row is locked (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's IMMEDIATE transaction holds the write
        lock), so concurrent attempts are counted one after another.
        """
        username = get_client_username(request, credentials)
        limit = get_failure_limit(request, credentials)
        now = request.axes_attempt_time
        with transaction.atomic(using=router.db_for_write(AccessAttempt)):
            attempt, _ = AccessAttempt.objects.select_for_update().get_or_create(
                username=username,
                ip_address=request.axes_ip_address,
                user_agent="",
                defaults={
                    "get_data": "",
                    "post_data": "",
                    "http_accept": request.axes_http_accept,
                    "path_info": request.axes_path_info,
                    "failures_since_start": 0,
                    "attempt_time": now,
                },
            )
            fresh = attempt.attempt_time >= get_cool_off_threshold(request)
            counted = attempt.failures_since_start if fresh else 0
            if counted >= limit:
                return False
            AccessAttempt.objects.filter(pk=attempt.pk).update(
                failures_since_start=counted + 1, attempt_time=now, path_info=request.axes_path_info
            )
        return True

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if request is None:
            security_log.warning(
                "Login failed without a request (user %r)",
                normalise_username((credentials or {}).get("username")),
            )
            return
        username = get_client_username(request, credentials)
        refused = bool(request.axes_locked_out)
        # The attempt was counted when it was claimed; here it only decides the answer and is logged.
        failures = self.get_failures(request, credentials)
        request.axes_failures_since_start = failures
        if refused or failures >= get_failure_limit(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes", request=request, username=username, ip_address=request.axes_ip_address
            )
        security_log.warning(
            "Login failed: user=%r address=%s path=%s failures=%d %s",
            username,
            request.axes_ip_address,
            request.axes_path_info,
            failures,
            "refused (too many failures)" if refused else "wrong user name or password",
        )
        if settings.AXES_ENABLE_ACCESS_FAILURE_LOG:
            AccessFailureLog.objects.create(
                username=username,
                ip_address=request.axes_ip_address,
                user_agent=request.axes_user_agent,
                http_accept=request.axes_http_accept,
                path_info=request.axes_path_info,
                attempt_time=request.axes_attempt_time,
                locked_out=request.axes_locked_out,
            )
            self.remove_out_of_limit_failure_logs(username=username)
