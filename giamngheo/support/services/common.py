"""Checks the support tracker's writes share: permission refusals, dates inside the programme, stale edits."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.errors import InputError

# --- shared checks ------------------------------------------------------------------------------------------


def _deny(vi: str, en: str) -> InputError:
    return InputError.single(
        vi,
        en,
        fix_vi="Chỉ ghi cho hộ/đơn vị thuộc địa bàn và quyền của bạn",
        fix_en="Record only for households and units in your unit, within your role",
    )


def programme_start() -> datetime.date:
    """The first day of the earliest poverty standard the engine knows: nothing is recorded before it."""
    from giamngheo.standards.loader import list_standards

    return datetime.date(min(s.first_year for s in list_standards()), 1, 1)


def check_date(
    day: object,
    *,
    column: str,
    column_vi: str,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> datetime.date:
    """A date inside [start, end] (default: the programme period up to today)."""
    if not isinstance(day, datetime.date):
        try:
            day = datetime.date.fromisoformat(str(day).strip())
        except ValueError:
            raise InputError.single(
                f"{column_vi}: “{day}” không phải là ngày",
                f"{column}: “{day}” is not a date",
                column=column,
                fix_vi="Nhập ngày dạng dd/mm/yyyy",
                fix_en="Enter a date as dd/mm/yyyy",
            ) from None
    start = start or programme_start()
    end = end or timezone.localdate()
    if not start <= day <= end:
        raise InputError.single(
            f"{column_vi}: ngày {day:%d/%m/%Y} nằm ngoài kỳ cho phép ({start:%d/%m/%Y} – {end:%d/%m/%Y})",
            f"{column}: {day:%d/%m/%Y} is outside the allowed period ({start:%d/%m/%Y} – {end:%d/%m/%Y})",
            column=column,
            fix_vi="Nhập ngày trong kỳ (không ghi trước cho ngày chưa tới)",
            fix_en="Enter a date inside the period (nothing is recorded ahead of time)",
        )
    return day


def _history_user(obj: Any, actor: User | None) -> None:
    obj._history_user = actor


def _stale(what_vi: str, what_en: str) -> InputError:
    return InputError.single(
        f"{what_vi} vừa được người khác cập nhật; thay đổi của bạn chưa được lưu",
        f"Someone else updated this {what_en} meanwhile; your change was not saved",
        fix_vi="Tải lại trang, xem thay đổi mới rồi nhập lại",
        fix_en="Reload the page, review the new values and enter your change again",
    )
