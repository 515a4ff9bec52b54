"""A document prepared in the background (``DocumentJob``): a province's progress report as PDF, the
certificates of a large village — files whose layout takes longer than a page request should wait.

The job keeps what to render (``kind`` + ``params``), who asked (the file is rendered as that user sees the
data, and only that user may open the job), and, once done, the file itself.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from giamngheo.common.lease import abandoned


class DocumentKind(models.TextChoices):
    PROGRESS = "progress", _("Progress report")
    CERTIFICATES = "certificates", _("Certificates of poor and near-poor households")


class DocumentState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class DocumentJob(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    params = models.JSONField(default=dict)
    title = models.CharField(_("title"), max_length=255)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="document_jobs",
        verbose_name=_("user"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=DocumentState.choices, default=DocumentState.QUEUED
    )
    file_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=120)
    content = models.BinaryField(null=True, editable=False)
    message = models.TextField(blank=True)  # why it failed, for the user
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The lease of the worker preparing it (``common/lease.py``).
    worker = models.CharField(max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document being prepared")
        verbose_name_plural = _("documents being prepared")
        db_table = "reports_documentjob"  # created by the reports app before the model moved here
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="reports_docjob_user_recent")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.state in (DocumentState.DONE, DocumentState.FAILED)

    @property
    def worker_died(self) -> bool:
        """Being prepared, but its worker is gone: shown as failed, with "run again"."""
        return self.state == DocumentState.RUNNING and abandoned(self.worker, self.heartbeat_at)
