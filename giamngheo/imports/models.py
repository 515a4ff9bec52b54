"""An import job: one uploaded file, what to do with it, and how it went (stage, progress, counts, errors).

The web UI creates a job and a background task runs it (``tasks.py``); the page polls the job for its
progress. The uploaded bytes live on the job itself, not on disk, so the worker may run on another machine
and nothing is left behind; they are dropped once a real import has succeeded (the register holds the data
then) and kept otherwise, for the error workbook and for "import it for real" after a dry run.
"""

from __future__ import annotations

import datetime
import decimal
import json
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from giamngheo.common.lease import abandoned
from giamngheo.units.models import Unit


class ImportKind(models.TextChoices):
    UNITS = "units", _("Administrative units")
    HOUSEHOLDS = "households", _("Household list of a review round")


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("The file has errors")
    ERROR = "error", _("Stopped by an unexpected error")


class JobStage(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    READING = "reading", _("Reading the file")
    VALIDATING = "validating", _("Checking every row")
    COMPARING = "comparing", _("Comparing with the register")
    WRITING = "writing", _("Saving")
    DONE = "done", _("Finished")


FINISHED_STATES = frozenset({JobState.SUCCEEDED, JobState.FAILED, JobState.ERROR})


class ImportJob(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=ImportKind.choices)
    state = models.CharField(_("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    stage = models.CharField(_("stage"), max_length=12, choices=JobStage.choices, default=JobStage.QUEUED)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="import_jobs",
        verbose_name=_("user"),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(editable=False, null=True)
    size_bytes = models.PositiveIntegerField(_("file size"), default=0)

    # What to do (households only, except dry_run).
    year = models.PositiveSmallIntegerField(_("review year"), null=True, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    draft = models.BooleanField(_("import as a draft"), default=False)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)

    # What it touched: the commune of a household list, for scoping the job list.
    commune = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("commune")
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)  # at most PROBLEM_CAP, as Problem fields
    problems_total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)  # the one-line reason of an unexpected error
    task_id = models.CharField(max_length=64, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The lease of the worker running the job (``common/lease.py``): who, and when it last said it was alive.
    worker = models.CharField(max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="importjob_user_recent")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_kind_display()}, {self.get_state_display()})"

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_STATES

    @property
    def worker_died(self) -> bool:
        """Running, but its worker is gone: shown as stopped, with "run again"."""
        return self.state == JobState.RUNNING and abandoned(self.worker, self.heartbeat_at)

    @property
    def percent(self) -> int:
        if self.state == JobState.SUCCEEDED:
            return 100
        if not self.rows_total:
            return 0
        return min(100, (100 * self.rows_done) // self.rows_total)


class UndoEncoder(json.JSONEncoder):
    """Dates and times in full (``DjangoJSONEncoder`` cuts microseconds), decimals as text: read back with
    each field's ``to_python``."""

    def default(self, o: object) -> object:
        if isinstance(o, datetime.date | datetime.time):
            return o.isoformat()
        if isinstance(o, decimal.Decimal | uuid.UUID):
            return str(o)
        return super().default(o)


class ImportInProgress(models.Model):
    """A household list being written into a commune's register (``household_list.writing``): at most one a
    commune. It writes in short transactions, batch by batch, each with its undo step; it is complete when
    the last transaction (the round's decision) deletes this row. A row left behind — the import failed and
    could not undo, or its process died — is undone by the next import of the commune."""

    commune = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("commune")
    )
    file_name = models.CharField(_("file name"), max_length=255)
    reason = models.CharField(max_length=100)  # the history reason of every row the import writes
    started_at = models.DateTimeField(_("started"))
    round_opened = models.ForeignKey(
        "reviews.ReviewRound", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    worker = models.CharField(max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import in progress")
        verbose_name_plural = _("imports in progress")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"


class ImportUndoStep(models.Model):
    """What one batch of an import in progress wrote, to undo it: the keys of the rows it created and the
    rows it changed as they were before, per model (``app_label.Model`` → list)."""

    run = models.ForeignKey(ImportInProgress, on_delete=models.CASCADE, related_name="steps")
    created = models.JSONField(default=dict)
    before = models.JSONField(default=dict, encoder=UndoEncoder)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.run} #{self.pk}"
