"""``giamngheo rollup_rebuild``: recount the status rollup from the decided results."""

from __future__ import annotations

import time
from typing import Any

from giamngheo.common.command import GiamngheoCommand
from giamngheo.rollups.services import rollup_rebuild


class Command(GiamngheoCommand):
    help = (
        "Đếm lại bảng tổng hợp tình trạng hộ từ các kết quả đã quyết định / "
        "Recount the status rollup from the decided review results"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        rows = rollup_rebuild()
        self.stdout.write(f"{rows} dòng/rows — {time.monotonic() - started:.1f}s")
