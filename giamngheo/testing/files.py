"""Files as communes keep them, built for the tests: title rows and merged cells above the header, a
numbering row, a total row and a signature block after the data."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

HEADER = ["STT", "Mã hộ", "Họ và tên chủ hộ", "Thôn", "Số khẩu", "Phân loại", "Số CCCD",
          "Có khả năng lao động", "BTXH", "DTTS", "Người có công"]  # fmt: skip

HOUSEHOLDS = [
    # Mã hộ, Họ và tên chủ hộ, Thôn, Số khẩu, Phân loại, Số CCCD, KNLĐ, BTXH, DTTS, NCC
    ("ST001", "Nguyễn Văn An", "Mai Hà", 4, "Nghèo", "042080001234", "x", "x", "", ""),
    ("ST002", "Trần Thị Bình", "Thôn Mai Hà", 2, "cận nghèo", 42080005678, "", "", "", ""),
    ("ST003", "Lê Văn Cường", "Hà Tràng", 5, "không nghèo", "", "x", "", "", "x"),
    ("ST004", "Phạm Thị Dung", "ha trang", 1, "trung bình", "", "", "x", "", ""),
    ("ST005", "Hoàng Văn Em", "Hải Thượng", 3, "poor", "", "0", "1", "1", "0"),
]


def commune_workbook(
    path: Path,
    rows: Sequence[Sequence[Any]] = HOUSEHOLDS,
    *,
    header: Sequence[str] = HEADER,
    numbered: bool = True,
    sheet: str = "DS hộ",
) -> Path:
    """An XLSX list with the usual title block, a numbering row, a total row and a signature block."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws["A1"] = "UBND XÃ SƠN TRUNG"
    ws.merge_cells("A1:D1")
    ws["F1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws.merge_cells("F1:K1")
    ws["F2"] = "Độc lập - Tự do - Hạnh phúc"
    ws.merge_cells("F2:K2")
    ws["A4"] = "DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2024"
    ws.merge_cells("A4:K4")
    ws["A5"] = "(Kèm theo Quyết định số 123/QĐ-UBND ngày 20/12/2024 của UBND xã Sơn Trung)"
    ws.merge_cells("A5:K5")
    ws.append([])
    ws.append(list(header))
    if numbered:
        ws.append([f"({i})" for i in range(1, len(header) + 1)])
    for number, row in enumerate(rows, start=1):
        ws.append([number, *row] if header and header[0] == "STT" else list(row))
    ws.append(["", "Tổng cộng", "", "", sum(r[3] for r in rows if isinstance(r[3], int))])
    ws.append([])
    ws.append(["", "NGƯỜI LẬP BIỂU", "", "", "", "", "", "TM. ỦY BAN NHÂN DÂN"])
    ws.append(["", "(Ký, ghi rõ họ tên)", "", "", "", "", "", "CHỦ TỊCH"])
    workbook.save(path)
    return path


def first_data_row(numbered: bool = True) -> int:
    """Excel row of the first household in ``commune_workbook``: 7 title/header rows (+1 numbering)."""
    return 9 if numbered else 8


def csv_file(path: Path, lines: Sequence[str], *, bom: bool = False, encoding: str = "utf-8") -> Path:
    text = "\n".join(lines) + "\n"
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path
