"""Where ``giamngheo.audit`` lines go: a file in the data folder, rotated at midnight, kept
``AUDIT_LOG_DAYS`` days (90 by default), readable by the service's user only.

The audit trail proper is in the database (``CitizenIdReveal``, ``CitizenIdExport``, shown in the admin);
this file is the same events as text, for a log collector or for reading with ``grep`` when the database is
not at hand. Configured in ``config/settings.py`` (``LOGGING``).
"""

from __future__ import annotations

import os
from logging.handlers import TimedRotatingFileHandler
from pathlib import Path


class AuditFileHandler(TimedRotatingFileHandler):
    """A ``TimedRotatingFileHandler`` that creates its folder and keeps its files private (mode 600)."""

    def __init__(self, filename: str, days: int) -> None:
        Path(filename).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(filename, when="midnight", backupCount=days, encoding="utf-8", delay=True)

    def _open(self):  # type: ignore[no-untyped-def]
        stream = super()._open()
        os.chmod(self.baseFilename, 0o600)
        return stream
