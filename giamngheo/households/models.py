"""The register: households and their members, with the facts the standards engine needs.

Each row carries ``unit_path`` (its village's path) so every scoped read is a prefix match on an indexed
column of the table itself — no join to the unit tree, which matters at 27 million households. The field
names of the facts match ``giamngheo.standards.facts`` one to one; ``households.facts`` converts.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from giamngheo.units.models import Area, Unit


class Dwelling(models.TextChoices):
    SOLID = "solid", _("Solid or semi-solid (kiên cố / bán kiên cố)")
    SEMI_SOLID = "semi_solid", _("Not solid (thiếu kiên cố)")
    MAKESHIFT = "makeshift", _("Makeshift (đơn sơ)")


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other")


class Employment(models.TextChoices):
    EMPLOYED_WITH_CONTRACT = "employed_with_contract", _("Works for wages with a labour contract")
    EMPLOYED_WITHOUT_CONTRACT = "employed_without_contract", _("Works for wages without a labour contract")
    SELF_EMPLOYED = "self_employed", _("Self-employed (own farm or business)")
    UNEMPLOYED = "unemployed", _("Unemployed")
    NOT_IN_LABOUR_FORCE = "not_in_labour_force", _("Not in the labour force")


class EducationLevel(models.TextChoices):
    NONE = "none", _("No diploma")
    PRIMARY = "primary", _("Primary school")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    POST_SECONDARY = "post_secondary", _("College or university")


class SchoolLevel(models.TextChoices):
    PRESCHOOL = "preschool", _("Preschool")
    PRIMARY = "primary", _("Primary school")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")


class Household(models.Model):
    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune"))
    village = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="households", verbose_name=_("village")
    )
    unit_path = models.CharField(max_length=400, editable=False)
    code = models.CharField(_("household code"), max_length=40)
    head_name = models.CharField(_("head of household"), max_length=200)
    # Số khẩu as declared on the list; registered members may be fewer while the register is completed.
    size = models.PositiveSmallIntegerField(_("number of members"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    area = models.CharField(_("area"), max_length=8, choices=Area.choices, default=Area.RURAL)

    # Categories used in reports. labour_capacity: None = derive from the members' facts.
    labour_capacity = models.BooleanField(_("has labour capacity"), null=True, blank=True)
    social_protection = models.BooleanField(_("social-protection household (BTXH)"), default=False)
    ethnic_minority = models.BooleanField(_("ethnic-minority household (DTTS)"), default=False)
    meritorious = models.BooleanField(_("household of a person with meritorious service"), default=False)
    provincial_income_support = models.BooleanField(_("receives provincial income support"), default=False)

    # Facts of the dwelling and of access to services (None = not surveyed).
    income_per_capita = models.PositiveIntegerField(
        _("income per person per month (VND)"), null=True, blank=True
    )
    dwelling = models.CharField(_("dwelling"), max_length=12, choices=Dwelling.choices, blank=True)
    floor_area_m2 = models.DecimalField(
        _("floor area (m²)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    safe_water = models.BooleanField(_("safe domestic water"), null=True, blank=True)
    hygienic_latrine = models.BooleanField(_("hygienic latrine"), null=True, blank=True)
    internet_use = models.BooleanField(_("a member uses internet"), null=True, blank=True)
    owns_info_device = models.BooleanField(_("owns an information device"), null=True, blank=True)
    waste_handled = models.BooleanField(_("household waste handled"), null=True, blank=True)

    search_text = models.CharField(max_length=300, editable=False)
    # Optimistic locking: a save names the version it started from; a stale one is a conflict.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [models.UniqueConstraint(fields=["commune", "code"], name="household_code_per_commune")]
        indexes = [
            models.Index(
                fields=["unit_path", "code"], name="household_scope", opclasses=["varchar_pattern_ops", ""]
            ),
            models.Index(fields=["village", "code"], name="household_village"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.head_name}"


class Member(models.Model):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    unit_path = models.CharField(max_length=400, editable=False)
    full_name = models.CharField(_("full name"), max_length=200)
    relation = models.CharField(
        _("relation to the head"), max_length=12, choices=Relation.choices, default=Relation.OTHER
    )
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=40, blank=True)
    citizen_id = models.CharField(_("citizen ID number"), max_length=12, blank=True)

    severe_disability = models.BooleanField(_("severe disability"), null=True, blank=True)
    able_to_work = models.BooleanField(_("able to work"), null=True, blank=True)
    receives_social_allowance = models.BooleanField(
        _("receives a monthly social allowance"), null=True, blank=True
    )
    employment = models.CharField(_("employment"), max_length=28, choices=Employment.choices, blank=True)
    education_level = models.CharField(
        _("highest diploma"), max_length=16, choices=EducationLevel.choices, blank=True
    )
    has_vocational_certificate = models.BooleanField(_("vocational certificate"), null=True, blank=True)
    in_training = models.BooleanField(_("in training now"), null=True, blank=True)
    attending_school = models.BooleanField(_("attends school"), null=True, blank=True)
    school_level = models.CharField(
        _("school level attended"), max_length=16, choices=SchoolLevel.choices, blank=True
    )
    has_health_insurance = models.BooleanField(_("has health insurance"), null=True, blank=True)
    stunted_or_underweight = models.BooleanField(_("stunted or underweight (child)"), null=True, blank=True)

    search_text = models.CharField(max_length=200, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [
            models.Index(fields=["unit_path"], name="member_scope", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["citizen_id"], name="member_citizen_id"),
            models.Index(fields=["household"], name="member_household"),
        ]

    def __str__(self) -> str:
        return self.full_name
