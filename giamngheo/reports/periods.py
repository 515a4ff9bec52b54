"""Report periods: a month (``2023-05``), a quarter (``2023-Q2``) or a year (``2023``). Pure Python."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from giamngheo.errors import InputError

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    code: str  # canonical: 2023-05, 2023-Q2, 2023
    kind: str  # month, quarter, year
    year: int
    start: datetime.date
    end: datetime.date

    @property
    def label_vi(self) -> str:
        if self.kind == "month":
            return f"tháng {self.start.month:02d}/{self.year}"
        if self.kind == "quarter":
            return f"quý {_quarter(self.start)}/{self.year}"
        return f"năm {self.year}"

    @property
    def label_en(self) -> str:
        if self.kind == "month":
            return f"{self.start:%B} {self.year}"
        if self.kind == "quarter":
            return f"Q{_quarter(self.start)} {self.year}"
        return str(self.year)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def _quarter(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str, *, today: datetime.date | None = None) -> Period:
    """The period named by ``text``; a malformed one, or one that has not started yet, is a user error."""
    raw = (text or "").strip()
    period: Period | None = None
    if match := _MONTH.match(raw):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            period = Period(
                f"{year}-{month:02d}", "month", year, datetime.date(year, month, 1), _month_end(year, month)
            )
    elif match := _QUARTER.match(raw):
        year, quarter = int(match[1]), int(match[2])
        first = 3 * quarter - 2
        period = Period(
            f"{year}-Q{quarter}", "quarter", year, datetime.date(year, first, 1), _month_end(year, first + 2)
        )
    elif match := _YEAR.match(raw):
        year = int(match[1])
        period = Period(str(year), "year", year, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    if period is None or period.year < 1990:
        raise InputError.single(
            f"Kỳ báo cáo “{raw}” không hợp lệ",
            f"“{raw}” is not a report period",
            column="--period",
            fix_vi="Ghi tháng (2023-05), quý (2023-Q2) hoặc năm (2023)",
            fix_en="Give a month (2023-05), a quarter (2023-Q2) or a year (2023)",
        )
    today = today or datetime.date.today()
    if period.start > today:
        raise InputError.single(
            f"Kỳ báo cáo {period.code} chưa bắt đầu",
            f"The period {period.code} has not started yet",
            column="--period",
            fix_vi="Chọn một kỳ đã bắt đầu",
            fix_en="Choose a period that has started",
        )
    return period


def periods_of_year(year: int) -> list[Period]:
    """The twelve months, four quarters and the year, for pickers."""
    months = [parse_period(f"{year}-{m:02d}", today=datetime.date.max) for m in range(1, 13)]
    quarters = [parse_period(f"{year}-Q{q}", today=datetime.date.max) for q in range(1, 5)]
    return [*months, *quarters, parse_period(str(year), today=datetime.date.max)]
