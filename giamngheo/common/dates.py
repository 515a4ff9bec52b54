"""Dates typed as officials write them: dd/mm/yyyy, whatever the browser's language.

The native ``<input type=date>`` shows mm/dd/yyyy in an English browser, so an officer could not tell
03/04 from 04/03. Every date field of the site is a text field with a dd/mm/yyyy pattern instead; the server
parses dd/mm/yyyy (and ISO, for links and tests) through the active language's ``DATE_INPUT_FORMATS``
(``giamngheo/formats``) and shows dd/mm/yyyy back.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DISPLAY_FORMAT = "%d/%m/%Y"
# dd/mm/yyyy (one-digit day and month accepted) or ISO yyyy-mm-dd.
PATTERN = r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{1,2}-\d{1,2}"


class DayMonthYearInput(forms.DateInput):
    """A text input for a date in dd/mm/yyyy, with the format as its placeholder and a pattern."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "placeholder": "dd/mm/yyyy",
            "pattern": PATTERN,
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": "10",
            "class": "date-input",
            # Read by static/js/forms.js when the pattern does not match, in the page's language.
            "data-pattern-message": _("Enter the date as dd/mm/yyyy, for example 14/12/2023."),
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format=DISPLAY_FORMAT)


def date_field(**kwargs: Any) -> forms.DateField:
    """A DateField typed and shown as dd/mm/yyyy."""
    kwargs.setdefault("widget", DayMonthYearInput())
    kwargs.setdefault(
        "error_messages", {"invalid": _("Enter the date as dd/mm/yyyy, for example 14/12/2023.")}
    )
    return forms.DateField(**kwargs)
