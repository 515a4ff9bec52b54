"""The error workbook of a failed import: the uploaded rows as they were, with an error column beside each
bad row (so the user fixes the file where it is wrong), and a second sheet listing every problem."""

from __future__ import annotations

import io
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from giamngheo.documents.xlsx import print_setup
from giamngheo.errors import InputError
from giamngheo.imports.models import ImportJob
from giamngheo.imports.readers import iter_raw_rows
from giamngheo.tabular.writer import xlsx_row


def _text(problem: dict[str, Any]) -> str:
    column = f"[{problem['column']}] " if problem.get("column") else ""
    fix = f" — Sửa: {problem['fix_vi']}" if problem.get("fix_vi") else ""
    fix_en = f" — Fix: {problem['fix_en']}" if problem.get("fix_en") else ""
    return f"{column}{problem['message_vi']}{fix} / {problem['message_en']}{fix_en}"


def error_workbook(*, job: ImportJob, content: bytes | None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    by_row: dict[int, list[str]] = defaultdict(list)
    for problem in job.problems:
        if problem.get("row") is not None:
            by_row[int(problem["row"])].append(_text(problem))
    workbook = Workbook(write_only=True)
    red = Font(color="9C0006")
    pink = PatternFill("solid", fgColor="FFC7CE")
    if content is not None:
        sheet = workbook.create_sheet("Dữ liệu - Data")
        print_setup(sheet, repeat_rows=None)
        with tempfile.TemporaryDirectory(prefix="giamngheo-errors-") as folder:
            path = Path(folder) / (Path(job.file_name).name or "upload")
            path.write_bytes(content)
            try:
                _, rows = iter_raw_rows(path, job.file_name)
                width = max((len(r) for r in rows), default=0)
                _, rows = iter_raw_rows(path, job.file_name)
            except InputError:  # the file itself is unreadable: only the list of problems
                rows, width = iter([]), 0
            for number, row in enumerate(rows, start=1):
                cells: list[Any] = [cell if cell != "" else None for cell in row]
                cells += [None] * (width - len(cells))
                messages = by_row.get(number)
                if messages:
                    note = WriteOnlyCell(sheet, value="\n".join(messages))
                    note.font, note.fill = red, pink
                    cells.append(note)
                sheet.append(xlsx_row(sheet, cells))
    listing = workbook.create_sheet("Lỗi - Errors")
    print_setup(listing, repeat_rows=(1, 1))
    header = ["Dòng / Row", "Cột / Column", "Lỗi", "Cách sửa", "Error", "Fix"]
    listing.append(header)
    for problem in job.problems:
        listing.append(
            xlsx_row(
                listing,
                [
                    problem.get("row"),
                    problem.get("column"),
                    problem.get("message_vi"),
                    problem.get("fix_vi"),
                    problem.get("message_en"),
                    problem.get("fix_en"),
                ],
            )
        )
    hidden = job.problems_total - len(job.problems)
    if hidden > 0:
        listing.append([None, None, f"… và {hidden} lỗi khác", None, f"… and {hidden} more", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
