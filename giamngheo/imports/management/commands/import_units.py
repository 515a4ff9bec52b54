"""``giamngheo import units FILE [--dry-run] [--sheet S]`` — administrative units (format B)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from giamngheo.common.command import GiamngheoCommand


class Command(GiamngheoCommand):
    help = "Nhập đơn vị hành chính (định dạng B) / import administrative units (format B), CSV or XLSX"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="CSV hoặc XLSX định dạng B / format-B CSV or XLSX")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="chỉ kiểm tra, không ghi / validate and report, write nothing",
        )
        parser.add_argument("--sheet", help="trang tính của tệp XLSX (mặc định: trang đầu) / XLSX sheet name")

    def handle(self, *args: Any, **options: Any) -> None:
        from giamngheo.imports.progress import terminal_progress
        from giamngheo.imports.unit_list import units_import

        progress = terminal_progress()
        try:
            report = units_import(
                path=options["file"], sheet=options["sheet"], dry_run=options["dry_run"], progress=progress
            )
        finally:
            getattr(progress, "close", lambda: None)()
        self.stdout.write("\n".join(report.lines()))
