"""``giamngheo import households FILE --year Y [--dry-run] [--draft] [--decision-number N]
[--decision-date D] [--unit U] [--sheet S]`` — the household list of a review round (format C).

The list is the official (decided) result of year Y's regular round unless ``--draft``. ``--unit`` limits
the villages that names may match (when a village name exists in several communes).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from giamngheo.common.command import GiamngheoCommand
from giamngheo.errors import InputError


class Command(GiamngheoCommand):
    help = (
        "Nhập danh sách hộ của một đợt rà soát (định dạng C) / import a review round's household list"
        " (format C), CSV or XLSX"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="CSV hoặc XLSX định dạng C / format-C CSV or XLSX")
        parser.add_argument("--year", type=int, required=True, help="năm rà soát / review year")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="chỉ kiểm tra, không ghi / validate and report, write nothing",
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help="nhập làm bản nháp, chưa công nhận / import as a draft (the round stays open)",
        )
        parser.add_argument("--decision-number", default="", help="số quyết định công nhận / decision number")
        parser.add_argument(
            "--decision-date",
            default="",
            help="ngày quyết định (dd/mm/yyyy) / decision date (dd/mm/yyyy or ISO)",
        )
        parser.add_argument(
            "--unit", help="chỉ tìm thôn trong đơn vị này / look villages up within this unit"
        )
        parser.add_argument("--sheet", help="trang tính của tệp XLSX (mặc định: trang đầu) / XLSX sheet name")

    def handle(self, *args: Any, **options: Any) -> None:
        from giamngheo.imports.household_list import households_import
        from giamngheo.imports.progress import terminal_progress
        from giamngheo.tabular.values import CellError, parse_date
        from giamngheo.units.selectors import unit_resolve

        if options["draft"] and (options["decision_number"] or options["decision_date"]):
            raise InputError.single(
                "bản nháp chưa có quyết định công nhận",
                "a draft has no decision yet",
                column="--draft",
                fix_vi="bỏ --draft, hoặc bỏ --decision-number/--decision-date",
                fix_en="drop --draft, or drop --decision-number/--decision-date",
            )
        try:
            decision_date = parse_date(options["decision_date"])
        except CellError as error:
            raise InputError.single(
                error.message_vi,
                error.message_en,
                column="--decision-date",
                fix_vi=error.fix_vi,
                fix_en=error.fix_en,
            ) from None
        within = unit_resolve(options["unit"]) if options["unit"] else None
        progress = terminal_progress()
        try:
            report = households_import(
                path=options["file"],
                year=options["year"],
                sheet=options["sheet"],
                dry_run=options["dry_run"],
                draft=options["draft"],
                decision_number=options["decision_number"],
                decision_date=decision_date,
                within=within,
                progress=progress,
            )
        finally:
            getattr(progress, "close", lambda: None)()
        self.stdout.write("\n".join(report.lines()))
