"""The page language, tested in one place: Vietnamese by default whatever the browser says, English only when
chosen (the selectors, builders and pages that word things in the user's language ask here).

Django's LocaleMiddleware follows the browser's Accept-Language, so an officer whose browser (or office
computer) is set to English got English pages without asking. ``ChosenLanguageMiddleware`` counts only the
user's own choice: the language cookie written by the switch (``set_language``), kept for a year; anything
else is Vietnamese.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import check_for_language, get_language


def is_english() -> bool:
    return (get_language() or "vi").startswith("en")


def language() -> str:
    """The page language as the builders and renderers take it: "vi" or "en"."""
    return "en" if is_english() else "vi"


def chosen_language(request: HttpRequest) -> str:
    """The language the user chose with the switch, else the site's language (Vietnamese)."""
    choice = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    supported = {code for code, _name in settings.LANGUAGES}
    if choice in supported and check_for_language(choice):
        return choice
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware without Accept-Language: the cookie the switch sets, else Vietnamese."""

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        # No "Vary: Accept-Language": the browser's language never changes the page.
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
