"""Web helpers every app's pages share, written once: the page language, an ``InputError`` shown to the user
(as messages, or as errors on the form's fields), the plain CSRF failure page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from giamngheo.errors import InputError, Problem

T = TypeVar("T")


def is_english() -> bool:
    """Vietnamese by default whatever the browser says; English only when chosen."""
    return (get_language() or "vi").startswith("en")


def language() -> str:
    """The page language as the builders and renderers take it: "vi" or "en"."""
    return "en" if is_english() else "vi"


def problem_text(problem: Problem) -> str:
    return problem.message_en if is_english() else problem.message_vi


def write_with_messages(request: HttpRequest, write: Callable[[], T], *, success: str) -> T | None:
    """Run a service for a form posted and redirected (no page to re-render): its problems become error
    messages and nothing was written (None), else the success message and the service's result."""
    try:
        result = write()
    except InputError as error:
        for problem in error.problems:
            messages.error(request, problem_text(problem))
        return None
    messages.success(request, success)
    return result


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A plain-language page instead of Django's technical one: the user only needs to reload."""
    return render(request, "403_csrf.html", status=403)
