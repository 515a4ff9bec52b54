"""Number filters of the pages, written once (``vnd``, ``pct``); the apps' template libraries register them
under these names, so ``{% load support_tags %}`` and ``{% load reviews_tags %}`` offer the same filters."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from giamngheo.common.language import is_english
from giamngheo.standards.formatting import number_vi, percent_vi

NONE = "—"  # an amount or a rate that does not exist is shown as a dash, never as 0 or an empty cell


def vnd(value: Any) -> str:
    """Whole VND: 1.500.000 (vi) or 1,500,000 (en); — for None."""
    if value is None or value == "":
        return NONE
    number = int(value)
    return f"{number:,}" if is_english() else number_vi(number)


def pct(value: Any) -> str:
    """A percentage held as "3.30" or Decimal: 3,30% (vi) or 3.30% (en); — when there is none."""
    if value is None or value == "":
        return NONE
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return NONE
    return f"{number:.2f}%" if is_english() else percent_vi(number)
