"""Which tests run in which pass of ``make test`` (``giamngheo.testing.passes``): a test that touches no
test database runs in the first pass only, and one that would then run in no pass fails."""

from __future__ import annotations

import pytest

TESTS = """
import pytest

@pytest.fixture
def django_db_setup():  # stands for pytest-django's: every database fixture needs it
    return None

def test_pure():
    pass

@pytest.mark.django_db
def test_marked():
    pass

def test_with_a_database_fixture(django_db_setup):
    pass

def test_skipped():
    pytest.skip("no chromium here")

@pytest.mark.xfail(reason="a known bug", strict=True)
def test_expected_to_fail():
    assert False
"""
NAMES_THE_DATABASE = """
def test_reads_the_vendor():
    assert "connection.vendor"
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest('pytest_plugins = ["giamngheo.testing.passes"]')
    pytester.makepyfile(test_plain=TESTS, test_vendor=NAMES_THE_DATABASE)
    pytester.makeini("[pytest]\nmarkers =\n    django_db: the test database")
    return pytester


def run(suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, which: str | None) -> pytest.RunResult:
    if which is None:
        monkeypatch.delenv("GIAMNGHEO_TEST_PASS", raising=False)
    else:
        monkeypatch.setenv("GIAMNGHEO_TEST_PASS", which)
    return suite.runpytest_inprocess("--disable-plugin-autoload", "-p", "no:cacheprovider", "-rA")


def test_the_second_pass_leaves_out_the_tests_that_touch_no_database(suite, monkeypatch):
    result = run(suite, monkeypatch, "second")
    result.assert_outcomes(passed=3, deselected=3)
    for name in ("test_plain.py::test_marked", "test_plain.py::test_with_a_database_fixture",
                 "test_vendor.py::test_reads_the_vendor"):  # fmt: skip
        result.stdout.fnmatch_lines([f"PASSED {name}"])
    result.stdout.no_fnmatch_line("*test_pure*")
    result.stdout.no_fnmatch_line("*test_skipped*")


def test_a_test_left_to_the_first_pass_may_not_be_skipped_there(suite, monkeypatch):
    result = run(suite, monkeypatch, "first")
    result.assert_outcomes(passed=4, failed=1, xfailed=1)
    result.stdout.fnmatch_lines(
        ["*test_skipped touches no test database*(no chromium here)*would run in no pass*"]
    )


def test_without_make_test_every_test_runs_and_a_skip_stays_a_skip(suite, monkeypatch):
    run(suite, monkeypatch, None).assert_outcomes(passed=4, skipped=1, xfailed=1)


def test_a_wrong_pass_name_is_refused(suite, monkeypatch):
    result = run(suite, monkeypatch, "third")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*GIAMNGHEO_TEST_PASS must be 'first', 'second' or unset, not 'third'*"])
