"""What the programme did over a period, per village path: supports delivered (and needs still open),
money by source and by where it went, escape plans and their milestones, organisations' results, and
communication activities."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Q, Sum

from giamngheo.accounts.models import User
from giamngheo.figures.common import NEAR_POOR, POOR
from giamngheo.figures.status import Basis, Overrides, listed_households
from giamngheo.support.kinds import SupportStatus
from giamngheo.support.models import (
    Activity,
    EscapePlan,
    Flow,
    LedgerEntry,
    Milestone,
    PlanStatus,
    Support,
)
from giamngheo.units.models import Unit
from giamngheo.units.selectors import scope_q


def supports_delivered(
    *, user: User, unit: Unit, start: datetime.date, end: datetime.date
) -> dict[str, dict[str, int]]:
    """Delivered supports by village path: count, households and value per kind, and all kinds together."""
    rows = (
        Support.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path)
        .filter(status=SupportStatus.DELIVERED, date__gte=start, date__lte=end)
        .values("unit_path", "kind")
        .annotate(n=Count("id"), households=Count("household_id", distinct=True), amount=Sum("amount"))
    )
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        bucket = counts[row["unit_path"]]
        bucket[f"{row['kind']}__count"] += row["n"]
        bucket[f"{row['kind']}__households"] += row["households"]
        bucket[f"{row['kind']}__amount"] += row["amount"] or 0
        bucket["count"] += row["n"]
        bucket["amount"] += row["amount"] or 0
    return {k: dict(v) for k, v in counts.items()}


def needs_open(*, user: User, unit: Unit, on: datetime.date) -> dict[str, int]:
    """Recorded needs not met yet on ``on``, by kind (for the dashboard)."""
    rows = (
        Support.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path)
        .filter(status__in=[SupportStatus.NEEDED, SupportStatus.IN_PROGRESS], date__lte=on)
        .values("kind")
        .annotate(n=Count("id"))
    )
    return {row["kind"]: row["n"] for row in rows}


def money_by_source(*, user: User, unit: Unit, start: datetime.date, end: datetime.date) -> list[dict]:
    """Each source managed at or below ``unit``: received and spent in the period (net of reversals) and the
    balance at its end. One query."""
    money_in = Q(flow=Flow.IN, date__gte=start)
    money_out = Q(flow=Flow.OUT, date__gte=start)
    rows = (
        LedgerEntry.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path, date__lte=end)
        .values("unit_path", "source_id", "source__name", "source__kind")
        .annotate(
            received=Sum("signed_amount", filter=money_in),
            spent=Sum("signed_amount", filter=money_out),
            balance=Sum("signed_amount"),
        )
        .order_by("unit_path", "source__kind", "source__name")
    )
    return [
        {
            "unit_path": row["unit_path"],
            "source_id": row["source_id"],
            "name": row["source__name"],
            "kind": row["source__kind"],
            "received": row["received"] or 0,
            "spent": -(row["spent"] or 0),
            "balance": row["balance"] or 0,
        }
        for row in rows
    ]


def spending_by_target(
    *, user: User, unit: Unit, start: datetime.date, end: datetime.date
) -> dict[str, dict[str, int]]:
    """Money spent in the period by where it went (household village, or the source's unit)."""
    rows = (
        LedgerEntry.objects.filter(scope_q(user, "target_path"), target_path__startswith=unit.path)
        .filter(flow=Flow.OUT, date__gte=start, date__lte=end)
        .values("target_path")
        .annotate(spent=Sum("signed_amount"))
    )
    return {row["target_path"]: {"spent": -(row["spent"] or 0)} for row in rows}


def plan_counts(
    *, user: User, unit: Unit, year: int, start: datetime.date, end: datetime.date
) -> dict[str, dict[str, int]]:
    """Escape plans of ``year`` by status, and their milestones due and done, per village path (2 queries)."""
    rows = (
        EscapePlan.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path, year=year)
        .values("unit_path")
        .annotate(
            plans=Count("id"),
            **{f"plans_{status}": Count("id", filter=Q(status=status)) for status in PlanStatus.values},
            with_organisation=Count("id", filter=Q(organisation__isnull=False)),
        )
    )
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        counts[row.pop("unit_path")].update(row)
    milestones = (
        Milestone.objects.filter(scope_q(user, "plan__unit_path"), plan__unit_path__startswith=unit.path)
        .filter(plan__year=year)
        .values("plan__unit_path")
        .annotate(
            milestones_due=Count("id", filter=Q(due_date__lte=end)),
            milestones_done=Count("id", filter=Q(done_on__isnull=False, done_on__lte=end)),
            milestones_done_in_period=Count("id", filter=Q(done_on__gte=start, done_on__lte=end)),
            milestones_late=Count(
                "id", filter=Q(due_date__lt=end) & (Q(done_on__isnull=True) | Q(done_on__gt=end))
            ),
        )
    )
    for row in milestones:
        counts[row.pop("plan__unit_path")].update(row)
    return dict(counts)


def organisation_results(
    *,
    user: User,
    unit: Unit,
    year: int,
    start: datetime.date,
    end: datetime.date,
    basis: Basis,
    over: Overrides,
) -> list[dict]:
    """Per organisation: its caseload of escape plans, their status, the households out of poverty on the
    period's end (poor at the start and not poor now; near-poor at the start and off the lists now), and the
    supports it delivered in the period. Three queries (and the households on the lists, shared)."""
    plans = EscapePlan.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path, year=year)
    rows = (
        plans.values("organisation_id", "organisation__name", "organisation__kind", "organisation__unit_path")
        .annotate(
            caseload=Count("id"),
            achieved=Count("id", filter=Q(status=PlanStatus.ACHIEVED)),
            in_progress=Count("id", filter=Q(status=PlanStatus.IN_PROGRESS)),
        )
        .order_by("organisation__unit_path", "organisation__kind", "organisation__name")
    )
    # Out of poverty, by the review: compared in Python with the lists (read once per report) — a NOT IN
    # over ~36,000 ids inside an aggregate's FILTER is slow on PostgreSQL, and one row per plan is cheap.
    improved: dict[int | None, int] = defaultdict(int)
    if not basis.empty:
        now = listed_households(basis, over)
        for organisation_id, household_id, start_status in plans.values_list(
            "organisation_id", "household_id", "status_at_start"
        ):
            status = now.get(household_id)
            if (start_status == POOR and status != POOR) or (start_status == NEAR_POOR and status is None):
                improved[organisation_id] += 1
    results = {
        row["organisation_id"]: {
            "organisation_id": row["organisation_id"],
            "name": row["organisation__name"],
            "kind": row["organisation__kind"],
            "unit_path": row["organisation__unit_path"],
            "caseload": row["caseload"],
            "achieved": row["achieved"],
            "in_progress": row["in_progress"],
            "improved": improved[row["organisation_id"]],
            "supports": 0,
            "amount": 0,
        }
        for row in rows
    }
    delivered = (
        Support.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path)
        .filter(status=SupportStatus.DELIVERED, date__gte=start, date__lte=end, organisation__isnull=False)
        .values("organisation_id", "organisation__name", "organisation__kind", "organisation__unit_path")
        .annotate(n=Count("id"), amount=Sum("amount"))
    )
    for row in delivered:
        entry = results.setdefault(
            row["organisation_id"],
            {
                "organisation_id": row["organisation_id"],
                "name": row["organisation__name"],
                "kind": row["organisation__kind"],
                "unit_path": row["organisation__unit_path"],
                "caseload": 0,
                "achieved": 0,
                "in_progress": 0,
                "improved": 0,
                "supports": 0,
                "amount": 0,
            },
        )
        entry["supports"] = row["n"]
        entry["amount"] = row["amount"] or 0
    return list(results.values())


def activity_counts(
    *, user: User, unit: Unit, start: datetime.date, end: datetime.date
) -> dict[str, dict[str, int]]:
    rows = (
        Activity.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path)
        .filter(date__gte=start, date__lte=end)
        .values("unit_path", "kind")
        .annotate(n=Count("id"), reach=Sum("reach"))
    )
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        bucket = counts[row["unit_path"]]
        bucket[f"{row['kind']}__count"] += row["n"]
        bucket[f"{row['kind']}__reach"] += row["reach"] or 0
        bucket["activities"] += row["n"]
        bucket["reach"] += row["reach"] or 0
    return {k: dict(v) for k, v in counts.items()}
