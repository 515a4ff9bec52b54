"""One household's page data: its review results and members, and its history (every change to it and to
the people who are or were in it, who made it and why)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils import formats
from django.utils.translation import gettext as _

from giamngheo.households.models import Household, Member
from giamngheo.households.services import mask_citizen_id
from giamngheo.units.models import Unit

# --- one household ---------------------------------------------------------------------------------------


def household_results(household: Household) -> list[Any]:
    """The household's review results, newest first (read through the relation: the register sits below the
    reviews and does not import them)."""
    return list(
        household.results.select_related("review_round").order_by(
            "-review_round__review_date", "-review_round_id"
        )
    )


def household_members(household: Household) -> list[Member]:
    return list(household.members.order_by("id"))


# --- history ---------------------------------------------------------------------------------------------

HOUSEHOLD_SKIPPED = {
    "id", "version", "created_at", "updated_at", "search_text", "unit_path", "commune",
    "status", "status_date", "escaped_on", "registered_on",
}  # fmt: skip
MEMBER_SKIPPED = {"id", "version", "search_text", "unit_path"}


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    subject: str  # "Hộ" or the member's name
    kind: str  # created / changed / deleted
    reason: str
    changes: list[Change]


def _display(field: Any, value: Any, names: dict[tuple[str, Any], str]) -> str:
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field.is_relation:
        return names.get((field.name, value), str(value))
    if isinstance(value, datetime.date | datetime.datetime | Decimal | int):
        return str(formats.localize(value))
    return str(value)


def _reason(reason: str | None) -> str:
    """Change reasons are stored as ``kind:detail`` (language-neutral) and worded here."""
    if not reason:
        return ""
    kind, _sep, detail = reason.partition(":")
    words = {
        "moved_from": _("Moved in from household %(detail)s"),
        "split_from": _("Split off from household %(detail)s"),
        "split_into": _("Some members split off into household %(detail)s"),
        "merged_from": _("Household %(detail)s merged into this one"),
        "merged_into": _("Merged into household %(detail)s"),
        "member_left": _("%(detail)s left the household"),
        "member_joined": _("%(detail)s joined the household"),
        "new_head": _("Became the head of household"),
    }
    template = words.get(kind)
    return template % {"detail": detail} if template else reason


def _entries(
    rows: list[Any],
    model: type[Model],
    skipped: set[str],
    subject_of: Callable[[Any], str],
    names: dict[tuple[str, Any], str],
    keep: Callable[[Any, Any], bool],
) -> list[HistoryEntry]:
    # A generated column (``province_code``) is derived data, not in the history rows.
    fields = [f for f in model._meta.concrete_fields if f.name not in skipped and not f.generated]
    entries: list[HistoryEntry] = []
    previous: dict[int, Any] = {}
    for row in rows:  # ordered by object, then time
        before = previous.get(row.id)
        changes = []
        if before is not None:
            for f in fields:
                old, new = getattr(before, f.attname), getattr(row, f.attname)
                if old != new:
                    if f.name == "citizen_id":  # history never shows a full number: revealing is recorded
                        old, new = mask_citizen_id(old or ""), mask_citizen_id(new or "")
                    changes.append(
                        Change(str(f.verbose_name), _display(f, old, names), _display(f, new, names))
                    )
        previous[row.id] = row
        if not keep(row, before):
            continue
        if before is not None and not changes and not row.history_change_reason and row.history_type == "~":
            continue
        user = row.history_user
        entries.append(
            HistoryEntry(
                when=row.history_date,
                who=(user.display() if user else _("system or import")),
                subject=subject_of(row),
                kind=row.history_type,
                reason=_reason(row.history_change_reason),
                changes=changes,
            )
        )
    return entries


def _names(household_rows: list[Any], member_rows: list[Any]) -> dict[tuple[str, Any], str]:
    """Display names of the villages and households the history rows point to (two queries)."""
    unit_ids = {r.village_id for r in household_rows}
    household_ids = {r.merged_into_id for r in household_rows if r.merged_into_id} | {
        r.household_id for r in member_rows
    }
    names: dict[tuple[str, Any], str] = {}
    for pk, name in Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"):
        names[("village", pk)] = name
    for pk, code, head in Household.objects.filter(pk__in=household_ids).values_list(
        "pk", "code", "head_name"
    ):
        names[("household", pk)] = names[("merged_into", pk)] = f"{code} — {head}"
    return names


def household_history(household: Household) -> list[HistoryEntry]:
    """Every change to the household and to the people who are or were in it, newest first: who, when,
    and each field before → after. Four queries whatever the length of the history."""
    household_rows = list(
        Household.history.filter(id=household.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    ever_here = Member.history.filter(household_id=household.pk).order_by().values("id")
    member_rows = list(
        Member.history.filter(id__in=ever_here)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    names = _names(household_rows, member_rows)

    def member_in_this_household(row, before) -> bool:  # type: ignore[no-untyped-def]
        # A moved member's later life in another household is not this household's history.
        return row.household_id == household.pk or (
            before is not None and before.household_id == household.pk
        )

    entries = _entries(
        household_rows, Household, HOUSEHOLD_SKIPPED, lambda r: _("Household"), names, lambda r, b: True
    )
    entries += _entries(
        member_rows, Member, MEMBER_SKIPPED, lambda r: r.full_name, names, member_in_this_household
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def household_changes_since(household: Household, version: int) -> list[HistoryEntry]:
    """What others saved after ``version`` (shown with a conflict, so the user sees what changed)."""
    rows = list(
        Household.history.filter(id=household.pk, version__gte=version)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    names = _names(rows, [])
    return _entries(
        rows, Household, HOUSEHOLD_SKIPPED, lambda r: _("Household"), names, lambda r, b: r.version > version
    )
