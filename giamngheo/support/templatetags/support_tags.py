"""Formats and labels for the support tracker's pages, and the household-page panel as one tag:

{% load support_tags %}{% support_household_panel household %}

A page that has read the household's members and review results already passes them on, and the panel
does not read them again: ``{% support_household_panel household members=members results=results %}``.
"""

from __future__ import annotations

from typing import Any

from django import template

from giamngheo.common import filters
from giamngheo.reviews.models import Status
from giamngheo.support.kinds import SupportForm, SupportKind, SupportStatus
from giamngheo.support.models import (
    ActivityKind,
    OrganisationKind,
    PlanGroup,
    PlanStatus,
    Solution,
    SourceKind,
)

register = template.Library()

CHOICES = {
    "kind": SupportKind,
    "form": SupportForm,
    "status": SupportStatus,
    "plan_status": PlanStatus,
    "group": PlanGroup,
    "solution": Solution,
    "source_kind": SourceKind,
    "organisation_kind": OrganisationKind,
    "activity_kind": ActivityKind,
    "status_review": Status,
}


register.filter("vnd", filters.vnd)
register.filter("pct", filters.pct)


@register.filter
def choice_label(code: Any, kind: str) -> str:
    """The translated label of a stored code: {{ row.kind|choice_label:"kind" }}."""
    if not code:
        return "—"
    try:
        return str(CHOICES[kind](code).label)
    except (KeyError, ValueError):
        return str(code)


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key) if hasattr(mapping, "get") else mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.inclusion_tag("support/_household_panel.html", takes_context=True)
def support_household_panel(
    context: template.Context, household: Any, members: Any = None, results: Any = None
) -> dict[str, Any]:
    from giamngheo.reviews.selectors import history_from_results
    from giamngheo.support.selectors import support_panel_for_household

    request = context.get("request")
    user = getattr(request, "user", None)
    panel = None
    if user is not None and user.is_authenticated:
        panel = support_panel_for_household(
            user,
            household,
            members=list(members) if members is not None else None,
            history=history_from_results(results) if results is not None else None,
        )
    return {"panel": panel, "request": request, "compact": True}
