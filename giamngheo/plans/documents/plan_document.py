"""The yearly plan as a document (the seed's structure), built from data and the commune's text. Pure.

Structure, as the seed: the administrative header (issuing body, number, Quốc hiệu, tiêu ngữ, place and
date), the title, the legal basis, then I. goals and targets (the general goal, the rate targets, the
indicator targets, the per-village table), II. the analysis of the baseline, III. tasks and solutions,
IV. organisation, the closing sentence, the signature block and the recipients. The DOCX and PDF
renderers walk the same ``PlanDocument``, so both say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from giamngheo.documents.heading import Heading, Signature, official_heading
from giamngheo.plans import template as plan_text
from giamngheo.plans.documents.targets import TargetTable

NUMBER = "Số: …/KH-UBND"


@dataclass(frozen=True)
class Block:
    """One piece of the body: ``heading`` (I. …), ``subheading`` (1. …), ``paragraph``, ``item`` (- …),
    ``subitem`` (+ …), ``note`` (centred, italic) or ``table`` (the per-village table). ``lead`` is a bold
    opening ("a) Mục tiêu tổng quát:") followed by ``text``."""

    kind: str
    text: str = ""
    lead: str = ""


@dataclass(frozen=True)
class PlanDocument:
    year: int
    heading: Heading  # ("ỦY BAN NHÂN DÂN", "XÃ SƠN TRUNG"), the number, the motto, place and date
    title: str
    subtitle: tuple[str, ...]
    blocks: tuple[Block, ...]
    table: TargetTable
    signature: Signature  # the commune's text: "Nơi nhận:" and its lines; "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"

    @property
    def file_stem(self) -> str:
        return f"ke-hoach-giam-ngheo-{self.year}"


def _section_blocks(text: str) -> list[Block]:
    kinds = {"heading": "subheading", "item": "item", "subitem": "subitem", "paragraph": "paragraph"}
    return [Block(kinds[line.kind], line.text) for line in plan_text.lines(text)]


def build_plan_document(
    *,
    commune_name: str,
    commune_level: str,
    year: int,
    sections: Mapping[str, str],
    values: Mapping[str, str],
    indicator_texts: Sequence[str],
    table: TargetTable,
) -> PlanDocument:
    """``sections``: the commune's text (``plans.template``); ``values``: the placeholders, formatted."""
    filled = {name: plan_text.fill(sections[name], values) for name in plan_text.SECTIONS}
    blocks: list[Block] = []
    blocks += [Block("paragraph", line.text) for line in plan_text.lines(filled["legal_basis"])]

    blocks.append(Block("heading", "I. MỤC TIÊU, CHỈ TIÊU"))
    blocks.append(Block("subheading", "1. Mục tiêu"))
    goal = plan_text.lines(filled["general_goal"])
    blocks.append(Block("paragraph", goal[0].text if goal else "", lead="a) Mục tiêu tổng quát:"))
    blocks += [Block("paragraph", line.text) for line in goal[1:]]
    blocks.append(Block("paragraph", "", lead="b) Mục tiêu, chỉ tiêu cụ thể:"))
    blocks += _section_blocks(filled["rate_targets"])
    blocks += [
        Block("item", text if text.lstrip().startswith("-") else f"- {text.strip()}")
        for text in indicator_texts
    ]
    blocks.append(Block("paragraph", "", lead="c) Chỉ tiêu cụ thể cho các thôn"))
    blocks.append(Block("note", "(Có biểu kèm theo)"))
    blocks.append(Block("table"))

    blocks.append(Block("heading", f"II. PHÂN TÍCH HỘ NGHÈO CUỐI NĂM {year - 1}"))
    blocks += _section_blocks(filled["analysis"])
    blocks.append(Block("heading", "III. NHIỆM VỤ VÀ GIẢI PHÁP"))
    blocks += _section_blocks(filled["tasks"])
    blocks.append(Block("heading", "IV. TỔ CHỨC THỰC HIỆN"))
    blocks += _section_blocks(filled["organisation"])
    blocks += [Block("paragraph", line.text) for line in plan_text.lines(filled["closing"])]

    return PlanDocument(
        year=year,
        heading=official_heading(body=f"{commune_level} {commune_name}", place=commune_name, number=NUMBER),
        title=filled["title"].strip(),
        subtitle=tuple(line.text for line in plan_text.lines(filled["subtitle"])),
        blocks=tuple(blocks),
        table=table,
        signature=Signature(
            recipients=tuple(line.text for line in plan_text.lines(filled["recipients"])),
            authority=tuple(line.text for line in plan_text.lines(filled["signature"])),
        ),
    )
