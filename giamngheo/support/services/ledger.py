"""Writes of the resource ledger: fund sources, allocations, spending and reversals.

Money: whole VND, never negative. Spending locks the source's row (``SELECT … FOR UPDATE`` on PostgreSQL;
SQLite's ``BEGIN IMMEDIATE`` already serialises writers) before reading its balance, so two concurrent
payments cannot overdraw it.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.errors import InputError
from giamngheo.households.models import Household
from giamngheo.support import permissions
from giamngheo.support.kinds import (
    parse_vnd,
)
from giamngheo.support.models import (
    EntryType,
    Flow,
    FundSource,
    LedgerEntry,
    SourceKind,
    Support,
)
from giamngheo.support.services.common import _deny, _history_user, check_date
from giamngheo.units.models import Unit

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
    from giamngheo.standards.formatting import number_vi

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
