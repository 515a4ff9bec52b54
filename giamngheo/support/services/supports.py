"""Writes of supports given to households and people (loans, insurance, schooling, housing, …)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
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
    EntryType,
    FundSource,
    LedgerEntry,
    Organisation,
    Support,
)
from giamngheo.support.services.common import _deny, _history_user, _stale, check_date
from giamngheo.support.services.ledger import _entry, _locked_source, _require_ledger_rights, _spend

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
