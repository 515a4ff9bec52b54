"""Fail when a Vietnamese translation is missing, fuzzy, or not compiled.

Extracts the messages afresh into a temporary copy of the catalogue, so a string added to the code but not
to ``locale/vi/LC_MESSAGES/django.po`` is caught, and compares the committed ``.mo`` with a fresh compile.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "giamngheo"
PO = APP / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
BIN = Path(sys.executable).parent


def main() -> int:
    if not PO.exists():
        print(f"missing {PO.relative_to(ROOT)}: run `make translations`")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "giamngheo"
        shutil.copytree(
            APP, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "migrations", "tests")
        )
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run(
            [
                BIN / "django-admin",
                "makemessages",
                "-l",
                "vi",
                "--no-obsolete",
                "--no-location",
                "--settings=config.settings",
            ],
            cwd=copy,
            env=env,
            check=True,
            capture_output=True,
        )
        fresh_po = copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"
        untranslated = subprocess.run(
            ["msgattrib", "--untranslated", "--no-obsolete", str(fresh_po)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        fuzzy = subprocess.run(
            ["msgattrib", "--only-fuzzy", "--no-obsolete", str(fresh_po)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        problems = []
        if "msgid" in untranslated:
            problems.append(
                "untranslated strings (add them to giamngheo/locale/vi/LC_MESSAGES/django.po):\n"
                + untranslated
            )
        if "msgid" in fuzzy:
            problems.append("fuzzy translations (check and remove the fuzzy flag):\n" + fuzzy)
        compiled = Path(tmp) / "check.mo"
        subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(PO)], check=True)
        if not MO.exists() or MO.read_bytes() != compiled.read_bytes():
            problems.append("django.mo is not compiled from django.po: run `make translations`")
    if problems:
        print("\n".join(problems))
        return 1
    print("translations: vi complete and compiled")
    return 0


if __name__ == "__main__":
    sys.exit(main())
