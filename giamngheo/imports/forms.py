from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from giamngheo.common.dates import date_field
from giamngheo.imports.models import ImportKind
from giamngheo.imports.readers import ACCEPTED_SUFFIXES
from giamngheo.imports.services import MAX_UPLOAD_BYTES


def _this_year() -> int:
    return datetime.date.today().year


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"), choices=ImportKind.choices, initial=ImportKind.HOUSEHOLDS
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8) or Excel (.xlsx). Title rows above the header and a total row are fine."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(ACCEPTED_SUFFIXES))}),
    )
    year = forms.IntegerField(
        label=_("Review year"), min_value=2000, max_value=2100, required=False, initial=_this_year
    )
    # Ticked by default: a first look at a file should never write; "import for real" then runs the same file.
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and show what would change, write nothing"),
        required=False,
        initial=True,
    )
    draft = forms.BooleanField(
        label=_("Import as a draft (the round stays open; otherwise the list becomes the official result)"),
        required=False,
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    decision_date = date_field(label=_("Decision date"), required=False)

    def __init__(self, *args: Any, may_import_units: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_import_units:
            kind = cast(forms.ChoiceField, self.fields["kind"])  # the stubs type it as Field
            kind.choices = [(ImportKind.HOUSEHOLDS, ImportKind.HOUSEHOLDS.label)]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in ACCEPTED_SUFFIXES:
            raise forms.ValidationError(
                _("This kind of file cannot be read: save the list as .xlsx or .csv.")
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 50 MB)."))
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns (the stubs say it may be None)
        if data.get("kind") == ImportKind.HOUSEHOLDS and not data.get("year"):
            self.add_error("year", _("Give the review year of the list."))
        if data.get("draft") and (data.get("decision_number") or data.get("decision_date")):
            self.add_error("draft", _("A draft has no decision yet: untick the draft or clear the decision."))
        return data


class ExportForm(forms.Form):
    year = forms.IntegerField(label=_("Review year"), min_value=2000, max_value=2100, initial=_this_year)
    format = forms.ChoiceField(
        label=_("Format"), choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV")], initial="xlsx"
    )
    full_citizen_ids = forms.BooleanField(
        label=_("Full citizen ID numbers (the export is recorded)"),
        required=False,
        help_text=_("Without it the numbers are masked (0********123)."),
    )
