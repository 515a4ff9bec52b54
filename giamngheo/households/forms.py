"""Forms of the register pages. They validate input shape; rules that need the database live in services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from giamngheo.common.dates import DayMonthYearInput
from giamngheo.households.models import Household, Member, Relation, Status
from giamngheo.households.selectors import CATEGORIES, SORTS, STATUS_NONE
from giamngheo.households.services import is_masked_citizen_id, mask_citizen_id
from giamngheo.units.models import Unit

CATEGORY_LABELS = {
    "no_labour": _("No labour capacity"),
    "social_protection": _("Social protection (BTXH)"),
    "ethnic_minority": _("Ethnic minority (DTTS)"),
    "meritorious": _("Meritorious service (người có công)"),
    "provincial_income_support": _("Provincial income support"),
}
SORT_LABELS = {"name": _("Head's name (Vietnamese order)"), "code": _("Village and household code")}


class RegisterFilterForm(forms.Form):
    """The list's query string. Unknown or out-of-scope values are dropped, never an error page."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Name, household code or citizen ID"),
                "autocomplete": "off",
            }
        ),
    )
    unit = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=_("Commune or village"))
    status = forms.ChoiceField(
        label=_("Status (latest decided review)"),
        required=False,
        choices=[("", _("Any status")), *Status.choices, (STATUS_NONE, _("Not reviewed yet"))],
    )
    category = forms.MultipleChoiceField(
        label=_("Categories"),
        required=False,
        choices=[(c, CATEGORY_LABELS[c]) for c in CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
    )
    newly_escaped = forms.BooleanField(label=_("Newly escaped poverty"), required=False)
    closed = forms.BooleanField(label=_("Include closed households"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[(s, SORT_LABELS[s]) for s in SORTS])
    words = forms.BooleanField(required=False, widget=forms.HiddenInput)
    after = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    n = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The choices are units already read and scoped by ``selectors.filter_units``: no query to validate.
        self.units = {u.pk: u for u in units}
        cast(forms.ChoiceField, self.fields["unit"]).choices = [("", _("All"))] + [
            (u.pk, self.unit_label(u)) for u in units
        ]

    def clean_unit(self) -> Unit | None:
        pk = self.cleaned_data.get("unit")
        return self.units.get(pk) if pk is not None else None

    @staticmethod
    def unit_label(unit: Unit) -> str:
        return (
            f"{unit.parent.name} › {unit.display_name}"
            if unit.level.code == "village" and unit.parent
            else unit.display_name
        )


class VersionedForm(forms.ModelForm):
    """A model form that carries the version the user started from (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select | forms.TextInput | forms.NumberInput | forms.DateInput):
                field.widget.attrs.setdefault("class", "input")


YES_NO_UNKNOWN = forms.NullBooleanSelect


class HouseholdForm(VersionedForm):
    class Meta:
        model = Household
        fields = [
            "village",
            "code",
            "head_name",
            "size",
            "address",
            "phone",
            "area",
            "labour_capacity",
            "social_protection",
            "ethnic_minority",
            "meritorious",
            "provincial_income_support",
            "farm_household",
            "income_per_capita",
            "dwelling",
            "floor_area_m2",
            "safe_water",
            "hygienic_latrine",
            "internet_use",
            "owns_info_device",
            "waste_handled",
        ]
        widgets = {
            "labour_capacity": YES_NO_UNKNOWN,
            "farm_household": YES_NO_UNKNOWN,
            "safe_water": YES_NO_UNKNOWN,
            "hygienic_latrine": YES_NO_UNKNOWN,
            "internet_use": YES_NO_UNKNOWN,
            "owns_info_device": YES_NO_UNKNOWN,
            "waste_handled": YES_NO_UNKNOWN,
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "income_per_capita": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }
        help_texts = {
            "labour_capacity": _("Leave “Unknown” to derive it from the members' ages and ability to work."),
            "farm_household": _(
                "Only such a household can be of average living standard (Decision 24/2021). "
                "“Unknown”: the income band alone decides."
            ),
        }

    def __init__(self, *args: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        village = cast("forms.ModelChoiceField[Unit]", self.fields["village"])  # the stubs type it as Field
        village.queryset = villages
        # An instance's own label: Django calls self.label_from_instance(obj); the stubs type it a method.
        village.label_from_instance = RegisterFilterForm.unit_label  # type: ignore[method-assign,assignment]
        if not self.instance.pk:
            del self.fields["version"]

    def validate_unique(self) -> None:
        """Uniqueness of the code is checked by the service, which knows the commune of the new village."""


class MemberForm(VersionedForm):
    confirm_duplicate = forms.BooleanField(
        required=False,
        label=_("I have checked: this is a different person with the same name and birth date"),
    )

    class Meta:
        model = Member
        fields = [
            "full_name",
            "relation",
            "birth_date",
            "sex",
            "ethnicity",
            "citizen_id",
            "able_to_work",
            "severe_disability",
            "receives_social_allowance",
            "employment",
            "education_level",
            "has_vocational_certificate",
            "in_training",
            "attending_school",
            "school_level",
            "has_health_insurance",
            "stunted_or_underweight",
        ]
        widgets = {
            "birth_date": DayMonthYearInput(),
            "citizen_id": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            **{
                name: YES_NO_UNKNOWN
                for name in (
                    "able_to_work",
                    "severe_disability",
                    "receives_social_allowance",
                    "has_vocational_certificate",
                    "in_training",
                    "attending_school",
                    "has_health_insurance",
                    "stunted_or_underweight",
                )
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.DateField, self.fields["birth_date"]).input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        if not self.instance.pk:
            del self.fields["version"]
        # The page never carries the full number: the field shows it masked, and a masked value sent back
        # unchanged keeps the stored number (revealing it is a recorded act of its own).
        if self.instance.citizen_id:
            self.initial["citizen_id"] = mask_citizen_id(self.instance.citizen_id)

    def clean_citizen_id(self) -> str:
        value = (self.cleaned_data.get("citizen_id") or "").strip()
        if self.instance.citizen_id and is_masked_citizen_id(value):
            return self.instance.citizen_id
        return value

    def _get_validation_exclusions(self) -> set[str]:
        # A repeated citizen ID is refused by the service, with a message that says where it is registered.
        # django-stubs lacks BaseModelForm._get_validation_exclusions (Django 5.2 has it).
        return {*super()._get_validation_exclusions(), "citizen_id"}  # type: ignore[misc]


class MemberMoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    to_code = forms.CharField(label=_("Code of the household they join"), max_length=40)
    relation = forms.ChoiceField(label=_("Relation to the head of that household"), choices=Relation.choices)


class SplitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    members = forms.ModelMultipleChoiceField(
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Members who form the new household"),
    )
    code = forms.CharField(label=_("Code of the new household"), max_length=40)
    head = forms.ModelChoiceField(queryset=Member.objects.none(), label=_("Head of the new household"))
    remaining_head = forms.ModelChoiceField(
        queryset=Member.objects.none(),
        required=False,
        label=_("New head of this household (when its head leaves)"),
    )
    village = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Village of the new household"))

    def __init__(self, *args: Any, household: Household, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = cast("dict[str, forms.ModelChoiceField[Any]]", self.fields)  # the stubs type each as Field
        members = household.members.order_by("id")
        for name in ("members", "head", "remaining_head"):
            fields[name].queryset = members
        fields["village"].queryset = villages
        # An instance's own label: Django calls self.label_from_instance(obj); the stubs type it a method.
        fields["village"].label_from_instance = RegisterFilterForm.unit_label  # type: ignore[method-assign,assignment]
        self.initial.setdefault("village", household.village_id)
        self.initial.setdefault("version", household.version)


class MergeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    other_code = forms.CharField(label=_("Code of the household that joins this one"), max_length=40)
    other_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
