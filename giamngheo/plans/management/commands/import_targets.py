"""``giamngheo import targets FILE --year Y``: per-village reductions of the plan for year Y (format D).

The commune is the one the file's villages belong to; its plan is opened on the decided review of Y − 1
if it does not exist yet. All or nothing: a bad row writes nothing and names the row, column and village.
"""

from __future__ import annotations

from typing import Any

from giamngheo.common.command import GiamngheoCommand
from giamngheo.plans.services import targets_import


class Command(GiamngheoCommand):
    help = (
        "Nhập chỉ tiêu giảm hộ nghèo, cận nghèo của các thôn (mẫu D) / import per-village targets (format D)"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="tệp CSV hoặc XLSX / CSV or XLSX file")
        parser.add_argument("--year", type=int, required=True, help="năm kế hoạch / plan year")

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = targets_import(actor=None, path=options["file"], year=options["year"])
        plan = outcome.plan
        changed = ", ".join(outcome.changed) if outcome.changed else "không thôn nào / none"
        self.stdout.write(
            f"Đã nhập {outcome.rows} dòng vào kế hoạch năm {plan.year} của {plan.commune.display_name} / "
            f"imported {outcome.rows} rows into the {plan.year} plan of {plan.commune.display_name}\n"
            f"  thôn thay đổi chỉ tiêu / villages whose targets changed: {changed}"
        )
