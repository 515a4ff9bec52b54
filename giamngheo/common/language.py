"""The page language, tested in one place: Vietnamese by default whatever the browser says, English only when
chosen (the selectors, builders and pages that word things in the user's language ask here)."""

from __future__ import annotations

from django.utils.translation import get_language


def is_english() -> bool:
    return (get_language() or "vi").startswith("en")


def language() -> str:
    """The page language as the builders and renderers take it: "vi" or "en"."""
    return "en" if is_english() else "vi"
