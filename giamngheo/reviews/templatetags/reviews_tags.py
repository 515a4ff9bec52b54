"""Template helpers of the review pages: movement labels, the language's half of a bilingual text."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from giamngheo.reviews.labels import MOVEMENT_LABELS
from giamngheo.standards.formatting import number_vi

register = template.Library()


@register.filter
def movement_label(value: str) -> str:
    return str(MOVEMENT_LABELS.get(value, "")) if value else ""


def _is_english() -> bool:
    return (get_language() or "vi").startswith("en")


@register.filter
def local(text: Any) -> str:
    """A standard's bilingual ``Text`` (or a result's vi/en pair) in the current language."""
    if text is None:
        return ""
    return text.en if _is_english() else text.vi


@register.filter
def explanation(result: Any) -> str:
    if result is None:
        return ""
    return result.explanation_en if _is_english() else result.explanation_vi


@register.filter
def vnd(value: int | None) -> str:
    """Whole VND in the current language's format (1.500.000 / 1,500,000)."""
    if value is None:
        return ""
    return f"{value:,}" if _is_english() else number_vi(value)
