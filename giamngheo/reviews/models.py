"""Review rounds (Decision 24/2021/QĐ-TTg) and their result per household.

A result is a snapshot: status, scores, deprivations and the household's categories *at that review*, so
figures for a past year never change when the register changes later. ``unit_path`` is copied from the
household for scoped aggregation by prefix (GROUP BY village path) without joins.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from giamngheo.households.models import Household, Status
from giamngheo.reviews.procedure import governed_year
from giamngheo.units.models import Unit
from giamngheo.units.paths import province_code_field


class RoundKind(models.TextChoices):
    REGULAR = "regular", _("Regular (yearly) review")
    ADHOC = "adhoc", _("Ad-hoc (monthly) review")


class RoundState(models.TextChoices):
    OPEN = "open", _("In progress")
    DECIDED = "decided", _("Decided by the commune chair")


class ResultSource(models.TextChoices):
    SURVEY = "survey", _("Surveyed (Phiếu A/B)")
    IMPORTED = "imported", _("Imported list")


def _user_field(label: Any) -> Any:
    """Who did a step of the round (kept: a user who did one is never deleted)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
    )


class ReviewRound(models.Model):
    commune = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="review_rounds", verbose_name=_("commune")
    )
    year = models.PositiveSmallIntegerField(_("review year"))
    kind = models.CharField(_("kind"), max_length=8, choices=RoundKind.choices, default=RoundKind.REGULAR)
    month = models.PositiveSmallIntegerField(_("month (ad-hoc)"), null=True, blank=True)
    standard_id = models.CharField(_("poverty standard"), max_length=40)
    standard_version = models.CharField(_("standard version"), max_length=20)
    # Why the officer recorded a standard other than the default (spec §1; only in a transition year, e.g.
    # when the province instructs it). Empty: the default from the standards data.
    standard_reason = models.TextField(_("why this standard"), blank=True)
    # The date the review speaks of: ages are computed at it; the results describe the end of the year.
    review_date = models.DateField(_("review date"))
    state = models.CharField(_("state"), max_length=8, choices=RoundState.choices, default=RoundState.OPEN)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    # Who signed the decision (printed on the certificates and the official lists).
    decision_signer = models.CharField(_("signed by"), max_length=200, blank=True)
    # Separation of duties (issue 17 D): the commune officer prepares the decision (its number and date, the
    # draft), and only the chairman of the commune People's Committee issues it, which locks the round.
    prepared_number = models.CharField(_("decision number (prepared)"), max_length=60, blank=True)
    prepared_date = models.DateField(_("decision date (prepared)"), null=True, blank=True)
    prepared_by = _user_field(_("decision prepared by"))
    prepared_at = models.DateTimeField(_("decision prepared at"), null=True, blank=True)
    issued_by = _user_field(_("decision issued by"))
    issued_at = models.DateTimeField(_("decision issued at"), null=True, blank=True)

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
        return f"{self.commune.name} — {self.period}"

    @property
    def period(self) -> str:
        """ "2023" for a regular round, "05/2024" for an ad-hoc one (unlike {{ year }}, never "2.023")."""
        if self.kind == RoundKind.ADHOC:
            return f"{self.month:02d}/{self.year}"
        return str(self.year)

    @property
    def governed_year(self) -> int:
        """The year whose lists this round decides (a regular review of 2026 decides the lists of 2027)."""
        return governed_year(kind=self.kind, year=self.year)

    @property
    def is_decided(self) -> bool:
        return self.state == RoundState.DECIDED

    @property
    def is_prepared(self) -> bool:
        """An open round whose decision the officer has prepared, waiting for the chairman to issue it."""
        return not self.is_decided and bool(self.prepared_number) and self.prepared_date is not None

    @property
    def effective_date(self) -> datetime.date:
        """The day its lists take effect: the decision's date (spec §1), else (no decision recorded) the
        review date."""
        return self.decision_date or self.review_date


def effective_date(prefix: str = "") -> Coalesce:
    """``ReviewRound.effective_date`` in SQL; ``prefix`` reaches the round through a relation
    (``"review_round__"``)."""
    return Coalesce(F(f"{prefix}decision_date"), F(f"{prefix}review_date"))


class ReviewResult(models.Model):
    review_round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="results")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="results")
    unit_path = models.CharField(max_length=400, editable=False)
    province_code = province_code_field()
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

    history = HistoricalRecords(excluded_fields=["province_code"])

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


# --- the procedure of a round (Decision 24/2021/QĐ-TTg, Art. 4–5) ----------------------------------------


class Step(models.IntegerChoices):
    """Where a household stands in the round. Ordered: a later step implies the earlier ones were done."""

    LISTED = 10, _("Listed")
    SCREENED_OUT = 15, _("Screened out (Phiếu A)")
    SCREENED = 20, _("Screened (Phiếu A)")
    SURVEYED = 30, _("Surveyed (Phiếu B)")
    AGREED = 40, _("Agreed at the village meeting")
    POSTED = 50, _("Posted publicly")
    DECIDED = 60, _("Decided")


class ListReason(models.TextChoices):
    ON_LIST = "on_list", _("On the current poor or near-poor list")
    REQUESTED = "requested", _("Asked to be reviewed (Mẫu số 01)")
    ADDED = "added", _("Added by the officer (situation changed)")


class RoundHousehold(models.Model):
    """A household on the list of a round, and the step it has reached.

    The step is stored (not derived from the records below) so the per-village counts of the overview are one
    GROUP BY on an indexed column; only the services in ``reviews.services`` move it.
    """

    review_round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="households")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="review_entries")
    unit_path = models.CharField(max_length=400, editable=False)
    province_code = province_code_field()
    reason = models.CharField(_("why it is reviewed"), max_length=10, choices=ListReason.choices)
    request_date = models.DateField(_("request received on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    step = models.PositiveSmallIntegerField(_("step"), choices=Step.choices, default=Step.LISTED)
    # Set when the village meeting did not reach the agreement needed: survey again, then meet again.
    back_to_survey = models.BooleanField(_("sent back to the survey"), default=False)
    posting = models.ForeignKey(
        "Posting", on_delete=models.PROTECT, null=True, blank=True, related_name="households"
    )
    # "Leave for a later round": the household is not decided in this round (its result, if any, is removed)
    # and the next round's "bring in" puts it on that round's list.
    deferred = models.BooleanField(_("left for a later round"), default=False)
    deferred_reason = models.CharField(_("why it was left for a later round"), max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["province_code"])

    class Meta:
        verbose_name = _("household of a round")
        verbose_name_plural = _("households of a round")
        constraints = [
            models.UniqueConstraint(fields=["review_round", "household"], name="one_entry_per_round")
        ]
        indexes = [
            models.Index(
                fields=["review_round", "unit_path", "step"],
                name="entry_round_scope",
                opclasses=["", "varchar_pattern_ops", ""],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review_round_id}/{self.household_id} {self.get_step_display()}"


class Screening(models.Model):
    """Phiếu A (quick identification): answers to the yes/no questions and what they concluded."""

    entry = models.OneToOneField(RoundHousehold, on_delete=models.PROTECT, related_name="screening")
    screened_on = models.DateField(_("screened on"))
    interviewer = models.CharField(_("interviewer"), max_length=200, blank=True)
    answers = models.JSONField(_("answers"), default=dict)  # question code → true/false
    yes_count = models.PositiveSmallIntegerField(default=0)
    screened_out = models.BooleanField(_("screened out"), default=False)
    questions_version = models.CharField(max_length=40, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Phiếu A (quick identification)")
        verbose_name_plural = _("Phiếu A (quick identification)")

    def __str__(self) -> str:
        return f"A {self.entry_id}"


class Survey(models.Model):
    """Phiếu B as entered: the inputs. What the engine concluded is the round's ``ReviewResult``."""

    entry = models.OneToOneField(RoundHousehold, on_delete=models.PROTECT, related_name="survey")
    surveyed_on = models.DateField(_("surveyed on"))
    interviewer = models.CharField(_("interviewer"), max_length=200, blank=True)
    respondent = models.CharField(_("respondent"), max_length=200, blank=True)
    # The B1 score: computed from ``b1_items`` when they were entered (issue 17 C3), else typed.
    b1_score = models.PositiveSmallIntegerField(_("B1 score"), null=True, blank=True)
    b1_region = models.CharField(_("B1 region"), max_length=40, blank=True)  # a region of the item tables
    b1_items = models.JSONField(_("B1 items"), default=dict, blank=True)  # item code → answer code
    income_per_capita = models.PositiveIntegerField(
        _("income per person per month (VND)"), null=True, blank=True
    )
    answers = models.JSONField(_("B2 answers"), default=dict)  # indicator code → deprived true/false
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Phiếu B (survey)")
        verbose_name_plural = _("Phiếu B (surveys)")

    def __str__(self) -> str:
        return f"B {self.entry_id}"


class VillageMeeting(models.Model):
    """The village meeting (họp dân) that discusses the surveyed households; minutes in two copies."""

    review_round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="meetings")
    village = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("village"))
    unit_path = models.CharField(max_length=400, editable=False)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    chair_name = models.CharField(_("chaired by (village head)"), max_length=200)
    front_supervisor_name = models.CharField(_("Fatherland Front supervisor"), max_length=200)
    secretary_name = models.CharField(_("secretary"), max_length=200, blank=True)
    attendees = models.PositiveIntegerField(_("attendees"))
    # Who was invited and who attended, by group (Decision 24/2021/QĐ-TTg, Art. 4: the meeting of the village
    # with the commune's steering committee, the village's Party secretary, mass organisations, the reviewers
    # and the Fatherland Front supervising). Names as written in the minutes; empty when not recorded.
    invited_households = models.PositiveIntegerField(_("households invited"), null=True, blank=True)
    attending_households = models.PositiveIntegerField(_("households attending"), null=True, blank=True)
    steering_committee = models.CharField(_("commune steering committee"), max_length=300, blank=True)
    party_secretary = models.CharField(_("village Party secretary"), max_length=200, blank=True)
    mass_organisations = models.CharField(_("mass organisations"), max_length=300, blank=True)
    reviewers = models.CharField(_("reviewers (survey staff)"), max_length=300, blank=True)
    # The share of attendees whose agreement was needed, as applied (from the standard's data when present).
    agreement_percent = models.PositiveSmallIntegerField(_("agreement needed (%)"))
    notes = models.TextField(_("other opinions"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("village meeting")
        verbose_name_plural = _("village meetings")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.village_id} {self.held_on}"


class MeetingVote(models.Model):
    meeting = models.ForeignKey(VillageMeeting, on_delete=models.CASCADE, related_name="votes")
    entry = models.ForeignKey(RoundHousehold, on_delete=models.PROTECT, related_name="votes")
    proposed_status = models.CharField(_("proposed status"), max_length=10, choices=Status.choices)
    votes_for = models.PositiveIntegerField(_("votes in favour"))
    agreed = models.BooleanField(_("agreed"))

    class Meta:
        verbose_name = _("vote of the village meeting")
        verbose_name_plural = _("votes of the village meeting")
        constraints = [models.UniqueConstraint(fields=["meeting", "entry"], name="one_vote_per_meeting")]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.votes_for}"


class Posting(models.Model):
    """Public posting (niêm yết công khai) of a village's agreed results, for a number of working days."""

    review_round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="postings")
    village = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("village"))
    unit_path = models.CharField(max_length=400, editable=False)
    starts_on = models.DateField(_("posted from"))
    ends_on = models.DateField(_("posted until"))
    working_days = models.PositiveSmallIntegerField(_("working days"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    # What was posted, as posted: a household surveyed again later leaves the posting (its entry's ``posting``
    # is cleared) but the record of this posting never changes.
    household_count = models.PositiveIntegerField(_("households posted"), default=0)
    household_codes = models.JSONField(_("household codes posted"), default=list)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("public posting")
        verbose_name_plural = _("public postings")
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.village_id} {self.starts_on}–{self.ends_on}"


class ComplaintOutcome(models.TextChoices):
    KEPT = "kept", _("Re-check confirmed the result")
    # The re-check found grounds: the household is surveyed again (Phiếu B), then met on and posted again; its
    # status changes only through that survey (Decision 24/2021/QĐ-TTg), never by hand.
    RESURVEY = "resurvey", _("Re-check found grounds: surveyed again")
    CHANGED = "changed", _("Re-check changed the result (before surveys were required)")


class Complaint(models.Model):
    """A complaint during the posting, and its re-check (phúc tra)."""

    review_round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="complaints")
    entry = models.ForeignKey(
        RoundHousehold, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("household")
    )
    unit_path = models.CharField(max_length=400, editable=False)
    complainant = models.CharField(_("complainant"), max_length=200)
    content = models.TextField(_("complaint"))
    received_on = models.DateField(_("received on"))
    # The re-check: empty until it is done.
    rechecked_on = models.DateField(_("re-checked on"), null=True, blank=True)
    finding = models.TextField(_("finding of the re-check"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=ComplaintOutcome.choices, blank=True)
    status_before = models.CharField(_("status before"), max_length=10, choices=Status.choices, blank=True)
    # After a re-survey: the status its new Phiếu B gave (empty until then).
    status_after = models.CharField(_("status after"), max_length=10, choices=Status.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["received_on", "pk"]
        indexes = [
            models.Index(
                fields=["review_round", "unit_path"],
                name="complaint_scope",
                opclasses=["", "varchar_pattern_ops"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.complainant} {self.received_on}"

    @property
    def is_open(self) -> bool:
        return not self.outcome
