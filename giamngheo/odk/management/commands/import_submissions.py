"""``giamngheo import submissions FILE --unit U --year Y [--month M] [--dry-run] [--sheet S]`` — surveys
collected with the XLSForm (``export xlsform``), as ODK Central or KoboToolbox export them (CSV or XLSX), into
the unit's open review round of year Y. All or nothing; the same file twice changes nothing."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandParser

from giamngheo.common.command import GiamngheoCommand, stderr_is_terminal


class Command(GiamngheoCommand):
    help = (
        "Nhập các phiếu thu bằng ODK / KoboToolbox vào đợt rà soát / import surveys collected with ODK or"
        " KoboToolbox (submissions export, CSV or XLSX) into the review round"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", metavar="FILE", help="tệp xuất bản gửi CSV hoặc XLSX / submissions export"
        )
        parser.add_argument("--unit", required=True, help="mã hoặc tên xã (hoặc thôn) / commune (or village)")
        parser.add_argument("--year", type=int, required=True, help="năm rà soát / review year")
        parser.add_argument(
            "--month",
            type=int,
            help="đợt rà soát thường xuyên của tháng này / the monthly round of this month",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="chỉ kiểm tra, không ghi / validate and report, write nothing",
        )
        parser.add_argument("--sheet", help="trang tính của tệp XLSX (mặc định: trang đầu) / XLSX sheet name")

    def handle(self, *args: Any, **options: Any) -> None:
        from giamngheo.odk.submissions import submissions_import
        from giamngheo.units.selectors import unit_resolve

        bar = TerminalBar() if stderr_is_terminal() else None
        try:
            report = submissions_import(
                path=options["file"],
                unit=unit_resolve(options["unit"]),
                year=options["year"],
                month=options["month"],
                dry_run=options["dry_run"],
                sheet=options["sheet"],
                progress=bar,
            )
        finally:
            if bar is not None:
                bar.close()
        self.stdout.write("\n".join(report.lines()))


class TerminalBar:
    """A tqdm bar on standard error (a terminal only): first told the total, then one step per submission."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __call__(self, rows: int) -> None:
        from tqdm import tqdm

        if self.bar is None:
            self.bar = tqdm(total=rows, desc="ghi / writing", file=sys.stderr, unit="phiếu", leave=False)
        else:
            self.bar.update(rows)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
