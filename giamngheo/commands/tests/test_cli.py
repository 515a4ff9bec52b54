import subprocess
import sys
from pathlib import Path

from giamngheo.cli import translate_argv

ROOT = Path(__file__).resolve().parents[3]
GIAMNGHEO = Path(sys.executable).parent / "giamngheo"


def test_two_word_verbs_map_to_django_commands():
    assert translate_argv(["giamngheo", "import", "units", "f.csv"]) == ["giamngheo", "import_units", "f.csv"]
    assert translate_argv(["giamngheo", "report", "targets", "--unit", "x"])[1] == "report_targets"
    assert translate_argv(["giamngheo", "migrate"]) == ["giamngheo", "migrate"]


def test_the_console_script_runs_django_commands():
    result = subprocess.run([GIAMNGHEO, "help", "demo"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and "Sơn Trung" in result.stdout


def test_a_usage_error_exits_with_status_2():
    result = subprocess.run([GIAMNGHEO, "demo", "--no-such-flag"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2
