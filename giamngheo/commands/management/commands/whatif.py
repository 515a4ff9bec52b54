"""``giamngheo whatif --unit U (--standard ID | --year Y) [--date D] [--format table|csv] [--user NAME]``.

How many households and people of a unit (and everything below it) would be poor, near-poor, of average
living standard or not poor if a standard were applied to the current register — nothing is saved. One row
per village in the official order, then the total. ``--unit "cả nước"`` (or ``nation``): the whole country,
read province by province (a system-wide scope only).

``--year Y`` picks the standard in force in Y; ``--standard ID`` names one (e.g. ``VN-2027-2030``). The
review date (ages are taken on it) is ``--date``, else 14 December of ``--year``, else 14 December of this
year — moved into the standard's years when it falls outside them. The command line acts with a
system-wide scope unless ``--user`` names a user, whose scope then applies.
"""

from __future__ import annotations

import datetime
import os
import sys
from typing import Any, TextIO

from django.core.management.base import CommandParser

from giamngheo.common.command import GiamngheoCommand
from giamngheo.errors import InputError
from giamngheo.tabular.writer import csv_writer

TOTAL_VI = "Tổng cộng"
NATION = frozenset({"ca nuoc", "toan quoc", "nation", "the nation"})  # folded: --unit for the whole country
GROUPS = ("poor", "near_poor", "average", "not_poor", "unclassified")
HEADINGS = {
    "poor": ("Hộ nghèo", "Poor"),
    "near_poor": ("Hộ cận nghèo", "Near-poor"),
    "average": ("Hộ mức sống TB", "Average"),
    "not_poor": ("Hộ không nghèo", "Not poor"),
    "unclassified": ("Thiếu thu nhập", "No income data"),
}
CSV_COLUMNS = [
    "commune_code",
    "commune",
    "village_code",
    "village",
    "households",
    "people",
    *[name for group in GROUPS for name in (group, f"{group}_people")],
    "poor_pct",
    "near_poor_pct",
]


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        try:
            return datetime.datetime.strptime(text, "%d/%m/%Y").date()
        except ValueError:
            raise InputError.single(
                f"Ngày không hợp lệ: {text}",
                f"Invalid date: {text}",
                column="--date",
                fix_vi="Ghi ngày dạng 2027-12-14 hoặc 14/12/2027",
                fix_en="Give the date as 2027-12-14 or 14/12/2027",
            ) from None


class Command(GiamngheoCommand):
    help = (
        "Ước tính số hộ nghèo, cận nghèo… nếu áp dụng một chuẩn nghèo cho sổ hộ hiện tại (không lưu) / "
        "what-if: households and people by status under a standard, per village (nothing is saved)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--unit",
            required=True,
            help='mã hoặc tên đơn vị, hoặc "cả nước" / unit code or name, or "nation" (the whole country)',
        )
        parser.add_argument(
            "--standard", metavar="ID", help="mã chuẩn nghèo / standard id, e.g. VN-2027-2030"
        )
        parser.add_argument(
            "--year", type=int, help="năm rà soát / review year (picks the standard in force)"
        )
        parser.add_argument("--date", help="ngày rà soát (tính tuổi) / review date, 2027-12-14 or 14/12/2027")
        parser.add_argument(
            "--format", choices=["table", "csv"], default="table", help="table (default) | csv"
        )
        parser.add_argument(
            "--user", help="tên đăng nhập: dùng phạm vi của người này / act with this user's scope"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from giamngheo.bulk.whatif import whatif_counts
        from giamngheo.text import fold
        from giamngheo.units.selectors import unit_resolve

        user = _user(options["user"]) if options["user"] else system_actor()
        unit = (
            None
            if fold(options["unit"]) in NATION
            else unit_resolve(options["unit"], user=user if options["user"] else None)
        )
        standard, review_date = _standard_and_date(options)
        result = whatif_counts(user=user, unit=unit, standard=standard, review_date=review_date)
        out: TextIO = self.stdout._out  # type: ignore[assignment]
        try:
            if options["format"] == "csv":
                write_csv(result, out)
            else:
                write_table(result, out)
            out.flush()
        except BrokenPipeError:  # the reader stopped early (`… | head`): nothing went wrong here
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return
        if options["verbosity"] >= 2:
            timings = ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items())
            sys.stderr.write(f"thời gian / timings: {timings}\n")


def system_actor() -> Any:
    """An unsaved administrator: the command line runs on the server, by whoever administers it."""
    from giamngheo.accounts.models import Role, User

    return User(
        username="giamngheo-cli", full_name="giamngheo (dòng lệnh / command line)", role=Role.SYSTEM_ADMIN
    )


def _user(username: str) -> Any:
    from giamngheo.accounts.models import User

    user = User.objects.select_related("unit").filter(username=username, is_active=True).first()
    if user is None:
        raise InputError.single(
            f"Không có người dùng “{username}”", f"No active user “{username}”", column="--user"
        )
    return user


def _standard_and_date(options: dict[str, Any]) -> tuple[Any, datetime.date]:
    from giamngheo.reviews.services import default_review_date
    from giamngheo.standards.loader import get_standard, standard_for_year

    year = options["year"]
    if options["standard"]:
        standard = get_standard(options["standard"])
    else:
        standard = standard_for_year(year or datetime.date.today().year)
    if options["date"]:
        return standard, _date(options["date"])
    year = year or datetime.date.today().year
    if not options["year"]:  # no year given: keep the date within the standard's years
        year = min(max(year, standard.first_year), standard.last_year)
    return standard, default_review_date(year=year, kind="regular", month=None)


def _pct(part: int, whole: int) -> Any:
    from giamngheo.standards.formatting import percent

    return percent(part, whole)


def _csv_row(commune: Any, village: Any, counts: Any) -> list[Any]:
    from giamngheo.standards.formatting import percent_machine

    return [
        commune.code if commune else "",
        commune.name if commune else "",
        village.code if village else "",
        village.name if village else TOTAL_VI,
        counts.households,
        counts.people,
        *[getattr(counts, name) for group in GROUPS for name in (group, f"{group}_people")],
        percent_machine(_pct(counts.poor, counts.households)),
        percent_machine(_pct(counts.near_poor, counts.households)),
    ]


def write_csv(result: Any, out: TextIO) -> None:
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in result.rows:
        writer.writerow(_csv_row(row.commune, row.village, row.counts))
    writer.writerow(_csv_row(None, None, result.total))


def _title(result: Any) -> list[str]:
    standard = result.standard
    day = result.review_date
    lines = [
        f"Ước tính theo chuẩn {standard.label()} tại ngày {day:%d/%m/%Y} — {result.display_name} "
        "(sổ hộ hiện tại, không lưu)",
        f"What-if under {standard.label()} on {day.isoformat()} — {result.name} "
        "(current register, nothing saved)",
    ]
    if standard.provisional:
        lines.append(
            f"[tạm tính / provisional] chuẩn này có {len(standard.provisional)} tham số chưa đối chiếu văn "
            f"bản / this standard has {len(standard.provisional)} parameters not yet checked "
            f"(giamngheo standards show {standard.id})"
        )
    return lines


def write_table(result: Any, out: TextIO) -> None:
    from giamngheo.standards.formatting import number_vi, percent_vi

    name_width = max(
        [24, *(len(f"{r.commune.name if r.commune else ''} / {r.village.name}") for r in result.rows)]
    )
    head_vi = ["Hộ", "Khẩu", *[HEADINGS[g][0] for g in GROUPS], "% nghèo", "% cận nghèo"]
    head_en = ["Households", "People", *[HEADINGS[g][1] for g in GROUPS], "% poor", "% near-poor"]
    widths = [max(len(vi), len(en), 9) for vi, en in zip(head_vi, head_en, strict=True)]

    def line(label: str, cells: list[str]) -> str:
        return f"{label:<{name_width}} " + " ".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True))

    def cells(counts: Any) -> list[str]:
        return [
            number_vi(counts.households),
            number_vi(counts.people),
            *[number_vi(getattr(counts, g)) for g in GROUPS],
            percent_vi(_pct(counts.poor, counts.households)),
            percent_vi(_pct(counts.near_poor, counts.households)),
        ]

    lines = _title(result)
    lines += ["", line("Đơn vị", head_vi), line("Unit", head_en)]
    lines.append("-" * len(lines[-1]))
    for row in result.rows:
        label = f"{row.commune.name} / {row.village.name}" if row.commune else row.village.name
        lines.append(line(label, cells(row.counts)))
    lines.append("-" * len(lines[-1]))
    lines.append(line(f"{TOTAL_VI} / Total", cells(result.total)))
    lines.append(
        f"Khẩu / people: nghèo / poor {number_vi(result.total.poor_people)}, cận nghèo / near-poor "
        f"{number_vi(result.total.near_poor_people)}"
    )
    out.write("\n".join(lines) + "\n")
