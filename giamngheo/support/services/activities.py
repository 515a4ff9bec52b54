"""Writes of communication activities."""

from __future__ import annotations

from django.db import transaction

from giamngheo.accounts.models import User
from giamngheo.errors import InputError, Problem
from giamngheo.support import permissions
from giamngheo.support.kinds import (
    parse_vnd,
)
from giamngheo.support.models import (
    Activity,
    ActivityKind,
    Organisation,
)
from giamngheo.support.services.common import _deny, _history_user, check_date
from giamngheo.units.models import Unit

# --- communication ------------------------------------------------------------------------------------------


@transaction.atomic
def activity_record(
    *,
    actor: User,
    unit: Unit,
    kind: str,
    title: str,
    date: object,
    place: str = "",
    reach: object = 0,
    organisation: Organisation | None = None,
    note: str = "",
) -> Activity:
    if not permissions.can_record_activity(actor, unit, organisation):
        raise _deny(
            f"Bạn không có quyền ghi hoạt động của {unit.display_name}",
            f"You may not record activities of {unit.display_name}",
        )
    problems: list[Problem] = []
    if kind not in ActivityKind.values:
        problems.append(
            Problem(
                f"Loại hoạt động “{kind}” không hợp lệ", f"Unknown kind of activity “{kind}”", column="kind"
            )
        )
    if not title.strip():
        problems.append(Problem("Cần tên hoạt động", "An activity needs a title", column="title"))
    try:
        people = parse_vnd(reach if reach not in (None, "") else 0, column="reach", column_vi="số người")
    except InputError as error:
        problems += error.problems
        people = 0
    try:
        day = check_date(date, column="date", column_vi="ngày")
    except InputError as error:
        problems += error.problems
        day = None
    if organisation is not None and not (
        unit.path.startswith(organisation.unit_path) or organisation.unit_path.startswith(unit.path)
    ):
        problems.append(
            Problem(
                "Tổ chức không thuộc địa bàn này",
                "The organisation is not of this unit",
                column="organisation",
            )
        )
    if problems:
        raise InputError(problems)
    assert day is not None  # a date that did not parse is a problem above
    activity = Activity(
        unit=unit,
        unit_path=unit.path,
        kind=kind,
        title=title.strip(),
        date=day,
        place=place.strip(),
        reach=people,
        organisation=organisation,
        note=note,
        created_by=actor,
    )
    _history_user(activity, actor)
    activity.save()
    return activity
