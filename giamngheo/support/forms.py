"""Forms of the support tracker. They parse what people type (amounts like ``1.500.000``, dd/mm/yyyy dates)
and hand typed values to the services, which validate again and write. Choices are limited to what the
acting user may use (their unit's organisations and sources)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from giamngheo.common.dates import DayMonthYearInput
from giamngheo.errors import InputError
from giamngheo.support.kinds import (
    DETAILS,
    SupportForm,
    SupportKind,
    SupportStatus,
    all_detail_fields,
    parse_vnd,
)
from giamngheo.support.models import (
    ActivityKind,
    OrganisationKind,
    PlanGroup,
    PlanStatus,
    Solution,
    SourceKind,
)

DATE_WIDGET = DayMonthYearInput()


class VNDField(forms.CharField):
    """Whole VND as people type it: ``1.500.000``, ``1,500,000``, ``1500000``; never negative."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_vnd(value, column="amount")
        except InputError as error:
            raise forms.ValidationError(
                _("Enter a whole amount of VND, not negative (for example 1.500.000)."), code="invalid"
            ) from error


class SupportRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of support"), choices=SupportKind.choices)
    form = forms.ChoiceField(label=_("Form"), choices=SupportForm.choices)
    status = forms.ChoiceField(
        label=_("Status of the support"), choices=SupportStatus.choices, initial=SupportStatus.DELIVERED
    )
    member = forms.TypedChoiceField(label=_("Member"), required=False, coerce=int, empty_value=None)
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    amount = VNDField(label=_("Amount (VND)"), required=False)
    source = forms.TypedChoiceField(label=_("Paid from"), required=False, coerce=int, empty_value=None)
    provider = forms.CharField(label=_("Provided by"), required=False, max_length=200)
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DATE_WIDGET)
    valid_to = forms.DateField(label=_("Valid to"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, members=(), sources=(), organisations=(), **kwargs: Any) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        fields = cast("dict[str, forms.ChoiceField]", self.fields)  # the stubs type each as Field
        blank = [("", "—")]
        fields["member"].choices = blank + [(m.pk, m.full_name) for m in members]
        fields["source"].choices = blank + [(s.pk, s.name) for s in sources]
        fields["organisation"].choices = blank + [(o.pk, o.name) for o in organisations]
        for field in all_detail_fields():
            name = f"detail_{field.name}"
            if field.type == "choice":
                self.fields[name] = forms.ChoiceField(
                    label=field.label, required=False, choices=[("", "—"), *field.choices]
                )
            elif field.type == "date":
                self.fields[name] = forms.DateField(label=field.label, required=False, widget=DATE_WIDGET)
            elif field.type == "int":
                self.fields[name] = VNDField(label=field.label, required=False)
            else:
                self.fields[name] = forms.CharField(label=field.label, required=False, max_length=300)
            # Which kinds show the field (Alpine hides the others).
            self.fields[name].widget.attrs["data-kinds"] = " ".join(
                kind for kind, fields in DETAILS.items() if any(f.name == field.name for f in fields)
            )

    def details(self) -> dict[str, Any]:
        kind = self.cleaned_data["kind"]
        return {f.name: self.cleaned_data.get(f"detail_{f.name}") for f in DETAILS.get(kind, ())}

    def detail_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("detail_")]


class SupportUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status of the support"), choices=SupportStatus.choices)
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    amount = VNDField(label=_("Amount (VND)"), required=False)
    valid_to = forms.DateField(label=_("Valid to"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class EscapePlanForm(forms.Form):
    group = forms.ChoiceField(label=_("Group"), choices=PlanGroup.choices)
    solutions = forms.MultipleChoiceField(
        label=_("Solutions"), choices=Solution.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    organisation = forms.TypedChoiceField(
        label=_("Organisation in charge"), required=False, coerce=int, empty_value=None
    )
    helper = forms.TypedChoiceField(label=_("Person in charge"), required=False, coerce=int, empty_value=None)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, organisations=(), helpers=(), **kwargs: Any) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        fields = cast("dict[str, forms.ChoiceField]", self.fields)  # the stubs type each as Field
        fields["organisation"].choices = [("", "—")] + [(o.pk, o.name) for o in organisations]
        fields["helper"].choices = [("", "—")] + [
            (m.pk, f"{m.full_name} — {m.organisation.name}") for m in helpers
        ]


class PlanProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status of the plan"), choices=PlanStatus.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=300)
    due_date = forms.DateField(label=_("Due date"), widget=DATE_WIDGET)


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DATE_WIDGET)


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=OrganisationKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class OrganisationMemberForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    position = forms.CharField(label=_("Position"), required=False, max_length=120)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    assignment = forms.CharField(label=_("Assigned to"), required=False, max_length=300)
    village = forms.TypedChoiceField(
        label=_("Village in charge"), required=False, coerce=int, empty_value=None
    )
    user = forms.TypedChoiceField(label=_("Login"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, villages=(), users=(), **kwargs: Any) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        fields = cast("dict[str, forms.ChoiceField]", self.fields)  # the stubs type each as Field
        fields["village"].choices = [("", "—")] + [(v.pk, v.name) for v in villages]
        fields["user"].choices = [("", "—")] + [(u.pk, f"{u.username} — {u.display()}") for u in users]


class SourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of source"), choices=SourceKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    donor = forms.CharField(label=_("Donor"), required=False, max_length=200)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class LedgerEntryForm(forms.Form):
    ENTRY_CHOICES = [("allocation", _("Allocation received")), ("spending", _("Spending"))]
    entry_type = forms.ChoiceField(label=_("Kind of entry"), choices=ENTRY_CHOICES)
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    amount = VNDField(label=_("Amount (VND)"))
    description = forms.CharField(label=_("Description"), max_length=300)


class ReversalForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=250)


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Name of the activity"), max_length=300)
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    unit = forms.TypedChoiceField(label=_("Where"), coerce=int)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    reach = forms.IntegerField(label=_("People reached"), required=False, min_value=0)
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, units=(), organisations=(), **kwargs: Any) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        fields = cast("dict[str, forms.ChoiceField]", self.fields)  # the stubs type each as Field
        fields["unit"].choices = [(u.pk, u.display_name) for u in units]
        fields["organisation"].choices = [("", "—")] + [(o.pk, o.name) for o in organisations]
