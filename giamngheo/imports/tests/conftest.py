from __future__ import annotations

from pathlib import Path

import pytest

from giamngheo.testing.files import commune_workbook


@pytest.fixture
def commune_xlsx(tmp_path: Path) -> Path:
    return commune_workbook(tmp_path / "danh-sach-2024.xlsx")
