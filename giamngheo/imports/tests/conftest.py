from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from giamngheo.imports.tests.files import commune_workbook

IMMEDIATE_TASKS = override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
)


@pytest.fixture
def commune_xlsx(tmp_path: Path) -> Path:
    return commune_workbook(tmp_path / "danh-sach-2024.xlsx")
