"""``giamngheo report plan --unit U --year Y --format docx|pdf --output OUT``: the plan document."""

from __future__ import annotations

from typing import Any

from giamngheo.common.command import GiamngheoCommand
from giamngheo.documents.output import write_atomically
from giamngheo.plans.documents.render import plan_docx, plan_pdf
from giamngheo.plans.management.commands._common import format_from, resolve_plan
from giamngheo.plans.selectors import COMMAND_LINE, plan_document

FORMATS = ("docx", "pdf")


class Command(GiamngheoCommand):
    help = (
        "Văn bản kế hoạch giảm nghèo năm (DOCX sửa được, PDF) / the yearly plan document (editable DOCX, PDF)"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--unit", required=True, help="xã: mã hoặc tên / the commune's code or name")
        parser.add_argument(
            "--year", type=int, help="năm kế hoạch (mặc định: năm nay) / plan year (default: this year)"
        )
        parser.add_argument(
            "--format", choices=FORMATS, help="docx hoặc pdf (mặc định theo đuôi tệp) / docx or pdf"
        )
        parser.add_argument("--output", required=True, help="tệp kết quả / output file")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = format_from(options["output"], options["format"], FORMATS, "docx")
        plan = resolve_plan(options["unit"], options["year"])
        document = plan_document(user=COMMAND_LINE, plan=plan)
        data = plan_docx(document) if fmt == "docx" else plan_pdf(document)
        write_atomically(options["output"], data)
        self.stderr.write(f"Đã ghi / written: {options['output']}")
