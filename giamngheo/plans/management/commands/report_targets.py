"""``giamngheo report targets --unit U --year Y [--format csv|xlsx|pdf|html] [--output OUT]`` (layout E)."""

from __future__ import annotations

from typing import Any

from giamngheo.common.command import GiamngheoCommand
from giamngheo.documents.output import write_atomically
from giamngheo.errors import InputError
from giamngheo.plans.documents.render import TableTitle, targets_csv, targets_html, targets_pdf, targets_xlsx
from giamngheo.plans.management.commands._common import format_from, resolve_plan
from giamngheo.plans.selectors import COMMAND_LINE, plan_figures

FORMATS = ("csv", "xlsx", "pdf", "html")
TEXT_FORMATS = ("csv", "html")


class Command(GiamngheoCommand):
    help = (
        "Biểu chỉ tiêu giảm hộ nghèo, cận nghèo các thôn của kế hoạch năm / "
        "the per-village target table of the "
        "plan for a year (CSV and HTML to standard output without --output)"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--unit", required=True, help="xã: mã hoặc tên / the commune's code or name")
        parser.add_argument(
            "--year", type=int, help="năm kế hoạch (mặc định: năm nay) / plan year (default: this year)"
        )
        parser.add_argument("--format", choices=FORMATS, help="csv (mặc định / default), xlsx, pdf, html")
        parser.add_argument("--output", help="tệp kết quả / output file")
        parser.add_argument(
            "--columns",
            choices=("dated", "generic"),
            default="dated",
            help="tên cột CSV có năm (poor_end_2022, mặc định) hoặc chung (poor_start) / "
            "CSV column names with "
            "years (default) or generic",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = format_from(options["output"], options["format"], FORMATS, "csv")
        output = options["output"]
        if fmt not in TEXT_FORMATS and not output:
            raise InputError.single(
                f"định dạng {fmt} cần --output",
                f"the {fmt} format needs --output",
                column="--output",
                fix_vi=f"thêm --output bieu-chi-tieu.{fmt}",
                fix_en=f"add --output targets.{fmt}",
            )
        plan = resolve_plan(options["unit"], options["year"])
        table = plan_figures(user=COMMAND_LINE, plan=plan).table
        title = TableTitle.for_plan(
            commune_level=plan.commune.level.name_vi, commune_name=plan.commune.name, year=plan.year
        )
        if fmt == "csv":
            data: str | bytes = targets_csv(table, dated=options["columns"] == "dated")
        elif fmt == "html":
            data = targets_html(table, title)
        elif fmt == "xlsx":
            data = targets_xlsx(table, title)
        else:
            data = targets_pdf(table, title)
        if output:
            write_atomically(output, data.encode("utf-8") if isinstance(data, str) else data)
            self.stderr.write(f"Đã ghi / written: {output}")
        else:
            self.stdout.write(data, ending="")  # type: ignore[arg-type]
