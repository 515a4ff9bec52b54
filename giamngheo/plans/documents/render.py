"""Renderers of the plan's outputs: the target table (CSV, XLSX, HTML, PDF) and the plan document (DOCX,
PDF). Each takes what a builder made (``TargetTable``, ``PlanDocument``) and returns text or bytes; the
caller decides where they go (a response, a file written atomically, standard output).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string

from giamngheo.documents.pdf import FONT_DIR, render_pdf
from giamngheo.documents.xlsx import workbook_bytes
from giamngheo.plans.documents.plan_document import PlanDocument
from giamngheo.plans.documents.targets import TargetTable, csv_header, csv_rows, group_labels, xlsx_sheet
from giamngheo.tabular.writer import csv_writer


def csv_text(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """UTF-8 text, comma-separated, ``\\n`` line ends, quoting only where needed (machine format)."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


@dataclass(frozen=True)
class TableTitle:
    """What stands above the printed table: the issuing body and the title lines."""

    issuer: str  # "UBND XÃ SƠN TRUNG"
    title: str  # "CHỈ TIÊU GIẢM HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2023"
    subtitle: str  # "(Kèm theo Kế hoạch số …/KH-UBND ngày … của UBND xã Sơn Trung)"

    @classmethod
    def for_plan(cls, *, commune_level: str, commune_name: str, year: int) -> TableTitle:
        unit = f"{commune_level} {commune_name}"
        return cls(
            issuer=f"UBND {unit.upper()}",
            title=f"CHỈ TIÊU GIẢM HỘ NGHÈO, HỘ CẬN NGHÈO NĂM {year} CỦA CÁC THÔN",
            subtitle=f"(Kèm theo Kế hoạch số …/KH-UBND ngày … tháng … năm {year} của UBND {unit})",
        )


def targets_csv(table: TargetTable, *, dated: bool = True) -> str:
    return csv_text(csv_header(table.year, dated=dated), csv_rows(table))


def targets_xlsx(table: TargetTable, title: TableTitle) -> bytes:
    sheet = xlsx_sheet(
        table,
        title_lines=[title.issuer, title.title, title.subtitle],
        note_lines=["Tỷ lệ % tính trên tổng số hộ gia đình của thôn cuối năm trước (làm tròn 2 chữ số)."],
    )
    return workbook_bytes([sheet])


def _table_context(table: TargetTable, title: TableTitle, font_dir: str | None = None) -> dict:
    return {
        "table": table,
        "title": title,
        "groups": group_labels(table.year),
        "rows": [(row, row.cells_vi()) for row in table.all_rows],
        "font_dir": font_dir or FONT_DIR.as_uri(),
    }


def targets_html(table: TargetTable, title: TableTitle, *, font_dir: str | None = None) -> str:
    """A standalone page (also the PDF's source), in Vietnamese formats. ``font_dir``: where the page finds
    the fonts — the static URL when served, the files on disk (the default) when written by the command."""
    return render_to_string("reports/targets_print.html", _table_context(table, title, font_dir))


def targets_pdf(table: TargetTable, title: TableTitle) -> bytes:
    return render_pdf("reports/targets_print.html", _table_context(table, title))


def plan_pdf(document: PlanDocument) -> bytes:
    rows = [(row, row.cells_vi()) for row in document.table.all_rows]
    return render_pdf(
        "reports/plan_print.html",
        {"doc": document, "rows": rows, "groups": group_labels(document.year), "table": document.table},
    )


def plan_docx(document: PlanDocument) -> bytes:
    from giamngheo.plans.documents.docx import render_plan_docx

    return render_plan_docx(document)
