"""The register: households and their members, with the facts the standards engine needs.

Each row carries ``unit_path`` (its village's path) so every scoped read is a prefix match on an indexed
column of the table itself — no join to the unit tree, which matters at 27 million households. The field
names of the facts match ``giamngheo.standards.facts`` one to one; ``households.facts`` converts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from giamngheo.standards.transitions import Status as StandardStatus
from giamngheo.units.models import Area, Unit
from giamngheo.units.paths import province_code_field

STATUS_LABELS = {
    StandardStatus.POOR: _("Poor"),
    StandardStatus.NEAR_POOR: _("Near-poor"),
    StandardStatus.AVERAGE: _("Average living standard"),
    StandardStatus.NOT_POOR: _("Not poor"),
}
# The choices of a status field: the names and values are the engine's (``standards.transitions.Status``),
# only the labels are added here. The household stores its latest decided status; reviews record each one.
Status = models.TextChoices(  # type: ignore[call-overload]  # the functional form
    "Status", [(status.name, (status.value, STATUS_LABELS[status])) for status in StandardStatus]
)


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
    # The province (the path's first code), computed by the database: the distribution key (units.paths).
    province_code = province_code_field()
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
    # Works in agriculture, forestry, fishery or salt production: only such a household can be recognised as
    # of average living standard (Decision 24/2021/QĐ-TTg). None = not recorded (the whole register before
    # issue 17 C4): the income band alone decides, as a format-A file without the column, and the result
    # says so — a default of False would have silently taken every existing farm household off that list.
    farm_household = models.BooleanField(
        _("works in agriculture, forestry, fishery or salt production"), null=True, blank=True
    )

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

    # Folded head name, code and the other members' names ("nguyen van duc st-001 tran thi hoa"): one
    # column to search, with a trigram index on PostgreSQL (migration 0002), so a name search never joins
    # the 3.5-million-row member table. Kept up to date by ``services.household_search_text_refresh``.
    search_text = models.CharField(max_length=1000, editable=False)
    # The day the household entered the register; None: it came with the commune's register, before its first
    # recorded review. A rate divides by the households in the register on a day
    # (``selectors.RegisterSpan.in_register_on``).
    # Derived (no history): set when the household is added, moved earlier when a decided list holds it.
    registered_on = models.DateField(_("in the register since"), null=True, blank=True, editable=False)
    # A household merged into another, or left empty by a split, is closed, not deleted: its review
    # results and history stay attached to it.
    dissolved_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        editable=False,
        verbose_name=_("merged into"),
    )
    # Derived from the decided review results (``services.household_statuses_refresh``), kept here so the
    # list can filter a province by status without evaluating each household's results: the status of the
    # latest decided review ("" = none yet), its date, and the day the household left the poor/near-poor
    # lists if it is off them now (hộ mới thoát nghèo = within ``newly_escaped_years`` of that day).
    status = models.CharField(_("status (latest decided review)"), max_length=10, blank=True, editable=False)
    status_date = models.DateField(null=True, blank=True, editable=False)
    escaped_on = models.DateField(null=True, blank=True, editable=False)
    # Optimistic locking: a save names the version it started from; a stale one is a conflict.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=[
            "search_text",
            "updated_at",
            "status",
            "status_date",
            "escaped_on",
            "registered_on",
            "province_code",
        ]
    )

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [models.UniqueConstraint(fields=["commune", "code"], name="household_code_per_commune")]
        indexes = [
            models.Index(
                fields=["unit_path", "code"], name="household_scope", opclasses=["varchar_pattern_ops", ""]
            ),
            models.Index(fields=["village", "code"], name="household_village"),
            # The head's name starts ``search_text``: "heads named …" is a range of this index.
            models.Index(
                fields=["search_text"], name="household_name_prefix", opclasses=["varchar_pattern_ops"]
            ),
            # Status filters and their capped counts over a province walk this instead of the table.
            models.Index(
                fields=["status", "unit_path"],
                name="household_status_scope",
                opclasses=["", "varchar_pattern_ops"],
            ),
            models.Index(
                fields=["escaped_on"], name="household_escaped", condition=models.Q(escaped_on__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.head_name}"


class Member(models.Model):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    unit_path = models.CharField(max_length=400, editable=False)
    province_code = province_code_field()
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

    history = HistoricalRecords(excluded_fields=["search_text", "province_code"])

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [
            models.Index(fields=["unit_path"], name="member_scope", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["citizen_id"], name="member_citizen_id"),
            # Members by household: the foreign key's own index (a second one cost 46 MB per 1M households).
            # The duplicate warning looks people up by birth date and folded name within a commune.
            models.Index(fields=["birth_date", "search_text"], name="member_birth_name"),
            # "Names starting with …" (a search for a name few people have) is a range of this index.
            models.Index(
                fields=["search_text"], name="member_name_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]
        constraints = [
            # A citizen ID names one person in the whole country: the same ID twice is refused outright.
            models.UniqueConstraint(
                fields=["citizen_id"], condition=~Q(citizen_id=""), name="member_citizen_id_unique"
            )
        ]

    def __str__(self) -> str:
        return self.full_name


class StatusRefresh(models.Model):
    """Which decided review rounds of a commune the households' stored status was computed from.

    ``rounds_key`` summarises the commune's decided rounds (count, highest id, sum of ids); when a round is
    decided the key changes, and the next list request refreshes that commune before answering.
    """

    commune = models.OneToOneField(Unit, on_delete=models.CASCADE, primary_key=True, related_name="+")
    rounds_key = models.CharField(max_length=60)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("status refresh")
        verbose_name_plural = _("status refreshes")

    def __str__(self) -> str:
        return f"{self.commune_id}: {self.rounds_key}"


class CitizenIdReveal(models.Model):
    """One time a user asked to see a member's full citizen ID (an audit trail of personal-data access)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("citizen ID shown")
        verbose_name_plural = _("citizen IDs shown")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.member_id} @ {self.at:%Y-%m-%d %H:%M}"


class CitizenIdExport(models.Model):
    """One export of a household list (page or command line): who, which unit and year, and whether the
    full citizen IDs were in it (asked for on purpose) or only masked ones."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("user"),
    )  # none: the command line (whoever runs it holds the database already)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("review year"))
    file_format = models.CharField(_("file format"), max_length=8)
    full_citizen_ids = models.BooleanField(_("full citizen IDs"), default=False)
    rows = models.PositiveIntegerField(_("households"), default=0)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("household list exported")
        verbose_name_plural = _("household lists exported")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.unit_id} {self.year} @ {self.at:%Y-%m-%d %H:%M}"
