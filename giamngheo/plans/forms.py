"""Forms of the plan pages (the village grid is read from the POST directly: two inputs per village)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from giamngheo.plans import template as plan_text


class PlanOpenForm(forms.Form):
    commune = forms.ChoiceField(label=_("Commune"))
    year = forms.IntegerField(label=_("Plan year"), min_value=2000, max_value=2100)

    def __init__(self, *args, communes=(), year=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [(c.code, c.display_name) for c in communes]
        self.fields["year"].initial = year or datetime.date.today().year


class RatesForm(forms.Form):
    # Text fields: the service reads "3,30" and "3.30" alike and names the field in its error.
    assigned_poor_rate = forms.CharField(
        label=_("Poor-household rate assigned (%)"), required=False, max_length=10
    )
    assigned_near_poor_rate = forms.CharField(
        label=_("Near-poor-household rate assigned (%)"), required=False, max_length=10
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ProposalForm(forms.Form):
    BASIS_CHOICES = [
        ("labour", _("households with labour capacity in each village")),
        ("households", _("poor (near-poor) households in each village")),
    ]
    poor_total = forms.IntegerField(label=_("Reduction of poor households"), min_value=0, required=False)
    near_poor_total = forms.IntegerField(
        label=_("Reduction of near-poor households"), min_value=0, required=False
    )
    basis = forms.ChoiceField(label=_("Share in proportion to"), choices=BASIS_CHOICES, initial="labour")


class IndicatorForm(forms.Form):
    text = forms.CharField(label=_("Text in the plan"), widget=forms.Textarea(attrs={"rows": 3}))
    definition = forms.CharField(
        label=_("Definition"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    target_percent = forms.CharField(label=_("Target (%)"), required=False, max_length=10)


class TemplateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        labels = {
            "title": _("Title"),
            "subtitle": _("Subtitle"),
            "legal_basis": _("Legal basis"),
            "general_goal": _("General goal"),
            "rate_targets": _("Rate targets"),
            "analysis": _("II. Analysis of poor households"),
            "tasks": _("III. Tasks and solutions"),
            "organisation": _("IV. Organisation"),
            "closing": _("Closing"),
            "signature": _("Signature block"),
            "recipients": _("Recipients"),
        }
        for name in plan_text.SECTIONS:
            rows = (
                2
                if name in ("title", "subtitle", "signature")
                else (14 if name in ("tasks", "organisation") else 5)
            )
            self.fields[name] = forms.CharField(
                label=labels[name], required=False, widget=forms.Textarea(attrs={"rows": rows}), strip=False
            )
