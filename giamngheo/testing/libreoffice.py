"""Documents as LibreOffice lays them out, for tests: DOCX → PDF with ``soffice --headless`` (a temporary
profile, so parallel runs never share one), then the PDF's text with poppler's ``pdftotext``.

``make test`` installs both (Makefile ``system-deps``); outside CI a machine without them skips these tests
with a message saying what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

MISSING = [tool for tool in ("soffice", "pdftotext") if shutil.which(tool) is None]

needs_libreoffice = pytest.mark.skipif(
    bool(MISSING) and not os.environ.get("CI"),
    reason=f"{' and '.join(MISSING)} missing: install libreoffice-writer-nogui, poppler-utils",
)


def docx_as_laid_out(docx: bytes) -> str:
    """The text of the PDF LibreOffice makes of ``docx``, line by line as printed."""
    with tempfile.TemporaryDirectory(prefix="giamngheo-lo-") as folder:
        source = Path(folder) / "document.docx"
        source.write_bytes(docx)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{folder}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        result = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(Path(folder) / "document.pdf"), "-"],
            check=True,
            capture_output=True,
            timeout=60,
        )
    return result.stdout.decode("utf-8")
