"""Forms of the review pages. Phiếu A and Phiếu B are built from data (the questions, the standard's
indicators), so a changed question list or a new standard needs no code change here."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from giamngheo.common.dates import date_field
from giamngheo.reviews.models import ListReason, RoundHousehold, RoundKind
from giamngheo.reviews.procedure import PhieuA
from giamngheo.reviews.services import SurveyInput
from giamngheo.reviews.templatetags.reviews_tags import local
from giamngheo.standards.model import Standard
from giamngheo.units.models import Unit

YES_NO = [("1", _("Yes")), ("0", _("No"))]
DEPRIVED_CHOICES = [("1", _("Deprived")), ("0", _("Not deprived"))]


def _date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return date_field(label=label, **kwargs)


def _yes_no(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


class OpenRoundForm(forms.Form):
    commune = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Commune"))
    kind = forms.ChoiceField(choices=RoundKind.choices, label=_("Kind"), initial=RoundKind.REGULAR)
    year = forms.IntegerField(label=_("Review year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Month (ad-hoc rounds)"), min_value=1, max_value=12, required=False)

    def __init__(self, *args: Any, communes: Iterable[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commune = cast("forms.ModelChoiceField[Unit]", self.fields["commune"])  # the stubs type it as Field
        commune.queryset = Unit.objects.filter(pk__in=[c.pk for c in communes])
        self.fields["year"].initial = datetime.date.today().year
        self.fields["year"].localize = False
        self.fields["year"].widget.is_localized = False

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns (the stubs say it may be None)
        if data.get("kind") == RoundKind.ADHOC and not data.get("month"):
            self.add_error("month", _("An ad-hoc round needs its month."))
        return data


class StandardForm(forms.Form):
    """The standard a round uses in a transition year, with the reason when it is not the default."""

    standard = forms.ChoiceField(label=_("Standard"))
    reason = forms.CharField(
        label=_("Reason (e.g. the province's instruction, its number and date)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["standard"]).choices = choices


class EntryAddForm(forms.Form):
    household_code = forms.CharField(label=_("Household code"), max_length=40)
    reason = forms.ChoiceField(
        label=_("Why it is reviewed"),
        choices=[
            (ListReason.REQUESTED.value, ListReason.REQUESTED.label),
            (ListReason.ADDED.value, ListReason.ADDED.label),
        ],
    )
    request_date = _date_field(_("Request received on"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns (the stubs say it may be None)
        if data.get("reason") == ListReason.REQUESTED and not data.get("request_date"):
            self.add_error("request_date", _("Give the date the request (Mẫu số 01) was received."))
        return data


class PhieuAForm(forms.Form):
    screened_on = _date_field(_("Screened on"))
    interviewer = forms.CharField(label=_("Interviewer"), max_length=200, required=False)

    def __init__(self, *args: Any, questions: PhieuA, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions.questions:
            self.fields[f"q_{question.code}"] = forms.ChoiceField(
                label=local(question.text), choices=YES_NO, widget=forms.RadioSelect
            )

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q_{q.code}"] for q in self.questions.questions]

    def answers(self) -> dict[str, bool]:
        return {q.code: self.cleaned_data[f"q_{q.code}"] == "1" for q in self.questions.questions}

    def partial_answers(self) -> dict[str, bool]:
        """The answers given so far (for the live outcome while the form is being filled in)."""
        answers = {}
        for q in self.questions.questions:
            value = _yes_no(self.data.get(f"q_{q.code}"))
            if value is not None:
                answers[q.code] = value
        return answers


class PhieuBForm(forms.Form):
    surveyed_on = _date_field(_("Surveyed on"))
    interviewer = forms.CharField(label=_("Interviewer"), max_length=200, required=False)
    respondent = forms.CharField(label=_("Respondent"), max_length=200, required=False)
    b1_score = forms.IntegerField(label=_("B1 score (total)"), min_value=0, max_value=1000, required=False)
    income_per_capita = forms.IntegerField(
        label=_("Income per person per month (VND)"), min_value=0, max_value=1_000_000_000, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    update_register = forms.BooleanField(
        label=_("Also update the household's facts in the register"), required=False
    )
    household_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, standard: Standard, area: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.standard = standard
        self.b1_codes: list[str] = []
        table = standard.b1_table
        if table is not None:  # the B1 items of the standard's tables, for the household's area
            regions = table.regions_of(area)
            self.fields["b1_region"] = forms.ChoiceField(
                label=_("B1 region"),
                choices=[("", "—"), *((r.code, local(r.name)) for r in regions)],
                initial=regions[0].code if len(regions) == 1 else "",
                required=False,
            )
            for item in table.items:
                self.fields[f"b1_{item.code}"] = forms.ChoiceField(
                    label=local(item.name),
                    choices=[("", "—"), *((o.code, local(o.name)) for o in item.options)],
                    required=False,
                )
                self.b1_codes.append(item.code)
        for name in ("b1_score", "income_per_capita", "household_version"):
            self.fields[name].localize = False
            self.fields[name].widget.is_localized = False
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        for indicator in standard.indicators:
            self.fields[f"ind_{indicator.code}"] = forms.ChoiceField(
                label=local(indicator.name),
                help_text=local(indicator.deprived_when),
                choices=DEPRIVED_CHOICES,
                widget=forms.RadioSelect,
                required=False,
            )

    def indicator_fields(self) -> list[forms.BoundField]:
        return [self[f"ind_{code}"] for code in self.standard.indicator_codes]

    def b1_item_fields(self) -> list[forms.BoundField]:
        return [self[f"b1_{code}"] for code in self.b1_codes]

    def _b1_items(self, values: Any) -> dict[str, str]:
        """The B1 items answered (item code → answer code), from cleaned data or the raw form data."""
        return {code: str(values.get(f"b1_{code}")) for code in self.b1_codes if values.get(f"b1_{code}")}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns (the stubs say it may be None)
        given = (data.get("b1_score"), data.get("income_per_capita"))
        if given == (None, None) and not self._b1_items(data):
            raise forms.ValidationError(
                _("Answer the B1 items, or enter the B1 total or the income per person (or both).")
            )
        return data

    def survey_input(self) -> SurveyInput:
        data = self.cleaned_data
        answers = {
            code: data[f"ind_{code}"] == "1"
            for code in self.standard.indicator_codes
            if data.get(f"ind_{code}")
        }
        return SurveyInput(
            b1_score=data.get("b1_score"),
            income_per_capita=data.get("income_per_capita"),
            answers=answers,
            b1_items=self._b1_items(data) or None,
            b1_region=data.get("b1_region") or None,
        )

    def partial_b1(self) -> tuple[dict[str, str], str | None]:
        """The B1 items answered so far and the region chosen (for the live score)."""
        return self._b1_items(self.data), (str(self.data.get("b1_region") or "") or None)

    def partial_input(self) -> SurveyInput | None:
        """What has been typed so far, for the live verdict; None while there is neither income, a B1 total
        nor every B1 item answered. Items not all answered yet are left out (the live page shows how many)."""

        def number(name: str) -> int | None:
            raw = str(self.data.get(name, "")).replace(".", "").replace(",", "").replace(" ", "").strip()
            return int(raw) if raw.isdigit() else None

        b1, income = number("b1_score"), number("income_per_capita")
        items, region = self.partial_b1()
        complete = bool(self.b1_codes) and len(items) == len(self.b1_codes)
        if b1 is None and income is None and not complete:
            return None
        answers = {}
        for code in self.standard.indicator_codes:
            value = _yes_no(self.data.get(f"ind_{code}"))
            if value is not None:
                answers[code] = value
        return SurveyInput(
            b1_score=b1,
            income_per_capita=income,
            answers=answers,
            b1_items=items if complete else None,
            b1_region=region,
        )


MEETING_ATTENDANCE = (
    "invited_households",
    "attending_households",
    "steering_committee",
    "party_secretary",
    "mass_organisations",
    "reviewers",
)


class MeetingForm(forms.Form):
    held_on = _date_field(_("Held on"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    chair_name = forms.CharField(label=_("Chaired by (village head)"), max_length=200)
    front_supervisor_name = forms.CharField(label=_("Fatherland Front supervisor"), max_length=200)
    secretary_name = forms.CharField(label=_("Secretary"), max_length=200, required=False)
    attendees = forms.IntegerField(label=_("Attendees"), min_value=1, max_value=100_000)
    invited_households = forms.IntegerField(
        label=_("Households invited"), min_value=1, max_value=100_000, required=False
    )
    attending_households = forms.IntegerField(
        label=_("Households attending"), min_value=0, max_value=100_000, required=False
    )
    steering_committee = forms.CharField(
        label=_("Commune steering committee (names)"), max_length=300, required=False
    )
    party_secretary = forms.CharField(label=_("Village Party secretary"), max_length=200, required=False)
    mass_organisations = forms.CharField(
        label=_("Mass organisations (names)"), max_length=300, required=False
    )
    reviewers = forms.CharField(label=_("Reviewers (names)"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("Other opinions"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, entries: list[RoundHousehold], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries = entries
        for entry in entries:
            field = forms.IntegerField(
                label=f"{entry.household.code} — {entry.household.head_name}", min_value=0, required=False
            )
            field.widget.attrs["inputmode"] = "numeric"
            self.fields[f"votes_{entry.pk}"] = field

    def vote_fields(self) -> list[tuple[RoundHousehold, forms.BoundField]]:
        return [(entry, self[f"votes_{entry.pk}"]) for entry in self.entries]

    def votes(self) -> dict[int, int]:
        return {
            entry.pk: self.cleaned_data[f"votes_{entry.pk}"]
            for entry in self.entries
            if self.cleaned_data.get(f"votes_{entry.pk}") is not None
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns (the stubs say it may be None)
        if self.entries and not any(data.get(f"votes_{e.pk}") is not None for e in self.entries):
            raise forms.ValidationError(_("Enter the votes in favour for at least one household."))
        invited, attending = data.get("invited_households"), data.get("attending_households")
        if invited is not None and attending is not None and attending > invited:
            self.add_error("attending_households", _("More households attended than were invited."))
        return data

    def attendance(self) -> dict[str, Any]:
        """The invited households and the attendees by group, for ``village_meeting_record``."""
        return {name: self.cleaned_data.get(name) for name in MEETING_ATTENDANCE}


class PostingForm(forms.Form):
    starts_on = _date_field(_("Posted from"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)


class ComplaintForm(forms.Form):
    entry = forms.ModelChoiceField(queryset=RoundHousehold.objects.none(), label=_("Household concerned"))
    complainant = forms.CharField(label=_("Complainant"), max_length=200)
    content = forms.CharField(label=_("Complaint"), widget=forms.Textarea(attrs={"rows": 3}))
    received_on = _date_field(_("Received on"))

    def __init__(self, *args: Any, entries: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[RoundHousehold]", self.fields["entry"])  # the stubs: Field
        field.queryset = entries
        # An instance's own label: Django calls self.label_from_instance(obj); the stubs type it a method.
        field.label_from_instance = lambda e: f"{e.household.code} — {e.household.head_name}"  # type: ignore[method-assign,assignment]


class RecheckForm(forms.Form):
    rechecked_on = _date_field(_("Re-checked on"))
    finding = forms.CharField(label=_("Finding of the re-check"), widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("kept", _("The result is right: keep it")),
            ("resurvey", _("There are grounds: survey the household again (Phiếu B, meeting, posting)")),
        ],
        widget=forms.RadioSelect,
        initial="kept",
    )


class DecisionForm(forms.Form):
    """The officer prepares the decision (the draft): its number and date. The chairman issues it."""

    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decision_date = _date_field(_("Decision date"))


class IssueForm(forms.Form):
    """The chairman issues the prepared decision."""

    confirm = forms.BooleanField(label=_("I understand that the results will be locked."))
