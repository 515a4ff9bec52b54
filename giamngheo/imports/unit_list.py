"""Format B: administrative units from a CSV/XLSX file (``giamngheo import units``).

The whole file is checked before anything is written — unknown parent (neither in the file nor in the
database), duplicate code, a cycle, a unit under a level it may not hang under (a village without a
commune), bad dates, an unknown successor — and every problem names its row and column. Then units are
upserted by code through ``units.services`` (parents before children), so importing the same file twice
changes nothing. Columns beyond the contract: ``successor_code`` (the unit it was merged into; needs
``valid_to``) and ``sort_order`` (official order among its siblings).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max

from giamngheo.accounts.models import User
from giamngheo.errors import InputError, Problem
from giamngheo.imports.checks import (
    Problems,
    duplicates,
    missing_columns,
    parse_column,
    required_values,
    too_long,
)
from giamngheo.imports.models import JobStage
from giamngheo.imports.progress import NoProgress, Progress
from giamngheo.imports.readers import open_table
from giamngheo.imports.report import ImportReport
from giamngheo.tabular.header import ColumnSpec
from giamngheo.tabular.reader import ROW, Table
from giamngheo.tabular.values import CellError, parse_area, parse_date, parse_int
from giamngheo.text import fold_key
from giamngheo.units.models import Unit, UnitLevel
from giamngheo.units.services import UnitData, check_parent_level, unit_merge, unit_upsert

SPECS = (
    ColumnSpec(
        "code",
        ("mã đơn vị", "mã", "mã số", "mã ĐVHC", "unit code"),
        required=True,
        label_vi="Mã đơn vị",
        identity=True,
    ),
    ColumnSpec(
        "name",
        ("tên đơn vị", "tên", "tên đơn vị hành chính", "unit name"),
        required=True,
        label_vi="Tên đơn vị",
        identity=True,
    ),
    ColumnSpec(
        "level", ("cấp", "cấp đơn vị", "cấp hành chính", "loại đơn vị"), required=True, label_vi="Cấp"
    ),
    ColumnSpec(
        "parent_code",
        ("mã cấp trên", "mã đơn vị cấp trên", "parent", "parent code", "trực thuộc"),
        required=True,
        label_vi="Mã cấp trên",
    ),
    ColumnSpec("area", ("khu vực", "nông thôn/thành thị", "địa bàn")),
    ColumnSpec("valid_from", ("hiệu lực từ", "từ ngày", "ngày hiệu lực", "valid from")),
    ColumnSpec("valid_to", ("hiệu lực đến", "đến ngày", "ngày hết hiệu lực", "valid to")),
    ColumnSpec(
        "successor_code", ("sáp nhập vào", "mã đơn vị sáp nhập vào", "mã đơn vị kế thừa", "successor")
    ),
    ColumnSpec("sort_order", ("thứ tự", "thứ tự sắp xếp", "order")),
)


def level_words() -> dict[str, UnitLevel]:
    """Every word naming a level (code, names, aliases such as "thị trấn", "tổ dân phố") → the level."""
    words: dict[str, UnitLevel] = {}
    for level in UnitLevel.objects.all():
        for word in (level.code, level.name_vi, level.name_en, *level.aliases):
            words.setdefault(fold_key(word), level)
    return words


@dataclass
class UnitRow:
    row: int
    code: str
    name: str
    level: UnitLevel
    parent_code: str | None
    area: str | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    successor_code: str | None
    sort_order: int | None
    path: str = ""
    depth: int = 0


@dataclass
class _Known:
    """What the database says about the units the file names (and their ancestors, from the paths)."""

    units: dict[str, Unit] = field(default_factory=dict)
    parent_of: dict[str, str | None] = field(default_factory=dict)


def units_import(
    *,
    path: str | Path,
    display_name: str | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
    actor: User | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate the whole file, then upsert its units (unless ``dry_run``). An ``actor`` (the web) may only
    touch units strictly below their own unit; the command line acts for the system."""
    progress = progress or NoProgress()
    progress.stage(JobStage.READING)
    table = open_table(path, SPECS, display_name=display_name, sheet=sheet)
    progress.stage(JobStage.VALIDATING, table.frame.height)
    problems = Problems()
    rows = _parse(table, problems)
    known = _known_units(rows)
    _validate(table, rows, known, actor, problems)
    problems.raise_if_any()
    progress.advance(len(rows))
    report = ImportReport(file=table.file, kind="units", dry_run=dry_run, rows=len(rows))
    plan = _plan(rows, known, report, present={name for name in OPTIONAL if name in table.found})
    if dry_run:
        return report
    progress.stage(JobStage.WRITING, len(plan))
    with transaction.atomic():
        _apply(plan, known, file=table.file, actor=actor)
    progress.advance(len(plan))
    return report


# --- reading and checking ----------------------------------------------------------------------------------


OPTIONAL = ("area", "valid_from", "valid_to", "sort_order", "successor_code")


def _parse(table: Table, problems: Problems) -> list[UnitRow]:
    """The rows whose code, name and level could be read (the others are already reported)."""
    import polars as pl

    missing_columns(table, SPECS, problems)
    problems.raise_if_any()
    col = table.found
    required_values(table, col["code"], "mã đơn vị", "unit code", problems)
    required_values(table, col["name"], "tên đơn vị", "unit name", problems)
    required_values(table, col["level"], "cấp đơn vị", "level", problems)
    duplicates(table, col["code"], "mã đơn vị", "unit code", problems)
    too_long(table, col["code"], 32, problems)
    too_long(table, col["name"], 200, problems)
    words = level_words()

    def parse_level(value: str) -> UnitLevel:
        level = words.get(fold_key(value))
        if level is None:
            raise CellError(
                f"không rõ cấp đơn vị “{value}”",
                f"unknown level “{value}”",
                "ghi tỉnh, xã, phường, thị trấn, đặc khu, thôn, xóm, bản, tổ dân phố…",
                "write province, commune or village (or tỉnh, xã, phường, thôn, tổ dân phố…)",
            )
        return level

    frame = table.frame.select(ROW)
    levels = parse_column(table, col["level"], lambda v: parse_level(v).code, pl.String, problems)
    frame = frame.with_columns(levels.alias("level"))
    for name, parse, dtype in (
        ("area", parse_area, pl.String),
        ("valid_from", parse_date, pl.Date),
        ("valid_to", parse_date, pl.Date),
        ("sort_order", lambda v: parse_int(v, minimum=0), pl.Int64),
    ):
        if name in col:
            frame = frame.with_columns(parse_column(table, col[name], parse, dtype, problems).alias(name))
    for name in ("code", "name", "parent_code", "successor_code"):
        if name in col:
            frame = frame.with_columns(table.frame[col[name]].str.strip_chars().alias(name))
    by_code = {level.code: level for level in words.values()}
    rows = []
    for values in frame.to_dicts():
        if not (values["code"] and values["name"] and values["level"]):
            continue
        rows.append(
            UnitRow(
                row=values[ROW],
                code=values["code"],
                name=" ".join(values["name"].split()),
                level=by_code[values["level"]],
                parent_code=values.get("parent_code") or None,
                area=values.get("area"),
                valid_from=values.get("valid_from"),
                valid_to=values.get("valid_to"),
                successor_code=values.get("successor_code") or None,
                sort_order=values.get("sort_order"),
            )
        )
    return rows


def _known_units(rows: list[UnitRow]) -> _Known:
    """Units of the database named by the file, with every ancestor's parent read from their paths."""
    codes = {r.code for r in rows} | {r.parent_code for r in rows if r.parent_code}
    codes |= {r.successor_code for r in rows if r.successor_code}
    known = _Known()
    found = list(Unit.objects.select_related("level", "parent", "successor").filter(code__in=codes))
    ancestors = {c for u in found for c in u.path.strip("/").split("/")} - {u.code for u in found}
    found += list(Unit.objects.select_related("level", "parent", "successor").filter(code__in=ancestors))
    for unit in found:
        known.units[unit.code] = unit
        chain = unit.path.strip("/").split("/")
        for position, code in enumerate(chain):
            known.parent_of.setdefault(code, chain[position - 1] if position else None)
    return known


def _validate(
    table: Table, rows: list[UnitRow], known: _Known, actor: User | None, problems: Problems
) -> None:
    col = table.found
    in_file = {r.code: r for r in rows}

    def problem(row: UnitRow, column: str, vi: str, en: str, fix_vi: str, fix_en: str) -> None:
        problems.add(table.problem(row.row, col.get(column, column), vi, en, fix_vi, fix_en))

    for row in rows:
        if row.parent_code and row.parent_code not in in_file and row.parent_code not in known.units:
            problem(
                row,
                "parent_code",
                f"không có đơn vị cấp trên mã “{row.parent_code}” (không có trong tệp và trong hệ thống)",
                f"unknown parent “{row.parent_code}” (neither in the file nor in the system)",
                "sửa mã cấp trên, hoặc thêm đơn vị cấp trên vào tệp (ở bất kỳ dòng nào)",
                "correct parent_code, or add the parent unit to the file (on any row)",
            )
        if row.valid_from and row.valid_to and row.valid_to < row.valid_from:
            problem(
                row,
                "valid_to",
                "ngày hết hiệu lực trước ngày bắt đầu hiệu lực",
                "valid_to is before valid_from",
                "sửa một trong hai ngày",
                "correct one of the two dates",
            )
    cycles = _parent_cycles(rows, in_file, known)
    for row in rows:
        if row.code in cycles:
            problem(
                row,
                "parent_code",
                f"vòng lặp cấp trên: {cycles[row.code]}",
                f"the parents form a cycle: {cycles[row.code]}",
                "một đơn vị không thể trực thuộc chính nó hoặc đơn vị cấp dưới của nó",
                "a unit cannot be under itself or under one of its own units",
            )
    placed = [
        r
        for r in rows
        if r.code not in cycles
        and not (r.parent_code and r.parent_code not in known.units and r.parent_code not in in_file)
    ]
    _levels_and_paths(table, placed, in_file, known, problems)
    _successors(table, rows, in_file, known, problems)
    if actor is not None:
        _scope(table, placed, known, actor, problems)


def _parent_of(code: str, in_file: dict[str, UnitRow], known: _Known) -> str | None:
    if code in in_file:
        return in_file[code].parent_code
    return known.parent_of.get(code)


def _parent_cycles(rows: list[UnitRow], in_file: dict[str, UnitRow], known: _Known) -> dict[str, str]:
    """code → the cycle it is on, following the parents the file gives (the database's for the others)."""
    on_cycle: dict[str, str] = {}
    for row in rows:
        seen: list[str] = []
        code: str | None = row.code
        while code is not None and code not in seen:
            seen.append(code)
            code = _parent_of(code, in_file, known)
        if code is not None:  # came back to a code already walked: a cycle from there
            cycle = seen[seen.index(code) :]
            text = " → ".join([*cycle, code])
            for member in cycle:
                if member in in_file:
                    on_cycle.setdefault(member, text)
    return on_cycle


def _levels_and_paths(
    table: Table, rows: list[UnitRow], in_file: dict[str, UnitRow], known: _Known, problems: Problems
) -> None:
    """Check each unit's level against its parent's and derive its new path (no cycles are left here)."""
    column = table.found["parent_code"]
    for row in rows:
        parent: Unit | None = None
        if row.parent_code in in_file:
            stub = in_file[row.parent_code]
            parent = Unit(code=stub.code, name=stub.name, level=stub.level)
        elif row.parent_code:
            parent = known.units[row.parent_code]
        try:
            check_parent_level(
                level=row.level, parent=parent, where={"file": table.file, "row": row.row, "column": column}
            )
        except InputError as error:
            problems.extend(error.problems)
        codes = [row.code]
        code = row.parent_code
        while code is not None and code not in codes:  # (a cycle above this row is reported on its rows)
            codes.append(code)
            code = _parent_of(code, in_file, known)
        row.path = "/" + "/".join(reversed(codes)) + "/"
        row.depth = sum(1 for c in codes[1:] if c in in_file)  # parents in the file are written first


def _successors(
    table: Table, rows: list[UnitRow], in_file: dict[str, UnitRow], known: _Known, problems: Problems
) -> None:
    column = table.found.get("successor_code", "successor_code")
    for row in rows:
        if not row.successor_code:
            continue
        where: dict[str, Any] = {"file": table.file, "row": row.row, "column": column}
        if row.successor_code == row.code:
            problems.add(
                Problem(
                    "đơn vị không thể sáp nhập vào chính nó", "a unit cannot be merged into itself", **where
                )
            )
        elif row.successor_code not in in_file and row.successor_code not in known.units:
            problems.add(
                Problem(
                    f"không có đơn vị mã “{row.successor_code}” để sáp nhập vào",
                    f"unknown successor “{row.successor_code}”",
                    fix_vi="sửa mã, hoặc thêm đơn vị đó vào tệp",
                    fix_en="correct the code, or add that unit to the file",
                    **where,
                )
            )
        elif row.valid_to is None:
            problems.add(
                Problem(
                    "đơn vị đã sáp nhập cần ngày hết hiệu lực",
                    "a merged unit needs valid_to (its last day)",
                    fix_vi="điền ngày cuối cùng đơn vị còn hoạt động vào cột hiệu lực đến (valid_to)",
                    fix_en="fill in valid_to with the unit's last day",
                    **{**where, "column": table.found.get("valid_to", "valid_to")},
                )
            )
        else:  # a merge chain that comes back to this unit
            code: str | None
            seen, code = {row.code}, row.successor_code
            while code is not None and code not in seen:
                seen.add(code)
                if code in in_file:
                    code = in_file[code].successor_code
                else:
                    unit = known.units.get(code)
                    code = unit.successor.code if unit is not None and unit.successor is not None else None
            if code is not None:
                problems.add(
                    Problem("các đơn vị sáp nhập vào nhau thành vòng lặp", "the merges form a cycle", **where)
                )


def _scope(table: Table, rows: list[UnitRow], known: _Known, actor: User, problems: Problems) -> None:
    """A user may change units strictly below their own unit, if their role edits (administrators: any)."""
    if actor.is_system_admin:
        return
    base = actor.unit.path if actor.unit is not None and actor.can_edit else None
    for row in rows:
        existing = known.units.get(row.code)
        paths = [row.path] + ([existing.path] if existing else [])
        if base is None or not all(p.startswith(base) and p != base for p in paths):
            problems.add(
                table.problem(
                    row.row,
                    table.found["code"],
                    f"bạn không có quyền thay đổi đơn vị “{row.code}”",
                    f"you may not change the unit “{row.code}”",
                    "chỉ nhập các đơn vị trực thuộc đơn vị của bạn, hoặc nhờ quản trị hệ thống",
                    "import only units below your own unit, or ask the system administrator",
                )
            )


# --- planning and writing ----------------------------------------------------------------------------------


@dataclass
class _Step:
    row: UnitRow
    data_kwargs: dict[str, Any]
    created: bool
    changed: bool
    merge: bool


def _plan(rows: list[UnitRow], known: _Known, report: ImportReport, *, present: set[str]) -> list[_Step]:
    """What to do with each row, parents first. A column the file has is authoritative (an empty date cell
    clears the date); one it lacks leaves the value alone. An empty area keeps a unit's area or, for a new
    unit, takes its parent's; a unit keeps its official order unless the file gives ``sort_order``."""
    next_order = _next_sort_orders(rows, known)
    areas: dict[str, str] = {}
    steps = []
    for row in sorted(rows, key=lambda r: (r.depth, r.row)):
        existing = known.units.get(row.code)
        parent_area = areas.get(row.parent_code or "") or (
            known.units[row.parent_code].area if row.parent_code in known.units else None
        )
        area = row.area or (existing.area if existing else None) or parent_area or "rural"
        areas[row.code] = area
        if row.sort_order is not None:
            order = row.sort_order
        elif existing is not None:
            order = existing.sort_order
        else:
            order = next_order[row.parent_code or ""]
            next_order[row.parent_code or ""] += 1
        kwargs = {
            "code": row.code,
            "name": row.name,
            "level": row.level,
            "area": area,
            "sort_order": order,
            "valid_from": row.valid_from
            if ("valid_from" in present or not existing)
            else existing.valid_from,
            "valid_to": row.valid_to if ("valid_to" in present or not existing) else existing.valid_to,
        }
        merge = False
        if existing is None:
            changed = True
            merge = row.successor_code is not None
        else:
            parent_code = existing.parent.code if existing.parent is not None else None
            changed = (
                existing.name != row.name
                or existing.level_id != row.level.pk
                or parent_code != row.parent_code
                or existing.area != area
                or existing.sort_order != order
                or existing.valid_from != kwargs["valid_from"]
                or existing.valid_to != kwargs["valid_to"]
            )
            if row.successor_code is not None:
                merge = existing.successor is None or existing.successor.code != row.successor_code
        counts = report.units
        if existing is None:
            counts.created += 1
        elif changed or merge:
            counts.updated += 1
        else:
            counts.unchanged += 1
        steps.append(
            _Step(row=row, data_kwargs=kwargs, created=existing is None, changed=changed, merge=merge)
        )
    return steps


def _next_sort_orders(rows: list[UnitRow], known: _Known) -> dict[str, int]:
    """New units go after their siblings already in the database, in file order."""
    parents = {r.parent_code for r in rows if r.code not in known.units and r.parent_code in known.units}
    start = dict.fromkeys([r.parent_code or "" for r in rows], 1)
    if parents:
        rows_max = (
            Unit.objects.filter(parent__code__in=parents)
            .values("parent__code")
            .annotate(top=Max("sort_order"))
        )
        for item in rows_max:
            start[item["parent__code"]] = (item["top"] or 0) + 1
    return start


def _apply(steps: list[_Step], known: _Known, *, file: str, actor: User | None) -> None:
    saved: dict[str, Unit] = {}

    def unit(code: str) -> Unit:
        # Read when first needed, after the steps above it: a move earlier in the import re-paths it.
        if code not in saved:
            saved[code] = Unit.objects.select_related("level", "parent").get(code=code)
        return saved[code]

    for step in steps:
        if not step.changed:
            continue
        parent = unit(step.row.parent_code) if step.row.parent_code else None
        try:
            saved[step.row.code], _created = unit_upsert(
                data=UnitData(parent=parent, **step.data_kwargs), actor=actor
            )
        except InputError as error:  # a move the data under the unit refuses (units.services.unit_moved)
            for problem in error.problems:
                problem.file, problem.row = file, step.row.row
            raise
    for step in steps:
        if step.merge:
            valid_to = step.row.valid_to
            assert valid_to is not None  # checked in _successors
            successor = unit(step.row.successor_code)  # type: ignore[arg-type]
            unit_merge(merged=[unit(step.row.code)], into=successor, on=valid_to + datetime.timedelta(days=1))
