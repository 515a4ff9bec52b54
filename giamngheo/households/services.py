"""Writes to the register: each records who made it (history) and checks the version it started from.

Every function here is atomic: it validates, then writes, and raises ``InputError`` (nothing written) when
the input cannot be accepted. Moves, splits and merges change the ``household`` of existing member rows,
so a member keeps one row and one unbroken history wherever they live; the change reason on the history
row (``moved_from:CODE`` …, rendered by ``selectors.household_history``) says why the household changed.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.common import fastbulk
from giamngheo.errors import InputError, Problem
from giamngheo.households.models import CitizenIdExport, CitizenIdReveal, Household, Member, Relation
from giamngheo.text import fold
from giamngheo.units.models import Unit

SEARCH_TEXT_MAX = 1000
NAME_START = "| "  # what precedes each name in ``Household.search_text``
audit = logging.getLogger("giamngheo.audit")  # where personal-data access is written (settings.LOGGING)
CITIZEN_ID = re.compile(r"^(\d{9}|\d{12})$")
MASKED_CITIZEN_ID = re.compile(r"^\d?\*+\d{0,3}$")  # what ``mask_citizen_id`` writes


class ConflictError(InputError):
    """Someone else saved the record after this user opened it: nothing was written."""


# --- search text ---------------------------------------------------------------------------------------


def household_search_text(*, code: str, head_name: str, member_names: Iterable[str] = ()) -> str:
    """The folded names a search runs on: "| nguyen van duc| st-001| 001| tran thi hoa" — the head's name,
    the code (and its parts, so "001" finds ST-001), then the other members' names.

    Each name starts after "| " and each word after a space, so both "a name that starts with what was
    typed" ("| tran van d") and "a word that starts with it" (" duc") are plain substrings, which the
    trigram index (PostgreSQL) finds and the searches in ``selectors.search_q`` use.
    """
    head = fold(head_name)
    tokens = [head, fold(code)]
    parts = [part for part in re.split(r"[^0-9a-z]+", fold(code)) if part]
    if len(parts) > 1:
        tokens += parts
    for name in member_names:
        folded = fold(name)
        if folded and folded not in tokens:
            tokens.append(folded)
    return "".join(NAME_START + token for token in tokens)[:SEARCH_TEXT_MAX]


def household_search_text_refresh(*, household_ids: Iterable[int]) -> int:
    """Recompute ``search_text`` of these households from their members (two reads, one bulk write).

    Bulk paths that add members without ``member_add`` (imports) call this afterwards. Written with
    ``core.fastbulk.update_rows``, not ``save()``: the search text is derived data, not a change a user
    made, so no history row.
    """
    ids = sorted(set(household_ids))
    if not ids:
        return 0
    names: dict[int, list[str]] = {pk: [] for pk in ids}
    for household_id, full_name in (
        Member.objects.filter(household_id__in=ids)
        .order_by("household_id", "id")
        .values_list("household_id", "full_name")
    ):
        names[household_id].append(full_name)
    changed = []
    for household in Household.objects.filter(pk__in=ids).only("id", "code", "head_name", "search_text"):
        text = household_search_text(
            code=household.code, head_name=household.head_name, member_names=names[household.pk]
        )
        if text != household.search_text:
            household.search_text = text
            changed.append(household)
    fastbulk.update_rows(Household, changed, ["search_text"])
    return len(changed)


# --- validation helpers ---------------------------------------------------------------------------------


def _require_village(village: Unit) -> Unit:
    if village.level.code != "village" or village.parent is None:
        raise InputError.single(
            f"{village.name} không phải là thôn",
            f"{village.name} is not a village",
            fix_vi="Chọn một thôn",
            fix_en="Pick a village",
        )
    return village


def _clean(instance: Household | Member, exclude: list[str] | None = None) -> None:
    """Model validation as an ``InputError`` (field names as columns), so callers handle one error type."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        problems = [
            Problem(str(message), str(message), column=None if name == "__all__" else name)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
        raise InputError(problems) from error


def _require_unique_code(*, commune: Unit, code: str, exclude_pk: int | None = None) -> None:
    others = Household.objects.filter(commune=commune, code=code)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise InputError.single(
            f"Mã hộ {code} đã có ở xã {commune.name}",
            f"Household code {code} already exists in {commune.name}",
            column="code",
            fix_vi="Dùng một mã hộ khác",
            fix_en="Use another household code",
        )


def mask_citizen_id(citizen_id: str) -> str:
    """``0********123``: the first digit and the last three; enough to tell people apart on a list."""
    if len(citizen_id) <= 4:
        return "*" * len(citizen_id)
    return f"{citizen_id[0]}{'*' * (len(citizen_id) - 4)}{citizen_id[-3:]}"


def outside_scope(actor: User | None, unit_path: str) -> bool:
    """Whether a record at ``unit_path`` is outside what ``actor`` may see (no actor: the command line)."""
    if actor is None or actor.is_system_admin:
        return False
    return actor.unit is None or not unit_path.startswith(actor.unit.path)


def contact_unit(actor: User, unit_path: str) -> Unit | None:
    """The lowest unit above both the user and a record outside their scope: its officers see both, so they
    are whom to ask. Naming it tells the user nothing they could not see already (it is above them)."""
    mine = actor.unit.path.strip("/").split("/") if actor.unit is not None else []
    common: list[str] = []
    for own, theirs in zip(mine, unit_path.strip("/").split("/"), strict=False):
        if own != theirs:
            break
        common.append(own)
    if not common:
        return None
    return Unit.objects.filter(path="/" + "/".join(common) + "/").first()


def is_masked_citizen_id(value: str) -> bool:
    """A number as ``mask_citizen_id`` shows it (a form or file given back unchanged): not a new number."""
    return bool(MASKED_CITIZEN_ID.match((value or "").strip()))


def _check_citizen_id(citizen_id: str, *, actor: User | None, exclude_pk: int | None = None) -> str:
    """A citizen ID is 12 digits (CCCD) or 9 (old CMND) and names one person: a second use is refused.
    Outside the user's scope the message says only that the person is registered elsewhere and whom to ask,
    never who or where."""
    citizen_id = (citizen_id or "").strip().replace(" ", "")
    if not citizen_id:
        return ""
    if not CITIZEN_ID.match(citizen_id):
        raise InputError.single(
            "Số CCCD/CMND phải gồm 12 (hoặc 9) chữ số",
            "A citizen ID has 12 (or 9) digits",
            column="citizen_id",
            fix_vi="Nhập đúng số trên thẻ căn cước",
            fix_en="Type the number on the identity card",
        )
    existing = Member.objects.filter(citizen_id=citizen_id).select_related("household", "household__commune")
    if exclude_pk is not None:
        existing = existing.exclude(pk=exclude_pk)
    other = existing.first()
    if other is not None and outside_scope(actor, other.unit_path):
        assert actor is not None
        contact = contact_unit(actor, other.unit_path)
        whom_vi = f"cán bộ phụ trách của {contact.display_name}" if contact else "quản trị hệ thống"
        whom_en = (
            f"the officer in charge at {contact.display_name}" if contact else "the system administrator"
        )
        raise InputError.single(
            f"Số CCCD {mask_citizen_id(citizen_id)} đã được đăng ký cho một người ngoài địa bàn của bạn",
            f"Citizen ID {mask_citizen_id(citizen_id)} is registered to a person outside your unit",
            column="citizen_id",
            fix_vi=f"Liên hệ {whom_vi} để chuyển người đó sang hộ này; không thêm người đó lần nữa",
            fix_en=f"Ask {whom_en} to move the person to this household; do not add them again",
        )
    if other is not None:
        where_vi = (
            f"hộ {other.household.code} — {other.household.head_name}, xã {other.household.commune.name}"
        )
        where_en = (
            f"household {other.household.code} — {other.household.head_name}, {other.household.commune.name}"
        )
        raise InputError.single(
            f"Số CCCD {mask_citizen_id(citizen_id)} đã có trong sổ: {other.full_name}, {where_vi}",
            f"Citizen ID {mask_citizen_id(citizen_id)} is already registered: {other.full_name}, {where_en}",
            column="citizen_id",
            fix_vi="Một người chỉ có một dòng trong sổ: chuyển người đó sang hộ này thay vì thêm mới",
            fix_en="A person has one row in the register: move them to this household instead of adding them",
        )
    return citizen_id


def _conflict(what_vi: str, what_en: str) -> ConflictError:
    return ConflictError.single(
        f"{what_vi} vừa được người khác cập nhật; thay đổi của bạn chưa được lưu",
        f"Someone else updated this {what_en} meanwhile; your change was not saved",
        fix_vi="Tải lại trang, xem thay đổi mới rồi nhập lại",
        fix_en="Reload the page, review the new values and enter your change again",
    )


def _locked_household(household: Household | int, expected_version: int | None) -> Household:
    pk = household if isinstance(household, int) else household.pk
    current = Household.objects.select_for_update().select_related("village", "commune").get(pk=pk)
    if expected_version is not None and current.version != expected_version:
        raise _conflict("Hộ này", "household")
    if current.dissolved_on is not None:
        raise InputError.single(
            f"Hộ {current.code} đã đóng (gộp hoặc tách) ngày {current.dissolved_on:%d/%m/%Y}",
            f"Household {current.code} was closed (merged or split) on {current.dissolved_on:%d/%m/%Y}",
            fix_vi="Cập nhật hộ đang hoạt động",
            fix_en="Update the household that is still open",
        )
    return current


def _save(instance: Household | Member, actor: User | None, reason: str | None = None) -> None:
    instance._history_user = actor  # type: ignore[union-attr]
    instance._change_reason = reason  # type: ignore[union-attr]
    instance.save()
    # simple_history reads the reason off the instance: a later save of it must not repeat this one.
    instance._change_reason = None  # type: ignore[union-attr]


# --- households -----------------------------------------------------------------------------------------


@transaction.atomic
def household_create(
    *, actor: User | None, village: Unit, code: str, head_name: str, size: int, **facts: Any
) -> Household:
    _require_village(village)
    code = code.strip()
    _require_unique_code(commune=village.parent, code=code)  # type: ignore[arg-type]
    household = Household(
        commune=village.parent,
        village=village,
        unit_path=village.path,
        code=code,
        head_name=head_name,
        size=size,
        area=facts.pop("area", village.area),
        search_text=household_search_text(code=code, head_name=head_name),
        registered_on=facts.pop("registered_on", None) or timezone.localdate(),
        **facts,
    )
    _clean(household)
    _save(household, actor)
    return household


@transaction.atomic
def household_update(
    *, actor: User | None, household: Household, expected_version: int, **changes: Any
) -> Household:
    """Apply ``changes`` if nobody saved the household since ``expected_version``; otherwise ConflictError."""
    current = _locked_household(household, expected_version)
    village = changes.pop("village", None)
    if village is not None and village.pk != current.village_id:
        _require_village(village)
        if village.parent_id != current.commune_id:
            _require_unique_code(
                commune=village.parent, code=changes.get("code", current.code), exclude_pk=current.pk
            )
        current.village, current.commune, current.unit_path = village, village.parent, village.path
        Member.objects.filter(household=current).update(unit_path=village.path)
    if "code" in changes and changes["code"] != current.code:
        changes["code"] = changes["code"].strip()
        _require_unique_code(commune=current.commune, code=changes["code"], exclude_pk=current.pk)
    for name, value in changes.items():
        setattr(current, name, value)
    current.version += 1
    _clean(current)
    _save(current, actor)
    household_search_text_refresh(household_ids=[current.pk])
    current.refresh_from_db(fields=["search_text"])
    return current


def households_follow_their_village(*, unit: Unit, actor: User | None = None, **_kwargs: Any) -> None:
    """A village moved to another commune (``units.services.unit_moved``; its paths are already re-pathed):
    its households now belong to that commune — one history row each, signed by ``actor``. Refused, and the
    move rolled back, when a household code is already used in the new commune (codes are unique per
    commune). A commune or a district that moves keeps its households' commune."""
    if unit.level.code != "village" or unit.parent is None:
        return
    commune = unit.parent
    moving = Household.objects.filter(village=unit).exclude(commune=commune)
    in_commune = Household.objects.filter(commune=commune, code__in=moving.values("code"))
    taken = sorted(in_commune.values_list("code", flat=True))
    if taken:
        shown = ", ".join(taken[:10]) + (" …" if len(taken) > 10 else "")
        raise InputError.single(
            f"Không chuyển được {unit.name} sang {commune.name}: {len(taken)} mã hộ đã có ở xã đó ({shown})",
            f"Cannot move {unit.name} to {commune.name}: {len(taken)} household codes are already used there "
            f"({shown})",
            column="parent_code",
            fix_vi="Đổi mã các hộ này (sửa hộ hoặc nhập lại danh sách hộ) rồi chuyển thôn",
            fix_en="Change these households' codes (edit them or import the list again), then move it",
        )
    rows = list(moving.order_by("pk"))
    for household in rows:
        household.commune = commune
        household.version += 1
    user_id = actor.pk if actor else None
    fields = ["commune", "version"]
    fastbulk.update_with_history(Household, rows, fields, user_id=user_id, reason=None, version="version")


# --- members --------------------------------------------------------------------------------------------


@transaction.atomic
def member_add(*, actor: User | None, household: Household, full_name: str, **facts: Any) -> Member:
    """Add a person to a household. An identical citizen ID anywhere in the register is refused; a
    possible duplicate by name and birth date is only a warning (``selectors.member_possible_duplicates``),
    which the form shows before calling this."""
    facts["citizen_id"] = _check_citizen_id(facts.get("citizen_id", ""), actor=actor)
    member = Member(
        household=household,
        unit_path=household.unit_path,
        full_name=full_name.strip(),
        search_text=fold(full_name),
        **facts,
    )
    _clean(member)
    _save(member, actor)
    household_search_text_refresh(household_ids=[household.pk])
    return member


@transaction.atomic
def member_update(*, actor: User | None, member: Member, expected_version: int, **changes: Any) -> Member:
    """Change a member's facts if nobody saved them since ``expected_version``; otherwise ConflictError."""
    current = Member.objects.select_for_update().get(pk=member.pk)
    if current.version != expected_version:
        raise _conflict("Thông tin người này", "member")
    changes.pop("household", None)  # moving is ``member_move``: it records where from and where to
    if "citizen_id" in changes:
        changes["citizen_id"] = _check_citizen_id(changes["citizen_id"], actor=actor, exclude_pk=current.pk)
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_name = current.full_name.strip()
    current.search_text = fold(current.full_name)
    current.version += 1
    _clean(current)
    _save(current, actor)
    household_search_text_refresh(household_ids=[current.household_id])
    return current


def _move(member: Member, to: Household, actor: User | None, reason: str, relation: str | None) -> None:
    member.household = to
    member.unit_path = to.unit_path
    if relation:
        member.relation = relation
    elif member.relation == Relation.HEAD:
        member.relation = Relation.OTHER  # only the chosen head is the head of the household they join
    member.version += 1
    _save(member, actor, reason)


def _bump(household: Household, actor: User | None, reason: str, **changes: Any) -> None:
    for name, value in changes.items():
        setattr(household, name, value)
    household.version += 1
    _clean(household)
    _save(household, actor, reason)


@transaction.atomic
def member_move(
    *,
    actor: User | None,
    member: Member,
    to_household: Household,
    expected_version: int,
    relation: str | None = None,
) -> Member:
    """Move a person to another household (same row, so their history follows them). Both households'
    declared sizes follow the move."""
    current = Member.objects.select_for_update().get(pk=member.pk)
    if current.version != expected_version:
        raise _conflict("Thông tin người này", "member")
    if current.household_id == to_household.pk:
        raise InputError.single(
            "Người này đã ở trong hộ đó", "This person is already in that household", column="to_household"
        )
    source = _locked_household(current.household_id, None)
    target = _locked_household(to_household.pk, None)
    _move(current, target, actor, f"moved_from:{source.code}", relation)
    _bump(source, actor, f"member_left:{current.full_name}"[:100], size=max(1, source.size - 1))
    _bump(target, actor, f"member_joined:{current.full_name}"[:100], size=target.size + 1)
    household_search_text_refresh(household_ids=[source.pk, target.pk])
    return current


@transaction.atomic
def household_split(
    *,
    actor: User | None,
    household: Household,
    expected_version: int,
    members: Sequence[Member],
    code: str,
    head: Member,
    village: Unit | None = None,
    remaining_head: Member | None = None,
    **facts: Any,
) -> Household:
    """Some members leave ``household`` to form a new one (tách hộ), headed by ``head``.

    The new household starts with the old one's dwelling facts unless ``facts`` say otherwise (they
    usually share the house at first); when the old head leaves, ``remaining_head`` must name who heads
    what is left. Declared sizes become: new = members moved, old = old − moved (at least 1).
    """
    source = _locked_household(household, expected_version)
    moving = {m.pk for m in members}
    current_members = {m.pk: m for m in Member.objects.select_for_update().filter(household=source)}
    problems = []
    if not moving:
        problems.append(
            Problem(
                "Chọn ít nhất một người tách ra", "Choose at least one member to split off", column="members"
            )
        )
    if not moving <= set(current_members):
        problems.append(
            Problem(
                "Có người không thuộc hộ này",
                "Some chosen people are not in this household",
                column="members",
            )
        )
    if moving >= set(current_members) and current_members:
        problems.append(
            Problem(
                "Không thể tách tất cả thành viên; hãy đổi thông tin hộ thay vì tách",
                "Every member cannot leave; edit the household instead of splitting it",
                column="members",
            )
        )
    if head.pk not in moving:
        problems.append(
            Problem(
                "Chủ hộ mới phải là một người tách ra",
                "The new head must be one of the members who leave",
                column="head",
            )
        )
    old_head_leaves = any(
        current_members[pk].relation == Relation.HEAD for pk in moving if pk in current_members
    )
    if old_head_leaves and (
        remaining_head is None or remaining_head.pk in moving or remaining_head.pk not in current_members
    ):
        problems.append(
            Problem(
                "Chủ hộ cũ tách ra: chọn chủ hộ mới cho hộ còn lại",
                "The head leaves: choose who heads the remaining household",
                column="remaining_head",
            )
        )
    if problems:
        raise InputError(problems)
    village = village or source.village
    kept_facts = {
        name: getattr(source, name)
        for name in (
            "address",
            "phone",
            "area",
            "dwelling",
            "floor_area_m2",
            "safe_water",
            "hygienic_latrine",
            "internet_use",
            "owns_info_device",
            "waste_handled",
            "ethnic_minority",
            "farm_household",
        )
    }
    kept_facts.update(facts)
    new = household_create(
        actor=actor,
        village=village,
        code=code,
        head_name=current_members[head.pk].full_name,
        size=len(moving),
        **kept_facts,
    )
    # The history row of the new household says where it came from.
    new._change_reason = None  # type: ignore[attr-defined]
    new.history.filter(history_type="+").update(history_change_reason=f"split_from:{source.code}"[:100])
    for pk in sorted(moving):
        _move(
            current_members[pk],
            new,
            actor,
            f"split_from:{source.code}",
            Relation.HEAD if pk == head.pk else None,
        )
    changes: dict[str, Any] = {"size": max(1, source.size - len(moving))}
    if old_head_leaves and remaining_head is not None:
        heir = current_members[remaining_head.pk]
        heir.relation = Relation.HEAD
        heir.version += 1
        _save(heir, actor, "new_head")
        changes["head_name"] = heir.full_name
    _bump(source, actor, f"split_into:{new.code}", **changes)
    household_search_text_refresh(household_ids=[source.pk, new.pk])
    new.refresh_from_db()
    return new


@transaction.atomic
def household_merge(
    *,
    actor: User | None,
    household: Household,
    expected_version: int,
    merged: Household,
    merged_expected_version: int,
    on: datetime.date | None = None,
) -> Household:
    """Merge ``merged`` into ``household`` (nhập hộ): its members move (same rows), it is closed with a
    link to the household it joined; its review results and history stay where they were."""
    if household.pk == merged.pk:
        raise InputError.single(
            "Không thể gộp một hộ vào chính nó", "A household cannot be merged into itself"
        )
    # Lock in id order so two merges of the same pair cannot deadlock.
    first, second = sorted([household.pk, merged.pk])
    versions = {household.pk: expected_version, merged.pk: merged_expected_version}
    locked = {pk: _locked_household(pk, versions[pk]) for pk in (first, second)}
    target, source = locked[household.pk], locked[merged.pk]
    if target.commune_id != source.commune_id:
        raise InputError.single(
            "Chỉ gộp được hai hộ cùng một xã",
            "Only two households of the same commune can be merged",
            fix_vi="Chuyển từng người sang hộ kia",
            fix_en="Move the members one by one instead",
        )
    moving = list(Member.objects.select_for_update().filter(household=source).order_by("id"))
    for member in moving:
        _move(member, target, actor, f"merged_from:{source.code}", None)
    _bump(target, actor, f"merged_from:{source.code}", size=target.size + source.size)
    _bump(
        source,
        actor,
        f"merged_into:{target.code}",
        dissolved_on=on or timezone.localdate(),
        merged_into=target,
    )
    household_search_text_refresh(household_ids=[target.pk, source.pk])
    target.refresh_from_db()
    return target


# --- personal data ----------------------------------------------------------------------------------------


@transaction.atomic
def citizen_id_reveal(*, actor: User, member: Member) -> str:
    """The full citizen ID, recorded as an access (who, which person, when) before it is returned."""
    CitizenIdReveal.objects.create(member=member, user=actor)
    audit.info("citizen id shown: user=%s member=%s household=%s", actor.pk, member.pk, member.household_id)
    return member.citizen_id


def may_see_citizen_ids(user: User | None, unit: Unit) -> bool:
    """Who may have full citizen IDs: whoever may edit the unit's data (as for revealing one on a page); the
    command line (no user) too."""
    return user is None or user.has_perm("units.change_unit_data", unit)


def citizen_ids_exported(
    *, actor: User | None, unit: Unit, year: int, file_format: str, full: bool, rows: int
) -> CitizenIdExport:
    """Record an export of a household list (and write it to the audit log)."""
    record = CitizenIdExport.objects.create(
        user=actor, unit=unit, year=year, file_format=file_format, full_citizen_ids=full, rows=rows
    )
    audit.info(
        "household list exported: user=%s unit=%s year=%s format=%s full_citizen_ids=%s rows=%s",
        actor.pk if actor else "command-line",
        unit.code,
        year,
        file_format,
        full,
        rows,
    )
    return record
