"""Pages of the support tracker, one module per area; the URLs name them through this package."""

from giamngheo.support.views.activities import activities
from giamngheo.support.views.escape_plans import milestone_add, milestone_done, plan, plan_create, plans
from giamngheo.support.views.ledger import ledger_reverse, source, sources
from giamngheo.support.views.organisations import (
    organisation_member_add,
    organisation_member_toggle,
    organisations,
)
from giamngheo.support.views.supports import household, index, support_edit, support_record

__all__ = [
    "household",
    "index",
    "support_edit",
    "support_record",
    "milestone_add",
    "milestone_done",
    "plan",
    "plan_create",
    "plans",
    "organisation_member_add",
    "organisation_member_toggle",
    "organisations",
    "ledger_reverse",
    "source",
    "sources",
    "activities",
]
