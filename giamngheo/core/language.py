"""The page's language: Vietnamese unless the user chose English with the language switch.

Django's LocaleMiddleware follows the browser's Accept-Language, so an officer whose browser (or office
computer) is set to English got English pages without asking. Here only the user's own choice counts: the
language cookie written by the switch (``set_language``), kept for a year; anything else is Vietnamese.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import check_for_language


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
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        # No "Vary: Accept-Language": the browser's language never changes the page.
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
