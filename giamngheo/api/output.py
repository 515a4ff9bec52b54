"""CSV answers, written through the project's one safe writer (``tabular.writer``: a cell a spreadsheet
would run as a formula is neutralised)."""

from __future__ import annotations

import codecs
import io
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse

from giamngheo.tabular.writer import csv_writer


def csv_response(header: Sequence[str], rows: Sequence[Sequence[Any]], file_name: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    # With a BOM, as every CSV download of the site, so Excel reads the Vietnamese letters.
    body = codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
