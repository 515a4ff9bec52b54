"""The B1 score of Phiếu B computed from its items (Circular 07/2021/TT-BLĐTBXH): the region's base score
plus the points of the answer given to each item, all read from the standard's ``b1.item_tables``.

Pure: the standard's data and the answers, nothing else. ``classify`` calls ``b1_from_items`` when the
household's B1 items are given; a typed B1 total (old data, imports) is still accepted where they are not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from giamngheo.errors import InputError, Problem
from giamngheo.standards.model import B1Table, Standard


@dataclass(frozen=True)
class B1Line:
    item: str
    option: str
    points: int


@dataclass(frozen=True)
class B1Score:
    """A B1 score as computed: ``total`` is None while an item is unanswered (``missing``)."""

    region: str
    base: int
    lines: tuple[B1Line, ...]
    missing: tuple[str, ...]

    @property
    def total(self) -> int | None:
        return None if self.missing else self.base + sum(line.points for line in self.lines)

    @property
    def subtotal(self) -> int:
        """The points of the answers given so far (for a live form being filled in)."""
        return self.base + sum(line.points for line in self.lines)


def _problem(vi: str, en: str, column: str, fix_vi: str = "", fix_en: str = "") -> Problem:
    return Problem(vi, en, column=column, fix_vi=fix_vi or None, fix_en=fix_en or None)


def b1_table(standard: Standard) -> B1Table:
    if standard.b1_table is None:
        raise InputError.single(
            f"chuẩn {standard.id} chưa có bảng điểm các câu hỏi B1",
            f"standard {standard.id} has no B1 item tables",
            column="b1_items",
            fix_vi="ghi tổng điểm B1 thay cho từng câu hỏi, hoặc thêm `b1.item_tables` vào tệp chuẩn nghèo",
            fix_en="give the B1 total instead of the items, or add `b1.item_tables` to the standard's file",
        )
    return standard.b1_table


def region_for(standard: Standard, area: str, region: str | None) -> str:
    """The B1 region to score with: the one given (it must belong to ``area``), or the area's only one."""
    table = b1_table(standard)
    choices = table.regions_of(area)
    names_vi = ", ".join(f"{r.code} ({r.name.vi})" for r in choices)
    names_en = ", ".join(f"{r.code} ({r.name.en})" for r in choices)
    if region is None or region == "":
        if len(choices) == 1:
            return choices[0].code
        raise InputError.single(
            "chưa chọn vùng để tính điểm B1",
            "no region chosen to score B1",
            column="b1_region",
            fix_vi=f"chọn một trong: {names_vi}",
            fix_en=f"choose one of: {names_en}",
        )
    found = table.region(region)
    if found is None or found.area != area:
        raise InputError.single(
            f"vùng `{region}` không dùng được cho khu vực `{area}`",
            f"region `{region}` does not apply to area `{area}`",
            column="b1_region",
            fix_vi=f"chọn một trong: {names_vi}",
            fix_en=f"choose one of: {names_en}",
        )
    return found.code


def score_b1(standard: Standard, region: str, answers: Mapping[str, str]) -> B1Score:
    """The B1 score of ``answers`` (item code → answer code) in ``region``; an unanswered item is listed in
    ``missing``. An unknown item or answer code is an error naming it."""
    table = b1_table(standard)
    if table.region(region) is None:
        raise InputError.single(
            f"không có vùng B1 `{region}`", f"no B1 region `{region}`", column="b1_region"
        )
    problems = [
        _problem(
            f"câu hỏi B1 `{code}` không có trong chuẩn {standard.id}",
            f"B1 item `{code}` is not in standard {standard.id}",
            column=f"b1.{code}",
        )
        for code in answers
        if table.item(code) is None
    ]
    lines, missing = [], []
    for item in table.items:
        answer = answers.get(item.code)
        if answer is None or answer == "":
            missing.append(item.code)
            continue
        option = item.option(answer)
        if option is None:
            problems.append(
                _problem(
                    f"câu hỏi B1 `{item.code}`: không có câu trả lời `{answer}`",
                    f"B1 item `{item.code}`: no answer `{answer}`",
                    column=f"b1.{item.code}",
                    fix_vi=f"dùng một trong: {', '.join(o.code for o in item.options)}",
                    fix_en=f"use one of: {', '.join(o.code for o in item.options)}",
                )
            )
            continue
        lines.append(B1Line(item.code, option.code, option.points[region]))
    if problems:
        raise InputError(problems)
    return B1Score(region, table.base_points[region], tuple(lines), tuple(missing))


def b1_from_items(
    standard: Standard, area: str, region: str | None, answers: Mapping[str, str], typed: int | None = None
) -> B1Score:
    """The complete B1 score of a household's items. Every item must be answered, and a B1 total typed
    beside them must equal the computed one (one is never silently ignored)."""
    scored = score_b1(standard, region_for(standard, area, region), answers)
    if scored.missing:
        table = b1_table(standard)
        names_vi = "; ".join(table.item(code).name.vi for code in scored.missing)  # type: ignore[union-attr]
        names_en = "; ".join(table.item(code).name.en for code in scored.missing)  # type: ignore[union-attr]
        raise InputError.single(
            f"còn {len(scored.missing)} câu hỏi B1 chưa trả lời: {names_vi}",
            f"{len(scored.missing)} B1 items are not answered: {names_en}",
            column="b1_items",
            fix_vi="trả lời mọi câu hỏi B1, hoặc để trống tất cả và ghi tổng điểm B1",
            fix_en="answer every B1 item, or leave them all empty and give the B1 total",
        )
    if typed is not None and typed != scored.total:
        raise InputError.single(
            f"tổng điểm B1 ghi {typed} khác với điểm tính từ các câu hỏi ({scored.total})",
            f"the B1 total given ({typed}) differs from the score of the items ({scored.total})",
            column="b1_score",
            fix_vi="để trống tổng điểm B1 (được tính từ các câu hỏi) hoặc sửa câu trả lời",
            fix_en="leave the B1 total empty (it is computed from the items) or correct the answers",
        )
    return scored
