"""The progress report as submitted upward (``ProgressReport``): its figures frozen at submission, its
versions and the decision of the level above."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from giamngheo.support.models import PATH_OPS, InUnit, optional


class ReportState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, awaiting a decision")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for correction")


class ProgressReport(InUnit):
    """A progress report as submitted upward: the figures are frozen in ``data`` at submission.

    An approved version is locked (no service changes it); a correction is a new version with a reason.
    """

    period = models.CharField(_("period"), max_length=10)  # 2023-05, 2023-Q2, 2023
    period_start = models.DateField()
    period_end = models.DateField()
    version = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=10, choices=ReportState.choices)
    data = models.JSONField()
    reason = models.TextField(_("reason for the new version"), blank=True)
    comment = models.TextField(_("comment of the level above"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_by = optional(settings.AUTH_USER_MODEL, "+", _("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["data"], table_name="support_historicalprogressreport")

    class Meta:
        db_table = "support_progressreport"  # created by the support app before the model moved here
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["unit_path", "-period_end", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "version"], name="one_report_version"),
        ]
        indexes = [
            models.Index(
                fields=["unit_path", "period"], name="progress_report_scope", opclasses=[*PATH_OPS, ""]
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period} v{self.version}"

    @property
    def is_locked(self) -> bool:
        return self.state == ReportState.APPROVED
