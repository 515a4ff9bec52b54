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


def test_classify_runs_without_importing_django(tmp_path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text("household_id,area,income_per_capita\nH1,rural,1\n", encoding="utf-8")
    script = (
        "import sys\n"
        "from giamngheo import cli\n"
        f"sys.argv = ['giamngheo', 'classify', {str(source)!r}, '--year', '2024', '-o', {str(target)!r}]\n"
        "try:\n    cli.main()\nexcept SystemExit as done:\n"
        "    print(done.code, sorted({m.split('.')[0] for m in sys.modules} & {'django', 'asyncio'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.split("\n")[0] == "0 []" and "poor" in target.read_text(encoding="utf-8")
