"""Aggregate figures for the dashboard and the progress reports: selectors that answer "how many, how much"
for a unit and each unit below it, at a date or over a period. One module per area: ``status`` (status at a
date, the lists in force, the counts by status, the rates and the yearly trend), ``indicators`` (the plan's
indicator targets), ``activity`` (supports, money, escape plans, organisations and activities over a period),
``attention`` (households needing attention), and what they share (``common``: the ``Scope``, PostgreSQL's
array lookup ``AnyOf`` and JIT-free ``aggregate_session``, the roll-up by path).

Every function takes the acting user and applies ``scope_q``. Each figure is **one SQL aggregate grouped by
the rows' own ``unit_path``** (the village's path), whatever the size of the unit; the grouped rows (one per
village: about a thousand for a province of 100 communes) are then rolled up in Python to the unit's direct
children by path prefix. No query runs per unit.

**Status at a date.** A household's status on day D is its result in the latest *decided* round of its
commune held on or before D: the latest regular (yearly) round gives everyone's status, and decided ad-hoc
(monthly) rounds held after it override it for the households they cover. Ad-hoc results are few, so the
override is applied in Python to the grouped counts (two small queries), and as explicit id lists in the
filters of the indicator queries.

Callers import this package: the names below are its selectors.
"""

from giamngheo.figures.activity import (
    activity_counts,
    money_by_source,
    needs_open,
    organisation_results,
    plan_counts,
    spending_by_target,
    supports_delivered,
)
from giamngheo.figures.attention import attention, households_on_list
from giamngheo.figures.common import (
    LIVE,
    NEAR_POOR,
    POOR,
    AnyOf,
    Rows,
    Scope,
    aggregate_session,
    child_path_of,
    rollup,
)
from giamngheo.figures.indicators import (
    INDICATOR_CODES,
    MEMBER_INDICATORS,
    indicator_counts,
    indicator_values,
    indicators_in_force,
)
from giamngheo.figures.status import (
    CHUNK,
    COUNT_KEYS,
    Basis,
    Overrides,
    listed_households,
    lists_in_force,
    on_list_q,
    overrides,
    rates,
    status_basis,
    status_counts,
    yearly_trend,
)

__all__ = [
    "CHUNK",
    "COUNT_KEYS",
    "INDICATOR_CODES",
    "LIVE",
    "MEMBER_INDICATORS",
    "NEAR_POOR",
    "POOR",
    "AnyOf",
    "Basis",
    "Overrides",
    "Rows",
    "Scope",
    "activity_counts",
    "aggregate_session",
    "attention",
    "child_path_of",
    "households_on_list",
    "indicator_counts",
    "indicator_values",
    "indicators_in_force",
    "listed_households",
    "lists_in_force",
    "money_by_source",
    "needs_open",
    "on_list_q",
    "organisation_results",
    "overrides",
    "plan_counts",
    "rates",
    "rollup",
    "spending_by_target",
    "status_basis",
    "status_counts",
    "supports_delivered",
    "yearly_trend",
]
