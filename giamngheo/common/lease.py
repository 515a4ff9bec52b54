"""A background job's lease: the worker running it says who it is and keeps saying it is alive.

When a job starts, the worker writes ``worker`` (``host:pid``) and ``heartbeat_at`` on it, and a small
thread renews ``heartbeat_at`` every ``HEARTBEAT_SECONDS`` while the job runs. A running job is abandoned —
its worker died (killed, machine restarted) — when its worker was on this machine and that process is gone,
or when its heartbeat is older than ``JOB_LEASE_SECONDS`` (default 600: generous, because on SQLite a
heartbeat cannot be written while the job's own write transaction holds the database; the process check
answers at once on one machine, the usual commune set-up). Pages show such a job as stopped, with "run
again"; nothing is written by reading it.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from giamngheo.errors import InputError

HEARTBEAT_SECONDS = 30
LOGGER = logging.getLogger(__name__)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "JOB_LEASE_SECONDS", 600))


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def abandoned(
    worker: str, heartbeat_at: datetime.datetime | None, now: datetime.datetime | None = None
) -> bool:
    """Whether the worker that holds a running job is gone (see the module's docstring)."""
    if not worker:
        return False  # started before leases existed, or not by a worker
    host, _, pid = worker.rpartition(":")
    if host == socket.gethostname() and pid.isdigit() and _process_gone(int(pid)):
        return True
    return heartbeat_at is None or heartbeat_at < (now or timezone.now()) - lease()


def still_running() -> InputError:
    """The answer to "run again" for a job whose worker is still alive (or that finished)."""
    return InputError.single(
        "việc này không bị dừng giữa chừng",
        "this job did not stop half-way",
        fix_vi="chờ việc chạy xong rồi xem kết quả",
        fix_en="wait for it to finish and look at the result",
    )


class Heartbeat:
    """Renews ``heartbeat_at`` of one job row every ``HEARTBEAT_SECONDS`` from a daemon thread while the
    ``with`` block runs (its own database connection; a beat the database refuses is skipped)."""

    def __init__(self, model: type[Any], pk: int, interval: float = HEARTBEAT_SECONDS) -> None:
        self.model, self.pk, self.interval = model, pk, interval
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"heartbeat-{model.__name__}-{pk}", daemon=True)

    def _run(self) -> None:
        try:
            while not self.stop.wait(self.interval):
                try:
                    self.model.objects.filter(pk=self.pk).update(heartbeat_at=timezone.now())
                except DatabaseError as error:  # e.g. SQLite busy under the job's own write: next time
                    LOGGER.info("heartbeat of %s %s skipped: %s", self.model.__name__, self.pk, error)
        finally:
            connection.close()

    def __enter__(self) -> Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
