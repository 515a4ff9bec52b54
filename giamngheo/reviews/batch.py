"""The bulk write of a household list (``household_batch_write``): the one place an import writes
households, heads and review results, kept next to the household and review services whose rules it keeps.

It writes through ``common.fastbulk`` (multi-row statements, with the history rows simple-history would
write: who, when, why) rather than ``households.services`` and ``reviews.services.results_record`` one
model instance at a time: a 100,000-row list must import in under a minute, and the ORM's bulk helpers
alone take longer than that. It writes only what ``imports.household_list`` found different and keeps the
invariants the services keep: ``unit_path`` follows the village (members too), ``search_text`` follows the
name, ``version`` grows on every change, results go only into an open round and carry the household's
snapshot as ``results_record`` takes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from giamngheo.accounts.models import User
from giamngheo.common import fastbulk
from giamngheo.households.models import Household, Member
from giamngheo.households.services import ConflictError, household_search_text_refresh
from giamngheo.reviews.models import ReviewResult, ReviewRound
from giamngheo.reviews.services import ensure_round_open

if TYPE_CHECKING:  # the plan is built by the import (above); only its type is named here
    from giamngheo.imports.household_list.comparing import BatchPlan

HOUSEHOLD_UPDATE_FIELDS = [
    "village",
    "unit_path",
    "head_name",
    "size",
    "area",
    "labour_capacity",
    "social_protection",
    "ethnic_minority",
    "meritorious",
    "farm_household",
    "version",
    "updated_at",
]
HEAD_UPDATE_FIELDS = ["full_name", "citizen_id", "search_text", "version"]
# The columns of a review result an official list sets (compared by ``household_list``, written here).
RESULT_FIELDS = (
    "unit_path",
    "status",
    "source",
    "members",
    "labour_capacity",
    "social_protection",
    "ethnic_minority",
    "meritorious",
    "provincial_income_support",
    "income_per_capita",
    "b1_score",
    "b2_score",
    "deprivation_count",
    "deprived",
    "explanation_vi",
    "explanation_en",
)


@transaction.atomic
def household_batch_write(
    *, plan: BatchPlan, review_round: ReviewRound | None, actor: User | None, reason: str
) -> None:
    """Write one batch of a household list: new and changed households, their heads, their results.

    Households and heads are compared and written without locking the batch: a row someone saved since it
    was read (its ``version`` moved on) makes the whole import a ``ConflictError``, rolled back."""
    try:
        _batch_write(plan=plan, review_round=review_round, actor=actor, reason=reason)
    except fastbulk.StaleRowsError:
        raise ConflictError.single(
            "trong lúc nhập, có người vừa sửa một số hộ của danh sách; chưa ghi gì",
            "someone changed some households of the list while it was imported; nothing was written",
            fix_vi="nhập lại tệp (lần nhập sau sẽ so sánh với dữ liệu mới)",
            fix_en="import the file again (it will be compared with the new data)",
        ) from None


def _whole_rows(model: type[Any], rows: list[dict[str, Any]], *, versioned: bool) -> None:
    """Give the changed rows (read with only the compared columns, new values set) their other columns, for
    the history rows that copy whole rows. A row saved by someone since it was compared (its version moved
    on) or deleted is the conflict the write would find: ``StaleRowsError``."""
    if not rows:
        return
    names = [f.attname for f in fastbulk.written_fields(model)]
    stored = {
        r["id"]: r
        for r in model.objects.filter(fastbulk.among(model, "id", [r["id"] for r in rows])).values(*names)
    }
    for row in rows:
        current = stored.get(row["id"])
        if current is None or (versioned and current["version"] != row["version"] - 1):
            raise fastbulk.StaleRowsError(f"{model.__name__} {row['id']} was changed meanwhile")
        for name, value in current.items():
            row.setdefault(name, value)


def _batch_write(
    *, plan: BatchPlan, review_round: ReviewRound | None, actor: User | None, reason: str
) -> None:
    _whole_rows(Household, plan.changed_households, versioned=True)
    _whole_rows(Member, plan.changed_heads, versioned=True)
    _whole_rows(ReviewResult, plan.changed_results, versioned=False)
    history: dict[str, Any] = {"user_id": actor.pk if actor else None, "reason": reason}
    fastbulk.insert_with_history(Household, plan.new_households, **history)
    fastbulk.update_with_history(
        Household, plan.changed_households, HOUSEHOLD_UPDATE_FIELDS, version="version", **history
    )
    for path, household_ids in plan.moved.items():
        Member.objects.filter(household_id__in=household_ids).update(unit_path=path)
    heads = []
    for household, member in plan.new_heads:
        member["household_id"] = household["id"]  # a new household has its key now
        heads.append(member)
    fastbulk.insert_with_history(Member, heads, **history)
    fastbulk.update_with_history(Member, plan.changed_heads, HEAD_UPDATE_FIELDS, version="version", **history)
    household_search_text_refresh(household_ids=plan.renamed)  # head and members' names, all written now
    if plan.writes_results:
        assert review_round is not None
        ensure_round_open(review_round)  # a decided round is locked (checked before writing, kept here too)
        results = []
        for household, result in plan.new_results:
            result["household_id"] = household["id"]
            result["review_round_id"] = review_round.pk
            results.append(result)
        fastbulk.insert_with_history(ReviewResult, results, **history)
        fastbulk.update_with_history(ReviewResult, plan.changed_results, RESULT_FIELDS, **history)
