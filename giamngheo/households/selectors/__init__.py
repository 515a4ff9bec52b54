"""Scoped reads of the register, one module per area: ``register_list`` (the list with search, filters and
keyset paging, and the status filters read from the latest decided review), ``household`` (a household's
page data and its history), ``duplicates`` (possible duplicates of a new member), ``counts`` (the
denominators of every rate), and what they share (``common``: the households a user may see, and one of
them). Callers import this package: the names below are its reads.

Scale: a province holds a million households, and on PostgreSQL each table page a query has to fetch costs
tens of microseconds once it is out of shared buffers. So the list never touches the whole province: one
commune is read through its path (a few hundred pages) and sorted, with the count in the same query; a
province is read by walking an index in the sort order until a page is full, and what a search tests is in
that index (``household_name_search_vi``, index-only); a name few people have is looked up through its
people's names; the page's ids are found before its rows are read; pages continue *after* the last row seen
(keyset) instead of OFFSET; and a total is counted only up to a cap, within a time budget, and only when the
first page does not already show every match. Figures: ``bench/RESULTS-register.md``.
"""

from giamngheo.households.selectors.common import household_for, households_visible_to
from giamngheo.households.selectors.counts import (
    RegisterSpan,
    register_counts,
    register_counts_by_day,
    register_spans,
)
from giamngheo.households.selectors.duplicates import (
    Duplicates,
    member_duplicates_for,
    member_possible_duplicates,
)
from giamngheo.households.selectors.household import (
    HOUSEHOLD_SKIPPED,
    MEMBER_SKIPPED,
    Change,
    HistoryEntry,
    household_changes_since,
    household_history,
    household_members,
    household_results,
)
from giamngheo.households.selectors.register_list import (
    CATEGORIES,
    COUNT_BUDGET_MS,
    COUNT_CAP,
    FEW_ROWS,
    PAGE_SIZE,
    RARE_IDS_LIMIT,
    SEARCH_COUNT_CAP,
    SORTS,
    STATUS_NONE,
    UNIT_CHOICE_FIELDS,
    VI_COLLATION,
    PkAmong,
    RegisterPage,
    RegisterQuery,
    RowAfter,
    capped_count,
    estimated_rows,
    filter_units,
    is_citizen_id,
    is_code_query,
    is_name_query,
    matching_ids,
    newly_escaped_cutoff,
    people_named,
    province_q,
    rare_name_ids,
    register_page,
    register_queryset,
    search_q,
    sort_keys,
)

__all__ = [
    "CATEGORIES",
    "COUNT_BUDGET_MS",
    "COUNT_CAP",
    "FEW_ROWS",
    "HOUSEHOLD_SKIPPED",
    "MEMBER_SKIPPED",
    "PAGE_SIZE",
    "RARE_IDS_LIMIT",
    "SEARCH_COUNT_CAP",
    "SORTS",
    "STATUS_NONE",
    "UNIT_CHOICE_FIELDS",
    "VI_COLLATION",
    "Change",
    "Duplicates",
    "HistoryEntry",
    "PkAmong",
    "RegisterPage",
    "RegisterQuery",
    "RegisterSpan",
    "RowAfter",
    "capped_count",
    "estimated_rows",
    "filter_units",
    "household_changes_since",
    "household_for",
    "household_history",
    "household_members",
    "household_results",
    "households_visible_to",
    "is_citizen_id",
    "is_code_query",
    "is_name_query",
    "matching_ids",
    "member_duplicates_for",
    "member_possible_duplicates",
    "newly_escaped_cutoff",
    "people_named",
    "province_q",
    "rare_name_ids",
    "register_counts",
    "register_counts_by_day",
    "register_page",
    "register_queryset",
    "register_spans",
    "search_q",
    "sort_keys",
]
