"""Language helpers for tests."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext


def vi(msgid: str) -> str:
    """A message as the Vietnamese catalogue has it (the msgid itself until the catalogue has it)."""
    with translation.override("vi"):
        return gettext(msgid)
