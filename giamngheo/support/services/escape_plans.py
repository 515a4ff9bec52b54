"""Writes of households' escape plans and their milestones."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.errors import InputError
from giamngheo.households.models import Household
from giamngheo.reviews.selectors import household_status_in_force
from giamngheo.standards.loader import service_indicators
from giamngheo.standards.transitions import ON_LISTS
from giamngheo.support import permissions
from giamngheo.support.models import (
    EscapePlan,
    Milestone,
    Organisation,
    OrganisationMember,
    PlanGroup,
    PlanStatus,
    Solution,
)
from giamngheo.support.services.common import (
    _deny,
    _history_user,
    _stale,
    check_date,
    programme_start,
)

# --- escape plans -------------------------------------------------------------------------------------------


def suggest_group(*, labour_capacity: bool | None, deprived: Sequence[str]) -> str:
    """The seed's three groups: a household with labour; an elderly household without labour; a household
    whose labour is not known and whose main problem is missing basic services (two or more of them)."""
    if labour_capacity is False:
        return PlanGroup.ELDERLY_NO_LABOUR
    if labour_capacity is None and len(service_indicators().intersection(deprived)) >= 2:
        return PlanGroup.LACKING_SERVICES
    return PlanGroup.HAS_LABOUR


def _check_solutions(solutions: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(solutions))
    unknown = [s for s in chosen if s not in Solution.values]
    if unknown:
        raise InputError.single(
            f"Giải pháp không hợp lệ: {', '.join(unknown)}",
            f"Unknown solutions: {', '.join(unknown)}",
            column="solutions",
        )
    return chosen


def _check_plan_people(
    household: Household, organisation: Organisation | None, helper: OrganisationMember | None
) -> None:
    if organisation is not None and not household.unit_path.startswith(organisation.unit_path):
        raise InputError.single(
            f"Tổ chức “{organisation.name}” không thuộc địa bàn của hộ",
            f"The organisation “{organisation.name}” is not of this household's commune",
            column="organisation",
        )
    if helper is not None and (organisation is None or helper.organisation_id != organisation.pk):
        raise InputError.single(
            f"{helper.full_name} không phải là thành viên của tổ chức được giao",
            f"{helper.full_name} is not a member of the organisation in charge",
            column="helper",
        )


@transaction.atomic
def escape_plan_create(
    *,
    actor: User,
    household: Household,
    year: int,
    group: str,
    solutions: Iterable[str] = (),
    organisation: Organisation | None = None,
    helper: OrganisationMember | None = None,
    notes: str = "",
    milestones: Iterable[tuple[str, datetime.date] | tuple[str, datetime.date, datetime.date | None]] = (),
    status_at_start: str | None = None,
    status: str = PlanStatus.PLANNED,
) -> EscapePlan:
    """The plan of a poor or near-poor household for ``year``: its status on the lists in force during the
    year (the previous yearly review, amended by the year's ad-hoc reviews), or ``status_at_start`` when the
    caller knows it (bulk loading). A plan written down after the fact (from paper, or the demo) can come
    with its status and its milestones already done: ``(title, due date, done on)``."""
    if not permissions.can_manage_plans(actor, household):
        raise _deny(
            f"Hộ {household.code} không thuộc địa bàn của bạn hoặc bạn không có quyền lập kế hoạch",
            f"Household {household.code} is outside your unit, or your role cannot make plans",
        )
    if group not in PlanGroup.values:
        raise InputError.single(f"Nhóm hộ “{group}” không hợp lệ", f"Unknown group “{group}”", column="group")
    _check_plan_status(status)
    if not (programme_start().year <= year <= timezone.localdate().year + 1):
        raise InputError.single(
            f"Năm kế hoạch {year} nằm ngoài kỳ chương trình",
            f"The plan year {year} is outside the programme period",
            column="year",
        )
    listed = status_at_start or household_status_in_force(household, year)
    if listed not in ON_LISTS:
        raise InputError.single(
            f"Hộ {household.code} không phải hộ nghèo hay cận nghèo theo kết quả rà soát gần nhất",
            f"Household {household.code} is neither poor nor near-poor at the latest decided review",
            fix_vi="Kế hoạch thoát nghèo chỉ lập cho hộ nghèo, cận nghèo",
            fix_en="Escape plans are made for poor and near-poor households only",
        )
    if EscapePlan.objects.filter(household=household, year=year).exists():
        raise InputError.single(
            f"Hộ {household.code} đã có kế hoạch năm {year}",
            f"Household {household.code} has a plan for {year} already",
        )
    chosen = _check_solutions(solutions)
    _check_plan_people(household, organisation, helper)
    plan = EscapePlan(
        household=household,
        unit_path=household.unit_path,
        year=year,
        status_at_start=listed,
        group=group,
        solutions=chosen,
        organisation=organisation,
        helper=helper,
        status=status,
        notes=notes,
        created_by=actor,
    )
    _history_user(plan, actor)
    plan.save()
    for title, due, *done in milestones:
        milestone_add(actor=actor, plan=plan, title=title, due_date=due, done_on=done[0] if done else None)
    return plan


PLAN_PROGRESS_FIELDS = {"status", "notes"}
PLAN_FIELDS = {"group", "solutions", "organisation", "helper", *PLAN_PROGRESS_FIELDS}


@transaction.atomic
def escape_plan_update(*, actor: User, plan: EscapePlan, expected_version: int, **changes: Any) -> EscapePlan:
    current = EscapePlan.objects.select_for_update().select_related("household").get(pk=plan.pk)
    if set(changes) - PLAN_FIELDS:
        raise InputError.single(
            "Trường không sửa được", f"Cannot change: {', '.join(sorted(set(changes) - PLAN_FIELDS))}"
        )
    progress_only = set(changes) <= PLAN_PROGRESS_FIELDS
    allowed = (
        permissions.can_record_plan_progress(actor, current)
        if progress_only
        else permissions.can_manage_plans(actor, current.household)
    )
    if not allowed:
        raise _deny(
            "Bạn không có quyền cập nhật kế hoạch này",
            "You may not update this plan",
        )
    if current.version != expected_version:
        raise _stale("Kế hoạch này", "plan")
    if "status" in changes:
        _check_plan_status(changes["status"])
    if "group" in changes and changes["group"] not in PlanGroup.values:
        raise InputError.single(
            f"Nhóm hộ “{changes['group']}” không hợp lệ",
            f"Unknown group “{changes['group']}”",
            column="group",
        )
    if "solutions" in changes:
        changes["solutions"] = _check_solutions(changes["solutions"])
    organisation = changes.get("organisation", current.organisation)
    helper = changes.get("helper", current.helper if "organisation" not in changes else None)
    if "organisation" in changes or "helper" in changes:
        _check_plan_people(current.household, organisation, helper)
        changes["helper"] = helper
    for name, value in changes.items():
        setattr(current, name, value)
    current.version += 1
    _history_user(current, actor)
    current.save()
    return current


def _check_plan_status(status: object) -> None:
    if status not in PlanStatus.values:
        raise InputError.single(
            f"Tình trạng “{status}” không hợp lệ", f"Unknown status “{status}”", column="status"
        )


def _plan_period(plan: EscapePlan) -> tuple[datetime.date, datetime.date]:
    return datetime.date(plan.year, 1, 1), datetime.date(plan.year, 12, 31)


def _check_done_on(plan: EscapePlan, done_on: object) -> datetime.date:
    """A milestone is done inside its plan's year or later, never in the future."""
    start, _end = _plan_period(plan)
    return check_date(done_on, column="done_on", column_vi="ngày hoàn thành", start=start)


@transaction.atomic
def milestone_add(
    *,
    actor: User,
    plan: EscapePlan,
    title: str,
    due_date: object,
    note: str = "",
    done_on: object | None = None,
) -> Milestone:
    """A milestone of the plan, due inside the plan's year; ``done_on`` when it is recorded after the fact."""
    if not permissions.can_record_plan_progress(actor, plan):
        raise _deny("Bạn không có quyền cập nhật kế hoạch này", "You may not update this plan")
    if not title.strip():
        raise InputError.single("Cần nội dung mốc", "A milestone needs a title", column="title")
    start, end = _plan_period(plan)
    due = check_date(due_date, column="due_date", column_vi="hạn", start=start, end=end)
    done = _check_done_on(plan, done_on) if done_on is not None else None
    milestone = Milestone(plan=plan, title=title.strip(), due_date=due, done_on=done, note=note.strip())
    _history_user(milestone, actor)
    milestone.save()
    return milestone


@transaction.atomic
def milestone_done(
    *, actor: User, milestone: Milestone, done_on: object, note: str | None = None
) -> Milestone:
    milestone = Milestone.objects.select_related("plan").get(pk=milestone.pk)
    if not permissions.can_record_plan_progress(actor, milestone.plan):
        raise _deny("Bạn không có quyền cập nhật kế hoạch này", "You may not update this plan")
    milestone.done_on = _check_done_on(milestone.plan, done_on)
    if note is not None:
        milestone.note = note.strip()
    _history_user(milestone, actor)
    milestone.save()
    return milestone
