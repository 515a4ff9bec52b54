"""Errors a user can fix. Pure Python: raised by readers, the standards engine and services alike.

A bad input must say *where* (file, row, column) and *what to do*, in Vietnamese first, and the caller
must write nothing. The command line turns an ``InputError`` into exit status 2; the web turns it into a
form or page error. Never show a stack trace for one of these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Self

EXIT_BAD_INPUT = 2  # the command line's exit status for an InputError (and a usage error)


def unexpected_error_message(error: BaseException) -> str:
    """What the command line says of an error that is not the user's to fix (exit status 1)."""
    return (
        f"Lỗi không mong đợi / unexpected error: {type(error).__name__}: {error}"
        " (chạy lại với --traceback để xem chi tiết / rerun with --traceback for details)"
    )


@dataclass
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    message_vi: str
    message_en: str
    file: str | None = None
    row: int | None = None  # 1-based, as the user sees it in Excel
    column: str | None = None
    fix_vi: str | None = None
    fix_en: str | None = None

    @property
    def shown_column(self) -> str | None:
        """The column to name on a page: a command-line option ("--year") means nothing in a browser, whose
        form names its own fields."""
        return None if (self.column or "").startswith("--") else self.column

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"dòng/row {self.row}")
        if self.column:
            parts.append(f"cột/column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        head = f"{self.where()}: " if self.where() else ""
        text = f"{head}{self.message_vi} / {self.message_en}"
        fixes = " / ".join(f for f in (self.fix_vi, self.fix_en) if f)
        if fixes:
            text += f" — Cách sửa / fix: {fixes}"
        return text


@dataclass
class InputError(Exception):
    """One or more problems with what the user gave us. Nothing has been written when this is raised."""

    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def single(cls, message_vi: str, message_en: str, **where: object) -> Self:
        return cls([Problem(message_vi, message_en, **where)])  # type: ignore[arg-type]

    def __str__(self) -> str:
        shown = self.problems[:50]
        lines = [str(p) for p in shown]
        if len(self.problems) > len(shown):
            more = len(self.problems) - len(shown)
            lines.append(f"… và {more} lỗi khác / and {more} more")
        return "\n".join(lines)
