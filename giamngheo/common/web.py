"""Web helpers every app's pages share, written once: the page language, an ``InputError`` shown to the user
(as messages, or as errors on the form's fields), the plain CSRF failure page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from giamngheo.common.language import is_english, language
from giamngheo.errors import InputError, Problem

T = TypeVar("T")


__all__ = ["add_problems", "csrf_failure", "is_english", "language", "problem_text", "write_with_messages"]


def problem_text(problem: Problem) -> str:
    return problem.message_en if is_english() else problem.message_vi


def problem_with_fix(problem: Problem) -> str:
    """The problem and its fix, in the page's language."""
    fix = problem.fix_en if is_english() else problem.fix_vi
    return f"{problem_text(problem)} — {fix}" if fix else problem_text(problem)


def problem_both_languages(problem: Problem) -> str:
    """The problem and its fix in Vietnamese and English (the register's pages show both)."""
    text = f"{problem.message_vi} / {problem.message_en}"
    if problem.fix_vi or problem.fix_en:
        text += f" — {problem.fix_vi or ''} / {problem.fix_en or ''}"
    return text


def add_problems(form: Any, error: InputError, text: Callable[[Problem], str] = problem_with_fix) -> None:
    """A service's problems on the form that was posted: on the field a problem names when the form has
    it, else on top of the form."""
    for problem in error.problems:
        field = problem.column if problem.column in form.fields else None
        form.add_error(field, text(problem))


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
