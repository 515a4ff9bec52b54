"""Writes of the imports app: the bulk register writes of a household list, and import jobs (web UI).

``household_batch_write`` is the one place an import writes households, heads and review results. It
writes through ``core.fastbulk`` (multi-row statements, with the history rows simple-history would
write: who, when, why) rather than ``households.services`` and ``reviews.services.results_record`` one
model instance at a time: a 100,000-row list must import in under a minute, and the ORM's bulk helpers
alone take longer than that. It writes only what ``household_list`` found different and keeps the
invariants the services keep: ``unit_path`` follows the village (members too), ``search_text`` follows the
name, ``version`` grows on every change, results go only into an open round and carry the household's
snapshot as ``results_record`` takes it.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.core import fastbulk
from giamngheo.core.lease import Heartbeat, still_running, worker_id
from giamngheo.errors import InputError
from giamngheo.households.models import Household, Member
from giamngheo.households.services import ConflictError, household_search_text_refresh
from giamngheo.imports.models import ImportJob, ImportKind, JobStage, JobState
from giamngheo.reviews.models import ReviewResult, ReviewRound
from giamngheo.reviews.services import ensure_round_open
from giamngheo.units.models import Unit

if TYPE_CHECKING:
    from giamngheo.imports.household_list import BatchPlan

logger = logging.getLogger(__name__)

HOUSEHOLD_UPDATE_FIELDS = [
    "village",
    "unit_path",
    "head_name",
    "size",
    "area",
    "labour_capacity",
    "social_protection",
    "ethnic_minority",
    "meritorious",
    "version",
    "updated_at",
]
HEAD_UPDATE_FIELDS = ["full_name", "citizen_id", "search_text", "version"]
RESULT_UPDATE_FIELDS = [
    "unit_path",
    "status",
    "source",
    "members",
    "labour_capacity",
    "social_protection",
    "ethnic_minority",
    "meritorious",
    "provincial_income_support",
    "income_per_capita",
    "b1_score",
    "b2_score",
    "deprivation_count",
    "deprived",
    "explanation_vi",
    "explanation_en",
]


@transaction.atomic
def household_batch_write(
    *, plan: BatchPlan, review_round: ReviewRound | None, actor: User | None, reason: str
) -> None:
    """Write one batch of a household list: new and changed households, their heads, their results.

    Households and heads are compared and written without locking the batch: a row someone saved since it
    was read (its ``version`` moved on) makes the whole import a ``ConflictError``, rolled back."""
    try:
        _batch_write(plan=plan, review_round=review_round, actor=actor, reason=reason)
    except fastbulk.StaleRowsError:
        raise ConflictError.single(
            "trong lúc nhập, có người vừa sửa một số hộ của danh sách; chưa ghi gì",
            "someone changed some households of the list while it was imported; nothing was written",
            fix_vi="nhập lại tệp (lần nhập sau sẽ so sánh với dữ liệu mới)",
            fix_en="import the file again (it will be compared with the new data)",
        ) from None


def _whole_rows(model: type[Any], rows: list[dict[str, Any]], *, versioned: bool) -> None:
    """Give the changed rows (read with only the compared columns, new values set) their other columns, for
    the history rows that copy whole rows. A row saved by someone since it was compared (its version moved
    on) or deleted is the conflict the write would find: ``StaleRowsError``."""
    if not rows:
        return
    names = [f.attname for f in model._meta.concrete_fields]
    stored = {
        r["id"]: r
        for r in model.objects.filter(fastbulk.among(model, "id", [r["id"] for r in rows])).values(*names)
    }
    for row in rows:
        current = stored.get(row["id"])
        if current is None or (versioned and current["version"] != row["version"] - 1):
            raise fastbulk.StaleRowsError(f"{model.__name__} {row['id']} was changed meanwhile")
        for name, value in current.items():
            row.setdefault(name, value)


def _batch_write(
    *, plan: BatchPlan, review_round: ReviewRound | None, actor: User | None, reason: str
) -> None:
    _whole_rows(Household, plan.changed_households, versioned=True)
    _whole_rows(Member, plan.changed_heads, versioned=True)
    _whole_rows(ReviewResult, plan.changed_results, versioned=False)
    history: dict[str, Any] = {"user_id": actor.pk if actor else None, "reason": reason}
    fastbulk.insert_with_history(Household, plan.new_households, **history)
    fastbulk.update_with_history(
        Household, plan.changed_households, HOUSEHOLD_UPDATE_FIELDS, version="version", **history
    )
    for path, household_ids in plan.moved.items():
        Member.objects.filter(household_id__in=household_ids).update(unit_path=path)
    heads = []
    for household, member in plan.new_heads:
        member["household_id"] = household["id"]  # a new household has its key now
        heads.append(member)
    fastbulk.insert_with_history(Member, heads, **history)
    fastbulk.update_with_history(Member, plan.changed_heads, HEAD_UPDATE_FIELDS, version="version", **history)
    household_search_text_refresh(household_ids=plan.renamed)  # head and members' names, all written now
    if plan.writes_results:
        assert review_round is not None
        ensure_round_open(review_round)  # a decided round is locked (checked before writing, kept here too)
        results = []
        for household, result in plan.new_results:
            result["household_id"] = household["id"]
            result["review_round_id"] = review_round.pk
            results.append(result)
        fastbulk.insert_with_history(ReviewResult, results, **history)
        fastbulk.update_with_history(ReviewResult, plan.changed_results, RESULT_UPDATE_FIELDS, **history)


# --- import jobs (web UI) -----------------------------------------------------------------------------------

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def import_job_create(
    *,
    user: User,
    kind: str,
    upload: UploadedFile,
    year: int | None = None,
    dry_run: bool = False,
    draft: bool = False,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
) -> ImportJob:
    """Record the job with the uploaded file and start it in the background once the record is committed."""
    content = b"".join(upload.chunks())
    job = ImportJob.objects.create(
        kind=kind,
        user=user,
        file_name=Path(upload.name or "upload").name[:255],
        content=content,
        size_bytes=len(content),
        year=year if kind == ImportKind.HOUSEHOLDS else None,
        dry_run=dry_run,
        draft=draft and kind == ImportKind.HOUSEHOLDS,
        decision_number=decision_number.strip()[:60],
        decision_date=decision_date,
    )
    _enqueue_after_commit(job)
    return job


@transaction.atomic
def import_job_run_again(*, user: User, job: ImportJob) -> ImportJob:
    """A job whose worker died: recorded as stopped, and the same file queued again with the same choices
    (a dry run stays a dry run). The import wrote nothing (it is all-or-nothing), so running it again is
    safe."""
    current = ImportJob.objects.select_for_update().defer("content").get(pk=job.pk)
    if not current.worker_died:
        raise still_running()
    current.state, current.stage, current.finished_at = JobState.ERROR, JobStage.DONE, timezone.now()
    current.message = "worker stopped (máy chạy nền đã dừng)"
    current.save(update_fields=["state", "stage", "finished_at", "message"])
    return _queue_copy(user=user, job=current, dry_run=current.dry_run)


def import_job_rerun(*, user: User, job: ImportJob) -> ImportJob:
    """After a dry run: import the same file for real, with the same choices."""
    return _queue_copy(user=user, job=job, dry_run=False)


def _queue_copy(*, user: User, job: ImportJob, dry_run: bool) -> ImportJob:
    content = ImportJob.objects.values_list("content", flat=True).get(pk=job.pk)
    if content is None:
        raise InputError.single(
            "tệp của lần nhập này không còn được lưu",
            "the file of this import is no longer kept",
            fix_vi="tải tệp lên lại",
            fix_en="upload the file again",
        )
    new = ImportJob.objects.create(
        kind=job.kind,
        user=user,
        file_name=job.file_name,
        content=bytes(content),
        size_bytes=job.size_bytes,
        year=job.year,
        dry_run=dry_run,
        draft=job.draft,
        decision_number=job.decision_number,
        decision_date=job.decision_date,
    )
    _enqueue_after_commit(new)
    return new


def _enqueue_after_commit(job: ImportJob) -> None:
    from giamngheo.imports.tasks import import_job_execute

    def enqueue() -> None:
        result = import_job_execute.enqueue(job.pk)
        # The immediate backend (tests) has run the job already; only a queued job needs its task id.
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)


def lookup_root(user: User | None) -> Unit | None:
    """Where a user's file may name villages: their unit, or for a village head the commune (so that a
    commune's list gets the clear "not allowed" answer rather than "unknown village")."""
    if user is None or user.is_system_admin:
        return None
    unit = user.unit
    if unit is None:
        raise InputError.single(
            "tài khoản của bạn chưa gắn với đơn vị nào",
            "your account is not attached to a unit",
            fix_vi="nhờ quản trị hệ thống gán đơn vị cho tài khoản",
            fix_en="ask the system administrator to assign your unit",
        )
    if unit.level.code == "village" and unit.parent_id:
        return unit.parent
    return unit


def import_job_run(*, job_id: int) -> str:
    """Run a queued job (called by the background task): the job ends succeeded, failed (the file has
    errors, listed on the job) or error (unexpected; the worker's log has the traceback). The worker holds
    a lease on the job while it runs (``core/lease.py``)."""
    job = (
        ImportJob.objects.select_related("user", "user__unit", "user__unit__level")
        .defer("content")
        .get(pk=job_id)
    )
    if job.is_finished:
        return job.state
    job.state, job.started_at = JobState.RUNNING, timezone.now()
    job.worker, job.heartbeat_at = worker_id(), job.started_at
    job.save(update_fields=["state", "started_at", "worker", "heartbeat_at"])
    with Heartbeat(ImportJob, job.pk):
        return _run_started(job)


def _run_started(job: ImportJob) -> str:
    from giamngheo.imports.checks import problem_total
    from giamngheo.imports.household_list import households_import
    from giamngheo.imports.progress import JobProgress
    from giamngheo.imports.unit_list import units_import

    progress = JobProgress(job)
    try:
        if job.user is None:  # never run a web import with the command line's (system) rights
            raise InputError.single(
                "người tải tệp lên không còn tồn tại", "the user who uploaded the file is gone"
            )
        content = ImportJob.objects.values_list("content", flat=True).get(pk=job.pk)
        with tempfile.TemporaryDirectory(prefix="giamngheo-import-") as folder:
            path = Path(folder) / (Path(job.file_name).name or "upload")
            path.write_bytes(bytes(content or b""))
            if job.kind == ImportKind.UNITS:
                report = units_import(
                    path=path,
                    display_name=job.file_name,
                    dry_run=job.dry_run,
                    actor=job.user,
                    progress=progress,
                )
            else:
                assert job.year is not None
                report = households_import(
                    path=path,
                    year=job.year,
                    display_name=job.file_name,
                    dry_run=job.dry_run,
                    draft=job.draft,
                    decision_number=job.decision_number,
                    decision_date=job.decision_date,
                    actor=job.user,
                    within=lookup_root(job.user),
                    progress=progress,
                )
    except InputError as error:
        job.state = JobState.FAILED
        job.problems = [_problem_dict(p) for p in error.problems]
        job.problems_total = problem_total(error)
    except Exception as error:  # noqa: BLE001 - recorded on the job; the worker logs the traceback
        logger.exception("import job %s failed", job.pk)
        job.state = JobState.ERROR
        job.message = f"{type(error).__name__}: {error}"[:2000]
    else:
        job.state = JobState.SUCCEEDED
        job.counts = report.as_dict()
        if report.commune_code:
            job.commune = Unit.objects.filter(code=report.commune_code).first()
        if not job.dry_run:
            job.content = None  # the register holds the data now
    finally:
        progress.close()
    job.stage = JobStage.DONE
    job.finished_at = timezone.now()
    fields = ["state", "stage", "problems", "problems_total", "message", "counts", "commune", "finished_at"]
    job.save(
        update_fields=fields + (["content"] if job.state == JobState.SUCCEEDED and not job.dry_run else [])
    )
    return job.state


def _problem_dict(problem: Any) -> dict[str, Any]:
    return {
        "file": problem.file,
        "row": problem.row,
        "column": problem.column,
        "message_vi": problem.message_vi,
        "message_en": problem.message_en,
        "fix_vi": problem.fix_vi,
        "fix_en": problem.fix_en,
    }
