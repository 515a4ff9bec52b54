"""Writes to the register: each records who made it (history) and checks the version it started from."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from giamngheo.accounts.models import User
from giamngheo.errors import InputError
from giamngheo.households.models import Household, Member
from giamngheo.text import fold
from giamngheo.units.models import Unit


class ConflictError(InputError):
    """Someone else saved the record after this user opened it: nothing was written."""


def household_search_text(*, code: str, head_name: str) -> str:
    return f"{fold(head_name)} {code.lower()}"


def _require_village(village: Unit) -> Unit:
    if village.level.code != "village" or village.parent is None:
        raise InputError.single(
            f"{village.name} không phải là thôn",
            f"{village.name} is not a village",
            fix_vi="Chọn một thôn",
            fix_en="Pick a village",
        )
    return village


@transaction.atomic
def household_create(
    *, actor: User | None, village: Unit, code: str, head_name: str, size: int, **facts: Any
) -> Household:
    _require_village(village)
    household = Household(
        commune=village.parent,
        village=village,
        unit_path=village.path,
        code=code,
        head_name=head_name,
        size=size,
        area=facts.pop("area", village.area),
        search_text=household_search_text(code=code, head_name=head_name),
        **facts,
    )
    household._history_user = actor  # type: ignore[attr-defined]
    household.full_clean()
    household.save()
    return household


@transaction.atomic
def household_update(
    *, actor: User | None, household: Household, expected_version: int, **changes: Any
) -> Household:
    """Apply ``changes`` if nobody saved the household since ``expected_version``; otherwise ConflictError."""
    current = Household.objects.select_for_update().get(pk=household.pk)
    if current.version != expected_version:
        raise ConflictError.single(
            "Hộ này vừa được người khác cập nhật; thay đổi của bạn chưa được lưu",
            "Someone else updated this household meanwhile; your change was not saved",
            fix_vi="Tải lại trang, xem thay đổi mới rồi nhập lại",
            fix_en="Reload the page, review the new values and enter your change again",
        )
    village = changes.pop("village", None)
    if village is not None and village.pk != current.village_id:
        _require_village(village)
        current.village, current.commune, current.unit_path = village, village.parent, village.path
        Member.objects.filter(household=current).update(unit_path=village.path)
    for name, value in changes.items():
        setattr(current, name, value)
    current.search_text = household_search_text(code=current.code, head_name=current.head_name)
    current.version += 1
    current._history_user = actor  # type: ignore[attr-defined]
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def member_add(*, actor: User | None, household: Household, full_name: str, **facts: Any) -> Member:
    member = Member(
        household=household,
        unit_path=household.unit_path,
        full_name=full_name,
        search_text=fold(full_name),
        **facts,
    )
    member._history_user = actor  # type: ignore[attr-defined]
    member.full_clean()
    member.save()
    return member
