"""Template helpers of the review pages: movement labels, the language's half of a bilingual text."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from giamngheo.reports.numbers import number_vi, percent_vi
from giamngheo.reviews.labels import MOVEMENT_LABELS

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


@register.filter
def percent_text(value: Any) -> str:
    """A Decimal percentage with two places in the current language's format (4,08% / 4.08%)."""
    if value is None:
        return ""
    return f"{value:.2f}%" if _is_english() else percent_vi(value)
