"""Format C: the household list of a review round (``giamngheo import households FILE --year Y``).

1. Read the file (streaming) and check every row, column by column with polars: required headers and
   values, members ≥ 1, yes/no cells, status words, duplicate household ids, citizen IDs, then the villages
   (by code or by name; the commune is the one all villages belong to). Every problem is collected (up to
   ``checks.PROBLEM_CAP``) and raised together; nothing has been written.
2. Compare with the register batch by batch (``BATCH`` rows: one query each for households, heads and
   results) and write only what differs, through ``reviews.batch`` — so importing the same file twice
   writes nothing, not even history rows.
3. Results go into the regular round of year Y as ``imported`` results; the round is then decided
   (official) unless the list is imported as a draft. A decided round is locked: a file that would change
   its results is refused before anything is written.

One module per stage: ``columns`` (the format), ``reading`` (1), ``comparing`` (2); this module runs them.

Without a ``status`` column, the classification columns of format A (income or B1 score, indicators) are
classified by the standards engine with the round's standard.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import connection, transaction

from giamngheo.accounts.models import User
from giamngheo.common.lease import Heartbeat
from giamngheo.imports.checks import (
    Problems,
)
from giamngheo.imports.household_list import writing
from giamngheo.imports.household_list.columns import BATCH, CLASSIFICATION, specs
from giamngheo.imports.household_list.comparing import _Context, _plan_batch, _refuse_locked
from giamngheo.imports.household_list.reading import _check_scope, _parse, _resolve_villages, _statuses
from giamngheo.imports.models import ImportInProgress, JobStage
from giamngheo.imports.progress import NoProgress, Progress
from giamngheo.imports.readers import frame_rows, open_table
from giamngheo.imports.report import DECISION_NOT_GIVEN, ImportReport
from giamngheo.reviews.models import ReviewRound, RoundKind, RoundState
from giamngheo.reviews.services import default_review_date, review_round_decide, review_round_open
from giamngheo.reviews.statuses import household_statuses_refresh
from giamngheo.tabular.reader import no_rows_error
from giamngheo.units.models import Unit

logger = logging.getLogger(__name__)
SQLITE_WRITE_BATCH = 1000

if TYPE_CHECKING:
    import polars as pl


def households_import(
    *,
    path: str | Path,
    year: int,
    display_name: str | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
    draft: bool = False,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    actor: User | None = None,
    within: Unit | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a review round's household list; see the module's docstring. ``within`` limits which villages
    names may match; an ``actor`` (the web) must be allowed to edit the commune the file resolves to."""
    progress = progress or NoProgress()
    progress.stage(JobStage.READING)
    table = open_table(path, specs(), display_name=display_name, sheet=sheet)
    progress.stage(JobStage.VALIDATING, table.frame.height)
    problems = Problems()
    frame, present = _parse(table, problems)
    review_date = default_review_date(year=year, kind=RoundKind.REGULAR, month=None)
    commune, villages = _resolve_villages(table, frame, within, review_date, problems)
    if commune is None or problems:
        problems.raise_if_any()
    if commune is None:  # no problem and no village: the file has no data rows under its header
        raise no_rows_error(table)
    _check_scope(table, actor, commune)
    frame = frame.drop("village_key").with_columns(
        frame["village_key"]
        .replace_strict({k: v.pk for k, v in villages.items()}, default=None)
        .alias("village_id")
    )
    review_round = (
        ReviewRound.objects.filter(commune=commune, year=year, kind=RoundKind.REGULAR, month__isnull=True)
        .select_related("commune")
        .first()
    )
    frame = _statuses(
        table, frame, present, review_round, year, {v.pk: v for v in villages.values()}, problems
    )
    problems.raise_if_any()
    progress.advance(frame.height)

    report = ImportReport(
        file=table.file,
        kind="households",
        dry_run=dry_run,
        rows=frame.height,
        commune=commune.display_name,
        commune_code=commune.code,
        year=year,
    )
    if "status" in present and present & set(CLASSIFICATION):
        report.notes.append(
            (
                "Tệp có cột Phân loại: các cột thu nhập/điểm B1/chỉ số không được dùng để phân loại",
                "The file has a status column: the income/B1/indicator columns were not used to classify",
            )
        )
    context = _Context(
        file=table.file,
        commune=commune,
        villages={v.pk: v for v in villages.values()},
        year=year,
        review_round=review_round,
        present=present,
        actor=actor,
        reason=f"Nhập danh sách / imported list: {table.file}"[:100],
        columns={"household_id": "household_id", "head_citizen_id": "head_citizen_id", **table.found},
    )
    report.round_created = review_round is None
    decided = review_round is not None and review_round.is_decided
    if dry_run:
        _run(frame, context, report, progress)
        if decided:
            assert review_round is not None
            report.round_state, report.decision_number = RoundState.DECIDED, review_round.decision_number
        elif draft:
            report.round_state = RoundState.OPEN
        else:
            report.round_state, report.round_decided_now = RoundState.DECIDED, True
            report.decision_number = decision_number or DECISION_NOT_GIVEN
        return report
    run = writing.begin(commune=commune, file_name=table.file, reason=context.reason)
    try:
        with Heartbeat(ImportInProgress, run.pk):
            _write(run, context, frame, report, progress, draft, decision_number, decision_date)
    except BaseException:
        try:
            writing.undo(run)
        except Exception:  # the marker stays: the commune's next import undoes it
            logger.exception("the unfinished import %s could not be undone now", run)
        raise
    return report


def _write(
    run: ImportInProgress,
    context: _Context,
    frame: pl.DataFrame,
    report: ImportReport,
    progress: Progress,
    draft: bool,
    decision_number: str,
    decision_date: datetime.date | None,
) -> None:
    """Write the list batch by batch (``writing``), then decide the round in the last transaction, which
    also ends the import in progress: all of it is in the register from that commit on, or none of it."""
    if context.review_round is None:
        with transaction.atomic():
            context.review_round = review_round_open(
                commune=context.commune, year=context.year, actor=context.actor
            )
            writing.round_opened(run, context.review_round)
    _run(frame, context, report, progress, run=run)
    started = time.perf_counter()
    with transaction.atomic():
        current = context.review_round
        if not draft and current.state == RoundState.OPEN:
            current = review_round_decide(
                review_round=current,
                decision_number=decision_number or DECISION_NOT_GIVEN,
                decision_date=decision_date or current.review_date,
                actor=context.actor,
            )
            report.round_decided_now = True  # the decision refreshed the register's stored statuses
        elif current.is_decided and report.households.changed:
            # A decided round's results cannot change here (refused above), so the stored statuses cannot
            # either; refreshed anyway, once, so the register never lags a decided list.
            household_statuses_refresh(commune=context.commune)
        report.round_state = current.state
        report.decision_number = current.decision_number
        writing.finish(run)
    logger.info("%s: the last transaction (decision) %.1f s", context.file, time.perf_counter() - started)


def _run(
    frame: pl.DataFrame,
    context: _Context,
    report: ImportReport,
    progress: Progress,
    *,
    run: ImportInProgress | None = None,
) -> None:
    """One pass over the file, batch by batch: compare, then write what differs. A decided round is locked:
    if any row would change its results, nothing more is written and the whole import is refused (its
    import is undone), after the pass has counted every such row. Writing (``run`` given), each batch is
    compared and written in a transaction of its own, so other writers take turns with the import."""
    write = run is not None
    progress.stage(JobStage.WRITING if write else JobStage.COMPARING, frame.height)
    locked = context.review_round is not None and context.review_round.is_decided
    differing: list[int] = []
    problems = Problems()
    # SQLite has one writer: smaller batches hold its lock shorter (the others wait at most that long).
    size = min(BATCH, SQLITE_WRITE_BATCH) if write and connection.vendor == "sqlite" else BATCH
    longest = 0.0
    for batch in frame_rows(frame, size):
        started = time.perf_counter()
        # Writing, on SQLite: BEGIN IMMEDIATE, the write lock for this batch only. Comparing: reads only.
        with transaction.atomic() if write else contextlib.nullcontext():
            plan = _plan_batch(batch, context, report)
            problems.extend(plan.problems)
            if locked and plan.writes_results:
                differing += plan.results_new + plan.results_replaced
            elif run is not None and not differing and not problems:
                writing.write_batch(
                    run=run, plan=plan, review_round=context.review_round, actor=context.actor
                )
        longest = max(longest, time.perf_counter() - started)
        progress.advance(len(batch))
    if write:
        logger.info("%s: batches of %d rows, the longest transaction %.1f s", context.file, size, longest)
    problems.raise_if_any()
    if differing:
        _refuse_locked(context, differing, report.results.changed)
