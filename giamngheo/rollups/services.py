"""Writes of the status rollup (``models``): a decided round's delta, and the recount from scratch."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from giamngheo.reviews.models import ReviewResult, ReviewRound, RoundState
from giamngheo.rollups.models import RolledUpRound, StatusRollup
from giamngheo.units.models import Unit

Key = tuple[int, int, str]  # year, commune id, status


@transaction.atomic
def rollup_round_apply(*, review_round: ReviewRound, **_signal: Any) -> bool:
    """Add a decided round to the rollup of its commune and year: its households at their new status, less
    those same households at the status they had there from an earlier round of that year. Reads only the
    round's results (and those of the commune's other rounds that year, if any): never the register.
    Connected to ``reviews.services.round_decided``; a round already in the rollup is skipped (False)."""
    if review_round.state != RoundState.DECIDED:
        return False
    commune = Unit.objects.select_for_update().only("id", "path").get(pk=review_round.commune_id)
    _marker, created = RolledUpRound.objects.get_or_create(review_round_id=review_round.pk)
    if not created:
        return False
    order = (review_round.review_date, review_round.pk)
    latest: dict[int, tuple[tuple[datetime.date, int], str, int]] = {}
    others = ReviewResult.objects.filter(
        review_round__commune_id=review_round.commune_id,
        review_round__year=review_round.year,
        review_round_id__in=RolledUpRound.objects.values("review_round_id"),
    ).exclude(review_round_id=review_round.pk)
    for household_id, status, members, day, round_id in others.values_list(
        "household_id", "status", "members", "review_round__review_date", "review_round_id"
    ).iterator(chunk_size=10_000):
        if household_id not in latest or latest[household_id][0] < (day, round_id):
            latest[household_id] = ((day, round_id), status, members)
    households: Counter[str] = Counter()
    people: Counter[str] = Counter()
    rows = ReviewResult.objects.filter(review_round=review_round).values_list(
        "household_id", "status", "members"
    )
    for household_id, status, members in rows.iterator(chunk_size=10_000):
        before = latest.get(household_id)
        if before is not None:
            if before[0] > order:
                continue  # a later round of the year already gives this household's status
            households[before[1]] -= 1
            people[before[1]] -= before[2]
        households[status] += 1
        people[status] += members
    for status in set(households) | set(people):
        if not households[status] and not people[status]:
            continue
        updated = StatusRollup.objects.filter(year=review_round.year, commune=commune, status=status).update(
            households=F("households") + households[status], members=F("members") + people[status]
        )
        if not updated:
            StatusRollup.objects.create(
                year=review_round.year,
                commune=commune,
                unit_path=commune.path,
                status=status,
                households=households[status],
                members=people[status],
            )
    return True


def _recount_sql(commune_ids: list[int] | None, rolled_up_only: bool) -> tuple[str, list[Any]]:
    """The recount as one grouped query: (year, commune_id, status, households, members) rows."""
    result = ReviewResult._meta.db_table
    round_ = ReviewRound._meta.db_table
    where: list[str] = ["rr.state = %s"]
    params: list[Any] = [RoundState.DECIDED.value]
    if commune_ids is not None:
        where.append(f"rr.commune_id IN ({', '.join(['%s'] * len(commune_ids))})")
        params += commune_ids
    if rolled_up_only:
        where.append(f"rr.id IN (SELECT review_round_id FROM {RolledUpRound._meta.db_table})")  # noqa: S608
    sql = f"""
        SELECT year, commune_id, status, COUNT(*) AS households, SUM(members) AS members FROM (
          SELECT rr.year, rr.commune_id, r.status, r.members, ROW_NUMBER() OVER (
                   PARTITION BY rr.commune_id, rr.year, r.household_id
                   ORDER BY rr.review_date DESC, rr.id DESC
                 ) AS n
          FROM {result} r JOIN {round_} rr ON rr.id = r.review_round_id
          WHERE {" AND ".join(where)}
        ) latest WHERE n = 1 GROUP BY year, commune_id, status"""  # noqa: S608 - names from the models
    return sql, params


def rollup_recount(
    *, commune_ids: Iterable[int] | None = None, rolled_up_only: bool = False
) -> dict[Key, tuple[int, int]]:
    """(year, commune id, status) → (households, people), counted from the decided results themselves (one
    grouped query; the full scan the rollup exists to avoid). ``rolled_up_only``: only the rounds in the
    rollup. Used by the tests that check the deltas add up to it, and by the benchmark for contrast."""
    ids = None if commune_ids is None else sorted(set(commune_ids))
    if ids == []:
        return {}
    sql, params = _recount_sql(ids, rolled_up_only)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            (year, commune, status): (n, people) for year, commune, status, n, people in cursor.fetchall()
        }


@transaction.atomic
def rollup_rebuild(*, commune_ids: Iterable[int] | None = None) -> int:
    """Recount the rollup from the decided results (of these communes, or all); returns the rows written.
    Two ``INSERT … SELECT`` statements: the rounds it covers, then the counts."""
    ids = None if commune_ids is None else sorted(set(commune_ids))
    if ids == []:
        return 0
    rollups = StatusRollup.objects.all()
    rounds = ReviewRound.objects.filter(state=RoundState.DECIDED)
    if ids is not None:
        rollups = rollups.filter(commune_id__in=ids)
        rounds = rounds.filter(commune_id__in=ids)
    rollups.delete()
    RolledUpRound.objects.filter(review_round__in=rounds).delete()
    rounds_sql, rounds_params = rounds.values("pk").query.sql_with_params()
    counts_sql, counts_params = _recount_sql(ids, rolled_up_only=False)
    marker, rollup, unit = (
        RolledUpRound._meta.db_table,
        StatusRollup._meta.db_table,
        Unit._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {marker} (review_round_id, at) SELECT decided.*, %s FROM ({rounds_sql}) decided",  # noqa: S608
            [timezone.now(), *rounds_params],
        )
        cursor.execute(
            f"""INSERT INTO {rollup} (year, commune_id, unit_path, status, households, members)
                SELECT c.year, c.commune_id, u.path, c.status, c.households, c.members
                FROM ({counts_sql}) c JOIN {unit} u ON u.id = c.commune_id""",  # noqa: S608
            counts_params,
        )
        return cursor.rowcount
