"""Stage 2 of a household list: compare with the register batch by batch (``BATCH`` rows: one query each for
households, heads and results) and plan only what differs; ``reviews.batch`` writes the plan. A decided
round is locked: a file that would change its results is refused before anything is written."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.common import fastbulk
from giamngheo.errors import Problem
from giamngheo.households.models import Household, Member, Relation
from giamngheo.households.services import household_search_text
from giamngheo.imports.checks import (
    ImportInputError,
)
from giamngheo.imports.household_list.columns import CATEGORY_FIELDS
from giamngheo.imports.report import Counts, ImportReport
from giamngheo.reviews import batch as writes
from giamngheo.reviews.models import ResultSource, ReviewResult, ReviewRound
from giamngheo.tabular.reader import ROW
from giamngheo.text import fold
from giamngheo.units.models import Unit

# --- 2. comparing and writing ------------------------------------------------------------------------------


@dataclass
class _Context:
    file: str
    commune: Unit
    villages: dict[int, Unit]
    year: int
    review_round: ReviewRound | None
    present: set[str]
    actor: User | None
    reason: str
    columns: dict[str, str] = field(default_factory=dict)  # canonical name → the file's header (messages)


Row = dict[str, Any]  # attname → value: the register's records travel as plain rows (fast, small)


@dataclass
class BatchPlan:
    """What one batch changes: rows to insert (``fastbulk.complete``d) and whole rows to update, with their
    new values set. A head or result of a household created in this batch points at that household's row
    (its key is known once it is written)."""

    new_households: list[Row] = field(default_factory=list)
    changed_households: list[Row] = field(default_factory=list)
    moved: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))  # new path → household ids
    new_heads: list[tuple[Row, Row]] = field(default_factory=list)  # (household, member)
    changed_heads: list[Row] = field(default_factory=list)
    new_results: list[tuple[Row, Row]] = field(default_factory=list)  # (household, result)
    changed_results: list[Row] = field(default_factory=list)
    results_new: list[int] = field(default_factory=list)  # file rows of households without a result yet
    results_replaced: list[int] = field(default_factory=list)  # file rows whose result changes
    renamed: list[int] = field(default_factory=list)  # households whose search text must be rebuilt
    problems: list[Problem] = field(default_factory=list)  # found only against the register (closed, CCCD)

    @property
    def writes_results(self) -> bool:
        return bool(self.new_results or self.changed_results)


def _closed(context: _Context, row: dict[str, Any], household: Row) -> Problem:
    day = household["dissolved_on"]
    return Problem(
        f"hộ “{household['code']}” đã đóng sổ ngày {day:%d/%m/%Y} (nhập vào hộ khác hoặc tách hộ)",
        f"household “{household['code']}” was closed on {day:%d/%m/%Y} (merged into another or split)",
        file=context.file,
        row=row[ROW],
        column=context.columns["household_id"],
        fix_vi="bỏ dòng này hoặc ghi mã của hộ đang còn",
        fix_en="remove the row or write the code of the household it became",
    )


def _citizen_id_taken(context: _Context, row: dict[str, Any], owner: Row) -> Problem:
    """A citizen ID names one person in the country: it may already be this household's head, nobody else.
    Another commune's household is not named (the importer may not see it)."""
    here = owner["household__commune_id"] == context.commune.pk
    where_vi = f"hộ {owner['household__code']} của xã này" if here else "một xã khác"
    where_en = f"household {owner['household__code']} of this commune" if here else "another commune"
    return Problem(
        f"số CCCD {row['head_citizen_id']} đã được ghi cho một người khác ({where_vi})",
        f"citizen ID {row['head_citizen_id']} is already registered for another person ({where_en})",
        file=context.file,
        row=row[ROW],
        column=context.columns["head_citizen_id"],
        fix_vi="kiểm tra lại số CCCD của chủ hộ",
        fix_en="check the head of household's citizen ID",
    )


def _household_fields(row: dict[str, Any], village: Unit, present: set[str]) -> dict[str, Any]:
    """The household's fields as the file gives them (a column the file lacks leaves the field alone)."""
    fields: dict[str, Any] = {
        "village_id": village.pk,
        "unit_path": village.path,
        "head_name": row["head_name"],
        "size": row["members"],
    }
    if "labour_capacity" in present:
        fields["labour_capacity"] = row["labour_capacity"]
    for name in CATEGORY_FIELDS:
        if name in present:
            fields[name] = row[name]
    if "area" in present and row.get("area"):
        fields["area"] = row["area"]
    if row.get("farm_household") is not None:  # empty cell: not given
        fields["farm_household"] = row["farm_household"]
    return fields


def _plan_batch(batch: list[dict[str, Any]], context: _Context, report: ImportReport) -> BatchPlan:
    plan = BatchPlan()
    codes = [row["household_id"] for row in batch]
    # No lock: a household saved meanwhile is caught by its version when written (optimistic locking).
    # Only the compared columns are read: a changed row's others are read when it is written.
    households = Household.objects.filter(commune=context.commune).filter(
        fastbulk.among(Household, "code", codes)
    )
    existing = {h["code"]: h for h in households.values(*HOUSEHOLD_COMPARED)}
    ids = [h["id"] for h in existing.values()]
    heads: dict[int, Row] = {}
    members = Member.objects.filter(
        fastbulk.among(Member, "household", ids), relation=Relation.HEAD
    ).order_by("pk")
    for member in members.values(*HEAD_COMPARED):
        heads.setdefault(member["household_id"], member)
    results: dict[int, Row] = {}
    if context.review_round is not None and context.review_round.pk:
        found = ReviewResult.objects.filter(review_round=context.review_round).filter(
            fastbulk.among(ReviewResult, "household", ids)
        )
        results = {r["household_id"]: r for r in found.values(*RESULT_COMPARED)}
    owners: dict[str, Row] = {}
    citizen_ids = [row["head_citizen_id"] for row in batch if row.get("head_citizen_id")]
    if citizen_ids:
        taken = Member.objects.filter(fastbulk.among(Member, "citizen_id", citizen_ids)).values(
            "citizen_id", "household_id", "relation", "household__code", "household__commune_id"
        )
        owners = {m["citizen_id"]: cast(Row, m) for m in taken}
    now = timezone.now()
    for row in batch:
        village = context.villages[row["village_id"]]
        owner = owners.get(row.get("head_citizen_id") or "")
        if owner is not None and not (
            owner["relation"] == Relation.HEAD
            and owner["household__code"] == row["household_id"]
            and owner["household__commune_id"] == context.commune.pk
        ):
            plan.problems.append(_citizen_id_taken(context, row, owner))
        fields = _household_fields(row, village, context.present)
        household = existing.get(row["household_id"])
        if household is None:
            household = fastbulk.complete(
                Household,
                {
                    "commune_id": context.commune.pk,
                    "code": row["household_id"],
                    "area": fields.pop("area", village.area),
                    "search_text": household_search_text(
                        code=row["household_id"], head_name=row["head_name"]
                    ),
                    **fields,
                },
                now=now,
            )
            plan.new_households.append(household)
            report.households.created += 1
            _plan_head(plan, report.heads, household, None, row, now)
            _plan_result(plan, report.results, household, None, row, context, now)
            continue
        if household.get("dissolved_on"):  # merged or split away: its record is history now
            plan.problems.append(_closed(context, row, household))
            continue
        changes = {k: v for k, v in fields.items() if household[k] != v}
        result = results.get(household["id"])
        if (
            household["labour_capacity"] is None
            and result is not None
            and "labour_capacity" in changes
            and changes["labour_capacity"] == result["labour_capacity"]
        ):
            # Derived from the members (None): the value this round recorded — what its export wrote —
            # restates the derivation; storing it would freeze it.
            del changes["labour_capacity"]
        if changes:
            if "village_id" in changes:
                plan.moved[village.path].append(household["id"])
            household.update(changes)
            if "head_name" in changes:  # the search text also holds the other members' names: rebuilt after
                plan.renamed.append(household["id"])
            household["version"] += 1
            household["updated_at"] = now
            plan.changed_households.append(household)
            report.households.updated += 1
        else:
            report.households.unchanged += 1
        _plan_head(plan, report.heads, household, heads.get(household["id"]), row, now)
        _plan_result(plan, report.results, household, result, row, context, now)
    return plan


def _plan_head(
    plan: BatchPlan,
    counts: Counts,
    household: Row,
    head: Row | None,
    row: dict[str, Any],
    now: datetime.datetime,
) -> None:
    citizen_id = row.get("head_citizen_id")  # None: not given (an empty cell never erases a known number)
    if head is None:
        member = fastbulk.complete(
            Member,
            {
                "relation": Relation.HEAD.value,
                "full_name": row["head_name"],
                "citizen_id": citizen_id or "",
                "unit_path": household["unit_path"],
                "search_text": fold(row["head_name"]),
            },
            now=now,
        )
        plan.new_heads.append((household, member))
        counts.created += 1
        return
    if head["full_name"] == row["head_name"] and (citizen_id is None or head["citizen_id"] == citizen_id):
        counts.unchanged += 1
        return
    head["full_name"] = row["head_name"]
    head["search_text"] = fold(row["head_name"])
    if citizen_id is not None:
        head["citizen_id"] = citizen_id
    head["version"] += 1
    plan.changed_heads.append(head)
    counts.updated += 1


# What the comparison reads of the register (keys, versions, and the columns a list can change). A changed
# row gets its other columns when it is written (``imports.services``, for its history row): the 90% of a
# list that did not change never loads them.
HOUSEHOLD_COMPARED = (
    "id",
    "code",
    "version",
    "dissolved_on",
    "village_id",
    "unit_path",
    "head_name",
    "size",
    "area",
    "labour_capacity",
    *CATEGORY_FIELDS,
    "provincial_income_support",
    "farm_household",
)
HEAD_COMPARED = ("id", "household_id", "full_name", "citizen_id", "version")
RESULT_COMPARED = ("id", "household_id", *writes.RESULT_FIELDS)


def _snapshot(household: Row, row: dict[str, Any]) -> dict[str, Any]:
    """The result an imported row gives, with the household's snapshot taken as ``results_record`` takes it
    (members from the list, categories from the household, labour capacity from the list or the household)."""
    labour = row.get("labour_capacity")
    return {
        "unit_path": household["unit_path"],
        "status": row["status"],
        "source": ResultSource.IMPORTED.value,
        "members": row["members"],
        "labour_capacity": labour if labour is not None else household["labour_capacity"],
        "social_protection": household["social_protection"],
        "ethnic_minority": household["ethnic_minority"],
        "meritorious": household["meritorious"],
        "provincial_income_support": household["provincial_income_support"],
        "income_per_capita": row.get("income_per_capita"),
        "b1_score": row.get("b1_score"),
        "b2_score": row.get("b2_score"),
        "deprivation_count": row.get("deprivation_count"),
        "deprived": row.get("deprived") or "",
        "explanation_vi": "",
        "explanation_en": "",
    }


def _plan_result(
    plan: BatchPlan,
    counts: Counts,
    household: Row,
    result: Row | None,
    row: dict[str, Any],
    context: _Context,
    now: datetime.datetime,
) -> None:
    wanted = _snapshot(household, row)
    if result is None:
        review_round_id = context.review_round.pk if context.review_round is not None else None
        plan.new_results.append(
            (
                household,
                fastbulk.complete(ReviewResult, {"review_round_id": review_round_id, **wanted}, now=now),
            )
        )
        plan.results_new.append(row[ROW])
        counts.created += 1
        return
    if _states_nothing_new(result, wanted):
        counts.unchanged += 1
        return
    result.update(wanted)
    plan.changed_results.append(result)
    plan.results_replaced.append(row[ROW])
    counts.updated += 1


# What a list row always states about a household's result. The classification (income, scores) is compared
# only when the file carries it; where the result came from (a survey or a list) and its explanation are not
# the file's to state — so an exported surveyed round re-imports with nothing changed.
STATED_FIELDS = (
    "unit_path",
    "status",
    "members",
    "labour_capacity",
    "social_protection",
    "ethnic_minority",
    "meritorious",
    "provincial_income_support",
)
CLASSIFICATION_FIELDS = ("income_per_capita", "b1_score", "b2_score", "deprivation_count", "deprived")


def _states_nothing_new(result: Row, wanted: dict[str, Any]) -> bool:
    return all(result[name] == wanted[name] for name in STATED_FIELDS) and all(
        result[name] == wanted[name] for name in CLASSIFICATION_FIELDS if wanted[name] not in (None, "")
    )


def _refuse_locked(context: _Context, differing: list[int], changed: int) -> None:
    review_round = context.review_round
    assert review_round is not None
    number = review_round.decision_number
    date = review_round.decision_date.strftime("%d/%m/%Y") if review_round.decision_date else ""
    shown = sorted(differing)[:20]
    rows = ", ".join(str(r) for r in shown) + (" …" if len(differing) > len(shown) else "")
    raise ImportInputError(
        [
            Problem(
                f"kết quả rà soát năm {context.year} của {context.commune.display_name} đã được công nhận"
                f" (quyết định số {number} ngày {date}) và bị khoá; tệp khác kết quả đã công nhận ở"
                f" {changed} hộ (dòng {rows})",
                f"the {context.year} review results of {context.commune.display_name} were decided (decision"
                f" {number} of {date}) and are locked; the file differs from them for {changed} households"
                f" (rows {rows})",
                file=context.file,
                fix_vi="kiểm tra năm rà soát (--year) và tệp; muốn điều chỉnh kết quả đã công nhận thì mở"
                " đợt rà soát thường xuyên",
                fix_en="check the review year (--year) and the file; to correct decided results, open an"
                " ad-hoc round",
            )
        ]
    )
