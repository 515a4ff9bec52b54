"""Summary tables of the decided lists: households and people per status, year and commune.

The national rollup (34 provinces, 3,321 communes, 27 million households) reads these rows — at most
communes × statuses per year — instead of the register. Each decision adds its delta
(``services.rollup_round_apply``, called when a round is decided, whether by the chair's decision or by an
imported official list), so they are never recounted from the register; ``giamngheo rollup_rebuild``
recounts them from scratch (after a restore, or data written behind the services' back).

What a row counts: the households with a decided result in a round of that commune and year, each once,
at its latest such result (by review date, then round): the yearly review, then any ad-hoc round after it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from giamngheo.households.models import Status
from giamngheo.reviews.models import ReviewRound
from giamngheo.units.models import Unit


class StatusRollup(models.Model):
    year = models.PositiveSmallIntegerField(_("review year"))
    commune = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("commune"))
    # The commune's path: scoped like every table (``scope_q``), grouped by province (its first code), and
    # re-pathed with the commune when it moves (``units.services``).
    unit_path = models.CharField(max_length=400, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    households = models.IntegerField(_("households"), default=0)
    members = models.IntegerField(_("people"), default=0)

    class Meta:
        verbose_name = _("status rollup")
        verbose_name_plural = _("status rollups")
        constraints = [
            models.UniqueConstraint(fields=["year", "commune", "status"], name="one_rollup_per_status")
        ]
        indexes = [
            models.Index(
                fields=["year", "unit_path"], name="rollup_year_scope", opclasses=["", "varchar_pattern_ops"]
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit_path} {self.status}: {self.households}"


class RolledUpRound(models.Model):
    """A decided round whose results are in the rollup (so a round is never added twice)."""

    review_round = models.OneToOneField(
        ReviewRound, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rolled-up round")
        verbose_name_plural = _("rolled-up rounds")

    def __str__(self) -> str:
        return str(self.review_round_id)
