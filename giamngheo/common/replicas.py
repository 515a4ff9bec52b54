"""Read replicas (issue 15): the pages that only read big figures read them from a PostgreSQL hot standby.

``DATABASE_REPLICA_URL`` (one URL or several, comma-separated) adds the aliases ``replica1``, ``replica2`` …
(``config/settings.py``). Without it nothing here is installed and every read goes to ``default``.

* **Which reads.** A view marked with :func:`reads_from_replica` (reports, the dashboard, exports, the API's
  lists) reads from one healthy replica, chosen once for the whole request; every other view, every write
  (``db_for_write``), ``select_for_update`` and ``get_or_create`` use the primary. Authentication data
  (users, sessions, API tokens, login throttling) is always read from the primary, so a revoked token or a
  disabled account takes effect at once, whatever the page.
* **Read your writes.** After a request that may have written (any method but GET/HEAD/OPTIONS/TRACE on a
  view not marked read-only; a login, a logout or a language switch write only what is read from the
  primary anyway), :class:`ReadYourWritesMiddleware` pins that browser (a cookie) and that user (the cache:
  an API client without cookies; shared between server processes only when ``CACHES`` is) to the primary
  for :func:`pin_seconds`: the lag allowed plus the health answer's age, so any replica used afterwards
  already holds the write.
* **Healthy.** A replica is used when it answers and lags at most ``DATABASE_REPLICA_MAX_LAG`` seconds:
  ``now() - pg_last_xact_replay_timestamp()``, or 0 while its WAL receiver runs and has replayed all it
  received (an idle primary sends nothing, so the last replayed transaction gets old without any lag). The
  answer is kept ``DATABASE_REPLICA_CHECK_SECONDS`` per process.
* **Failure.** When a read-only request fails on a database error while it reads from a replica (the
  replica stopped, restarted, was cut off; an error answer of django-ninja counts too), the view is run again
  on the primary, once, inside the same HTTP request: the user sees the page, a little later. A replica that
  does not answer then is skipped until its next check. Threads a view starts run in a copy of its context,
  so they read from the same replica (the progress report's concurrent figures share its exported
  snapshot). A read-only view may run twice, so it writes nothing the user reads back (an audit row of an
  export may be written twice, never lost).
"""

from __future__ import annotations

import functools
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)

V = TypeVar("V", bound=Callable[..., Any])

PIN_COOKIE = "giamngheo_wrote"
# Read from the primary whatever the page: who is logged in, with which rights, with which token.
PRIMARY_ONLY_APPS = frozenset({"accounts", "auth", "sessions", "api", "axes", "contenttypes"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Posts that write only what is always read from the primary (the session, the last login, the language
# cookie): they pin nothing, so the dashboard a user sees right after logging in still comes from a replica.
UNPINNED_VIEWS = frozenset({"accounts:login", "accounts:logout", "set_language"})

LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN EXISTS (SELECT 1 FROM pg_stat_wal_receiver)
         AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
END
"""


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


def max_lag() -> float:
    return float(getattr(settings, "DATABASE_REPLICA_MAX_LAG", 10))


def check_seconds() -> float:
    return float(getattr(settings, "DATABASE_REPLICA_CHECK_SECONDS", 2))


def pin_seconds() -> float:
    """How long a writer reads from the primary: any replica still in use is at most this far behind."""
    return max_lag() + check_seconds()


# --- health ------------------------------------------------------------------------------------------------


@dataclass
class _Health:
    checked: float  # time.monotonic() of the check
    lag: float | None  # seconds behind the primary; None: did not answer


_health: dict[str, _Health] = {}
_health_lock = threading.Lock()


def replica_lag(alias: str) -> float | None:
    """The replica's lag in seconds, asked now on this thread's connection; None when it does not answer."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            row = cursor.fetchone()
    except DatabaseError as error:
        log.warning("Read replica %s does not answer, reads go to the primary: %s", alias, error)
        _close(alias)
        return None
    return float(row[0]) if row and row[0] is not None else None


def _close(alias: str) -> None:
    with suppress(DatabaseError):  # a broken connection may fail to close; it is dropped either way
        connections[alias].close()


def healthy(alias: str) -> bool:
    """Whether ``alias`` answers and lags at most DATABASE_REPLICA_MAX_LAG (asked at most once per
    DATABASE_REPLICA_CHECK_SECONDS per process)."""
    now = time.monotonic()
    with _health_lock:
        known = _health.get(alias)
    if known is None or now - known.checked >= check_seconds():
        lag = replica_lag(alias)
        if lag is not None and lag > max_lag():
            log.warning("Read replica %s lags %.1f s (more than %.0f s): skipped", alias, lag, max_lag())
        known = _Health(checked=now, lag=lag)
        with _health_lock:
            _health[alias] = known
    return known.lag is not None and known.lag <= max_lag()


def mark_down(alias: str) -> None:
    """Skip ``alias`` until its next check (it failed in the middle of a request)."""
    with _health_lock:
        _health[alias] = _Health(checked=time.monotonic(), lag=None)
    _close(alias)


def choose_replica() -> str:
    """A healthy replica (at random among several), else the primary."""
    candidates = replica_aliases()
    random.shuffle(candidates)
    for alias in candidates:
        if healthy(alias):
            return alias
    return DEFAULT_DB_ALIAS


# --- the read-only request ---------------------------------------------------------------------------------


@dataclass
class _Reading:
    pinned: bool  # this user wrote a moment ago: the primary
    alias: str | None = None  # chosen at the first read

    def alias_for_read(self) -> str:
        if self.alias is None:
            self.alias = DEFAULT_DB_ALIAS if self.pinned else choose_replica()
        return self.alias

    @property
    def on_replica(self) -> bool:
        return self.alias is not None and self.alias != DEFAULT_DB_ALIAS


_reading: ContextVar[_Reading | None] = ContextVar("giamngheo_replica_reading", default=None)


def _pinned(request: HttpRequest) -> bool:
    now = time.time()
    try:
        wrote = float(request.COOKIES.get(PIN_COOKIE, ""))
    except ValueError:
        wrote = None
    # A cookie from the future is ignored, so a hand-made one cannot pin a browser to the primary forever.
    if wrote is not None and 0 <= now - wrote < pin_seconds():
        return True
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        wrote = cache.get(_pin_key(user.pk))
        return wrote is not None and 0 <= now - float(wrote) < pin_seconds()
    return False


def _pin_key(user_pk: object) -> str:
    return f"replica-pin:{user_pk}"


@contextmanager
def _read_only(request: HttpRequest) -> Iterator[_Reading]:
    state = _Reading(pinned=_pinned(request))
    token = _reading.set(state)
    try:
        yield state
    finally:
        _reading.reset(token)


def reads_from_replica(view: V) -> V:
    """Mark a view that only reads (a report, the dashboard, an export, an API list): its reads go to a
    healthy replica. Place it under ``login_required``; on a django-ninja operation use
    ``ninja.decorators.decorate_view(reads_from_replica)`` under the ``@router.get``."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        request.reads_from_replica = True  # type: ignore[attr-defined]
        if not replica_aliases():
            return view(request, *args, **kwargs)
        try:
            with _read_only(request) as state:
                response = view(request, *args, **kwargs)
        except DatabaseError:
            # Raised while reading from a replica, here or in a thread the view started (a connection cut, or
            # a snapshot that died with it): read again from the primary. Were it the primary's own error,
            # the run below fails the same way and the error is shown.
            if not state.on_replica:
                raise
        else:
            # django-ninja turns an exception into an error response before this decorator sees it.
            if not (state.on_replica and response.status_code >= 500):
                return response
        alias = str(state.alias)
        if replica_lag(alias) is None:  # asked again now: the replica is down, skip it until its next check
            mark_down(alias)
        log.warning("Read replica %s failed during %s; read again from the primary", alias, request.path)
        return view(request, *args, **kwargs)  # outside the read-only context: the primary

    return wrapped  # type: ignore[return-value]


def read_alias() -> str:
    """The alias this thread's reads go to: a replica inside a read-only request, else the primary. (A thread
    a view starts runs in ``contextvars.copy_context()`` to read from the same one.)"""
    state = _reading.get()
    return state.alias_for_read() if state is not None else DEFAULT_DB_ALIAS


class ReplicaRouter:
    """Reads of a read-only request to its replica; everything else to the primary (``default``)."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        state = _reading.get()
        if state is None:
            # The primary, explicitly: Django would otherwise follow an object read from a replica earlier
            # (a unit cached on ``request.user``) and read its related rows there too.
            return DEFAULT_DB_ALIAS
        if model._meta.app_label in PRIMARY_ONLY_APPS:  # type: ignore[attr-defined]
            return DEFAULT_DB_ALIAS
        return state.alias_for_read()

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # a replica holds the primary's rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


class ReadYourWritesMiddleware:
    """After a request that may have written, this browser (cookie) and this user (cache) read from the
    primary for ``pin_seconds()``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method in SAFE_METHODS or getattr(request, "reads_from_replica", False):
            return response
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in UNPINNED_VIEWS:
            return response
        now = time.time()
        seconds = pin_seconds()
        response.set_cookie(
            PIN_COOKIE,
            f"{now:.3f}",
            max_age=int(seconds) + 1,
            httponly=True,
            samesite="Lax",
            secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
        )
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            cache.set(_pin_key(user.pk), now, timeout=int(seconds) + 1)
        return response
