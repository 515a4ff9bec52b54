"""Template helpers of the review pages: movement labels, the language's half of a bilingual text."""

from __future__ import annotations

from typing import Any

from django import template

from giamngheo.common import filters
from giamngheo.common.language import is_english
from giamngheo.reviews.labels import MOVEMENT_LABELS

register = template.Library()


@register.filter
def movement_label(value: str) -> str:
    return str(MOVEMENT_LABELS.get(value, "")) if value else ""


@register.filter
def local(text: Any) -> str:
    """A standard's bilingual ``Text`` (or a result's vi/en pair) in the current language."""
    if text is None:
        return ""
    return text.en if is_english() else text.vi


@register.filter
def explanation(result: Any) -> str:
    if result is None:
        return ""
    return result.explanation_en if is_english() else result.explanation_vi


register.filter("vnd", filters.vnd)
register.filter("pct", filters.pct)
