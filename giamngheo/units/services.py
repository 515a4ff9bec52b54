"""Writes to the unit tree. Paths are derived here and nowhere else."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Concat, Substr
from django.dispatch import Signal
from simple_history.models import HistoricalChanges

from giamngheo.errors import InputError
from giamngheo.text import fold
from giamngheo.units.models import Unit, UnitLevel, UnitMove

if TYPE_CHECKING:  # a type hint only: units sit below accounts
    from giamngheo.accounts.models import User

# Sent inside ``unit_update``'s transaction after a unit moved (kwargs: unit, old_path, actor) and its
# records were re-pathed: the apps that hang data on units by more than the path act on it here (the
# register moves a village's households to its new commune), and may refuse the move by raising
# ``InputError`` — the whole move is then rolled back. The units app knows nothing of those apps.
unit_moved = Signal()


def path_for(*, code: str, parent: Unit | None) -> str:
    return f"{parent.path if parent else '/'}{code}/"


def check_parent_level(
    *, level: UnitLevel, parent: Unit | None, where: dict[str, object] | None = None
) -> None:
    """A unit hangs only under a level its own level allows (a village under a commune, …)."""
    where = where or {}
    if parent is None and level.parent_levels:
        raise InputError.single(
            f"Đơn vị cấp {level.name_vi} phải có đơn vị cấp trên ({', '.join(level.parent_levels)})",
            f"A {level.name_en} needs a parent ({', '.join(level.parent_levels)})",
            fix_vi="Điền mã đơn vị cấp trên (parent_code)",
            fix_en="Fill in parent_code",
            **where,
        )
    if parent is not None and parent.level.code not in level.parent_levels:
        raise InputError.single(
            f"Đơn vị cấp {level.name_vi} không thể trực thuộc {parent.level.name_vi} {parent.name}",
            f"A {level.name_en} cannot be under the {parent.level.name_en} {parent.name}",
            fix_vi=f"Chọn đơn vị cấp trên thuộc cấp: {', '.join(level.parent_levels) or '(không có)'}",
            fix_en=f"Choose a parent of level: {', '.join(level.parent_levels) or '(none)'}",
            **where,
        )


@dataclass(frozen=True)
class UnitData:
    code: str
    name: str
    level: UnitLevel
    parent: Unit | None
    area: str
    sort_order: int = 0
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None


@transaction.atomic
def unit_create(*, data: UnitData) -> Unit:
    check_parent_level(level=data.level, parent=data.parent)
    unit = Unit(
        code=data.code,
        name=data.name,
        level=data.level,
        parent=data.parent,
        area=data.area,
        sort_order=data.sort_order,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        path=path_for(code=data.code, parent=data.parent),
        depth=(data.parent.depth + 1) if data.parent else 0,
        search_text=fold(data.name),
    )
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, data: UnitData, actor: User | None = None) -> Unit:
    """Update a unit in place (history keeps the before/after). Moving it re-paths its whole subtree and
    every record under it (``_repath_records``), then sends ``unit_moved``; ``actor`` signs the history
    rows those changes write."""
    if data.code != unit.code:
        raise InputError.single(
            "Không đổi được mã đơn vị",
            "A unit's code cannot change",
            fix_vi="Tạo đơn vị mới và gộp",
            fix_en="Create a new unit and merge",
        )
    check_parent_level(level=data.level, parent=data.parent)
    if data.parent is not None and unit.contains(data.parent):
        raise InputError.single(
            f"{unit.name} không thể trực thuộc chính nó hoặc đơn vị cấp dưới",
            f"{unit.name} cannot be placed under itself or one of its own units",
        )
    old_path, old_parent_id = unit.path, unit.parent_id
    unit.name = data.name
    unit.level = data.level
    unit.parent = data.parent
    unit.area = data.area
    unit.sort_order = data.sort_order
    unit.valid_from = data.valid_from
    unit.valid_to = data.valid_to
    unit.search_text = fold(data.name)
    unit.path = path_for(code=unit.code, parent=data.parent)
    unit.depth = (data.parent.depth + 1) if data.parent else 0
    unit.full_clean()
    unit.save()
    if unit.path != old_path:
        _repath_descendants(old_path=old_path, new_path=unit.path)
        _repath_records(old_path=old_path, new_path=unit.path)
        UnitMove.objects.create(
            unit=unit, old_parent_id=old_parent_id, new_parent=data.parent, moved_by=actor
        )
        unit_moved.send(sender=Unit, unit=unit, old_path=old_path, actor=actor)
    return unit


def _repath_descendants(*, old_path: str, new_path: str) -> None:
    """Re-derive the path of every unit below a moved one, top-down (moves are rare; one query to read)."""
    new_paths: dict[int | None, str] = {}
    descendants = Unit.objects.filter(path__startswith=old_path).exclude(path=old_path).order_by("depth")
    for child in descendants:
        parent_path = new_paths.get(child.parent_id) or new_path
        child.path = f"{parent_path}{child.code}/"
        child.depth = parent_path.count("/") - 1
        new_paths[child.pk] = child.path
        child.save(update_fields=["path", "depth"])


def _repath_records(*, old_path: str, new_path: str) -> None:
    """Every table that carries a copy of its unit's path (``unit_path``: households, members, review
    results, plans, supports… read by path prefix for scoping) follows the move — one UPDATE per table,
    the old prefix replaced by the new. The copy is derived data: no history rows (the unit's own history
    records the move); history tables keep the paths as they were."""
    for model in apps.get_models():
        if issubclass(model, HistoricalChanges) or model._meta.proxy:
            continue
        if not any(f.name == "unit_path" for f in model._meta.concrete_fields):
            continue
        model._base_manager.filter(unit_path__startswith=old_path).update(
            unit_path=Concat(
                models.Value(new_path),
                Substr("unit_path", len(old_path) + 1),
                output_field=models.CharField(),
            )
        )


@transaction.atomic
def unit_merge(*, merged: list[Unit], into: Unit, on: datetime.date) -> None:
    """Record a merge: each merged unit ends the day before ``on`` and its figures roll up to ``into``."""
    for unit in merged:
        if unit.pk == into.pk:
            raise InputError.single(
                "Không thể gộp đơn vị vào chính nó", "A unit cannot be merged into itself"
            )
        unit.successor = into
        unit.valid_to = on - datetime.timedelta(days=1)
        unit.save(update_fields=["successor", "valid_to"])


def unit_upsert(*, data: UnitData, actor: User | None = None) -> tuple[Unit, bool]:
    """Create the unit or bring it in line with ``data``; (unit, created). Unchanged units are not saved."""
    existing = Unit.objects.select_related("level", "parent").filter(code=data.code).first()
    if existing is None:
        return unit_create(data=data), True
    same = (
        existing.name == data.name
        and existing.level_id == data.level.pk
        and existing.parent_id == (data.parent.pk if data.parent else None)
        and existing.area == data.area
        and existing.sort_order == data.sort_order
        and existing.valid_from == data.valid_from
        and existing.valid_to == data.valid_to
    )
    if same:
        return existing, False
    return unit_update(unit=existing, data=data, actor=actor), False
