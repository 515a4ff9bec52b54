"""The plan document as Word: the same ``PlanDocument`` as the PDF, through the helpers of
``documents.docx`` (heading and signature blocks, tables sized to their words)."""

from __future__ import annotations

import io
from typing import Any

from giamngheo.documents.docx import (
    add_paragraph,
    add_run,
    heading_block,
    merged_header_table,
    new_document,
    signature_block,
)
from giamngheo.plans.documents.plan_document import Block, PlanDocument
from giamngheo.plans.documents.targets import TargetTable, header_rows


def target_table(document: Any, table: TargetTable) -> Any:
    rows = [row.cells_vi() for row in table.all_rows]
    return merged_header_table(
        document, header_rows(table.year), rows, numeric_from=2, bold_rows=[len(rows) - 1]
    )


def _block(document: Any, block: Block) -> None:
    if block.kind == "table":
        return
    if block.kind == "heading":
        add_paragraph(document, block.text, bold=True, align="left", space_after=4)
        return
    if block.kind == "subheading":
        add_paragraph(document, block.text, bold=True, first_indent_cm=1.0)
        return
    if block.kind == "note":
        add_paragraph(document, block.text, italic=True, align="center")
        return
    paragraph = add_paragraph(document, align="justify", first_indent_cm=1.0)
    if block.lead:
        add_run(paragraph, block.lead, bold=True)
        if block.text:
            add_run(paragraph, " ")
    if block.text:
        add_run(paragraph, block.text)


def render_plan_docx(doc: PlanDocument) -> bytes:
    document = new_document()
    heading_block(document, doc.heading)
    add_paragraph(document, doc.title, bold=True, align="center", size=14, space_after=0)
    for line in doc.subtitle:
        add_paragraph(document, line, bold=True, align="center", space_after=0)
    add_paragraph(document, "───────", align="center", size=9)
    for block in doc.blocks:
        if block.kind == "table":
            target_table(document, doc.table)
            add_paragraph(document, space_after=2)
        else:
            _block(document, block)
    signature_block(document, doc.signature)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
