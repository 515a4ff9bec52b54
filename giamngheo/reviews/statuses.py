"""The household's stored status (``Household.status``, ``status_date``, ``escaped_on``): derived from its
decided review results and written when they change — a round decided, an official list imported — so the
register's list can filter a province by status without evaluating every household's results. Pages only
read it (``reviews.selectors.communes_with_stale_status`` tells whether a refresh was missed).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from giamngheo.common import fastbulk
from giamngheo.households.labour import standard_on
from giamngheo.households.models import Household, StatusRefresh
from giamngheo.reviews.models import ReviewResult, ReviewRound, RoundState
from giamngheo.standards.transitions import status_from_history
from giamngheo.units.models import Unit


def decided_rounds_keys(*, under_path: str) -> dict[int, str]:
    """A summary of each commune's decided rounds below ``under_path`` (one GROUP BY over the rounds)."""
    rows = (
        ReviewRound.objects.filter(state=RoundState.DECIDED, commune__path__startswith=under_path)
        .order_by()
        .values("commune_id")
        .annotate(n=Count("id"), top=Max("id"), total=Sum("id"))
    )
    return {row["commune_id"]: f"{row['n']}:{row['top']}:{row['total']}" for row in rows}


STATUS_FIELDS = ("status", "status_date", "escaped_on")
STATUS_WRITE_BATCH = 10_000


@transaction.atomic
def household_statuses_refresh(*, commune: Unit, on: datetime.date | None = None) -> int:
    """Recompute the stored status, status date and leaving day of every household of ``commune`` from its
    decided review results; returns how many changed. Derived data: no history rows.

    Called when the decided results change: by ``reviews.services.review_round_decide`` and when an official
    list is imported (``imports.household_list``). Only writes call it: a page that reads never refreshes.

    Households and their decided results are read side by side in household order (two streams, no map of
    every household's history), and only the households whose stored values differ are written, through
    ``common.fastbulk.update_rows``: a commune's households share a handful of (status, date, leaving day)
    combinations, so 100,000 changes are a few ``UPDATE … WHERE id IN (…)`` statements.
    """
    on = on or timezone.localdate()
    rules = standard_on(on).transitions
    results = iter(
        ReviewResult.objects.filter(household__commune=commune, review_round__state=RoundState.DECIDED)
        .order_by("household_id", "review_round__review_date", "review_round_id")
        .values_list("household_id", "review_round__review_date", "status")
        .iterator(chunk_size=10_000)
    )
    households = Household.objects.filter(commune=commune).order_by("id").values_list("id", *STATUS_FIELDS)
    changed: list[tuple[Any, ...]] = []  # (id, status, status date, leaving day): compact until written
    pending = next(results, None)
    for pk, *stored in households.iterator(chunk_size=10_000):
        history = []
        while pending is not None and pending[0] <= pk:
            if pending[0] == pk:
                history.append((pending[1], pending[2]))
            pending = next(results, None)
        fields = status_from_history(history, rules, on)
        if tuple(stored) != fields:
            changed.append((pk, *fields))
    # Written after both reads are done: SQLite does not isolate a read from writes on the same connection.
    names = ("id", *STATUS_FIELDS)
    for start in range(0, len(changed), STATUS_WRITE_BATCH):
        rows = [
            dict(zip(names, values, strict=True)) for values in changed[start : start + STATUS_WRITE_BATCH]
        ]
        fastbulk.update_rows(Household, rows, STATUS_FIELDS)
    key = decided_rounds_keys(under_path=commune.path).get(commune.pk, "")
    StatusRefresh.objects.update_or_create(commune=commune, defaults={"rounds_key": key})
    return len(changed)
