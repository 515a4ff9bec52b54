"""Stage 3 of a household list: write it in short transactions, and undo it all if it does not finish.

On SQLite one writer holds the whole database at a time: a 100,000-row list written in one transaction held
it for half a minute, and a person saving a household meanwhile waited past the busy timeout and got
"database is locked". So the import writes batch by batch, each batch (compared and written) in its own
transaction of about a second, and web requests take turns with it. All or nothing is kept another way:

- ``begin``: an ``ImportInProgress`` row for the commune (one import a commune at a time), with a lease;
- ``write_batch``: each batch's transaction also records its ``ImportUndoStep`` — the keys of the rows it
  created and the rows it changed as they were before (households, heads and members, results);
- ``finish``: the last transaction (the round's decision, the stored statuses) deletes the marker: from
  that commit on the import is complete;
- ``undo``: if the import stops before that (a problem found against the register in a later batch, a
  conflict, the decision refused, an unexpected error), its steps are undone, newest first, again in short
  transactions: the rows it created are deleted with their history, the rows it changed get their values
  back and lose the history rows it wrote, a round it opened is deleted. If the process died (killed, the
  machine restarted), the marker stays and the commune's next import undoes it first (``begin``).

A household someone saved after the import changed it keeps that save (its version moved on): the undo
does not overwrite a person's work, and the log says which rows it left.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from simple_history.utils import get_history_manager_for_model

from giamngheo.accounts.models import User
from giamngheo.common import fastbulk
from giamngheo.common.lease import abandoned, worker_id
from giamngheo.errors import InputError
from giamngheo.households.models import Household, Member
from giamngheo.imports.household_list.comparing import BatchPlan
from giamngheo.imports.models import ImportInProgress, ImportUndoStep
from giamngheo.reviews import batch as writes
from giamngheo.reviews.models import ReviewResult, ReviewRound
from giamngheo.units.models import Unit

logger = logging.getLogger(__name__)

UNDO_CHUNK = 2000  # rows undone per transaction


def _label(model: type[Model]) -> str:
    return model._meta.label


def begin(*, commune: Unit, file_name: str, reason: str) -> ImportInProgress:
    """Mark the commune's import as in progress; an abandoned one is undone first, a live one refuses."""
    earlier = ImportInProgress.objects.filter(commune=commune).first()
    if earlier is not None:
        if not abandoned(earlier.worker, earlier.heartbeat_at):
            raise InputError.single(
                f"xã đang được nhập một danh sách khác ({earlier.file_name}, từ "
                f"{timezone.localtime(earlier.started_at):%H:%M %d/%m/%Y})",
                f"another list is being imported into this commune ({earlier.file_name}, since "
                f"{timezone.localtime(earlier.started_at):%Y-%m-%d %H:%M})",
                fix_vi="chờ lần nhập đó xong rồi nhập lại",
                fix_en="wait for that import to finish, then import again",
            )
        logger.warning("undoing the unfinished import %s of commune %s", earlier, commune.code)
        undo(earlier)
    now = timezone.now()
    return ImportInProgress.objects.create(
        commune=commune,
        file_name=file_name[:255],
        reason=reason,
        started_at=now,
        worker=worker_id(),
        heartbeat_at=now,
    )


def round_opened(run: ImportInProgress, review_round: ReviewRound) -> None:
    run.round_opened = review_round
    run.save(update_fields=["round_opened"])


LEFT = "_version_left"  # in a row before: the version the import leaves it at (its own save, if any)


def _rows(model: type[Model], ids: Iterable[int], bumped: bool | set[int] = False) -> list[dict[str, Any]]:
    """The rows as they are now, whole; a versioned row notes the version the import's write leaves (one
    more where the import saves it, the same where it only moves it with its household)."""
    keys = sorted(set(ids))
    if not keys:
        return []
    names = [f.attname for f in fastbulk.written_fields(model)]
    rows = list(model._default_manager.filter(pk__in=keys).values(*names))
    if "version" in names:
        for row in rows:
            row[LEFT] = row["version"] + (1 if bumped is True or (bumped and row["id"] in bumped) else 0)
    return rows


def write_batch(
    *, run: ImportInProgress, plan: BatchPlan, review_round: ReviewRound | None, actor: User | None
) -> None:
    """Write one batch's plan and its undo step (in the caller's transaction, with the plan's reads)."""
    moved = [pk for ids in plan.moved.values() for pk in ids]
    heads = {r["id"] for r in plan.changed_heads}
    members = heads | set(Member.objects.filter(household_id__in=moved).values_list("pk", flat=True))
    before = {
        _label(Household): _rows(Household, [r["id"] for r in plan.changed_households], bumped=True),
        _label(Member): _rows(Member, members, bumped=heads),
        _label(ReviewResult): _rows(ReviewResult, [r["id"] for r in plan.changed_results]),
    }
    writes.household_batch_write(plan=plan, review_round=review_round, actor=actor, reason=run.reason)
    created = {
        _label(ReviewResult): [result["id"] for _, result in plan.new_results],
        _label(Member): [member["id"] for _, member in plan.new_heads],
        _label(Household): [household["id"] for household in plan.new_households],
    }
    ImportUndoStep.objects.create(
        run=run,
        created={k: v for k, v in created.items() if v},
        before={k: v for k, v in before.items() if v},
    )


def finish(run: ImportInProgress) -> None:
    """In the import's last transaction: the import is complete when it commits."""
    ImportInProgress.objects.filter(pk=run.pk).delete()


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), UNDO_CHUNK):
        yield values[start : start + UNDO_CHUNK]


def _delete_created(model: type[Model], ids: list[int]) -> None:
    """The rows, and every history row of them (the import never happened)."""
    historical = get_history_manager_for_model(model).model
    for chunk in _chunks(ids):
        with transaction.atomic():
            historical._default_manager.filter(id__in=chunk)._raw_delete(connection.alias)  # type: ignore[attr-defined]
            model._default_manager.filter(pk__in=chunk)._raw_delete(connection.alias)  # type: ignore[attr-defined]


def _restore(run: ImportInProgress, model: type[Model], rows: list[dict[str, Any]]) -> None:
    """The rows' values before the import, and the history rows the import wrote of them dropped. A row
    with a version someone moved on since is left as that person saved it."""
    fields = {f.attname: f for f in fastbulk.written_fields(model)}
    historical = get_history_manager_for_model(model).model
    versioned = "version" in fields
    for chunk in _chunks(rows):
        with transaction.atomic():
            ids = [row["id"] for row in chunk]
            current = dict(
                model._default_manager.filter(pk__in=ids).values_list("pk", "version" if versioned else "pk")
            )
            kept = []
            for row in chunk:
                left = row.get(LEFT)
                values = {name: fields[name].to_python(value) for name, value in row.items() if name != LEFT}
                pk = values.pop("id")
                if pk not in current:
                    continue
                if versioned and current[pk] != left:
                    kept.append(pk)
                    continue
                model._default_manager.filter(pk=pk).update(**values)
            historical._default_manager.filter(
                id__in=[pk for pk in ids if pk not in kept],
                history_change_reason=run.reason,
                history_date__gte=run.started_at,
            )._raw_delete(connection.alias)  # type: ignore[attr-defined]
            if kept:
                logger.warning("undo of %s: %s %s saved by someone since, left as saved", run, model, kept)


def undo(run: ImportInProgress) -> None:
    """Undo every step of an unfinished import, newest first, in short transactions; then the marker."""
    for step in ImportUndoStep.objects.filter(run=run).order_by("-pk"):
        for model in (ReviewResult, Member, Household):  # what points at a row goes before it
            _delete_created(model, list(step.created.get(_label(model), [])))
        for label, rows in step.before.items():
            _restore(run, apps.get_model(label), rows)
        step.delete()
    with transaction.atomic():
        opened = run.round_opened_id
        ImportInProgress.objects.filter(pk=run.pk).delete()
        if opened is not None and not ReviewResult.objects.filter(review_round_id=opened).exists():
            historical = get_history_manager_for_model(ReviewRound).model
            historical._default_manager.filter(id=opened)._raw_delete(connection.alias)  # type: ignore[attr-defined]
            ReviewRound.objects.filter(pk=opened)._raw_delete(connection.alias)  # type: ignore[attr-defined]
