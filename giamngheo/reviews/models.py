"""Review rounds (Decision 24/2021/QĐ-TTg) and their result per household.

A result is a snapshot: status, scores, deprivations and the household's categories *at that review*, so
figures for a past year never change when the register changes later. ``unit_path`` is copied from the
household for scoped aggregation by prefix (GROUP BY village path) without joins.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from giamngheo.households.models import Household
from giamngheo.units.models import Unit


class RoundKind(models.TextChoices):
    REGULAR = "regular", _("Regular (yearly) review")
    ADHOC = "adhoc", _("Ad-hoc (monthly) review")


class RoundState(models.TextChoices):
    OPEN = "open", _("In progress")
    DECIDED = "decided", _("Decided by the commune chair")


class Status(models.TextChoices):
    POOR = "poor", _("Poor")
    NEAR_POOR = "near_poor", _("Near-poor")
    AVERAGE = "average", _("Average living standard")
    NOT_POOR = "not_poor", _("Not poor")


class ResultSource(models.TextChoices):
    SURVEY = "survey", _("Surveyed (Phiếu A/B)")
    IMPORTED = "imported", _("Imported list")


class ReviewRound(models.Model):
    commune = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="review_rounds", verbose_name=_("commune")
    )
    year = models.PositiveSmallIntegerField(_("review year"))
    kind = models.CharField(_("kind"), max_length=8, choices=RoundKind.choices, default=RoundKind.REGULAR)
    month = models.PositiveSmallIntegerField(_("month (ad-hoc)"), null=True, blank=True)
    standard_id = models.CharField(_("poverty standard"), max_length=40)
    standard_version = models.CharField(_("standard version"), max_length=20)
    # The date the review speaks of: ages are computed at it; the results describe the end of the year.
    review_date = models.DateField(_("review date"))
    state = models.CharField(_("state"), max_length=8, choices=RoundState.choices, default=RoundState.OPEN)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["-year", "kind", "month"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "year", "kind", "month"], name="one_round_per_period"),
            models.UniqueConstraint(
                fields=["commune", "year", "kind"],
                condition=models.Q(month__isnull=True),
                name="one_regular_round_per_year",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == RoundKind.ADHOC:
            return f"{self.commune.name} — {self.month:02d}/{self.year}"
        return f"{self.commune.name} — {self.year}"

    @property
    def is_decided(self) -> bool:
        return self.state == RoundState.DECIDED


class ReviewResult(models.Model):
    review_round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="results")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="results")
    unit_path = models.CharField(max_length=400, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    source = models.CharField(
        _("source"), max_length=8, choices=ResultSource.choices, default=ResultSource.SURVEY
    )

    # Snapshot of the household at the review (for the analysis and reports of that year).
    members = models.PositiveSmallIntegerField(_("number of members"))
    labour_capacity = models.BooleanField(_("has labour capacity"), null=True)
    social_protection = models.BooleanField(default=False)
    ethnic_minority = models.BooleanField(default=False)
    meritorious = models.BooleanField(default=False)
    provincial_income_support = models.BooleanField(default=False)

    # What the engine computed (empty for an imported list that only brings a status).
    income_per_capita = models.PositiveIntegerField(null=True, blank=True)
    b1_score = models.PositiveSmallIntegerField(null=True, blank=True)
    b2_score = models.PositiveSmallIntegerField(null=True, blank=True)
    deprivation_count = models.PositiveSmallIntegerField(null=True, blank=True)
    deprived = models.CharField(
        max_length=300, blank=True
    )  # indicator codes in the standard's order, ";"-joined
    explanation_vi = models.TextField(blank=True)
    explanation_en = models.TextField(blank=True)
    # Movement against the previous decided result (spec §5), set when the round is decided.
    transition = models.CharField(_("movement"), max_length=24, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review result")
        verbose_name_plural = _("review results")
        constraints = [
            models.UniqueConstraint(fields=["review_round", "household"], name="one_result_per_round")
        ]
        indexes = [
            models.Index(
                fields=["review_round", "unit_path"],
                name="result_round_scope",
                opclasses=["", "varchar_pattern_ops"],
            ),
            models.Index(fields=["review_round", "status"], name="result_round_status"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.status}"
