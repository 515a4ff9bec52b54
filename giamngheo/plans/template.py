"""The fixed text of the plan document: the seed's wording as the default (``data/plan_template_vi.txt``),
placeholders filled from data.

A commune edits its own copy (``PlanTemplate``); the structure (I–IV, the table, the administrative
header) stays as the seed has it. Each section is plain text: one paragraph per line; a line starting with
``1.`` (a number and a dot) is a sub-heading, ``-`` and ``+`` start list items as in the seed. Placeholders
in braces (``{year}``, ``{poor_rate}`` …) are filled in Vietnamese formats (1.545; 4,08%); ``{{`` and
``}}`` print a brace. Pure module: no database.

Compared with the seed's text (extracted from a Word file), the default fixes missing spaces ("hộcận
nghèo", "Công chứcVăn hóa"), two typos ("kỷ thuật" → "kỹ thuật", "hiểu quả" → "hiệu quả"), the
unfinished "nhằm đáp tăng thu nhập" and "Ban Chỉ đạo … thị trấn" (the commune is a xã); years and the
commune's name are placeholders; numbers of the analysis and of the rate targets come from the data.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from giamngheo.errors import InputError, Problem

SECTIONS = (
    "title",
    "subtitle",
    "legal_basis",
    "general_goal",
    "rate_targets",
    "analysis",
    "tasks",
    "organisation",
    "closing",
    "signature",
    "recipients",
)

# Section names as the commune sees them (Vietnamese, also used in error messages) and in English.
SECTION_LABELS = {
    "title": ("Tên loại văn bản", "Title"),
    "subtitle": ("Trích yếu", "Subtitle"),
    "legal_basis": ("Căn cứ", "Legal basis"),
    "general_goal": ("Mục tiêu tổng quát", "General goal"),
    "rate_targets": ("Chỉ tiêu tỷ lệ hộ nghèo, cận nghèo", "Rate targets"),
    "analysis": ("II. Phân tích hộ nghèo", "II. Analysis"),
    "tasks": ("III. Nhiệm vụ và giải pháp", "III. Tasks and solutions"),
    "organisation": ("IV. Tổ chức thực hiện", "IV. Organisation"),
    "closing": ("Đoạn kết", "Closing"),
    "signature": ("Chữ ký", "Signature block"),
    "recipients": ("Nơi nhận", "Recipients"),
}

# Every placeholder a section may use, with its meaning (shown beside the editor).
PLACEHOLDERS: dict[str, tuple[str, str]] = {
    "year": ("năm kế hoạch", "the plan year"),
    "previous_year": ("năm trước (năm rà soát làm gốc)", "the year before (the baseline review)"),
    "commune": ("tên xã", "the commune's name"),
    "commune_full": ("“xã Sơn Trung”", "“xã Sơn Trung”"),
    "households_total": ("tổng số hộ", "total households"),
    "poor": ("số hộ nghèo", "poor households"),
    "poor_people": ("số khẩu hộ nghèo", "people in poor households"),
    "poor_rate": ("tỷ lệ hộ nghèo", "poor-household rate"),
    "poor_no_labour": ("hộ nghèo không có khả năng lao động", "poor households without labour capacity"),
    "poor_labour": ("hộ nghèo có khả năng lao động", "poor households with labour capacity"),
    "poor_labour_unknown": ("hộ nghèo chưa rõ khả năng lao động", "poor households, labour capacity unknown"),
    "poor_social_protection": ("hộ nghèo thuộc chính sách BTXH", "poor social-protection households"),
    "poor_income_support": (
        "hộ nghèo có hỗ trợ thu nhập của tỉnh",
        "poor households with provincial income support",
    ),
    "poor_ethnic_minority": ("hộ nghèo dân tộc thiểu số", "poor ethnic-minority households"),
    "poor_meritorious": ("hộ nghèo có công với cách mạng", "poor households of meritorious people"),
    "near_poor": ("số hộ cận nghèo", "near-poor households"),
    "near_poor_people": ("số khẩu hộ cận nghèo", "people in near-poor households"),
    "near_poor_rate": ("tỷ lệ hộ cận nghèo", "near-poor-household rate"),
    "near_poor_no_labour": (
        "hộ cận nghèo không có khả năng lao động",
        "near-poor households without labour capacity",
    ),
    "near_poor_labour": ("hộ cận nghèo có khả năng lao động", "near-poor households with labour capacity"),
    "near_poor_labour_unknown": (
        "hộ cận nghèo chưa rõ khả năng lao động",
        "near-poor, labour capacity unknown",
    ),
    "near_poor_social_protection": (
        "hộ cận nghèo thuộc chính sách BTXH",
        "near-poor social-protection households",
    ),
    "near_poor_income_support": (
        "hộ cận nghèo có hỗ trợ thu nhập của tỉnh",
        "near-poor households with income support",
    ),
    "near_poor_ethnic_minority": ("hộ cận nghèo dân tộc thiểu số", "near-poor ethnic-minority households"),
    "near_poor_meritorious": (
        "hộ cận nghèo có công với cách mạng",
        "near-poor households of meritorious people",
    ),
    "poor_reduction": ("số hộ nghèo giảm trong năm", "planned reduction of poor households"),
    "poor_end": ("số hộ nghèo cuối năm kế hoạch", "poor households at the end of the plan year"),
    "poor_end_rate": ("tỷ lệ hộ nghèo cuối năm kế hoạch", "poor-household rate at the end of the plan year"),
    "near_poor_reduction": ("số hộ cận nghèo giảm trong năm", "planned reduction of near-poor households"),
    "near_poor_end": (
        "số hộ cận nghèo cuối năm kế hoạch",
        "near-poor households at the end of the plan year",
    ),
    "near_poor_end_rate": (
        "tỷ lệ hộ cận nghèo cuối năm kế hoạch",
        "near-poor rate at the end of the plan year",
    ),
    "assigned_poor_rate": ("tỷ lệ hộ nghèo cấp trên giao", "poor-household rate assigned from above"),
    "assigned_near_poor_rate": ("tỷ lệ hộ cận nghèo cấp trên giao", "near-poor rate assigned from above"),
}

DEFAULT_FILE = Path(__file__).parent / "data" / "plan_template_vi.txt"


def read_sections(text: str) -> dict[str, str]:
    """``[section]`` lines start sections; ``#`` lines are comments; the rest is the section's text."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        match = re.fullmatch(r"\[(\w+)\]\s*", line)
        if match:
            current = sections.setdefault(match.group(1), [])
        elif current is not None:
            current.append(line)
    return {name: "\n".join(lines).strip() for name, lines in sections.items()}


# The seed's wording, with years and the commune as placeholders (``data/plan_template_vi.txt``).
DEFAULTS: dict[str, str] = read_sections(DEFAULT_FILE.read_text(encoding="utf-8"))

_FORMATTER = string.Formatter()
_HEADING = re.compile(r"^\d+\.\s")

# Values are filled already formatted as text, so a placeholder may only align, pad or cut it:
# ``{commune:^30}``, ``{poor_rate:>8}``, ``{commune:.20}``. Width and precision are bounded so a template
# cannot ask for a gigabyte of padding (``{year:>999999999}``); no conversion (``!r``), no nested field.
MAX_WIDTH = 200
MAX_PRECISION = 200
_SPEC = re.compile(r"(?:[^{}]?[<>^])?(?P<width>\d{1,3})?(?:\.(?P<precision>\d{1,3}))?s?", re.DOTALL)


@dataclass(frozen=True)
class Line:
    """One line of a section as the renderers need it."""

    text: str
    kind: str  # "heading" (1. …), "item" (- …), "subitem" (+ …) or "paragraph"


def placeholders_in(text: str) -> list[str]:
    """The placeholder names ``text`` uses; a lone brace is an ``InputError``-worthy ValueError."""
    return [name for _, name, _, _ in _FORMATTER.parse(text) if name is not None]


def spec_allowed(spec: str, conversion: str | None) -> bool:
    """A format spec the filler accepts: alignment, a bounded width and precision, nothing else."""
    match = _SPEC.fullmatch(spec)
    if conversion is not None or match is None:
        return False
    return int(match["width"] or 0) <= MAX_WIDTH and int(match["precision"] or 0) <= MAX_PRECISION


def _format_problems(text: str, column: str) -> list[Problem]:
    return [
        Problem(
            f"cách trình bày “{{{name}:{spec}}}” không được phép",
            f"the format “{{{name}:{spec}}}” is not allowed",
            column=column,
            fix_vi=f"chỉ dùng căn lề và độ rộng tới {MAX_WIDTH} ({{{name}:>10}}) hoặc bỏ phần sau “:”",
            fix_en=f"use only alignment and a width up to {MAX_WIDTH} ({{{name}:>10}}) or drop the “:” part",
        )
        for _, name, spec, conversion in _FORMATTER.parse(text)
        if name is not None and not spec_allowed(spec or "", conversion)
    ]


def template_problems(sections: Mapping[str, str]) -> list[Problem]:
    """Unknown placeholders, broken braces and empty required sections, each naming its section."""
    problems = []
    for section in SECTIONS:
        text = sections.get(section, "")
        label_vi, label_en = SECTION_LABELS[section]
        if section in ("title", "subtitle") and not text.strip():
            problems.append(
                Problem(
                    "phần này không được để trống",
                    "this section may not be empty",
                    column=f"{label_vi} / {label_en}",
                )
            )
            continue
        try:
            names = placeholders_in(text)
        except ValueError:
            problems.append(
                Problem(
                    "dấu ngoặc nhọn { } không khớp",
                    "unmatched brace { }",
                    column=f"{label_vi} / {label_en}",
                    fix_vi="viết {{ hoặc }} để in một dấu ngoặc; chỗ điền số liệu viết như {year}",
                    fix_en="write {{ or }} for a brace; a placeholder looks like {year}",
                )
            )
            continue
        for name in names:
            if name not in PLACEHOLDERS:
                problems.append(
                    Problem(
                        f"không có chỗ điền “{{{name}}}”",
                        f"unknown placeholder “{{{name}}}”",
                        column=f"{label_vi} / {label_en}",
                        fix_vi="dùng một trong: " + ", ".join(f"{{{n}}}" for n in PLACEHOLDERS),
                        fix_en="use one of: " + ", ".join(f"{{{n}}}" for n in PLACEHOLDERS),
                    )
                )
        problems.extend(_format_problems(text, f"{label_vi} / {label_en}"))
    return problems


def validate(sections: Mapping[str, str]) -> None:
    problems = template_problems(sections)
    if problems:
        raise InputError(problems)


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with its placeholders replaced (values already formatted for print); a template stored before
    its specs were checked is validated again here, so a huge width never reaches ``format``."""
    problems = _format_problems(text, "")
    if problems:
        raise InputError(problems)
    return _FORMATTER.vformat(text, (), dict(values))


def lines(text: str) -> list[Line]:
    """The non-empty lines of a filled section, each with its kind."""
    result = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if _HEADING.match(line):
            kind = "heading"
        elif line.startswith("+"):
            kind = "subitem"
        elif line.startswith("-"):
            kind = "item"
        else:
            kind = "paragraph"
        result.append(Line(line, kind))
    return result
