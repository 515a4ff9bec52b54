"""Writes to plans: open a plan on its baseline, set village targets and assigned rates, edit the indicator
targets and the commune's text, import targets from a file (format D).

Every function is atomic and validates everything before it writes: a bad value raises ``InputError``
naming the village (or file, row and column) and the fix, and nothing is written. History records who
changed what (``actor``).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from giamngheo.accounts.models import User
from giamngheo.errors import InputError, Problem
from giamngheo.households.models import Household
from giamngheo.plans import template as plan_text
from giamngheo.plans.baseline import VillageCounts, counts_by_village
from giamngheo.plans.defaults import DEFAULT_INDICATORS
from giamngheo.plans.models import IndicatorTarget, Measure, Plan, PlanTemplate, VillageTarget
from giamngheo.reviews.models import ReviewResult, ReviewRound, RoundKind
from giamngheo.reviews.selectors import decided_regular_round
from giamngheo.tabular.header import ColumnSpec
from giamngheo.tabular.values import CellError, parse_decimal, parse_int
from giamngheo.text import fold
from giamngheo.units.models import Unit, UnitLevel


class PlanConflictError(InputError):
    """Someone saved the plan after this user opened it: nothing was written."""


# --- opening a plan ----------------------------------------------------------------------------------------


def _require_commune(unit: Unit) -> None:
    if unit.level.code != "commune":
        raise InputError.single(
            f"{unit.display_name} không phải là xã: kế hoạch giảm nghèo năm được lập cho từng xã",
            f"{unit.display_name} is not a commune: yearly plans are made per commune",
            column="--unit",
            fix_vi="Chọn xã (phường, thị trấn)",
            fix_en="Pick the commune",
        )


def baseline_round_for(*, commune: Unit, year: int) -> ReviewRound:
    """The decided regular review of ``year`` − 1, or an error naming the missing review."""
    baseline = decided_regular_round(commune=commune, year=year - 1)
    if baseline is not None:
        return baseline
    pending = ReviewRound.objects.filter(commune=commune, year=year - 1, kind=RoundKind.REGULAR).first()
    if pending is not None:
        raise InputError.single(
            f"Kết quả rà soát định kỳ cuối năm {year - 1} của {commune.display_name} chưa được quyết định "
            f"công nhận: chưa lập được kế hoạch năm {year}",
            f"The end-{year - 1} regular review of {commune.display_name} is not decided yet: the plan for "
            f"{year} cannot start",
            column="--year",
            fix_vi=f"Chủ tịch UBND xã quyết định công nhận kết quả rà soát năm {year - 1} trước",
            fix_en=f"Record the commune chair's decision on the {year - 1} review first",
        )
    raise InputError.single(
        f"Chưa có kết quả rà soát định kỳ cuối năm {year - 1} của {commune.display_name}: "
        f"kế hoạch năm {year} "
        f"lấy kết quả đó làm gốc",
        f"There is no end-{year - 1} regular review of {commune.display_name}: the plan for {year} starts "
        f"from its results",
        column="--year",
        fix_vi=f"Nhập danh sách hộ năm {year - 1} (giamngheo import households … --year {year - 1}) và quyết "
        f"định công nhận, hoặc chọn năm khác",
        fix_en=f"Import the {year - 1} household list (giamngheo import households … --year {year - 1}) and "
        f"record its decision, or choose another year",
    )


def plan_villages(commune: Unit, year: int) -> list[Unit]:
    """The commune's villages that exist during ``year``, in official order."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    villages = Unit.objects.filter(parent=commune, level__code="village").order_by("sort_order", "name")
    return [
        v
        for v in villages
        if (v.valid_from is None or v.valid_from <= end) and (v.valid_to is None or v.valid_to >= start)
    ]


@transaction.atomic
def plan_open(
    *,
    actor: User | None,
    commune: Unit,
    year: int,
    assigned_poor_rate: Decimal | str | None = None,
    assigned_near_poor_rate: Decimal | str | None = None,
) -> Plan:
    """The plan of ``commune`` for ``year``, created on first use on its baseline (the decided regular review
    of ``year`` − 1), with a zero target for every village and the seed's indicator targets."""
    _require_commune(commune)
    existing = Plan.objects.filter(commune=commune, year=year).first()
    if existing is not None:
        return existing
    baseline = baseline_round_for(commune=commune, year=year)
    rates = _rates(assigned_poor_rate, assigned_near_poor_rate)
    plan = Plan(
        commune=commune,
        unit_path=commune.path,
        year=year,
        baseline_round=baseline,
        assigned_poor_rate=rates[0],
        assigned_near_poor_rate=rates[1],
    )
    plan._history_user = actor  # type: ignore[attr-defined]
    plan.save()
    for village in plan_villages(commune, year):
        target = VillageTarget(plan=plan, village=village, unit_path=village.path)
        target._history_user = actor  # type: ignore[attr-defined]
        target.save()
    for order, default in enumerate(DEFAULT_INDICATORS, start=1):
        indicator = IndicatorTarget(
            plan=plan,
            sort_order=order,
            measure=default.measure,
            text=default.text,
            definition=default.definition,
            target_percent=default.target_percent,
        )
        indicator._history_user = actor  # type: ignore[attr-defined]
        indicator.save()
    return plan


def _lock(plan: Plan, expected_version: int | None) -> Plan:
    current = Plan.objects.select_for_update().select_related("commune", "baseline_round").get(pk=plan.pk)
    if expected_version is not None and current.version != expected_version:
        raise PlanConflictError.single(
            "Kế hoạch vừa được người khác cập nhật; thay đổi của bạn chưa được lưu",
            "Someone else updated this plan meanwhile; your change was not saved",
            fix_vi="Tải lại trang, xem số liệu mới rồi nhập lại",
            fix_en="Reload the page, review the new figures and enter your change again",
        )
    return current


def _bump(plan: Plan, actor: User | None) -> None:
    plan.version += 1
    plan._history_user = actor  # type: ignore[attr-defined]
    plan.save()


# --- assigned rates ----------------------------------------------------------------------------------------

HUNDRED = Decimal(100)


def _rate(value: Any, column: str, label_vi: str, label_en: str, problems: list[Problem]) -> Decimal | None:
    try:
        number = parse_decimal(value.strip() if isinstance(value, str) else value)
    except CellError as error:
        problems.append(
            Problem(
                f"{label_vi}: {error.message_vi}",
                f"{label_en}: {error.message_en}",
                column=column,
                fix_vi=error.fix_vi,
                fix_en=error.fix_en,
            )
        )
        return None
    if number is None:
        return None
    if not (0 <= number <= HUNDRED):
        problems.append(
            Problem(
                f"{label_vi} phải từ 0 đến 100 (đang là {number})",
                f"{label_en} must be between 0 and 100 (got {number})",
                column=column,
                fix_vi="ghi tỷ lệ phần trăm, ví dụ 3,30",
                fix_en="write a percentage, e.g. 3.30",
            )
        )
        return None
    return number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _rates(poor: Any, near_poor: Any) -> tuple[Decimal | None, Decimal | None]:
    problems: list[Problem] = []
    values = (
        _rate(poor, "assigned_poor_rate", "Tỷ lệ hộ nghèo được giao", "The assigned poor rate", problems),
        _rate(
            near_poor,
            "assigned_near_poor_rate",
            "Tỷ lệ hộ cận nghèo được giao",
            "The assigned near-poor rate",
            problems,
        ),
    )
    if problems:
        raise InputError(problems)
    return values


@transaction.atomic
def plan_rates_set(
    *,
    actor: User | None,
    plan: Plan,
    poor_rate: Any,
    near_poor_rate: Any,
    expected_version: int | None = None,
) -> Plan:
    """The rates (% of households, end of year) assigned by the level above; empty = not assigned."""
    rates = _rates(poor_rate, near_poor_rate)
    plan = _lock(plan, expected_version)
    plan.assigned_poor_rate, plan.assigned_near_poor_rate = rates
    _bump(plan, actor)
    return plan


# --- village targets ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetEntry:
    """One village's targets as entered: the village by name, code or Unit; values as typed."""

    village: str | Unit
    poor_reduction: Any
    near_poor_reduction: Any
    row: int | None = None  # the file's row, for messages


COLUMN_LABELS = {
    "poor_reduction": ("giảm hộ nghèo", "poor_reduction"),
    "near_poor_reduction": ("giảm hộ cận nghèo", "near_poor_reduction"),
}


def _village_keys(village: Unit) -> set[str]:
    name = fold(village.name)
    words = [fold(w) for w in (village.level.name_vi, village.level.name_en, *village.level.aliases)]
    return {village.code.lower(), name, *(f"{w} {name}" for w in words if w)}


def village_lookup(villages: Sequence[Unit]) -> dict[str, Unit]:
    """Folded name, "thôn <name>" or code → village (a key shared by two villages is dropped: ambiguous)."""
    lookup: dict[str, Unit] = {}
    shared: set[str] = set()
    for village in villages:
        for key in _village_keys(village):
            if key in lookup and lookup[key].pk != village.pk:
                shared.add(key)
            lookup[key] = village
    for key in shared:
        del lookup[key]
    return lookup


def _where(entry: TargetEntry, file: str | None, column: str | None = None) -> dict[str, Any]:
    return {"file": file, "row": entry.row, "column": column}


def validate_targets(
    *,
    plan: Plan,
    entries: Sequence[TargetEntry],
    counts: Mapping[str, VillageCounts],
    villages: Sequence[Unit],
    file: str | None = None,
) -> tuple[dict[int, tuple[int, int]], list[Problem]]:
    """village pk → (poor, near-poor) reductions, and every problem (unknown or repeated village, a value
    that is not a whole number ≥ 0, a reduction above the village's count at the baseline)."""
    lookup = village_lookup(villages)
    names = ", ".join(v.name for v in villages)
    problems: list[Problem] = []
    accepted: dict[int, tuple[int, int]] = {}
    seen: dict[int, int | None] = {}
    before = plan.year - 1
    for entry in entries:
        if isinstance(entry.village, Unit):
            village = entry.village if any(v.pk == entry.village.pk for v in villages) else None
            given = entry.village.name
        else:
            given = str(entry.village or "").strip()
            village = lookup.get(fold(given)) or lookup.get(given.lower())
        if village is None:
            problems.append(
                Problem(
                    f"thôn “{given}” không thuộc {plan.commune.display_name}" if given else "thiếu tên thôn",
                    f"“{given}” is not a village of {plan.commune.display_name}"
                    if given
                    else "the village is missing",
                    fix_vi=f"ghi tên hoặc mã một thôn của xã: {names}",
                    fix_en=f"write the name or code of one of the commune's villages: {names}",
                    **_where(entry, file, "village"),
                )
            )
            continue
        if village.pk in seen:
            problems.append(
                Problem(
                    f"thôn {village.name} xuất hiện hai lần"
                    + (f" (dòng {seen[village.pk]})" if seen[village.pk] else ""),
                    f"{village.name} appears twice"
                    + (f" (row {seen[village.pk]})" if seen[village.pk] else ""),
                    fix_vi="mỗi thôn chỉ một dòng",
                    fix_en="one row per village",
                    **_where(entry, file, "village"),
                )
            )
            continue
        seen[village.pk] = entry.row
        village_counts = counts.get(village.path, VillageCounts())
        values = []
        for column, raw, baseline, what_vi, what_en in (
            ("poor_reduction", entry.poor_reduction, village_counts.poor, "hộ nghèo", "poor households"),
            (
                "near_poor_reduction",
                entry.near_poor_reduction,
                village_counts.near_poor,
                "hộ cận nghèo",
                "near-poor households",
            ),
        ):
            try:
                value = parse_int(raw, minimum=0)
            except CellError as error:
                problems.append(
                    Problem(
                        f"thôn {village.name}: {error.message_vi}",
                        f"{village.name}: {error.message_en}",
                        fix_vi="ghi số hộ giảm là số nguyên từ 0 trở lên",
                        fix_en="write the reduction as a whole number, 0 or more",
                        **_where(entry, file, column),
                    )
                )
                continue
            if value is None:
                problems.append(
                    Problem(
                        f"thôn {village.name}: thiếu số {what_vi} giảm",
                        f"{village.name}: the reduction of {what_en} is missing",
                        fix_vi="ghi 0 nếu thôn không có chỉ tiêu giảm",
                        fix_en="write 0 if the village has no reduction target",
                        **_where(entry, file, column),
                    )
                )
                continue
            if value > baseline:
                problems.append(
                    Problem(
                        f"thôn {village.name}: giảm {value} {what_vi} nhưng cuối năm {before} thôn chỉ có "
                        f"{baseline} {what_vi}",
                        f"{village.name}: a reduction of {value} {what_en}, "
                        f"but the village had only {baseline} "
                        f"{what_en} at the end of {before}",
                        fix_vi=f"ghi số từ 0 đến {baseline}",
                        fix_en=f"write a number from 0 to {baseline}",
                        **_where(entry, file, column),
                    )
                )
                continue
            values.append(value)
        if len(values) == 2:
            accepted[village.pk] = (values[0], values[1])
    return accepted, problems


@transaction.atomic
def plan_targets_set(
    *,
    actor: User | None,
    plan: Plan,
    entries: Sequence[TargetEntry],
    expected_version: int | None = None,
    file: str | None = None,
) -> list[str]:
    """Set the reductions of the villages named in ``entries`` (others keep theirs); returns the names of the
    villages whose targets changed. All-or-nothing."""
    plan = _lock(plan, expected_version)
    villages = plan_villages(plan.commune, plan.year)
    counts = counts_by_village(
        ReviewResult.objects.all(),
        Household.objects.all(),
        review_round=plan.baseline_round,
        under=plan.unit_path,
    )
    accepted, problems = validate_targets(
        plan=plan, entries=entries, counts=counts, villages=villages, file=file
    )
    if problems:
        raise InputError(problems)
    existing = {t.village_id: t for t in VillageTarget.objects.filter(plan=plan)}
    changed = []
    by_pk = {v.pk: v for v in villages}
    for village_pk, (poor, near_poor) in accepted.items():
        target = existing.get(village_pk) or VillageTarget(
            plan=plan, village=by_pk[village_pk], unit_path=by_pk[village_pk].path
        )
        if target.pk and (target.poor_reduction, target.near_poor_reduction) == (poor, near_poor):
            continue
        target.poor_reduction, target.near_poor_reduction = poor, near_poor
        target._history_user = actor  # type: ignore[attr-defined]
        target.save()
        changed.append(by_pk[village_pk].name)
    if changed:
        _bump(plan, actor)
    return changed


# --- format D: targets from a file -------------------------------------------------------------------------


def target_columns(year: int) -> list[ColumnSpec]:
    """Format D's columns. The year-named headers of the target table (``poor_reduction_2023``, "Giảm hộ
    nghèo trong năm 2023") are accepted too, so the seed's data file and our own CSV import as they are."""
    return [
        ColumnSpec(
            "village",
            ("thôn", "unit", "đơn vị", "tên thôn", "thôn, tổ dân phố"),
            required=True,
            label_vi="Thôn",
        ),
        ColumnSpec(
            "poor_reduction",
            (
                f"poor_reduction_{year}",
                "giảm hộ nghèo",
                f"giảm hộ nghèo trong năm {year}",
                "số hộ nghèo giảm",
                "chỉ tiêu giảm hộ nghèo",
            ),
            required=True,
            label_vi="Giảm hộ nghèo",
        ),
        ColumnSpec(
            "near_poor_reduction",
            (
                f"near_poor_reduction_{year}",
                "giảm hộ cận nghèo",
                "giảm cn",
                f"giảm cn trong năm {year}",
                f"giảm hộ cận nghèo trong năm {year}",
                "số hộ cận nghèo giảm",
                "chỉ tiêu giảm hộ cận nghèo",
            ),
            required=True,
            label_vi="Giảm hộ cận nghèo",
        ),
    ]


@dataclass(frozen=True)
class TargetsImported:
    plan: Plan
    rows: int
    changed: list[str]


def read_target_file(
    path: str | Path, *, year: int, display_name: str | None = None
) -> tuple[str, list[TargetEntry]]:
    """The file's rows as entries (file name for messages); a missing column is an error naming it."""
    from giamngheo.tabular.reader import ROW, read_table

    specs = target_columns(year)
    table = read_table(path, specs, display_name=display_name)
    missing = [s for s in specs if table.column(s.name) is None]
    if missing:
        raise InputError(
            [
                Problem(
                    f"thiếu cột {s.label_vi} ({s.name})",
                    f"missing column {s.name}",
                    file=table.file,
                    row=table.header_row,
                    fix_vi="dòng tiêu đề cần các cột: village, poor_reduction, near_poor_reduction "
                    f"(cột ghi năm phải là năm kế hoạch: poor_reduction_{year})",
                    fix_en="the header row needs the columns: village, poor_reduction, near_poor_reduction "
                    f"(a column named with a year must name the plan year: poor_reduction_{year})",
                )
                for s in missing
            ]
        )
    names = [table.column(s.name) for s in specs]
    entries = []
    for village, poor, near_poor, row in table.frame.select([*names, ROW]).iter_rows():
        entries.append(
            TargetEntry(village=village or "", poor_reduction=poor, near_poor_reduction=near_poor, row=row)
        )
    if not entries:
        raise InputError.single(
            "tệp không có dòng số liệu nào",
            "the file has no data rows",
            file=table.file,
            fix_vi="mỗi thôn một dòng dưới dòng tiêu đề",
            fix_en="one row per village under the header row",
        )
    return table.file, entries


def _commune_of(entries: Sequence[TargetEntry], file: str) -> Unit:
    """The one commune whose villages the file names (by name or code); several or none is an error."""
    level = UnitLevel.objects.get(code="village")
    words = sorted(
        {fold(w) for w in (level.name_vi, level.name_en, *level.aliases) if w}, key=len, reverse=True
    )
    wanted = set()
    for entry in entries:
        folded = fold(str(entry.village))
        wanted.add(folded)
        wanted.update(folded[len(w) + 1 :] for w in words if folded.startswith(w + " "))
    villages = Unit.objects.filter(level=level).select_related("level", "parent", "parent__level")
    matches: dict[int, Unit] = {}
    for village in villages.filter(search_text__in=wanted) | villages.filter(
        code__in=[str(e.village).strip() for e in entries]
    ):
        if village.parent is not None:
            matches[village.parent.pk] = village.parent
    if len(matches) == 1:
        return next(iter(matches.values()))
    if not matches:
        raise InputError.single(
            "không thôn nào trong tệp có trong danh mục đơn vị",
            "none of the file's villages is a known village",
            file=file,
            column="village",
            fix_vi="kiểm tra tên thôn, hoặc nhập danh mục đơn vị trước (giamngheo import units)",
            fix_en="check the village names, or import the units first (giamngheo import units)",
        )
    listing = ", ".join(sorted(c.display_name for c in matches.values()))
    raise InputError.single(
        f"tệp có thôn của nhiều xã ({listing}): mỗi tệp chỉ cho một xã",
        f"the file names villages of several communes ({listing}): one commune per file",
        file=file,
        column="village",
        fix_vi="tách thành mỗi xã một tệp, hoặc dùng mã thôn nếu hai xã có thôn trùng tên",
        fix_en="make one file per commune, or use village codes where two communes share a name",
    )


@transaction.atomic
def targets_import(
    *, actor: User | None, path: str | Path, year: int, display_name: str | None = None
) -> TargetsImported:
    """``giamngheo import targets FILE --year Y``: the commune is the one the file's villages belong to; its
    plan for ``year`` is opened (on its baseline) if needed. All-or-nothing."""
    file, entries = read_target_file(path, year=year, display_name=display_name)
    commune = _commune_of(entries, file)
    try:
        plan = plan_open(actor=actor, commune=commune, year=year)
    except InputError as error:
        for problem in error.problems:
            problem.file = problem.file or file
        raise
    changed = plan_targets_set(actor=actor, plan=plan, entries=entries, file=file)
    return TargetsImported(plan=plan, rows=len(entries), changed=changed)


# --- indicator targets -------------------------------------------------------------------------------------


def _indicator_values(text: str, target_percent: Any) -> tuple[str, Decimal | None]:
    problems: list[Problem] = []
    if not text.strip():
        problems.append(
            Problem(
                "Cần nội dung chỉ tiêu",
                "The target needs a text",
                column="text",
                fix_vi="ghi câu chỉ tiêu như trong kế hoạch",
                fix_en="write the sentence as it should read in the plan",
            )
        )
    percent = _rate(target_percent, "target_percent", "Chỉ tiêu (%)", "The target (%)", problems)
    if problems:
        raise InputError(problems)
    return text.strip(), percent


@transaction.atomic
def indicator_target_update(
    *, actor: User | None, target: IndicatorTarget, text: str, definition: str, target_percent: Any
) -> IndicatorTarget:
    text, percent = _indicator_values(text, target_percent)
    target = IndicatorTarget.objects.select_for_update().get(pk=target.pk)
    target.text, target.definition, target.target_percent = text, definition.strip(), percent
    target._history_user = actor  # type: ignore[attr-defined]
    target.save()
    return target


@transaction.atomic
def indicator_target_add(
    *,
    actor: User | None,
    plan: Plan,
    text: str,
    definition: str = "",
    target_percent: Any = None,
    measure: str = Measure.NONE,
) -> IndicatorTarget:
    text, percent = _indicator_values(text, target_percent)
    if measure not in Measure.values:
        raise InputError.single(
            f"không có cách đo “{measure}”", f"unknown measure “{measure}”", column="measure"
        )
    last = IndicatorTarget.objects.filter(plan=plan).order_by("-sort_order").first()
    target = IndicatorTarget(
        plan=plan,
        sort_order=(last.sort_order + 1) if last else 1,
        measure=measure,
        text=text,
        definition=definition.strip(),
        target_percent=percent,
    )
    target._history_user = actor  # type: ignore[attr-defined]
    target.save()
    return target


@transaction.atomic
def indicator_target_delete(*, actor: User | None, target: IndicatorTarget) -> None:
    target._history_user = actor  # type: ignore[attr-defined]
    target.delete()


# --- the commune's text ------------------------------------------------------------------------------------


@transaction.atomic
def plan_template_save(
    *, actor: User | None, commune: Unit, sections: Mapping[str, str], expected_version: int | None = None
) -> PlanTemplate:
    """Save the commune's text of the plan document (sections not given keep their current text)."""
    _require_commune(commune)
    current = PlanTemplate.objects.select_for_update().filter(commune=commune).first()
    if current is not None and expected_version is not None and current.version != expected_version:
        raise PlanConflictError.single(
            "Mẫu văn bản vừa được người khác sửa; thay đổi của bạn chưa được lưu",
            "Someone else edited this text meanwhile; your change was not saved",
            fix_vi="Tải lại trang rồi sửa lại",
            fix_en="Reload the page and make your change again",
        )
    merged = {
        name: (
            sections[name]
            if name in sections
            else (getattr(current, name) if current else plan_text.DEFAULTS[name])
        )
        for name in plan_text.SECTIONS
    }
    merged = {name: value.replace("\r\n", "\n").strip() for name, value in merged.items()}
    plan_text.validate(merged)
    template = current or PlanTemplate(commune=commune, unit_path=commune.path)
    for name, value in merged.items():
        setattr(template, name, value)
    if current is not None:
        template.version += 1
    template._history_user = actor  # type: ignore[attr-defined]
    template.save()
    return template


def plan_template_restore_defaults(*, actor: User | None, commune: Unit) -> PlanTemplate:
    """Back to the seed's text (kept in history, so the commune's own text can be found again)."""
    return plan_template_save(actor=actor, commune=commune, sections=dict(plan_text.DEFAULTS))
