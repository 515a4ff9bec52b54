"""The engine is pure Python: the web, the imports and the command line share it without Django."""

import subprocess
import sys

MODULES = [
    "giamngheo.standards",
    "giamngheo.standards.frame",
    "giamngheo.standards.frame_facts",
    "giamngheo.standards.format_a",
    "giamngheo.standards.distance",
    "giamngheo.standards.transitions",
    "giamngheo.tabular.reader",
    "giamngheo.tabular.columns",
]


def test_importing_the_standards_engine_and_the_readers_does_not_import_django():
    code = "import sys\n" + "".join(f"import {m}\n" for m in MODULES) + "print('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_importing_the_engine_does_not_load_polars_until_the_bulk_path_is_used():
    code = "import sys, giamngheo.standards\nprint('polars' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
