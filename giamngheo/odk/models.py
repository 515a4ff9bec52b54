"""What the submissions import keeps: each submission it read, under the submission's own id, so the same
export read again (or a file holding it again) changes nothing."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from giamngheo.reviews.models import ReviewRound, RoundHousehold


class ImportedSubmission(models.Model):
    """One ODK / Kobo submission read into a round (the command line acts for the system, so the API's
    per-user idempotency keys do not fit: the submission's instance id is the key)."""

    instance_id = models.CharField(_("submission id"), max_length=100, unique=True)
    review_round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(RoundHousehold, on_delete=models.PROTECT, related_name="+")
    content_hash = models.CharField(max_length=64)
    forms = models.CharField(_("forms"), max_length=4)  # "A", "B" or "AB"
    file_name = models.CharField(_("file"), max_length=300)
    row = models.PositiveIntegerField(_("row"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("imported submission")
        verbose_name_plural = _("imported submissions")

    def __str__(self) -> str:
        return self.instance_id
