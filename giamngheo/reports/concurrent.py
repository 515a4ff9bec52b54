"""Running a report's independent figure queries at once (PostgreSQL).

A report's figures are a dozen independent grouped queries (0.1–1.5 s each for a province of 300,000
households). On PostgreSQL, outside a caller's transaction, they run on a few extra connections at once,
each job a read-only transaction that imports the caller's snapshot (``pg_export_snapshot``), so every
figure still sees the same moment. Inside a caller's transaction (tests, a service) the extra connections
could not see its uncommitted rows, and SQLite has one writer and no snapshots: there they run in turn.
Measured in bench/RESULTS-progress.md (province report: 3.9 s in turn → 2.2 s at once, load ≈ 3).
"""

from __future__ import annotations

import contextvars
import functools
import threading
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import connections, transaction

from giamngheo.common.replicas import read_alias

FIGURE_CONNECTIONS = 4
# ``figures.indicator_counts`` makes one query per group of indicators (over members, over households, over
# loan records): asked for one group at a time, each is a job of its own.
INDICATOR_QUERIES = (("health_insurance", "schooling", "jobs"), ("housing",), ("loans",))


def indicator_jobs(**arguments: Any) -> dict[str, Callable[[], Any]]:
    """``figures.indicator_counts(**arguments)`` as one job per query; ``indicator_results`` joins them."""
    from giamngheo import figures

    return {
        f"indicators_{i}": functools.partial(figures.indicator_counts, **arguments, codes=codes)
        for i, codes in enumerate(INDICATOR_QUERIES)
    }


def indicator_results(found: dict[str, Any]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for i in range(len(INDICATOR_QUERIES)):
        for path, values in found[f"indicators_{i}"].items():
            counts[path].update(values)
    return dict(counts)


def may_run_concurrently() -> bool:
    """Whether ``figures_at_once`` may use extra connections here (call it before opening the report's
    own transaction). On a read-only page with a read replica, the extra connections are the replica's."""
    connection = connections[read_alias()]
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def figures_at_once(jobs: dict[str, Callable[[], Any]], *, concurrent: bool) -> dict[str, Any]:
    """Each job's result, by name. Concurrent: ``FIGURE_CONNECTIONS`` threads, each with its own connection
    (closed when the thread ends), take the jobs in order; each job is a read-only transaction in the
    caller's snapshot."""
    if not concurrent:
        return {name: job() for name, job in jobs.items()}
    alias = read_alias()
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
    pending = list(jobs.items())
    results: dict[str, Any] = {}
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            while not errors:
                with lock:
                    if not pending:
                        return
                    name, job = pending.pop(0)
                with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
                    cursor.execute(
                        "SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)"
                    )
                    results[name] = job()
        except BaseException as error:  # re-raised in the caller's thread
            errors.append(error)
        finally:
            connections.close_all()  # this thread's connection

    threads = [
        threading.Thread(target=contextvars.copy_context().run, args=(work,), name=f"progress-figures-{i}")
        for i in range(min(FIGURE_CONNECTIONS, len(jobs)))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return {name: results[name] for name in jobs}
