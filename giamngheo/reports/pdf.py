"""PDF from an HTML template, with the vendored Vietnamese-capable font embedded (WeasyPrint).

Templates extend ``reports/print_base.html`` (A4, administrative header helpers, table styles). Fonts are
loaded from files on disk, so PDFs render the same offline and carry every Vietnamese diacritic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

FONT_DIR = Path(settings.BASE_DIR) / "giamngheo" / "static" / "vendor" / "fonts" / "be-vietnam-pro"


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported here: loading pango costs time the web pages should not pay

    html = render_to_string(template_name, {**context, "font_dir": FONT_DIR.as_uri()})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
