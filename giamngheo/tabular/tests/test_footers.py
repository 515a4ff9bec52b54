"""The last rows of a list as communes really write them — totals as sentences or across merged cells,
notes, breakdowns, blank spacer rows, then the place and date, titles and signatures — are recognised without
dropping or inventing a household. Property-based: hypothesis writes many footers around a known body of
households; a row that truly is a household (it has a code and a name) is never cut."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamngheo.imports.household_list.columns import SPECS
from giamngheo.tabular.reader import is_footer_text, read_table

HEADER = ["STT", "Mã hộ", "Thôn", "Họ và tên chủ hộ", "Số khẩu", "Phân loại"]
WIDTH = len(HEADER)
VILLAGES = ["Mai Hà", "Cộng Hòa", "Tổng Xá", "Hà Tràng", "Trung Thành"]
NAMES = ["Nguyễn Văn An", "Tống Văn Cộng", "Công Thị Hoa", "Trần Thị Tổng", "Lê Văn Cộng", "Cộng Văn Bình"]
STATUSES = ["Hộ nghèo", "Hộ cận nghèo", "nghèo", "cận nghèo", ""]


@st.composite
def households(draw):  # type: ignore[no-untyped-def]
    """The body: households with a code and a name (some missing their number of members or status), maybe
    with blank rows and village subtotals between them."""
    count = draw(st.integers(1, 12))
    rows, codes = [], []
    for i in range(count):
        code = draw(st.sampled_from(["MH-{:04d}", "18133-{:04d}", "{:d}"])).format(i + 1)
        members = draw(st.sampled_from(["", "1", "4", "12"]))
        rows.append(
            [
                str(i + 1),
                code,
                draw(st.sampled_from(VILLAGES)),
                draw(st.sampled_from(NAMES)),
                members,
                draw(st.sampled_from(STATUSES)),
            ]
        )
        codes.append(code)
        if i < count - 1:
            rows.extend(draw(st.sampled_from([[], [[""] * WIDTH], [_at(0, "Cộng thôn Mai Hà: 3 hộ")]])))
    return rows, codes


def _at(column: int, text: str, *more: tuple[int, str]) -> list[str]:
    row = [""] * WIDTH
    row[column] = text
    for position, value in more:
        row[position] = value
    return row


TOTALS = [
    "Tổng cộng",
    "TỔNG CỘNG:",
    "Cộng",
    "Tổng số",
    "Tổng cộng: 12 hộ",
    "Cộng: 12 hộ, 41 khẩu",
    "Tổng số hộ: 12",
    "Tổng số hộ nghèo và cận nghèo: 12 hộ",
    "TỔNG CỘNG 12 HỘ",
    "Tong cong: 12 ho",
    "Tổng cộng toàn xã",
    "Cộng 12 hộ",
    "Toàn xã: 12 hộ",
    "Total: 12 households",
]
NOTES = [
    "Ghi chú: danh sách đã niêm yết 7 ngày",
    "GHI CHÚ:",
    "* Hộ có người khuyết tật",
    "(*) Hộ mới phát sinh",
    "Lưu ý: số khẩu tính đến 31/12",
    "Trong đó:",
    "- Hộ nghèo: 7 hộ",
    "- Hộ cận nghèo: 5 hộ",
    "Danh sách này có 12 hộ",
    "Bằng chữ: mười hai hộ",
]
TITLES = [
    ["NGƯỜI LẬP BIỂU", "TM. ỦY BAN NHÂN DÂN"],
    ["Người lập danh sách", "CHỦ TỊCH"],
    ["Trưởng thôn", "KT. CHỦ TỊCH"],
    ["(Ký, ghi rõ họ tên)", "(Ký tên, đóng dấu)"],
    ["XÁC NHẬN CỦA UBND XÃ"],
]


@st.composite
def footers(draw):  # type: ignore[no-untyped-def]
    """The rows under the list, in a commune's order; each part may be missing. Returns (rows, merges): a
    merge is (row index, first column, last column) of a total label merged across cells."""
    rows: list[list[str]] = []
    merges: list[tuple[int, int, int]] = []
    rows += [[""] * WIDTH] * draw(st.integers(0, 2))
    if draw(st.booleans()):
        column = draw(st.integers(0, 2))  # in STT, or merged over STT and the next cells
        label = draw(st.sampled_from(TOTALS))
        filled = [(4, "41")] if draw(st.booleans()) else []
        if column == 0 and draw(st.booleans()):
            filled.append((3, "12 hộ"))  # the count under the name column, the label merged over the others
        rows.append(_at(column, label, *filled))
        merges.append((len(rows) - 1, column, 2))
    for _ in range(draw(st.integers(0, 3))):
        rows += [[""] * WIDTH] * draw(st.integers(0, 1))
        rows.append(_at(draw(st.integers(0, 1)), draw(st.sampled_from(NOTES))))
    rows += [[""] * WIDTH] * draw(st.integers(0, 2))
    if draw(st.booleans()):
        rows.append(_at(draw(st.sampled_from([0, 3, 4])), "Sơn Trung, ngày 14 tháng 12 năm 2023"))
    for titles in draw(st.lists(st.sampled_from(TITLES), max_size=2)):
        rows.append(_at(1, titles[0], *((4, t) for t in titles[1:])))
    if rows and draw(st.booleans()):
        rows += [[""] * WIDTH] * draw(st.integers(0, 3))
        rows.append(_at(1, "Nguyễn Văn Bình", (4, "Trần Văn Chủ")))
    return rows, merges


def _csv(tmp_path, rows):  # type: ignore[no-untyped-def]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path = tmp_path / "list.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _xlsx(tmp_path, rows, merges, offset):  # type: ignore[no-untyped-def]
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([int(v) if v.isdigit() and len(v) < 5 else (v or None) for v in row])
    for index, first, last in merges:
        if last > first:
            sheet.merge_cells(
                start_row=offset + index + 1,
                start_column=first + 1,
                end_row=offset + index + 1,
                end_column=last + 1,
            )
    path = tmp_path / "list.xlsx"
    book.save(path)
    return path


TITLE_ROWS = [
    ["UBND XÃ SƠN TRUNG", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
    ["DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2023"],
    [""],
    HEADER,
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=households(), footer=footers(), workbook=st.booleans())
def test_every_household_above_any_footer_is_read_and_nothing_else(tmp_path, body, footer, workbook):
    body_rows, codes = body
    footer_rows, merges = footer
    above = TITLE_ROWS + body_rows
    rows = above + footer_rows
    path = _xlsx(tmp_path, rows, merges, len(above)) if workbook else _csv(tmp_path, rows)
    table = read_table(path, SPECS)
    read = table.frame[table.column("household_id")].to_list()
    assert read == codes, "\n".join(",".join(r) for r in footer_rows)


@pytest.mark.parametrize(
    "text",
    [
        "Tổng cộng: 52 hộ",
        "Cộng: 52 hộ",
        "Tổng số hộ nghèo: 52",
        "Cộng 52 hộ",
        "Ghi chú: …",
        "(*) Hộ mới",
        "- Hộ nghèo: 30 hộ",
        "Trong đó:",
        "Tong cong: 52 ho",
    ],
)
def test_a_total_sentence_a_note_or_a_breakdown_is_footer_text(text):
    assert is_footer_text(text)


@pytest.mark.parametrize(
    "text", ["Cộng Hòa", "Tổng Xá", "Tống Văn Cộng", "Công Thị Hoa", "MH-0001", "12", "Mai Hà"]
)
def test_a_place_a_name_or_a_code_is_not_footer_text(text):
    assert not is_footer_text(text)


FIRST = ["1", "MH-1", "Mai Hà", "Nguyễn Văn An", "4", "nghèo"]


@pytest.mark.parametrize(
    ("under", "codes"),
    [
        # a total sentence right under the last household, then a note: neither is reported as a bad row
        (
            [
                ["Tổng cộng: 1 hộ", "", "", "", "4", ""],
                ["Ghi chú: danh sách đã niêm yết", "", "", "", "", ""],
            ],
            ["MH-1"],
        ),
        # a household with a code and a name after a note is never cut (even without its members or status)
        (
            [["Ghi chú: bổ sung", "", "", "", "", ""], ["2", "MH-2", "Cộng Hòa", "Tống Văn Cộng", "", ""]],
            ["MH-1", "MH-2"],
        ),
    ],
)
def test_the_rows_under_a_household_end_the_list_unless_one_is_a_household(tmp_path, under, codes):
    table = read_table(_csv(tmp_path, [HEADER, FIRST, *under]), SPECS)
    assert table.frame[table.column("household_id")].to_list() == codes
