"""Login throttling for every login path (the login page, /admin/login/, anything calling `authenticate`).

django-axes does the bookkeeping (its backend refuses a locked-out client, its middleware answers, its admin
lists the attempts). This handler changes two things in it:

- an attempt is claimed *before* the password is checked, under a lock on the (user name, client address)
  rows: the failures so far plus the attempts being checked right now never exceed LOGIN_MAX_FAILURES, so
  fifteen parallel wrong attempts cannot all reach the password check, only the first LOGIN_MAX_FAILURES do.
  An attempt that would exceed the limit while others are still being checked waits (up to
  ``CLAIM_WAIT_SECONDS``) for them to end: a wrong password turns its claim into a failure, a right one
  releases it (and clears the earlier failures, ``AXES_RESET_ON_SUCCESS``). So twenty parallel *correct*
  logins of one user all get in, a few at a time, and parallel wrong ones are still refused past the limit;
- every failure, refused ones included, is written to the `giamngheo.security` log.

The user name is keyed as login compares it, and more loosely: NFKC (as Django's login form does, so a
full-width `ｔruongthon` is `truongthon`), trimmed and case-folded. Keying on name *and* address backs off one
person guessing one account from one place, and never locks an office sharing a connection out because of
failures on other names.
"""

from __future__ import annotations

import datetime
import logging
import time
import unicodedata

from axes.attempts import get_cool_off_threshold
from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog
from axes.signals import user_locked_out
from django.db import IntegrityError, router, transaction
from django.utils import timezone

security_log = logging.getLogger("giamngheo.security")

# The row of a (user name, address) pair that counts the attempts being checked right now; the pair's row
# with an empty user agent counts its failures. axes sums both (``get_failures``): tries in use.
IN_FLIGHT = "(checking the password / đang kiểm tra mật khẩu)"
# How long an attempt waits for the attempts in flight to end before it is refused.
CLAIM_WAIT_SECONDS = 25.0
CLAIM_POLL_SECONDS = 0.1
# An in-flight count untouched for this long is stale: its requests died between claim and answer.
CLAIM_TTL = datetime.timedelta(seconds=60)


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
        """Claim a try for this attempt, wait for the attempts in flight, or refuse it."""
        key = (get_client_username(request, credentials), request.axes_ip_address)
        limit = get_failure_limit(request, credentials)
        deadline = time.monotonic() + CLAIM_WAIT_SECONDS
        while True:
            verdict = self._claim_once(request, key, limit)
            if verdict is not None:
                if verdict:
                    request.giamngheo_throttle_claim = key
                return verdict
            while time.monotonic() < deadline:  # wait, reading without the lock, until a try is free
                time.sleep(CLAIM_POLL_SECONDS)
                failed, flying = self._tries_in_use(request, key)
                if failed >= limit or failed + flying < limit:  # refused, or a try is free: decide locked
                    break
            else:
                return False

    def _tries_in_use(self, request, key: tuple[str, str]) -> tuple[int, int]:  # type: ignore[no-untyped-def]
        """Failures and attempts in flight, as they stand (no lock: only to know when to claim again)."""
        counts = {IN_FLIGHT: 0, "": 0}
        for row in AccessAttempt.objects.filter(username=key[0], ip_address=key[1], user_agent__in=counts):
            flying = row.user_agent == IN_FLIGHT
            since = timezone.now() - CLAIM_TTL if flying else get_cool_off_threshold(request)
            counts[row.user_agent] = row.failures_since_start if row.attempt_time >= since else 0
        return counts[""], counts[IN_FLIGHT]

    def _rows(self, request, key: tuple[str, str]) -> tuple[AccessAttempt, AccessAttempt, int, int]:  # type: ignore[no-untyped-def]
        """The pair's in-flight and failure rows, locked (in-flight first, always: one lock order), with their
        counts as they stand now (a failure count past the window and a stale in-flight count are 0).

        ``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's IMMEDIATE transaction holds the write lock."""
        rows = []
        for user_agent in (IN_FLIGHT, ""):
            for _ in range(20):  # a row another attempt created, or deleted, meanwhile: read it again
                try:
                    row, _ = AccessAttempt.objects.select_for_update().get_or_create(
                        username=key[0],
                        ip_address=key[1],
                        user_agent=user_agent,
                        defaults={
                            "get_data": "",
                            "post_data": "",
                            "http_accept": request.axes_http_accept,
                            "path_info": request.axes_path_info,
                            "failures_since_start": 0,
                            "attempt_time": request.axes_attempt_time,
                        },
                    )
                    break
                except IntegrityError:
                    continue
            else:
                raise IntegrityError(f"the throttle's row of {key} kept changing")
            rows.append(row)
        in_flight, failures = rows
        flying = in_flight.failures_since_start if in_flight.attempt_time >= timezone.now() - CLAIM_TTL else 0
        failed = (
            failures.failures_since_start if failures.attempt_time >= get_cool_off_threshold(request) else 0
        )
        return in_flight, failures, flying, failed

    def _claim_once(self, request, key: tuple[str, str], limit: int) -> bool | None:  # type: ignore[no-untyped-def]
        """True: claimed (counted in flight); False: refused (the failures reached the limit); None: wait."""
        with transaction.atomic(using=router.db_for_write(AccessAttempt)):
            in_flight, failures, flying, failed = self._rows(request, key)
            if failed >= limit:
                self._drop_idle(in_flight, flying)
                return False
            if failed + flying >= limit:
                return None
            AccessAttempt.objects.filter(pk=in_flight.pk).update(
                failures_since_start=flying + 1, attempt_time=timezone.now(), path_info=request.axes_path_info
            )
        return True

    def _settle(self, request, *, failed: bool) -> int | None:  # type: ignore[no-untyped-def]
        """End this request's claim: a failure is counted, a success is not (and clears the failures). Returns
        the failures of the pair now; None when the request held no claim."""
        key = getattr(request, "giamngheo_throttle_claim", None)
        if key is None:
            return None
        del request.giamngheo_throttle_claim
        with transaction.atomic(using=router.db_for_write(AccessAttempt)):
            in_flight, failures, flying, count = self._rows(request, key)
            flying = max(flying - 1, 0)
            AccessAttempt.objects.filter(pk=in_flight.pk).update(failures_since_start=flying)
            self._drop_idle(in_flight, flying)
            if not failed:
                failures.delete()
                return 0
            count += 1
            AccessAttempt.objects.filter(pk=failures.pk).update(
                failures_since_start=count,
                attempt_time=request.axes_attempt_time,
                path_info=request.axes_path_info,
            )
        return count

    @staticmethod
    def _drop_idle(in_flight: AccessAttempt, flying: int) -> None:
        if flying == 0:
            in_flight.delete()

    def user_logged_in(self, sender, request, user, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self._settle(request, failed=False)
        super().user_logged_in(sender, request, user, **kwargs)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:  # type: ignore[no-untyped-def]
        """On success, the failures go; the count of other attempts still in flight stays."""
        return sum(
            attempts.exclude(user_agent=IN_FLIGHT).delete()[0]
            for attempts in self.filter_user_attempts(request, credentials)
        )

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if request is None:
            security_log.warning(
                "Login failed without a request (user %r)",
                normalise_username((credentials or {}).get("username")),
            )
            return
        username = get_client_username(request, credentials)
        refused = bool(request.axes_locked_out)
        # The attempt claimed its try before the password check; the claim becomes a failure here.
        settled = self._settle(request, failed=True)
        failures = self.get_failures(request, credentials) if settled is None else settled
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
