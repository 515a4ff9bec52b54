"""``giamngheo export xlsform [--standard ID | --year Y] --output FILE.xlsx`` — Phiếu A and B as an XLSForm
for ODK Collect / ODK Central / KoboToolbox, built from the standards data (``odk.xlsform``)."""

from __future__ import annotations

import datetime
import sys
from typing import Any

from django.core.management.base import CommandParser

from giamngheo.common.command import GiamngheoCommand


class Command(GiamngheoCommand):
    help = (
        "Xuất Phiếu A, B thành biểu mẫu XLSForm cho ODK / KoboToolbox / export Phiếu A and B as an XLSForm"
        " for ODK Collect and KoboToolbox"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--standard", metavar="ID", help="mã chuẩn nghèo / standard id (VN-2027-2030)")
        which.add_argument(
            "--year",
            type=int,
            help="năm rà soát: chuẩn của đợt rà soát định kỳ năm đó (mặc định: năm nay) / review year: the"
            " standard of that year's regular round (default: this year)",
        )
        parser.add_argument(
            "--output", "-o", required=True, metavar="FILE.xlsx", help="tệp .xlsx / .xlsx file"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from giamngheo.odk.xlsform import form_id, xlsform_write
        from giamngheo.reviews.procedure import phieu_a
        from giamngheo.reviews.services import round_default_standard
        from giamngheo.standards.loader import get_standard

        if options["standard"]:
            standard = get_standard(options["standard"])
        else:
            year = options["year"] or datetime.date.today().year
            standard = round_default_standard(kind="regular", year=year)
        output = xlsform_write(options["output"], standard, phieu_a(standard))
        sys.stderr.write(f"{form_id(standard)} ({standard.label()}) → {output}\n")
