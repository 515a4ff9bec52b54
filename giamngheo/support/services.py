"""Writes of the support tracker: supports, the ledger, escape plans, organisations, activities, reports.

Each function is keyword-only, validates everything first and writes inside one transaction, so a bad
input (an ``InputError``) leaves nothing behind. Permission is checked here too (defence in depth: the
views check it as well, through the same ``permissions`` functions).

Money: whole VND, never negative. Spending locks the source's row (``SELECT … FOR UPDATE`` on PostgreSQL;
SQLite's ``BEGIN IMMEDIATE`` already serialises writers) before reading its balance, so two concurrent
payments cannot overdraw it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.errors import InputError, Problem
from giamngheo.households.models import Household, Member
from giamngheo.support import permissions
from giamngheo.support.kinds import (
    FORMS_OF,
    PERSON_KINDS,
    SupportKind,
    SupportStatus,
    clean_details,
    parse_vnd,
)
from giamngheo.support.models import (
    Activity,
    ActivityKind,
    EntryType,
    EscapePlan,
    Flow,
    FundSource,
    LedgerEntry,
    Milestone,
    Organisation,
    OrganisationKind,
    OrganisationMember,
    PlanGroup,
    PlanStatus,
    ProgressReport,
    ReportState,
    Solution,
    SourceKind,
    Support,
)
from giamngheo.support.periods import parse_period
from giamngheo.units.models import Unit

ON_LISTS = ("poor", "near_poor")


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


# --- the ledger ---------------------------------------------------------------------------------------------


@transaction.atomic
def source_create(
    *, actor: User, unit: Unit, kind: str, name: str, donor: str = "", note: str = ""
) -> FundSource:
    if not permissions.can_manage_unit(actor, unit):
        raise _deny(
            f"Bạn không có quyền quản lý nguồn lực của {unit.display_name}",
            f"You may not manage the funds of {unit.display_name}",
        )
    if kind not in SourceKind.values:
        raise InputError.single(
            f"Loại nguồn “{kind}” không hợp lệ", f"Unknown kind of source “{kind}”", column="kind"
        )
    name = name.strip()
    if not name:
        raise InputError.single("Cần tên nguồn", "A source needs a name", column="name")
    if FundSource.objects.filter(unit=unit, name=name).exists():
        raise InputError.single(
            f"Đã có nguồn “{name}”", f"A source named “{name}” exists already", column="name"
        )
    source = FundSource(unit=unit, unit_path=unit.path, kind=kind, name=name, donor=donor.strip(), note=note)
    _history_user(source, actor)
    source.save()
    return source


def source_balance(source: FundSource, *, on: datetime.date | None = None) -> int:
    entries = LedgerEntry.objects.filter(source=source)
    if on is not None:
        entries = entries.filter(date__lte=on)
    return entries.aggregate(total=Sum("signed_amount"))["total"] or 0


def _locked_source(source: FundSource) -> FundSource:
    # The row lock is what makes "check the balance, then write" safe between concurrent requests.
    return FundSource.objects.select_for_update().get(pk=source.pk)


def _require_ledger_rights(actor: User, source: FundSource) -> None:
    if not permissions.can_manage_unit(actor, source.unit):
        raise _deny(
            f"Bạn không có quyền ghi sổ nguồn “{source.name}”",
            f"You may not write to the ledger of “{source.name}”",
        )


def _entry(
    *,
    actor: User | None,
    source: FundSource,
    entry_type: str,
    amount: int,
    sign: int,
    date: datetime.date,
    description: str,
    support: Support | None = None,
    household: Household | None = None,
    reverses: LedgerEntry | None = None,
) -> LedgerEntry:
    if reverses is not None:
        flow = reverses.flow
    else:
        flow = Flow.IN if entry_type == EntryType.ALLOCATION else Flow.OUT
    entry = LedgerEntry(
        source=source,
        unit_path=source.unit_path,
        target_path=household.unit_path if household is not None else source.unit_path,
        entry_type=entry_type,
        flow=flow,
        date=date,
        amount=amount,
        signed_amount=sign * amount,
        support=support,
        household=household,
        reverses=reverses,
        description=description.strip()[:300],
        created_by=actor,
    )
    entry.save()
    return entry


def _positive_amount(amount: object, *, column: str = "amount") -> int:
    value = parse_vnd(amount, column=column, column_vi="số tiền")
    if value == 0:
        raise InputError.single(
            "Số tiền phải lớn hơn 0",
            "The amount must be greater than 0",
            column=column,
            fix_vi="Nhập số tiền > 0",
            fix_en="Enter an amount > 0",
        )
    return value


@transaction.atomic
def ledger_allocate(
    *, actor: User, source: FundSource, amount: object, date: object, description: str
) -> LedgerEntry:
    """Money received by a source (a budget allocation, a fundraising day, a donor's transfer)."""
    _require_ledger_rights(actor, source)
    value = _positive_amount(amount)
    day = check_date(date, column="date", column_vi="ngày")
    if not description.strip():
        raise InputError.single("Cần nội dung", "A description is required", column="description")
    return _entry(
        actor=actor,
        source=source,
        entry_type=EntryType.ALLOCATION,
        amount=value,
        sign=1,
        date=day,
        description=description,
    )


def _insufficient(source: FundSource, balance: int, amount: int) -> InputError:
    from giamngheo.reports.numbers import number_vi

    return InputError.single(
        f"Nguồn “{source.name}” chỉ còn {number_vi(balance)} đ, không đủ chi {number_vi(amount)} đ",
        f"The source “{source.name}” has {balance:,} VND left, not enough to spend {amount:,} VND",
        column="amount",
        fix_vi="Giảm số tiền, chọn nguồn khác hoặc ghi khoản cấp vốn trước",
        fix_en="Lower the amount, choose another source or record the allocation first",
    )


def _spend(
    *,
    actor: User | None,
    source: FundSource,
    amount: int,
    date: datetime.date,
    description: str,
    support: Support | None = None,
    household: Household | None = None,
) -> LedgerEntry:
    locked = _locked_source(source)
    balance = source_balance(locked)
    if amount > balance:
        raise _insufficient(locked, balance, amount)
    return _entry(
        actor=actor,
        source=locked,
        entry_type=EntryType.SPENDING,
        amount=amount,
        sign=-1,
        date=date,
        description=description,
        support=support,
        household=household,
    )


@transaction.atomic
def ledger_spend(
    *,
    actor: User,
    source: FundSource,
    amount: object,
    date: object,
    description: str,
    household: Household | None = None,
) -> LedgerEntry:
    """Spending not tied to one support (e.g. the cost of a campaign); a support's spending is written by
    ``support_record``. Refused, with nothing written, when it exceeds the source's balance."""
    _require_ledger_rights(actor, source)
    value = _positive_amount(amount)
    day = check_date(date, column="date", column_vi="ngày")
    if not description.strip():
        raise InputError.single("Cần nội dung", "A description is required", column="description")
    if household is not None and not permissions.in_scope(actor, household.unit_path):
        raise _deny("Hộ này không thuộc địa bàn của bạn", "This household is outside your unit")
    return _spend(
        actor=actor, source=source, amount=value, date=day, description=description, household=household
    )


@transaction.atomic
def ledger_reverse(
    *, actor: User, entry: LedgerEntry, reason: str, date: object | None = None
) -> LedgerEntry:
    """Cancel an entry with an opposite one (nothing is ever edited or deleted). Reversing an allocation
    takes money out of the source, so it needs the balance too."""
    _require_ledger_rights(actor, entry.source)
    if not reason.strip():
        raise InputError.single(
            "Cần lý do điều chỉnh", "A reason for the correction is required", column="reason"
        )
    entry = LedgerEntry.objects.select_related("source").get(pk=entry.pk)
    if entry.entry_type == EntryType.REVERSAL:
        raise InputError.single(
            "Không đảo một bút toán đảo; hãy ghi một khoản mới",
            "A reversal cannot be reversed; record a new entry instead",
        )
    if entry.support_id is not None:
        raise InputError.single(
            "Khoản chi này gắn với một hỗ trợ: hãy sửa hoặc huỷ hỗ trợ đó (sổ sẽ tự ghi bút toán đảo)",
            "This spending belongs to a support: change or cancel the support (the ledger reverses it)",
        )
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise InputError.single(
            f"Bút toán ngày {entry.date:%d/%m/%Y} đã được đảo",
            f"The entry of {entry.date:%d/%m/%Y} was reversed already",
        )
    day = check_date(date or timezone.localdate(), column="date", column_vi="ngày", start=entry.date)
    locked = _locked_source(entry.source)
    if entry.signed_amount > 0:
        balance = source_balance(locked)
        if entry.amount > balance:
            raise _insufficient(locked, balance, entry.amount)
    return _entry(
        actor=actor,
        source=locked,
        entry_type=EntryType.REVERSAL,
        amount=entry.amount,
        sign=-1 if entry.signed_amount > 0 else 1,
        date=day,
        description=f"Đảo / reversal: {reason.strip()}",
        support=entry.support,
        household=entry.household,
        reverses=entry,
    )


# --- supports -----------------------------------------------------------------------------------------------


def _validate_support(
    *,
    actor: User,
    household: Household,
    kind: str,
    form: str,
    status: str,
    member: Member | None,
    source: FundSource | None,
    organisation: Organisation | None,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
) -> list[Problem]:
    problems: list[Problem] = []
    if kind not in SupportKind.values:
        problems.append(
            Problem(f"Loại hỗ trợ “{kind}” không hợp lệ", f"Unknown kind of support “{kind}”", column="kind")
        )
        return problems
    if form not in FORMS_OF[kind]:
        allowed = ", ".join(FORMS_OF[kind])
        problems.append(
            Problem(
                f"Hình thức “{form}” không thuộc loại hỗ trợ này",
                f"“{form}” is not a form of this kind of support",
                column="form",
                fix_vi=f"Chọn một trong: {allowed}",
                fix_en=f"Choose one of: {allowed}",
            )
        )
    if status not in SupportStatus.values:
        problems.append(
            Problem(f"Tình trạng “{status}” không hợp lệ", f"Unknown status “{status}”", column="status")
        )
    if kind in PERSON_KINDS and member is None:
        problems.append(
            Problem(
                "Hỗ trợ này dành cho một người: chọn thành viên của hộ",
                "This support goes to one person: choose the member",
                column="member",
            )
        )
    if member is not None and member.household_id != household.pk:
        problems.append(
            Problem(
                "Người này không thuộc hộ", "This person is not a member of the household", column="member"
            )
        )
    if source is not None and not household.unit_path.startswith(source.unit_path):
        problems.append(
            Problem(
                f"Nguồn “{source.name}” không phải của xã/đơn vị quản lý hộ này",
                f"The source “{source.name}” does not belong to this household's commune or above",
                column="source",
            )
        )
    if organisation is not None and not household.unit_path.startswith(organisation.unit_path):
        problems.append(
            Problem(
                f"Tổ chức “{organisation.name}” không thuộc địa bàn của hộ",
                f"The organisation “{organisation.name}” is not of this household's commune",
                column="organisation",
            )
        )
    if valid_from and valid_to and valid_to < valid_from:
        problems.append(
            Problem(
                "Ngày hết hạn trước ngày bắt đầu", "The end date is before the start date", column="valid_to"
            )
        )
    return problems


@transaction.atomic
def support_record(
    *,
    actor: User,
    household: Household,
    kind: str,
    form: str,
    date: object,
    status: str = SupportStatus.DELIVERED,
    amount: object = 0,
    member: Member | None = None,
    source: FundSource | None = None,
    provider: str = "",
    organisation: Organisation | None = None,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    details: dict[str, Any] | None = None,
    note: str = "",
) -> Support:
    """Record a support (or a need not yet met: ``status="needed"``). Delivered and paid from a source, it
    also writes the spending to the ledger — refused with nothing written when the source cannot pay."""
    if not permissions.can_record_for_household(actor, household):
        raise _deny(
            f"Hộ {household.code} không thuộc địa bàn hoặc không được giao cho bạn",
            f"Household {household.code} is outside your unit or not assigned to you",
        )
    problems = _validate_support(
        actor=actor,
        household=household,
        kind=kind,
        form=form,
        status=status,
        member=member,
        source=source,
        organisation=organisation,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    try:
        value = parse_vnd(amount if amount not in (None, "") else 0, column="amount", column_vi="số tiền")
    except InputError as error:
        problems += error.problems
        value = 0
    try:
        day = check_date(date, column="date", column_vi="ngày")
    except InputError as error:
        problems += error.problems
        day = None
    try:
        cleaned = clean_details(kind, details)
    except InputError as error:
        problems += error.problems
        cleaned = {}
    if source is not None and value > 0 and status == SupportStatus.DELIVERED:
        try:
            _require_ledger_rights(actor, source)
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    assert day is not None
    support = Support(
        household=household,
        member=member,
        unit_path=household.unit_path,
        kind=kind,
        form=form,
        status=status,
        date=day,
        amount=value,
        source=source,
        provider=provider.strip()[:200],
        organisation=organisation,
        valid_from=valid_from,
        valid_to=valid_to,
        details=cleaned,
        note=note,
        created_by=actor,
    )
    _history_user(support, actor)
    support.save()
    _settle(actor=actor, support=support, new=True)
    return support


def _settle(*, actor: User | None, support: Support, new: bool = False) -> None:
    """Make the ledger agree with the support: its net spending equals its amount from its source when it
    is delivered, and nothing otherwise. Differences are settled by reversals and a new spending entry
    (a ``new`` support has no entry yet: nothing to read)."""
    wanted_source = (
        support.source_id if support.status == SupportStatus.DELIVERED and support.amount else None
    )
    live = (
        []
        if new
        else list(
            LedgerEntry.objects.filter(
                support=support, entry_type=EntryType.SPENDING, reversed_by__isnull=True
            ).select_related("source")
        )
    )
    if len(live) == 1 and live[0].source_id == wanted_source and live[0].amount == support.amount:
        return
    for entry in live:
        _entry(
            actor=actor,
            source=_locked_source(entry.source),
            entry_type=EntryType.REVERSAL,
            amount=entry.amount,
            sign=1,
            date=max(entry.date, timezone.localdate()),
            description="Đảo do sửa hỗ trợ / reversal: the support was changed",
            support=support,
            household=support.household,
            reverses=entry,
        )
    if wanted_source is not None:
        assert support.source is not None
        _spend(
            actor=actor,
            source=support.source,
            amount=support.amount,
            date=support.date,
            description=f"{support.get_kind_display()} — {support.household.code} "
            f"{support.household.head_name}",
            support=support,
            household=support.household,
        )


SUPPORT_CHANGEABLE = (
    "form",
    "status",
    "date",
    "amount",
    "member",
    "source",
    "provider",
    "organisation",
    "valid_from",
    "valid_to",
    "details",
    "note",
)


@transaction.atomic
def support_update(*, actor: User, support: Support, expected_version: int, **changes: Any) -> Support:
    """Change a support (its status as it is met, a corrected amount…). The ledger follows by reversals."""
    current = Support.objects.select_for_update().select_related("household").get(pk=support.pk)
    if not permissions.can_record_for_household(actor, current.household):
        raise _deny(
            f"Hộ {current.household.code} không thuộc địa bàn hoặc không được giao cho bạn",
            f"Household {current.household.code} is outside your unit or not assigned to you",
        )
    if current.version != expected_version:
        raise _stale("Hỗ trợ này", "support")
    unknown = set(changes) - set(SUPPORT_CHANGEABLE)
    if unknown:
        raise InputError.single(
            f"Không sửa được: {', '.join(sorted(unknown))}", f"Cannot change: {', '.join(sorted(unknown))}"
        )
    values = {name: getattr(current, name) for name in SUPPORT_CHANGEABLE}
    values.update(changes)
    problems = _validate_support(
        actor=actor,
        household=current.household,
        kind=current.kind,
        form=values["form"],
        status=values["status"],
        member=values["member"],
        source=values["source"],
        organisation=values["organisation"],
        valid_from=values["valid_from"],
        valid_to=values["valid_to"],
    )
    try:
        values["amount"] = parse_vnd(values["amount"] or 0, column="amount", column_vi="số tiền")
    except InputError as error:
        problems += error.problems
    try:
        values["date"] = check_date(values["date"], column="date", column_vi="ngày")
    except InputError as error:
        problems += error.problems
    if "details" in changes:
        try:
            values["details"] = clean_details(current.kind, changes["details"])
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    for name, value in values.items():
        setattr(current, name, value)
    current.version += 1
    _history_user(current, actor)
    current.save()
    _settle(actor=actor, support=current)
    return current


# --- organisations ------------------------------------------------------------------------------------------


@transaction.atomic
def organisation_create(*, actor: User, unit: Unit, kind: str, name: str, note: str = "") -> Organisation:
    if not permissions.can_manage_unit(actor, unit):
        raise _deny(
            f"Bạn không có quyền quản lý tổ chức của {unit.display_name}",
            f"You may not manage the organisations of {unit.display_name}",
        )
    if kind not in OrganisationKind.values:
        raise InputError.single(
            f"Loại tổ chức “{kind}” không hợp lệ", f"Unknown kind of organisation “{kind}”", column="kind"
        )
    name = name.strip()
    if not name:
        raise InputError.single("Cần tên tổ chức", "An organisation needs a name", column="name")
    if Organisation.objects.filter(unit=unit, name=name).exists():
        raise InputError.single(
            f"Đã có tổ chức “{name}”", f"An organisation named “{name}” exists already", column="name"
        )
    organisation = Organisation(unit=unit, unit_path=unit.path, kind=kind, name=name, note=note)
    _history_user(organisation, actor)
    organisation.save()
    return organisation


@transaction.atomic
def organisation_member_add(
    *,
    actor: User,
    organisation: Organisation,
    full_name: str,
    position: str = "",
    phone: str = "",
    assignment: str = "",
    village: Unit | None = None,
    user: User | None = None,
) -> OrganisationMember:
    if not permissions.can_manage_unit(actor, organisation.unit):
        raise _deny(
            f"Bạn không có quyền quản lý tổ chức “{organisation.name}”",
            f"You may not manage the organisation “{organisation.name}”",
        )
    problems = []
    if not full_name.strip():
        problems.append(Problem("Cần họ tên", "A full name is required", column="full_name"))
    if village is not None and not village.path.startswith(organisation.unit_path):
        problems.append(
            Problem(
                f"{village.display_name} không thuộc địa bàn của tổ chức",
                f"{village.display_name} is outside the organisation's unit",
                column="village",
            )
        )
    if (
        user is not None
        and not (user.unit_id and organisation.unit_path.startswith(user.unit.path))
        and not (user.unit_id and user.unit.path.startswith(organisation.unit_path))
    ):
        problems.append(
            Problem(
                f"Tài khoản {user.username} thuộc đơn vị khác",
                f"The login {user.username} belongs to another unit",
                column="user",
            )
        )
    if problems:
        raise InputError(problems)
    member = OrganisationMember(
        organisation=organisation,
        full_name=full_name.strip(),
        position=position.strip(),
        phone=phone.strip(),
        assignment=assignment.strip(),
        village=village,
        user=user,
    )
    _history_user(member, actor)
    member.save()
    return member


@transaction.atomic
def organisation_member_update(
    *, actor: User, member: OrganisationMember, **changes: Any
) -> OrganisationMember:
    member = OrganisationMember.objects.select_related("organisation__unit").get(pk=member.pk)
    if not permissions.can_manage_unit(actor, member.organisation.unit):
        raise _deny(
            f"Bạn không có quyền quản lý tổ chức “{member.organisation.name}”",
            f"You may not manage the organisation “{member.organisation.name}”",
        )
    allowed = {"full_name", "position", "phone", "assignment", "village", "active"}
    if set(changes) - allowed:
        raise InputError.single(
            "Trường không sửa được", f"Cannot change: {', '.join(sorted(set(changes) - allowed))}"
        )
    village = changes.get("village")
    if village is not None and not village.path.startswith(member.organisation.unit_path):
        raise InputError.single(
            f"{village.display_name} không thuộc địa bàn của tổ chức",
            f"{village.display_name} is outside the organisation's unit",
            column="village",
        )
    for name, value in changes.items():
        setattr(member, name, value)
    _history_user(member, actor)
    member.save()
    return member


# --- escape plans -------------------------------------------------------------------------------------------


def suggest_group(*, labour_capacity: bool | None, deprived: Sequence[str]) -> str:
    """The seed's three groups: a household with labour; an elderly household without labour; a household
    whose labour is not known and whose main problem is missing basic services (two or more of them)."""
    if labour_capacity is False:
        return PlanGroup.ELDERLY_NO_LABOUR
    if labour_capacity is None and len(SERVICE_INDICATORS.intersection(deprived)) >= 2:
        return PlanGroup.LACKING_SERVICES
    return PlanGroup.HAS_LABOUR


# Indicators of access to basic services (every dimension but employment): the third group's problem.
SERVICE_INDICATORS = frozenset(
    {
        "nutrition",
        "health_insurance",
        "adult_education",
        "child_schooling",
        "housing_quality",
        "housing_area",
        "drinking_water",
        "sanitation",
        "telecom",
        "information_devices",
        "waste",
    }
)


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
    from giamngheo.support.selectors import household_status_in_force

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


# --- progress reports ---------------------------------------------------------------------------------------


@transaction.atomic
def progress_report_submit(*, actor: User, unit: Unit, period: str, reason: str = "") -> ProgressReport:
    """Freeze the report of ``unit`` for ``period`` and submit it upward as a new version.

    A correction of an approved report needs a reason; a version awaiting a decision blocks a new one.
    """
    from giamngheo.reports.progress import build_progress

    if not permissions.can_submit_report(actor, unit):
        raise _deny(
            f"Chỉ cán bộ của {unit.display_name} mới gửi được báo cáo của đơn vị này",
            f"Only an officer of {unit.display_name} may submit its report",
        )
    parsed = parse_period(period)
    # Lock the unit's versions of this period: two officers submitting at once get versions n+1 and n+2.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    previous = ProgressReport.objects.filter(unit=unit, period=parsed.code).order_by("-version").first()
    if previous is not None and previous.state == ReportState.SUBMITTED:
        raise InputError.single(
            f"Báo cáo {parsed.code} (phiên bản {previous.version}) đang chờ cấp trên xem xét",
            f"The report for {parsed.code} (version {previous.version}) is awaiting a decision",
            fix_vi="Chờ cấp trên duyệt hoặc trả lại trước khi gửi phiên bản mới",
            fix_en="Wait until it is approved or returned before submitting a new version",
        )
    approved_before = ProgressReport.objects.filter(
        unit=unit, period=parsed.code, state=ReportState.APPROVED
    ).exists()
    if approved_before and not reason.strip():
        raise InputError.single(
            f"Báo cáo {parsed.code} đã được duyệt và khoá; phiên bản điều chỉnh cần lý do",
            f"The report for {parsed.code} was approved and is locked; a corrected version needs a reason",
            column="reason",
            fix_vi="Ghi lý do điều chỉnh",
            fix_en="Give the reason for the correction",
        )
    data = build_progress(user=actor, unit=unit, period=parsed).to_json()
    report = ProgressReport(
        unit=unit,
        unit_path=unit.path,
        period=parsed.code,
        period_start=parsed.start,
        period_end=parsed.end,
        version=(previous.version + 1) if previous else 1,
        state=ReportState.SUBMITTED,
        data=data,
        reason=reason.strip(),
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    _history_user(report, actor)
    report.save()
    return report


@transaction.atomic
def progress_report_decide(
    *, actor: User, report: ProgressReport, approve: bool, comment: str = ""
) -> ProgressReport:
    current = ProgressReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
    if current.submitted_by_id == actor.pk:
        raise _deny(
            "Người gửi báo cáo không được tự duyệt hoặc trả lại báo cáo đó",
            "Whoever submitted a report may not approve or return it",
        )
    if not permissions.can_decide_report(actor, current):
        raise _deny(
            "Chỉ cấp trên của đơn vị mới duyệt hoặc trả lại báo cáo",
            "Only the level above the unit may approve or return its report",
        )
    if current.state != ReportState.SUBMITTED:
        raise InputError.single(
            f"Báo cáo này đã được xử lý ({current.get_state_display()}) và bị khoá",
            f"This report was decided already ({current.state}) and is locked",
            fix_vi="Đơn vị gửi phiên bản mới nếu cần điều chỉnh",
            fix_en="The unit submits a new version if a correction is needed",
        )
    if not approve and not comment.strip():
        raise InputError.single(
            "Trả lại báo cáo cần ghi ý kiến",
            "Returning a report needs a comment",
            column="comment",
            fix_vi="Ghi điều cần sửa",
            fix_en="Say what needs correcting",
        )
    current.state = ReportState.APPROVED if approve else ReportState.RETURNED
    current.comment = comment.strip()
    current.decided_by = actor
    current.decided_at = timezone.now()
    _history_user(current, actor)
    current.save()
    return current
