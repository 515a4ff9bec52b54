"""CSV answers: cells a spreadsheet would run as a formula are neutralised (design: personal data leaves as
text, never as a formula)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse

from giamngheo.reports.render import csv_text

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: Any) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_response(header: Sequence[str], rows: Sequence[Sequence[Any]], file_name: str) -> HttpResponse:
    body = csv_text(header, [[neutral(v) for v in row] for row in rows])
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
