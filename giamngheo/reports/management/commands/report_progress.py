"""``giamngheo report progress --unit U --period P --format csv|xlsx|docx|pdf --output OUT``.

The progress report of a unit (and each unit below it) for a month (2023-05), a quarter (2023-Q2) or a year
(2023). The command line acts with a system-wide scope (it runs on the server, by an administrator). The
file is written to a temporary name beside OUT and renamed at the end: a failure leaves no partial file.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from giamngheo.accounts.models import Role, User
from giamngheo.common.command import GiamngheoCommand
from giamngheo.errors import InputError
from giamngheo.reports.periods import parse_period
from giamngheo.reports.progress import build_progress
from giamngheo.reports.progress_render import FORMATS, render
from giamngheo.units.selectors import unit_resolve


def system_actor() -> User:
    """An unsaved administrator: the command line reads everything and writes nothing but the file."""
    return User(
        username="giamngheo-cli", full_name="giamngheo (dòng lệnh / command line)", role=Role.SYSTEM_ADMIN
    )


class Command(GiamngheoCommand):
    help = (
        "Báo cáo tiến độ tháng/quý/năm của một đơn vị và các đơn vị trực thuộc / "
        "the monthly, quarterly or yearly progress report of a unit and each unit below it"
    )
    # A read-only report: the system checks would import every app's views and URLs first (~0.5 s of a
    # province's ≤ 5 s budget); `giamngheo check` and `migrate` run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--unit", required=True, help="unit code or name (e.g. “xã Sơn Trung”)")
        parser.add_argument(
            "--period", required=True, help="2023-05 (month), 2023-Q2 (quarter) or 2023 (year)"
        )
        parser.add_argument(
            "--format", choices=sorted(FORMATS), help="csv, xlsx, docx or pdf (default: OUT's suffix)"
        )
        parser.add_argument("--output", required=True, help="the file to write ('-' for standard output)")
        parser.add_argument("--language", choices=["vi", "en"], default="vi", help="language of the document")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        output = options["output"]
        fmt = options["format"] or Path(output).suffix.lstrip(".").lower()
        if fmt not in FORMATS:
            raise InputError.single(
                f"Không rõ định dạng của “{output}”",
                f"Cannot tell the format of “{output}”",
                column="--format",
                fix_vi="Thêm --format csv|xlsx|docx|pdf",
                fix_en="Add --format csv|xlsx|docx|pdf",
            )
        unit = unit_resolve(options["unit"])
        period = parse_period(options["period"])
        if fmt == "pdf":  # WeasyPrint and its fonts load while the figures are being queried
            from giamngheo.documents.pdf import prepare

            prepare()
        progress = build_progress(user=system_actor(), unit=unit, period=period)
        content = render(progress, fmt, options["language"])
        if output == "-":
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
            return
        target = Path(output)
        if not target.parent.exists():
            raise InputError.single(
                f"Thư mục “{target.parent}” không tồn tại",
                f"The folder “{target.parent}” does not exist",
                column="--output",
            )
        handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as temp:
                temp.write(content)
            os.replace(temp_name, target)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        self.stderr.write(
            f"{unit.display_name} — {period.code}: {target} "
            f"({len(content):,} bytes, {time.monotonic() - started:.1f}s)"
        )
