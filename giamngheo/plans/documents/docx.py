"""Word documents (python-docx) in the Vietnamese administrative layout, editable by the commune.

Generic helpers (A4 page and margins of Decree 30/2020/NĐ-CP, Times New Roman, the two-column header with
Quốc hiệu and tiêu ngữ, a table with a multi-row merged header, the signature block) and the plan
document's renderer. Numbers in a Word table are text, already in Vietnamese format (1.545; 4,08).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from giamngheo.documents.xlsx import HeaderCell, place_header
from giamngheo.plans.documents.plan_document import Block, PlanDocument
from giamngheo.plans.documents.targets import TargetTable, header_rows

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 9.5


def new_document() -> Any:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(3)
    style.paragraph_format.line_spacing = 1.1
    return document


def _run(
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


def _paragraph(
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
        _run(paragraph, text, bold=bold, italic=italic, size=size, underline=underline)
    return paragraph


def _no_borders(table: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


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
    _run(paragraph, text, bold=bold, italic=italic, size=size, underline=underline)


def administrative_header(
    document: Any, *, issuer: Sequence[str], number: str, nation: str, motto: str, place_date: str
) -> None:
    """The two columns at the top of every administrative document (Decree 30/2020/NĐ-CP, form 1.x)."""
    from docx.shared import Mm

    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Mm(62), Mm(103)
    _cell_text(left, issuer[0], size=12.5)
    for line in issuer[1:]:
        _cell_text(left, line, bold=True, size=12.5)
    _cell_text(left, "───────", size=9)
    _cell_text(left, number, size=13)
    _cell_text(right, nation, bold=True, size=12)
    _cell_text(right, motto, bold=True, size=13)
    _cell_text(right, "────────────", size=9)
    _cell_text(right, place_date, italic=True, size=13)
    _paragraph(document, space_after=6)


def merged_header_table(
    document: Any,
    header: Sequence[Sequence[HeaderCell]],
    rows: Sequence[Sequence[str]],
    *,
    numeric_from: int,
    bold_rows: Sequence[int] = (),
    font_pt: float = TABLE_PT,
    widths_mm: Sequence[float] | None = None,
) -> Any:
    """A bordered table: the header laid out with row/column spans, then text rows (columns from
    ``numeric_from`` on are right-aligned)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm

    width = sum(cell.colspan for cell in header[0])
    table = document.add_table(rows=len(header) + len(rows), cols=width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    placed = place_header(header)
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
    if widths_mm:
        for cells in grid:
            for cell, w in zip(cells, widths_mm, strict=False):
                cell.width = Mm(w)
    return table


def target_table(document: Any, table: TargetTable) -> Any:
    rows = [row.cells_vi() for row in table.all_rows]
    widths = [7, 19, 11] + [8.5, 9] * 6
    return merged_header_table(
        document, header_rows(table.year), rows, numeric_from=2, bold_rows=[len(rows) - 1], widths_mm=widths
    )


def _block(document: Any, block: Block) -> None:
    if block.kind == "table":
        return
    if block.kind == "heading":
        _paragraph(document, block.text, bold=True, align="left", space_after=4)
        return
    if block.kind == "subheading":
        _paragraph(document, block.text, bold=True, first_indent_cm=1.0)
        return
    if block.kind == "note":
        _paragraph(document, block.text, italic=True, align="center")
        return
    paragraph = _paragraph(document, align="justify", first_indent_cm=1.0)
    if block.lead:
        _run(paragraph, block.lead, bold=True)
        if block.text:
            _run(paragraph, " ")
    if block.text:
        _run(paragraph, block.text)


def signature_block(document: Any, *, recipients: Sequence[str], signature: Sequence[str]) -> None:
    from docx.shared import Mm

    _paragraph(document, space_after=4)
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(80), Mm(85)
    for index, line in enumerate(recipients):
        _cell_text(
            left, line, bold=index == 0, italic=index == 0, size=12 if index == 0 else 11, align="left"
        )
    for line in signature:
        _cell_text(right, line, bold=True, size=13)


def render_plan_docx(doc: PlanDocument) -> bytes:
    document = new_document()
    administrative_header(
        document,
        issuer=doc.issuer,
        number=doc.number,
        nation=doc.nation,
        motto=doc.motto,
        place_date=doc.place_date,
    )
    _paragraph(document, doc.title, bold=True, align="center", size=14, space_after=0)
    for line in doc.subtitle:
        _paragraph(document, line, bold=True, align="center", space_after=0)
    _paragraph(document, "───────", align="center", size=9)
    for block in doc.blocks:
        if block.kind == "table":
            target_table(document, doc.table)
            _paragraph(document, space_after=2)
        else:
            _block(document, block)
    signature_block(document, recipients=doc.recipients, signature=doc.signature)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
