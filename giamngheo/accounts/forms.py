from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from giamngheo.accounts.throttle import login_failure_record, login_failures_clear, login_is_blocked


def client_address(request) -> str | None:  # type: ignore[no-untyped-def]
    return request.META.get("REMOTE_ADDR") or None


class ThrottledLoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password. Please try again (letters are case-sensitive)."),
        "throttled": _(
            "Too many failed attempts. Please wait 15 minutes and try again, or ask the administrator."
        ),
    }

    def clean(self):  # type: ignore[no-untyped-def]
        username = (self.data.get("username") or "").strip()
        address = client_address(self.request) if self.request else None
        if login_is_blocked(username=username, address=address):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_failure_record(username=username, address=address)
            raise
        login_failures_clear(username=username)
        return cleaned
