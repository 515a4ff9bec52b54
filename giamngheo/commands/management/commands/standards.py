"""``giamngheo standards list`` / ``giamngheo standards show ID`` — the standards the engine knows.

Readable in a terminal, Vietnamese first with English; every provisional parameter is marked ``[tạm tính /
provisional]`` with its note, so nobody mistakes an unchecked number for the law.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.management.base import CommandParser

from giamngheo.common.command import GiamngheoCommand
from giamngheo.errors import InputError

if TYPE_CHECKING:
    from giamngheo.standards.model import Standard

MARK = "[tạm tính / provisional]"


class Command(GiamngheoCommand):
    # a file-in, file-out command: the project's system checks (URLs, admin, models) are not its concern
    # and would cost a noticeable part of the run
    requires_system_checks: list[str] = []
    help = "Liệt kê hoặc xem chuẩn nghèo / list the poverty standards or show one"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["list", "show"], help="list | show")
        parser.add_argument(
            "standard_id", nargs="?", metavar="ID", help="mã chuẩn nghèo (với show) / standard id"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from giamngheo.standards.loader import get_standard, list_standards

        if options["action"] == "list":
            self.stdout.write(render_list(list_standards()))
            return
        if not options["standard_id"]:
            ids = ", ".join(s.id for s in list_standards())
            raise InputError.single(
                "thiếu mã chuẩn nghèo",
                "a standard id is required",
                fix_vi=f"ví dụ: standards show {ids}",
                fix_en=f"one of: {ids}",
            )
        self.stdout.write(render_standard(get_standard(options["standard_id"])))


def render_list(standards: list[Standard]) -> str:
    lines = [
        f"{'Mã / id':<16} {'Phiên bản / version':<20} {'Năm / years':<12} {'Phạm vi / scope':<16} Tên / name"
    ]
    for s in standards:
        lines.append(
            f"{s.id:<16} {s.version:<20} {s.first_year}–{s.last_year:<7} {s.scope:<16} "
            f"{s.name.vi} / {s.name.en}"
        )
        if s.provisional:
            lines.append(f"{'':<16} {len(s.provisional)} tham số tạm tính / provisional parameters {MARK}")
    return "\n".join(lines)


def _vnd(value: int) -> str:
    from giamngheo.standards.formatting import number_vi

    return f"{number_vi(value)} đ"


def _mark(standard: Standard, path: str) -> str:
    return f" {MARK}" if standard.is_provisional(path) else ""


def _per_area(
    standard: Standard, title: str, path: str, values: dict[str, int], unit: str = "vnd"
) -> list[str]:
    lines = [f"{title}{_mark(standard, path)}"]
    for area, value in values.items():
        shown = _vnd(value) if unit == "vnd" else f"{value} điểm / points"
        lines.append(f"    {standard.areas[area].vi} / {standard.areas[area].en}: {shown}")
    return lines


def _indicator_lines(standard: Standard) -> list[str]:
    lines = []
    for dimension in standard.dimensions:
        lines.append(f"  {dimension.name.vi} / {dimension.name.en}")
        for indicator in (i for i in standard.indicators if i.dimension == dimension.code):
            lines.append(
                f"    - {indicator.code}: {indicator.name.vi} / {indicator.name.en}"
                f"{_mark(standard, f'indicators.{indicator.code}')}"
            )
            lines.append(f"        thiếu hụt khi / deprived when: {indicator.deprived_when.vi}")
            lines.append(f"        {indicator.deprived_when.en}")
            if indicator.params:
                params = ", ".join(f"{k}={v}" for k, v in indicator.params.items())
                lines.append(f"        tham số / parameters: {params}")
    return lines


def _retirement(standard: Standard) -> list[str]:
    age = standard.working_age
    lines = [
        f"Độ tuổi lao động / working age: từ {age.min_age} tuổi đến tuổi nghỉ hưu"
        f"{_mark(standard, 'working_age.retirement')}"
    ]
    for label, s in (("nam / men", age.male), ("nữ / women", age.female)):
        lines.append(
            f"    {label}: trước {age.schedule_from_year}: {s.before.years}y{s.before.months}m; "
            f"từ {age.schedule_from_year}: {s.start.years}y{s.start.months}m, +{s.step_months} tháng/năm, "
            f"tối đa {s.max.years}y{s.max.months}m"
        )
    return lines


def render_standard(s: Standard) -> str:
    lines = [
        f"{s.id} — {s.name.vi} / {s.name.en}",
        f"Phiên bản / version {s.version}; phạm vi / scope {s.scope}"
        + (f"; dẫn xuất từ / derived from {s.derives_from}" if s.derives_from else ""),
        f"Năm rà soát / review years: {s.first_year}–{s.last_year}",
        f"Nguồn / source: {s.source}",
        "Căn cứ pháp lý / legal basis:",
        *(f"    {b.vi} / {b.en}" for b in s.legal_basis),
        "",
        *_per_area(
            s,
            "Chuẩn nghèo thu nhập (đ/người/tháng) / income line (VND/person/month):",
            "income.lines",
            dict(s.income_lines),
        ),
        *_per_area(
            s,
            "Cận trên mức sống trung bình / average band upper bound:",
            "income.average_upper",
            dict(s.average_upper),
        ),
        *_per_area(
            s,
            "Người lao động thu nhập thấp / low-income worker line:",
            "income.low_income_worker_max",
            dict(s.low_income_worker_max),
        ),
        *_per_area(
            s,
            "Ngưỡng điểm B1 (≤ ngưỡng: thu nhập ≤ chuẩn) / B1 cut-off:",
            "b1.cutoffs",
            dict(s.b1_cutoffs),
            "points",
        ),
        f"Điểm B2: {s.b2_points_per_indicator} điểm/chỉ số; hộ nghèo khi B2 ≥ {s.b2_poor_min_points} "
        f"(thiếu hụt ≥ {s.poor_min_deprivations} chỉ số) / "
        f"B2: {s.b2_points_per_indicator} points per indicator; "
        f"poor when B2 ≥ {s.b2_poor_min_points}",
        "",
        f"Chỉ số thiếu hụt ({len(s.indicators)}) / deprivation indicators{_mark(s, 'indicators')}:",
        *_indicator_lines(s),
        "",
        *_retirement(s),
        f"Tái nghèo: xét trong {s.transitions.fell_back_look_back_years} năm / fell-back look-back: "
        f"{s.transitions.fell_back_look_back_years} years{_mark(s, 'transitions.fell_back_look_back_years')}",
        f"Hộ mới thoát nghèo: {s.transitions.newly_escaped_years} năm / newly escaped: "
        f"{s.transitions.newly_escaped_years} years (từ / from {', '.join(s.transitions.newly_escaped_from)})"
        f"{_mark(s, 'transitions.newly_escaped_from')}",
        f"Niêm yết công khai / public posting: {s.posting_working_days} ngày làm việc / working days"
        f"{_mark(s, 'review_procedure.posting_working_days')}",
    ]
    if s.provisional:
        lines += ["", f"Tham số tạm tính / provisional parameters {MARK}:"]
        for path, note in s.provisional.items():
            lines += [f"  * {path}", f"      {note.vi}", f"      {note.en}"]
    return "\n".join(lines)
