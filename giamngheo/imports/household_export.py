"""Export a review year's household list in format C — the same format ``import households`` reads, so that
export → import changes nothing.

CSV (for machines) has the canonical headers and status codes; XLSX (for people) has a title, the
Vietnamese headers and status words. Both carry ``village_code`` beside the village name: the name reads
well, the code keeps a re-import unambiguous. Yes/no columns are 1/0 in the CSV and "Có"/"Không" in the
XLSX (the import reads both); an unknown labour capacity is empty. The XLSX prints on A4 landscape, one
page wide, the title and the headings on every page (``documents.xlsx.print_setup``).
Files are written to a temporary name and renamed at the end: OUT is either complete or untouched.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from giamngheo.accounts.models import User
from giamngheo.errors import InputError
from giamngheo.households.services import citizen_ids_exported, mask_citizen_id, may_see_citizen_ids
from giamngheo.imports.selectors import household_list_rows
from giamngheo.tabular.writer import csv_writer, require_output_folder, xlsx_row
from giamngheo.units.models import Unit

COLUMNS = (
    # canonical header, Vietnamese header, value from a selector row
    ("household_id", "Mã hộ", "household__code"),
    ("village", "Thôn", "household__village__name"),
    ("village_code", "Mã thôn", "household__village__code"),
    ("head_name", "Họ và tên chủ hộ", "household__head_name"),
    ("members", "Số khẩu", "members"),
    ("status", "Phân loại", "status"),
    ("head_citizen_id", "Số CCCD", "head_citizen_id"),
    ("labour_capacity", "Có khả năng lao động", "labour_capacity"),
    ("social_protection", "BTXH", "social_protection"),
    ("ethnic_minority", "DTTS", "ethnic_minority"),
    ("meritorious", "Người có công", "meritorious"),
    # the register's fact (not a snapshot of the round): empty when not recorded (issue 17 C4)
    ("farm_household", "Hộ làm nông lâm ngư diêm nghiệp", "household__farm_household"),
)
STATUS_VI = {"poor": "nghèo", "near_poor": "cận nghèo", "average": "trung bình", "not_poor": "không nghèo"}
WIDTHS = (12, 18, 12, 28, 9, 13, 15, 21, 8, 8, 14, 16)
YES_NO_VI = ("Không", "Có")


def _cells(row: dict[str, Any], *, vietnamese: bool, full_ids: bool = False) -> list[Any]:
    cells: list[Any] = []
    for _name, _vi, key in COLUMNS:
        value = row[key]
        if key == "head_citizen_id" and value and not full_ids:
            value = mask_citizen_id(value)  # a masked number imports back as "not given": nothing changes
        elif key == "status" and vietnamese:
            value = STATUS_VI.get(value, value)
        elif isinstance(value, bool):
            value = YES_NO_VI[value] if vietnamese else int(value)
        elif value is None:
            value = ""
        cells.append(value)
    return cells


def _rows(*, user: User | None, unit: Unit, year: int) -> Iterator[dict[str, Any]]:
    rows = household_list_rows(user=user, unit=unit, year=year)
    first = next(rows, None)
    if first is None:
        raise InputError.single(
            f"không có kết quả rà soát năm {year} của {unit.display_name}",
            f"there are no {year} review results for {unit.display_name}",
            column="--year",
            fix_vi="kiểm tra năm rà soát và đơn vị",
            fix_en="check the review year and the unit",
        )
    yield first
    yield from rows


def export_households(
    *,
    unit: Unit,
    year: int,
    output: Path | None,
    user: User | None = None,
    full_citizen_ids: bool = False,
) -> int:
    """Write the list to ``output`` (XLSX when it ends in .xlsx, else CSV) or CSV to standard output.

    Citizen IDs are masked unless ``full_citizen_ids`` is asked for by someone who may see them; every
    export is recorded (who, what, full or masked) and written to the audit log."""
    if full_citizen_ids and not may_see_citizen_ids(user, unit):
        raise InputError.single(
            "bạn không được xuất số CCCD đầy đủ của đơn vị này",
            "you may not export this unit's full citizen IDs",
            column="full_citizen_ids",
            fix_vi="xuất với số CCCD đã che",
            fix_en="export with masked citizen IDs",
        )
    if output is not None:
        require_output_folder(output)  # before the rows' cursor is opened: nothing left half-read
    rows = _rows(user=user, unit=unit, year=year)
    first = next(rows)  # raises before any file is created when there is nothing to export
    rows = _chain(first, rows)
    file_format = "xlsx" if output is not None and output.suffix.lower() == ".xlsx" else "csv"
    count = _write(rows, output, unit=unit, year=year, full_ids=full_citizen_ids)
    citizen_ids_exported(
        actor=user, unit=unit, year=year, file_format=file_format, full=full_citizen_ids, rows=count
    )
    return count


def _write(
    rows: Iterator[dict[str, Any]], output: Path | None, *, unit: Unit, year: int, full_ids: bool
) -> int:
    if output is None:
        count = write_csv(rows, sys.stdout, full_ids=full_ids)
        sys.stdout.flush()
        return count
    temporary = output.with_name(f".{output.name}.{os.getpid()}.part")
    try:
        if output.suffix.lower() == ".xlsx":
            count = write_xlsx(rows, temporary, unit=unit, year=year, full_ids=full_ids)
        else:
            with temporary.open("w", encoding="utf-8", newline="") as handle:
                count = write_csv(rows, handle, full_ids=full_ids)
        os.replace(temporary, output)
    finally:
        temporary.unlink(missing_ok=True)
    return count


def _chain(first: dict[str, Any], rest: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    yield first
    yield from rest


def write_csv(rows: Iterator[dict[str, Any]], handle: IO[str], *, full_ids: bool = False) -> int:
    writer = csv_writer(handle, lineterminator="\n")
    writer.writerow([name for name, _vi, _key in COLUMNS])
    count = 0
    for row in rows:
        writer.writerow(_cells(row, vietnamese=False, full_ids=full_ids))
        count += 1
    return count


def write_xlsx(
    rows: Iterator[dict[str, Any]], path: Path, *, unit: Unit, year: int, full_ids: bool = False
) -> int:
    """A sheet as a commune keeps it: title rows, the Vietnamese header, one row per household."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from giamngheo.documents.xlsx import print_setup

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"Năm {year}")
    print_setup(sheet, repeat_rows=(1, 4))  # the title, the unit, a blank row, the headings
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)

    def strong(text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        return cell

    sheet.append([strong(f"DANH SÁCH HỘ GIA ĐÌNH — KẾT QUẢ RÀ SOÁT NĂM {year}")])
    sheet.append(xlsx_row(sheet, [unit.display_name]))
    sheet.append([])
    sheet.append([strong(vi) for _name, vi, _key in COLUMNS])
    count = 0
    for row in rows:
        # Text cells keep a citizen ID's leading zero; an empty value is an empty cell.
        sheet.append(
            xlsx_row(
                sheet,
                [cell if cell != "" else None for cell in _cells(row, vietnamese=True, full_ids=full_ids)],
            )
        )
        count += 1
    workbook.save(path)
    return count
