"""Shared bits of the plan commands: find the commune's plan for a year, as the command line reads it."""

from __future__ import annotations

import datetime

from giamngheo.errors import InputError
from giamngheo.plans.models import Plan
from giamngheo.plans.selectors import COMMAND_LINE, plan_for
from giamngheo.units.selectors import unit_resolve


def resolve_plan(unit_query: str, year: int | None) -> Plan:
    unit = unit_resolve(unit_query)
    year = year or datetime.date.today().year
    if unit.level.code != "commune":
        raise InputError.single(
            f"{unit.display_name} không phải là xã: kế hoạch năm được lập cho từng xã",
            f"{unit.display_name} is not a commune: yearly plans are made per commune",
            column="--unit",
            fix_vi="ghi tên hoặc mã xã",
            fix_en="give the commune's name or code",
        )
    plan = plan_for(user=COMMAND_LINE, commune=unit, year=year)
    if plan is None:
        raise InputError.single(
            f"{unit.display_name} chưa có kế hoạch năm {year}",
            f"{unit.display_name} has no plan for {year}",
            column="--year",
            fix_vi="lập kế hoạch trên trang Kế hoạch, hoặc nhập chỉ tiêu: "
            f"giamngheo import targets TỆP --year {year}",
            fix_en="create it on the Plans page, or import targets: "
            f"giamngheo import targets FILE --year {year}",
        )
    return plan


def format_from(output: str | None, given: str | None, allowed: tuple[str, ...], default: str) -> str:
    if given:
        return given
    if output and "." in output:
        suffix = output.rsplit(".", 1)[1].lower()
        if suffix in allowed:
            return suffix
    return default
