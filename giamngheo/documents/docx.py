"""Word documents (python-docx) in the Vietnamese administrative layout, editable by the commune: the
helpers every Word document uses (the plan's in ``plans.documents.docx``, the progress report's in
``reports.progress_render``).

A4 page and margins of Decree 30/2020/NĐ-CP, Times New Roman 13, the heading block with Quốc hiệu and
tiêu ngữ and the signature block of ``documents.heading``, tables whose grid equals their cells and whose
columns are as wide as their longest word, a table with a multi-row merged header. Numbers in a Word table
are text, already in Vietnamese format (1.545; 4,08).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from giamngheo.documents.heading import Heading, Signature
from giamngheo.documents.xlsx import HeaderCell, place_header

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 9.5
PORTRAIT_MM = 165.0  # A4 (210 mm) less the margins of Decree 30/2020: 30 mm left, 15 mm right
LANDSCAPE_MM = 267.0  # A4 landscape (297 mm) less 15 mm each side
HEADING_LEFT = 0.42  # the issuing body's share of the heading's width; the national motto gets the rest
SIGNATURE_LEFT = 0.45  # the recipients' share of the closing block's width


def new_document(*, landscape: bool = False) -> Any:
    """An A4 document in Times New Roman 13: portrait with the margins of Decree 30/2020 (``PORTRAIT_MM``
    of text), or landscape with 15 mm each side (``LANDSCAPE_MM``) for wide tables."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.left_margin, section.right_margin = Mm(15), Mm(15)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(3)
    style.paragraph_format.line_spacing = 1.1
    return document


def add_run(
    paragraph: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    underline: bool = False,
) -> Any:
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    if size is not None:
        run.font.size = Pt(size)
    return run


def add_paragraph(
    container: Any,
    text: str = "",
    *,
    align: str = "left",
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    underline: bool = False,
    first_indent_cm: float = 0,
    space_after: float | None = None,
) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    paragraph = container.add_paragraph()
    paragraph.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    if first_indent_cm:
        paragraph.paragraph_format.first_line_indent = Cm(first_indent_cm)
    if space_after is not None:
        paragraph.paragraph_format.space_after = Pt(space_after)
    if text:
        add_run(paragraph, text, bold=bold, italic=italic, size=size, underline=underline)
    return paragraph


# The elements that follow w:tblBorders and w:tblCellMar inside w:tblPr (Word refuses them out of order).
_AFTER_CELL_MARGINS = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def _no_borders(table: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.insert_element_before(borders, "w:shd", "w:tblLayout", *_AFTER_CELL_MARGINS)


def _first_paragraph(cell: Any) -> Any:
    """A new cell has one empty paragraph: use it first, then add more."""
    paragraph = cell.paragraphs[0]
    if paragraph.text or paragraph.runs:
        return cell.add_paragraph()
    return paragraph


def _cell_text(
    cell: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    align: str = "center",
    underline: bool = False,
) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = _first_paragraph(cell)
    paragraph.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    paragraph.paragraph_format.space_after = Pt(0)
    add_run(paragraph, text, bold=bold, italic=italic, size=size, underline=underline)


def heading_block(document: Any, heading: Heading, *, width_mm: float = PORTRAIT_MM) -> None:
    """The two columns at the top of an administrative document (Decree 30/2020/NĐ-CP, Appendix I): the
    issuing body in bold capitals over a short rule and the number; the national motto (12 pt, on one
    line), the motto underlined over its whole length, the place and date in italics."""
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    left_mm = round(width_mm * HEADING_LEFT, 1)
    set_grid(table, [left_mm, width_mm - left_mm])
    left, right = table.rows[0].cells
    for line in heading.issuer:
        _cell_text(left, line, bold=True, size=12.5)
    _cell_text(left, "─────────", size=8)
    _cell_text(left, heading.number, size=13)
    _cell_text(right, heading.nation, bold=True, size=12)
    _cell_text(right, heading.motto, bold=True, size=13, underline=True)
    _cell_text(right, "", size=6)
    _cell_text(right, heading.place_date, italic=True, size=13)
    add_paragraph(document, space_after=6)


def signature_block(document: Any, signature: Signature, *, width_mm: float = PORTRAIT_MM) -> None:
    """The closing block: "Nơi nhận:" and its lines on the left, the signing authority ("TM. ỦY BAN NHÂN
    DÂN" / "CHỦ TỊCH", each on one line) on the right, with room for the signature and the seal."""
    add_paragraph(document, space_after=4)
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    left_mm = round(width_mm * SIGNATURE_LEFT, 1)
    set_grid(table, [left_mm, width_mm - left_mm])
    left, right = table.rows[0].cells
    for index, line in enumerate(signature.recipients):
        first = index == 0
        _cell_text(left, line, bold=first, italic=first, size=12 if first else 11, align="left")
    for line in signature.authority:
        _cell_text(right, line, bold=True, size=13)
    if signature.hint:
        _cell_text(right, signature.hint, italic=True, size=12)
    if signature.name:
        for _blank in range(4):
            _cell_text(right, "", size=13)
        _cell_text(right, signature.name, bold=True, size=13)


def repeat_header(table: Any, rows: int) -> None:
    """The first ``rows`` rows are the table's heading: repeated at the top of each page it runs onto, and
    never split across two pages."""
    from docx.oxml import OxmlElement

    for tr in table._tbl.tr_lst[:rows]:
        tr_pr = tr.get_or_add_trPr()
        for tag in ("w:cantSplit", "w:tblHeader"):
            tr_pr.append(OxmlElement(tag))


# --- table widths ------------------------------------------------------------------------------------------

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "fonts" / "liberation-serif"
CELL_MARGIN_MM = 1.0  # left and right padding inside a table cell (Word's default is 1.9 mm)


@functools.cache
def _metrics(bold: bool) -> tuple[dict[int, int], float]:
    """Advance widths of the vendored Liberation Serif, metric-compatible with Times New Roman: a text
    measured here is as wide in Word as in LibreOffice."""
    from fontTools.ttLib import TTFont

    font = TTFont(FONT_DIR / f"LiberationSerif-{'Bold' if bold else 'Regular'}.ttf", lazy=True)
    cmap, advances = font.getBestCmap(), font["hmtx"].metrics
    per_char = {code: advances[glyph][0] for code, glyph in cmap.items()}
    return per_char, float(font["head"].unitsPerEm)


def text_mm(text: str, *, font_pt: float, bold: bool = False) -> float:
    """The width of ``text`` set in Times New Roman at ``font_pt`` points, in millimetres."""
    per_char, em = _metrics(bold)
    units = sum(per_char.get(ord(ch), em * 0.5) for ch in text)
    return units / em * font_pt * 25.4 / 72


Text = tuple[str, bool, bool]  # a cell's text, whether it is bold, whether it may wrap (a heading)


def column_widths(columns: Sequence[Sequence[Text]], *, width_mm: float, font_pt: float) -> list[float]:
    """Widths (mm) summing to ``width_mm`` for columns holding these texts: no column is narrower than its
    longest word (a village name breaks between words, a number never), and the room left is shared in
    proportion to how much each column would need to keep its texts on one line (headings excepted)."""
    pad = 2 * CELL_MARGIN_MM + 0.8  # the cell's margins, and a little for rounding to twips

    def need(text: str, bold: bool, *, whole: bool) -> float:
        words = [text] if whole else text.split()
        return max((text_mm(word, font_pt=font_pt, bold=bold) for word in words), default=0) + pad

    least = [max((need(t, b, whole=False) for t, b, _w in column), default=pad) for column in columns]
    most = [max((need(t, b, whole=not w) for t, b, w in column), default=pad) for column in columns]
    room = width_mm - sum(least)
    wanted = [m - lo for m, lo in zip(most, least, strict=True)]
    if room <= 0 or not sum(wanted):
        extra = [max(room, 0) / len(columns)] * len(columns)
    elif room >= sum(wanted):  # everything fits on one line: the rest goes to every column alike
        extra = [w + (room - sum(wanted)) / len(columns) for w in wanted]
    else:
        extra = [room * w / sum(wanted) for w in wanted]
    return [round(lo + e, 2) for lo, e in zip(least, extra, strict=True)]


def set_grid(table: Any, widths_mm: Sequence[float]) -> None:
    """Fix the table's layout to these column widths: the grid (``w:gridCol``) and every cell (``w:tcW``,
    a merged cell the sum of its columns) say the same, so Word and LibreOffice draw the same table."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Twips

    twips = [Mm(w).twips for w in widths_mm]
    tbl = table._tbl
    table.autofit = False  # w:tblLayout fixed: the widths below are used as they are, never recomputed
    for column, width in zip(tbl.tblGrid.gridCol_lst, twips, strict=True):
        column.w = Twips(width)
    tbl_w = tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is not None:
        tbl_w.set(qn("w:w"), str(sum(twips)))
        tbl_w.set(qn("w:type"), "dxa")
    old = tbl.tblPr.find(qn("w:tblCellMar"))
    if old is not None:
        tbl.tblPr.remove(old)
    margins = OxmlElement("w:tblCellMar")
    tbl.tblPr.insert_element_before(margins, *_AFTER_CELL_MARGINS)
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(Mm(CELL_MARGIN_MM).twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    for tr in tbl.tr_lst:
        column = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Twips(sum(twips[column : column + span]))
            column += span


def merged_header_table(
    document: Any,
    header: Sequence[Sequence[HeaderCell]],
    rows: Sequence[Sequence[str]],
    *,
    numeric_from: int,
    bold_rows: Sequence[int] = (),
    font_pt: float = TABLE_PT,
    width_mm: float = PORTRAIT_MM,
) -> Any:
    """A bordered table: the header laid out with row/column spans, then text rows (columns from
    ``numeric_from`` on are right-aligned), its columns as wide as their words need (``column_widths``)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT

    width = sum(cell.colspan for cell in header[0])
    table = document.add_table(rows=len(header) + len(rows), cols=width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    placed = place_header(header)
    columns: list[list[Text]] = [[] for _ in range(width)]
    for _r, c, cell in placed:
        if cell.colspan == 1:
            columns[c].append((cell.text, True, True))
    for i, values in enumerate(rows):
        for c, value in enumerate(values):
            columns[c].append((value, i in bold_rows, False))
    for r, c, cell in placed:  # merge first: python-docx recomputes the whole grid on every cell lookup
        if cell.rowspan > 1 or cell.colspan > 1:
            table.cell(r, c).merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
    grid = [row.cells for row in table.rows]  # one grid per row, not one per cell
    for r, c, cell in placed:
        _cell_text(grid[r][c], cell.text, bold=True, size=font_pt)
    for i, values in enumerate(rows):
        cells = grid[len(header) + i]
        for c, value in enumerate(values):
            align = "right" if c >= numeric_from else ("center" if c == 0 else "left")
            _cell_text(cells[c], value, bold=i in bold_rows, size=font_pt, align=align)
    set_grid(table, column_widths(columns, width_mm=width_mm, font_pt=font_pt))
    repeat_header(table, len(header))
    return table
