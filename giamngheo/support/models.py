"""Supports, escape plans, organisations, the resource ledger, communication activities and progress reports.

Every table that is read by unit carries ``unit_path`` (copied from its household or its owning unit), so a
scoped read or a report's GROUP BY is a prefix match on an indexed column of the table itself, as in the
register.

**One ``Support`` table for every kind** (loan, health-insurance card, schooling, housing, job, production,
income support, donation) rather than a table per kind: the reports count and sum supports across kinds in
one GROUP BY (unit path × kind), the ledger and the escape plans point at one table, and the household page
lists everything in one query. What differs between kinds is descriptive (a card number, a school, a dossier
status): it lives in ``details`` (JSON) and is validated by the per-kind description in ``kinds``. Everything
a query filters or sums on — kind, form, status, date, amount, the validity of a card, the member — is a
real column.

**The ledger is append-only**: an entry is never updated or deleted; a correction is a reversal entry that
points at the entry it cancels (at most one reversal per entry). A source's balance is the sum of its
entries' ``signed_amount``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from giamngheo.households.models import Household, Member
from giamngheo.support.kinds import SupportForm, SupportKind, SupportStatus
from giamngheo.units.models import Unit

PATH_OPS = ["varchar_pattern_ops"]  # LIKE 'prefix%' on PostgreSQL whatever the collation


def optional(to: Any, related_name: str, verbose_name: Any, *, one: bool = False) -> Any:
    """A link that may be empty and never cascades (PROTECT): nothing the tracker recorded disappears with
    what it points at. ``one``: at most one row may point at the same target."""
    field = models.OneToOneField if one else models.ForeignKey
    return field(
        to,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
        verbose_name=verbose_name,
    )


class Authored(models.Model):
    """Who wrote the row and when (set by the services, never by a form)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Versioned(Authored):
    """An editable row: when it last changed, and an edit counter a service compares with the version the
    user saw (``expected_version``), so a change made on a stale page is refused instead of lost."""

    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class InUnit(models.Model):
    """A row a unit owns; ``unit_path`` is the unit's path, copied so scoped reads need no join."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=400, editable=False)

    class Meta:
        abstract = True


class NamedInUnit(InUnit):
    """An organisation or a source of funds: named once in its unit, listed by unit, kind and name."""

    name = models.CharField(_("name"), max_length=200)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True
        ordering = ["unit_path", "kind", "name"]

    def __str__(self) -> str:
        return self.name


# --- organisations ------------------------------------------------------------------------------------------


class OrganisationKind(models.TextChoices):
    STEERING_COMMITTEE = "steering_committee", _("Steering committee")
    FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front")
    WOMENS_UNION = "womens_union", _("Women's union")
    FARMERS_UNION = "farmers_union", _("Farmers' union")
    YOUTH_UNION = "youth_union", _("Youth union")
    VETERANS = "veterans", _("Veterans' association")
    OTHER = "other", _("Other organisation")


class Organisation(NamedInUnit):
    """The steering committee, the Fatherland Front and the mass organisations (đoàn thể) of a commune."""

    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta(NamedInUnit.Meta):
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="organisation_name_per_unit")]
        indexes = [models.Index(fields=["unit_path"], name="organisation_scope", opclasses=PATH_OPS)]


class OrganisationMember(models.Model):
    """A person of an organisation and what they are assigned to. ``user`` links a login to the organisation:
    it is what lets a mass-organisation member record the progress of the households assigned to it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="members", verbose_name=_("organisation")
    )
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    assignment = models.CharField(_("assigned to"), max_length=300, blank=True)
    village = optional(Unit, "+", _("village in charge"))
    user = optional(settings.AUTH_USER_MODEL, "organisation_memberships", _("login"))
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation member")
        verbose_name_plural = _("organisation members")
        ordering = ["organisation", "full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.organisation})"


# --- resources ----------------------------------------------------------------------------------------------


class SourceKind(models.TextChoices):
    CENTRAL_BUDGET = "central_budget", _("Central budget")
    PROVINCIAL_BUDGET = "provincial_budget", _("Provincial budget")
    LOCAL_BUDGET = "local_budget", _("Local budget")
    FOR_THE_POOR_FUND = "for_the_poor_fund", _("“For the Poor” fund")
    DONOR = "donor", _("Donor")
    OTHER = "other", _("Other source")


class FundSource(NamedInUnit):
    """A source of money a unit manages. Its balance is the sum of its ledger entries (never stored)."""

    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    donor = models.CharField(_("donor"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta(NamedInUnit.Meta):
        verbose_name = _("source of funds")
        verbose_name_plural = _("sources of funds")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="source_name_per_unit")]
        indexes = [models.Index(fields=["unit_path"], name="source_scope", opclasses=PATH_OPS)]


class EntryType(models.TextChoices):
    ALLOCATION = "allocation", _("Allocation received")
    SPENDING = "spending", _("Spending")
    REVERSAL = "reversal", _("Reversal (correction)")


class Flow(models.TextChoices):
    """Which total an entry counts in: money in (allocations and their reversals) or out (spending and its
    reversals). Lets a report sum "allocated" and "spent" net of corrections with a plain filter."""

    IN = "in", _("Money in")
    OUT = "out", _("Money out")


# --- supports -----------------------------------------------------------------------------------------------


class Support(Versioned):
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="supports", verbose_name=_("household")
    )
    member = optional(Member, "supports", _("member"))
    unit_path = models.CharField(max_length=400, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=SupportKind.choices)
    form = models.CharField(_("form"), max_length=24, choices=SupportForm.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=SupportStatus.choices, default=SupportStatus.DELIVERED
    )
    # The day the support was given (or the need recorded, while it is not met).
    date = models.DateField(_("date"))
    amount = models.PositiveBigIntegerField(_("amount (VND)"), default=0)
    # Paid from a source of the ledger (a spending entry is written with it); empty for a bank loan, a card
    # paid by the social-insurance fund, or help in kind from relatives.
    source = optional(FundSource, "supports", _("paid from"))
    provider = models.CharField(_("provided by"), max_length=200, blank=True)
    organisation = optional(Organisation, "supports", _("organisation"))
    # Validity of a card, the term of a loan, the months of income support.
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(
                fields=["unit_path", "kind", "date"], name="support_scope", opclasses=[*PATH_OPS, "", ""]
            ),
            models.Index(fields=["household", "kind"], name="support_household"),
            models.Index(fields=["member", "kind"], name="support_member"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="support_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.household_id} — {self.date}"


class LedgerEntry(Authored):
    source = models.ForeignKey(
        FundSource, on_delete=models.PROTECT, related_name="entries", verbose_name=_("source")
    )
    unit_path = models.CharField(max_length=400, editable=False)
    # Where the money went: the household's path for spending on a household, else the source's path.
    target_path = models.CharField(max_length=400, editable=False)
    entry_type = models.CharField(_("type"), max_length=12, choices=EntryType.choices)
    flow = models.CharField(max_length=3, choices=Flow.choices, editable=False)
    date = models.DateField(_("date"))
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    # + for money in, − for money out: SUM(signed_amount) is the balance, with no CASE in any query.
    signed_amount = models.BigIntegerField(editable=False)
    support = optional(Support, "ledger_entries", _("support"))
    household = optional(Household, "ledger_entries", _("household"))
    reverses = optional("self", "reversed_by", _("reverses"), one=True)
    description = models.CharField(_("description"), max_length=300)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["unit_path", "date"], name="ledger_scope", opclasses=[*PATH_OPS, ""]),
            models.Index(fields=["source", "date"], name="ledger_source"),
            models.Index(fields=["target_path", "date"], name="ledger_target", opclasses=[*PATH_OPS, ""]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_amount_positive"),
            models.CheckConstraint(
                condition=Q(entry_type=EntryType.REVERSAL, reverses__isnull=False)
                | (~Q(entry_type=EntryType.REVERSAL) & Q(reverses__isnull=True)),
                name="ledger_reversal_points_at_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_entry_type_display()} {self.signed_amount:+} {self.source_id} {self.date}"


# --- escape plans -------------------------------------------------------------------------------------------


class PlanGroup(models.TextChoices):
    HAS_LABOUR = "has_labour", _("Has labour capacity")
    ELDERLY_NO_LABOUR = "elderly_no_labour", _("Elderly, without labour capacity")
    LACKING_SERVICES = "lacking_services", _("Lacking basic social services")


class Solution(models.TextChoices):
    """The solutions of the seed's section III, by household group."""

    PRODUCTION = "production", _("Production support")
    LOAN = "loan", _("Preferential loan")
    EXTENSION = "extension", _("Farming and forestry extension training")
    VOCATIONAL = "vocational", _("Vocational training")
    JOB_REFERRAL = "job_referral", _("Job referral")
    LABOUR_EXPORT = "labour_export", _("Working abroad under contract")
    RELATIVES = "relatives", _("Mobilise relatives")
    INCOME_SUPPORT = "income_support", _("Income support")
    INCOME_DOSSIER = "income_dossier", _("Prepare the provincial income-support dossier")
    HOUSING = "housing", _("Housing repair or new build")
    HEALTH_INSURANCE = "health_insurance", _("Health-insurance card")
    SCHOOLING = "schooling", _("Schooling support")
    WATER_SANITATION = "water_sanitation", _("Clean water and a hygienic latrine")
    INFORMATION = "information", _("Access to information (device, internet)")


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved: out of poverty")
    NOT_ACHIEVED = "not_achieved", _("Not achieved this year")
    STOPPED = "stopped", _("Stopped")


class EscapePlan(Versioned):
    """How one poor or near-poor household is helped out of poverty in a year, and by whom."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="escape_plans", verbose_name=_("household")
    )
    unit_path = models.CharField(max_length=400, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    # The household's status when the plan was made (poor / near_poor), for caseload by status.
    status_at_start = models.CharField(_("status at the start"), max_length=10)
    group = models.CharField(_("group"), max_length=20, choices=PlanGroup.choices)
    solutions = models.JSONField(_("solutions"), default=list, blank=True)
    organisation = optional(Organisation, "escape_plans", _("organisation in charge"))
    helper = optional(OrganisationMember, "escape_plans", _("person in charge"))
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("escape plan")
        verbose_name_plural = _("escape plans")
        ordering = ["unit_path", "household_id"]
        constraints = [models.UniqueConstraint(fields=["household", "year"], name="one_escape_plan_per_year")]
        indexes = [
            models.Index(fields=["unit_path", "year"], name="escape_plan_scope", opclasses=[*PATH_OPS, ""]),
            models.Index(fields=["organisation", "year"], name="escape_plan_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} — {self.year}"


class Milestone(models.Model):
    plan = models.ForeignKey(EscapePlan, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=300)
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title


# --- communication ------------------------------------------------------------------------------------------


class ActivityKind(models.TextChoices):
    CAMPAIGN = "campaign", _("Campaign")
    MEETING = "meeting", _("Meeting or conference")
    BROADCAST = "broadcast", _("Loudspeaker or radio broadcast")
    TRAINING = "training", _("Training session")
    OTHER = "other", _("Other activity")


class Activity(InUnit, Authored):
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices)
    title = models.CharField(_("name of the activity"), max_length=300)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    reach = models.PositiveIntegerField(_("people reached"), default=0)
    organisation = optional(Organisation, "activities", _("organisation"))
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("communication activity")
        verbose_name_plural = _("communication activities")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["unit_path", "date"], name="activity_scope", opclasses=[*PATH_OPS, ""])
        ]

    def __str__(self) -> str:
        return self.title
