"""Progress of an import: a stage and rows done out of a total, shown on a terminal or on the job's page.

The web page polls the ``ImportJob`` row. While an import writes, it holds its transaction open (all or
nothing), so progress cannot go through that transaction: on PostgreSQL it is written on a second database
session that commits at once; SQLite allows one writer at a time, so there the page shows the "saving"
stage without a moving count until the transaction commits (short for a commune's list).
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any, Protocol

from django.db import DEFAULT_DB_ALIAS, connection, connections

from giamngheo.imports.models import ImportJob, JobStage

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper


class Progress(Protocol):
    def stage(self, stage: str, total: int | None = None) -> None: ...

    def advance(self, rows: int) -> None: ...


class NoProgress:
    def stage(self, stage: str, total: int | None = None) -> None:
        pass

    def advance(self, rows: int) -> None:
        pass


STAGE_LABELS: dict[str, str] = {
    JobStage.READING: "đọc tệp / reading",
    JobStage.VALIDATING: "kiểm tra / validating",
    JobStage.COMPARING: "so sánh / comparing",
    JobStage.WRITING: "ghi / writing",
}


class TerminalProgress:
    """A tqdm bar on standard error, only when it is a terminal (scripts and pipes get clean output)."""

    def __init__(self) -> None:
        self.bar = None

    def stage(self, stage: str, total: int | None = None) -> None:
        from tqdm import tqdm

        if self.bar is not None:
            self.bar.close()
        self.bar = tqdm(
            total=total, desc=STAGE_LABELS.get(stage, stage), file=sys.stderr, unit="dòng", leave=False
        )

    def advance(self, rows: int) -> None:
        if self.bar is not None:
            self.bar.update(rows)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def terminal_progress() -> TerminalProgress | NoProgress:
    return TerminalProgress() if sys.stderr.isatty() else NoProgress()


class JobProgress:
    """Writes stage and rows done to the job, at most every ``interval`` seconds."""

    def __init__(self, job: ImportJob, *, interval: float = 0.5) -> None:
        self.job = job
        self.interval = interval
        self.last = 0.0
        # The second session used inside the import's transaction (PostgreSQL).
        self.side: BaseDatabaseWrapper | None = None

    def stage(self, stage: str, total: int | None = None) -> None:
        self.job.stage = stage
        if total is not None:
            self.job.rows_total = total
        self.job.rows_done = 0
        self._write(force=True)

    def advance(self, rows: int) -> None:
        self.job.rows_done += rows
        self._write()

    def _write(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < self.interval:
            return
        self.last = now
        values = {"stage": self.job.stage, "rows_total": self.job.rows_total, "rows_done": self.job.rows_done}
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=self.job.pk).update(**values)
        elif connection.vendor == "postgresql":
            self._write_on_side_session(values)

    def _write_on_side_session(self, values: dict[str, Any]) -> None:
        if self.side is None:
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)
        table = ImportJob._meta.db_table
        with self.side.cursor() as cursor:  # autocommit: visible to the page at once
            cursor.execute(
                f"UPDATE {table} SET stage = %s, rows_total = %s, rows_done = %s WHERE id = %s",  # noqa: S608
                [values["stage"], values["rows_total"], values["rows_done"], self.job.pk],
            )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None
