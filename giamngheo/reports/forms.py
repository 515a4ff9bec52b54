"""Forms of the progress report's pages: submitting a version, deciding on it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReportSubmitForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the new version"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return for correction"))])
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
