"""The support tracker's small test register (Sơn Trung, reviews of 2022 and 2023) for the dashboard."""

import pytest

from giamngheo.support.tests.conftest import Register, build_register


@pytest.fixture
def register(demo) -> Register:  # type: ignore[no-untyped-def]
    return build_register()
