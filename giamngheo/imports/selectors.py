"""Reads of the imports app, scoped to the acting user."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery

from giamngheo.accounts.models import User
from giamngheo.households.models import Member, Relation
from giamngheo.imports.models import ImportJob
from giamngheo.reviews.models import ReviewResult, ReviewRound, RoundKind
from giamngheo.units.models import Unit
from giamngheo.units.selectors import scope_q


def import_jobs_visible_to(user: User) -> QuerySet[ImportJob]:
    """The user's own jobs, and jobs that imported into a commune the user sees (never the file's bytes)."""
    jobs = ImportJob.objects.defer("content").select_related("user", "commune")
    if user.is_system_admin:
        return jobs
    in_scope = scope_q(user, field="commune__path") if user.unit_id else Q(pk__in=[])
    return jobs.filter(Q(user=user) | (Q(commune__isnull=False) & in_scope))


def import_job_get(*, user: User, pk: int) -> ImportJob:
    return import_jobs_visible_to(user).get(pk=pk)


EXPORT_FIELDS = (
    "household__code",
    "household__village__name",
    "household__village__code",
    "household__head_name",
    "members",
    "status",
    "head_citizen_id",
    "labour_capacity",
    "social_protection",
    "ethnic_minority",
    "meritorious",
    "household__farm_household",
)


def latest_list_year(*, user: User, unit: Unit | None) -> int | None:
    """The latest year whose regular round has a household list in the unit (or, for a village, in its
    commune): the year the import and export forms start on."""
    if unit is None:
        return None
    rounds = (
        ReviewRound.objects.filter(kind=RoundKind.REGULAR)
        .filter(Q(commune__path__startswith=unit.path) | Q(commune__code__in=unit.path.strip("/").split("/")))
        .filter(Exists(ReviewResult.objects.filter(review_round=OuterRef("pk"))))
    )
    return rounds.aggregate(year=Max("year"))["year"]


def household_list_rows(*, user: User | None, unit: Unit, year: int) -> Iterator[dict[str, Any]]:
    """The household list of review year ``year`` (the regular round) for ``unit`` and everything below it,
    in official order (commune, village, household code), streamed. ``user=None``: the command line."""
    head_id = (
        Member.objects.filter(household=OuterRef("household"), relation=Relation.HEAD)
        .order_by("pk")
        .values("citizen_id")[:1]
    )
    results = ReviewResult.objects.filter(
        review_round__year=year,
        review_round__kind=RoundKind.REGULAR,
        unit_path__startswith=unit.path,
    )
    if user is not None:
        results = results.filter(scope_q(user, field="unit_path"))
    rows = (
        results.annotate(head_citizen_id=Subquery(head_id))
        .order_by(
            "household__commune__sort_order",
            "household__commune__code",
            "household__village__sort_order",
            "household__village__code",
            "household__code",
        )
        .values(*EXPORT_FIELDS)
    )
    return rows.iterator(chunk_size=2000)
