"""``giamngheo export households --unit U --year Y [--output OUT]`` — the household list of review year Y for
a unit and everything below it, in format C (CSV, or XLSX when OUT ends in .xlsx; CSV on standard output
without --output). Re-importing it changes nothing."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from giamngheo.common.command import GiamngheoCommand


class Command(GiamngheoCommand):
    help = (
        "Xuất danh sách hộ của một năm rà soát (định dạng C) / export a review year's household list"
        " (format C)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="mã hoặc tên đơn vị / unit code or name")
        parser.add_argument(
            "--year",
            type=int,
            default=datetime.date.today().year,
            help="năm rà soát / review year (default: this year)",
        )
        parser.add_argument(
            "--output", "-o", metavar="OUT", help="tệp .csv hoặc .xlsx (mặc định: stdout CSV)"
        )
        parser.add_argument(
            "--full-citizen-ids",
            action="store_true",
            help="số CCCD đầy đủ (được ghi lại) thay vì số đã che / full citizen IDs (recorded), not masked",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from giamngheo.imports.household_export import export_households
        from giamngheo.units.selectors import unit_resolve

        unit = unit_resolve(options["unit"])
        output = Path(options["output"]) if options["output"] else None
        count = export_households(
            unit=unit, year=options["year"], output=output, full_citizen_ids=options["full_citizen_ids"]
        )
        if output is not None:
            sys.stderr.write(f"{count} hộ / households → {output}\n")
