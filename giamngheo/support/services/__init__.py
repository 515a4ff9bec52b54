"""Writes of the support tracker, one module per area: ``ledger`` (fund sources and their entries),
``supports``, ``organisations``, ``escape_plans`` (with milestones), ``activities`` (communication), and the
checks they share (``common``). The progress report's writes live with the progress report (``reports``).

Each function is keyword-only, validates everything first and writes inside one transaction, so a bad
input (an ``InputError``) leaves nothing behind. Permission is checked here too (defence in depth: the
views check it as well, through the same ``permissions`` functions). Callers import this package: the names
below are its writes.
"""

from giamngheo.support.services.activities import activity_record
from giamngheo.support.services.common import check_date, programme_start
from giamngheo.support.services.escape_plans import (
    PLAN_FIELDS,
    PLAN_PROGRESS_FIELDS,
    escape_plan_create,
    escape_plan_update,
    milestone_add,
    milestone_done,
    suggest_group,
)
from giamngheo.support.services.ledger import (
    ledger_allocate,
    ledger_reverse,
    ledger_spend,
    source_balance,
    source_create,
)
from giamngheo.support.services.organisations import (
    organisation_create,
    organisation_member_add,
    organisation_member_update,
)
from giamngheo.support.services.supports import SUPPORT_CHANGEABLE, support_record, support_update

__all__ = [
    "PLAN_FIELDS",
    "PLAN_PROGRESS_FIELDS",
    "SUPPORT_CHANGEABLE",
    "activity_record",
    "check_date",
    "escape_plan_create",
    "escape_plan_update",
    "ledger_allocate",
    "ledger_reverse",
    "ledger_spend",
    "milestone_add",
    "milestone_done",
    "organisation_create",
    "organisation_member_add",
    "organisation_member_update",
    "programme_start",
    "source_balance",
    "source_create",
    "suggest_group",
    "support_record",
    "support_update",
]
