"""Writes of organisations (mass organisations, partners) and their members."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from giamngheo.accounts.models import User
from giamngheo.errors import InputError, Problem
from giamngheo.support import permissions
from giamngheo.support.models import (
    Organisation,
    OrganisationKind,
    OrganisationMember,
)
from giamngheo.support.services.common import _deny, _history_user
from giamngheo.units.models import Unit

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
        and not (user.unit is not None and organisation.unit_path.startswith(user.unit.path))
        and not (user.unit is not None and user.unit.path.startswith(organisation.unit_path))
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
