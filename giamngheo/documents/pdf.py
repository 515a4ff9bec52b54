"""PDF from an HTML template, with the vendored Vietnamese-capable font embedded (WeasyPrint).

Templates extend ``reports/print_base.html`` (A4, administrative header helpers, table styles). Fonts are
loaded from files on disk, so PDFs render the same offline and carry every Vietnamese diacritic.

Speed (bench/RESULTS-progress.md): WeasyPrint loads each ``@font-face`` into its font configuration, a
fixed cost of every document; one configuration is kept per process, so the web process and the task worker
load each font once. The font is Liberation Serif (TrueType, vendored: free, every Vietnamese letter, the
metrics of Times New Roman, the font of Decree 30/2020/NĐ-CP), one file per face. Renders are serialised by
a lock (WeasyPrint's font configuration is not meant for concurrent use; the work is CPU-bound under the
GIL anyway). A one-shot
process (the command line) can ``prepare`` in a thread while it waits for the database: importing WeasyPrint
and loading the fonts is ~1 s of CPU. Fonts are embedded as subsets: with the system's
``libharfbuzz-subset0`` WeasyPrint subsets in C, without it in fontTools (slower, same result).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

FONT_DIR = Path(settings.BASE_DIR) / "giamngheo" / "static" / "vendor" / "fonts" / "liberation-serif"

_lock = threading.Lock()
_font_config: Any = None


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    html = render_to_string(template_name, {**context, "font_dir": FONT_DIR.as_uri()})
    with _lock:
        return _write_pdf(html)


def _write_pdf(html: str) -> bytes:
    # Imported here: loading pango costs time the web pages should not pay.
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=_font_config)


def prepare() -> threading.Thread:
    """Import WeasyPrint and load the fonts of ``reports/print_base.html`` in a thread (started, returned):
    a later ``render_pdf`` of a template extending it finds both done, or waits for them."""
    html = render_to_string("reports/print_base.html", {"font_dir": FONT_DIR.as_uri()})

    def load() -> None:
        with _lock:
            _write_pdf(html.replace("<body>", "<body>.", 1))  # a character of text: the fonts get loaded

    thread = threading.Thread(target=load, name="pdf-prepare", daemon=True)
    thread.start()
    return thread
