"""Yearly plans: a commune's plan for a year, its per-village targets, its indicator targets, its text.

The plan of year Y starts from the decided regular review of year Y − 1 (its *baseline*): the table's
households, poor and near-poor counts come from those results, never typed. What the commune decides is
stored here: the reductions per village, the rates the level above assigned, the indicator targets and the
fixed text of the document (a template per commune).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from giamngheo.reviews.models import ReviewRound
from giamngheo.units.models import Unit


class Plan(models.Model):
    commune = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="plans", verbose_name=_("commune")
    )
    # The commune's path, copied for scoped reads by prefix (as on every table that carries a unit path).
    unit_path = models.CharField(max_length=400, editable=False)
    year = models.PositiveSmallIntegerField(_("plan year"))
    baseline_round = models.ForeignKey(
        ReviewRound, on_delete=models.PROTECT, related_name="+", verbose_name=_("baseline review")
    )
    # Rates (% of households) the level above assigned for the end of the year; None = not assigned yet.
    assigned_poor_rate = models.DecimalField(
        _("assigned poor-household rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    assigned_near_poor_rate = models.DecimalField(
        _("assigned near-poor-household rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # Optimistic locking: the grid posts the version it was opened at; a stale save is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("yearly plan")
        verbose_name_plural = _("yearly plans")
        ordering = ["unit_path", "-year"]
        constraints = [models.UniqueConstraint(fields=["commune", "year"], name="one_plan_per_commune_year")]
        indexes = [
            models.Index(
                fields=["unit_path", "year"], name="plan_scope", opclasses=["varchar_pattern_ops", ""]
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune.name} — {self.year}"


class VillageTarget(models.Model):
    """The reductions a village commits to in the plan year (format D), at most its baseline counts."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    village = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("village"))
    unit_path = models.CharField(max_length=400, editable=False)
    poor_reduction = models.PositiveIntegerField(_("reduction of poor households"), default=0)
    near_poor_reduction = models.PositiveIntegerField(_("reduction of near-poor households"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("village target")
        verbose_name_plural = _("village targets")
        constraints = [models.UniqueConstraint(fields=["plan", "village"], name="one_target_per_village")]

    def __str__(self) -> str:
        return f"{self.plan} — {self.village.name}"


class Measure(models.TextChoices):
    """How an indicator target's live value is obtained (see ``plans.measures``)."""

    LOANS = "loans", _("Preferential loans to households that need one")
    HEALTH_INSURANCE = (
        "health_insurance",
        _("Health-insurance cards of people in poor and near-poor households"),
    )
    SCHOOL_ATTENDANCE = (
        "school_attendance",
        _("School attendance of children in poor and near-poor households"),
    )
    HOUSING_SURVEY = "housing_survey", _("Survey of damaged houses of poor and near-poor households")
    JOB_COUNSELLING = "job_counselling", _("Job counselling for people able to work")
    NONE = "none", _("No live measure (followed by hand)")


class IndicatorTarget(models.Model):
    """One line of the plan's specific targets (seed §I.1.b), e.g. "100% of people … get a BHYT card"."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices, default=Measure.NONE)
    # The sentence as printed in the plan document (Vietnamese, the commune's wording).
    text = models.TextField(_("text in the plan"))
    # What is counted, so the live value and the report can be checked by anyone.
    definition = models.TextField(_("definition"), blank=True)
    target_percent = models.DecimalField(
        _("target (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering = ["plan", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class PlanTemplate(models.Model):
    """The fixed text of a commune's plan document, editable by the commune; placeholders such as
    ``{year}`` or ``{poor_rate}`` are filled from the plan (``plans.template``). No row = the default text."""

    commune = models.OneToOneField(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    unit_path = models.CharField(max_length=400, editable=False)
    title = models.CharField(_("title"), max_length=200)
    subtitle = models.TextField(_("subtitle"))
    legal_basis = models.TextField(_("legal basis"))
    general_goal = models.TextField(_("general goal"))
    rate_targets = models.TextField(_("rate targets"))
    analysis = models.TextField(_("analysis of poor households"))
    tasks = models.TextField(_("tasks and solutions"))
    organisation = models.TextField(_("organisation"))
    closing = models.TextField(_("closing"))
    signature = models.TextField(_("signature block"))
    recipients = models.TextField(_("recipients"))
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("plan template")
        verbose_name_plural = _("plan templates")

    def __str__(self) -> str:
        return f"{self.commune.name}: {self.title}"
