"""The shared test kit (``giamngheo.testing``): no app's tests import another tests package, a fixture name
means one thing in the whole suite, and what the kit builds once is rolled back after every test."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from giamngheo.households.models import Household

ROOT = Path(__file__).resolve().parent.parent
TESTS_PACKAGE = re.compile(r"^giamngheo\.\w+\.tests(\.|$)")


def suite_files() -> list[Path]:
    paths = [*ROOT.glob("giamngheo/*/tests/**/*.py"), *ROOT.glob("tests/**/*.py"), ROOT / "conftest.py"]
    return [*paths, *ROOT.glob("giamngheo/testing/*.py")]


def imported_modules(tree: ast.AST) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return names


def test_no_test_imports_a_tests_package():
    found = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in suite_files()
        for module in imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        if TESTS_PACKAGE.match(module)
    ]
    assert found == [], "shared helpers belong in giamngheo.testing"


def test_each_fixture_name_is_defined_once():
    places: dict[str, list[str]] = {}
    for path in suite_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(
                "fixture" in ast.unparse(decorator) for decorator in node.decorator_list
            ):
                places.setdefault(node.name, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert {name: where for name, where in places.items() if len(where) > 1} == {}


# Two tests of one module: whichever runs second (on the same worker) finds the register as built.


def test_a_write_to_the_shared_register_is_rolled_back(support_register):
    household = support_register["T01"]
    household.head_name = "Đã sửa"
    household.save()
    Household.objects.filter(code="T02").update(size=9)
    assert Household.objects.get(code="T01").head_name == "Đã sửa"


def test_each_test_finds_the_register_as_built(support_register):
    assert support_register["T01"].head_name == "Chủ hộ T01 (test)"
    assert Household.objects.get(code="T01").head_name == "Chủ hộ T01 (test)"
    assert Household.objects.get(code="T02").size == 3
