"""Format C: the household list of a review round (``giamngheo import households FILE --year Y``).

1. Read the file (streaming) and check every row, column by column with polars: required headers and
   values, members ≥ 1, yes/no cells, status words, duplicate household ids, citizen IDs, then the villages
   (by code or by name; the commune is the one all villages belong to). Every problem is collected (up to
   ``checks.PROBLEM_CAP``) and raised together; nothing has been written.
2. Compare with the register batch by batch (``BATCH`` rows: one query each for households, heads and
   results) and write only what differs, through the bulk helpers in ``imports.services`` — so importing
   the same file twice writes nothing, not even history rows.
3. Results go into the regular round of year Y as ``imported`` results; the round is then decided
   (official) unless the list is imported as a draft. A decided round is locked: a file that would change
   its results is refused before anything is written.

Without a ``status`` column, the classification columns of format A (income or B1 score, indicators) are
classified by the standards engine with the round's standard.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from giamngheo.accounts.models import User
from giamngheo.core import fastbulk
from giamngheo.errors import Problem
from giamngheo.households.models import Household, Member, Relation
from giamngheo.households.services import household_search_text, household_statuses_refresh
from giamngheo.imports import services as writes
from giamngheo.imports.checks import (
    ImportInputError,
    Problems,
    blank,
    duplicates,
    missing_columns,
    parse_column,
    report_rows,
    required_values,
    too_long,
)
from giamngheo.imports.models import JobStage
from giamngheo.imports.progress import NoProgress, Progress
from giamngheo.imports.readers import frame_rows, open_table
from giamngheo.imports.report import DECISION_NOT_GIVEN, Counts, ImportReport
from giamngheo.reviews.models import ResultSource, ReviewResult, ReviewRound, RoundKind, RoundState
from giamngheo.reviews.services import default_review_date, review_round_decide, review_round_open
from giamngheo.tabular.header import ColumnSpec
from giamngheo.tabular.reader import ROW, Table
from giamngheo.tabular.values import CellError, parse_area, parse_int, parse_yes_no
from giamngheo.text import fold, fold_key
from giamngheo.units.models import Unit, UnitLevel

if TYPE_CHECKING:
    import polars as pl

    from giamngheo.standards.model import Standard

BATCH = 5000  # rows compared and written together (a look-up of 5,000 codes costs PostgreSQL what 2,000 do)
MAX_MEMBERS = 100  # a "household" of more people is a typing error (or an institution, not a household)

CATEGORY_FIELDS = ("social_protection", "ethnic_minority", "meritorious")

SPECS = (
    ColumnSpec(
        "household_id",
        ("mã hộ", "mã hộ gia đình", "mã số hộ", "household code", "household id"),
        required=True,
        label_vi="Mã hộ",
        identity=True,
    ),
    ColumnSpec(
        "village",
        ("thôn", "thôn/xóm", "thôn, xóm", "tổ dân phố", "thôn/tổ dân phố"),
        required=True,
        label_vi="Thôn",
    ),
    ColumnSpec("village_code", ("mã thôn", "village code"), label_vi="Mã thôn"),
    ColumnSpec(
        "head_name",
        ("họ và tên chủ hộ", "họ tên chủ hộ", "tên chủ hộ", "chủ hộ", "họ và tên", "head of household"),
        required=True,
        label_vi="Họ và tên chủ hộ",
        identity=True,
    ),
    ColumnSpec(
        "members", ("số khẩu", "số nhân khẩu", "nhân khẩu", "số người"), required=True, label_vi="Số khẩu"
    ),
    ColumnSpec(
        "status",
        ("phân loại", "phân loại hộ", "loại hộ", "kết quả rà soát", "xếp loại"),
        label_vi="Phân loại",
    ),
    ColumnSpec(
        "head_citizen_id", ("số CCCD", "CCCD", "số CCCD chủ hộ", "số định danh", "số CMND/CCCD", "CCCD/CMND")
    ),
    ColumnSpec("labour_capacity", ("có khả năng lao động", "có KNLĐ", "khả năng lao động")),
    ColumnSpec(
        "no_labour_capacity", ("không có khả năng lao động", "hộ không có khả năng lao động", "không có KNLĐ")
    ),
    ColumnSpec("social_protection", ("BTXH", "hộ BTXH", "bảo trợ xã hội", "hộ bảo trợ xã hội")),
    ColumnSpec("ethnic_minority", ("DTTS", "hộ DTTS", "dân tộc thiểu số", "hộ dân tộc thiểu số")),
    ColumnSpec("meritorious", ("người có công", "hộ người có công", "NCC", "có công với cách mạng")),
)
CLASSIFICATION = ("income_per_capita", "b1_score")

STATUS_WORDS = {
    **dict.fromkeys(("poor", "ngheo", "hongheo"), "poor"),
    **dict.fromkeys(("nearpoor", "canngheo", "hocanngheo"), "near_poor"),
    **dict.fromkeys(
        (
            "average",
            "trungbinh",
            "hotrungbinh",
            "mucsongtrungbinh",
            "homucsongtrungbinh",
            "hocomucsongtrungbinh",
        ),
        "average",
    ),
    **dict.fromkeys(("notpoor", "khong", "khongngheo", "hokhongngheo"), "not_poor"),
}


def specs() -> list[ColumnSpec]:
    """Format C's columns, then format A's classification columns (used only when there is no status)."""
    from giamngheo.standards.format_a import format_a_specs

    ours = {s.name for s in SPECS}
    return [*SPECS, *(s for s in format_a_specs() if s.name not in ours)]


def parse_status(value: str) -> str:
    status = STATUS_WORDS.get(fold_key(value))
    if status is None:
        raise CellError(
            f"không hiểu phân loại “{value}”",
            f"unknown status “{value}”",
            "ghi một trong: nghèo, cận nghèo, trung bình, không nghèo",
            "write one of: poor, near_poor, average, not_poor (or nghèo, cận nghèo, trung bình, không)",
        )
    return status


def parse_citizen_id(value: str) -> str:
    """12 digits (CCCD) or 9 (old CMND). Excel drops a leading zero from a number cell: 11 or 8 digits get it
    back (every CCCD starts with a province code 001–096)."""
    digits = value.strip().replace(" ", "")
    if digits.isdigit() and len(digits) in (8, 11):
        digits = "0" + digits
    if not digits.isdigit() or len(digits) not in (9, 12):
        raise CellError(
            f"số CCCD không hợp lệ “{value}”",
            f"not a citizen ID number: “{value}”",
            "ghi đủ 12 chữ số CCCD (hoặc 9 số CMND); trong Excel định dạng ô là Text để giữ số 0 đầu",
            "write the 12 digits of the CCCD (or 9 of an old CMND); format the Excel cell as Text to keep"
            " a leading 0",
        )
    return digits


def parse_members(value: str) -> int:
    number = parse_int(value, minimum=1)
    assert number is not None  # blank cells are reported as missing, never parsed
    if number > MAX_MEMBERS:
        raise CellError(
            f"số khẩu {number} quá lớn",
            f"{number} members is too many for a household",
            "kiểm tra lại số khẩu",
            "check the number of members",
        )
    return number


# --- the import ---------------------------------------------------------------------------------------------


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


def households_import(
    *,
    path: str | Path,
    year: int,
    display_name: str | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
    draft: bool = False,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    actor: User | None = None,
    within: Unit | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a review round's household list; see the module's docstring. ``within`` limits which villages
    names may match; an ``actor`` (the web) must be allowed to edit the commune the file resolves to."""
    progress = progress or NoProgress()
    progress.stage(JobStage.READING)
    table = open_table(path, specs(), display_name=display_name, sheet=sheet)
    progress.stage(JobStage.VALIDATING, table.frame.height)
    problems = Problems()
    frame, present = _parse(table, problems)
    review_date = default_review_date(year=year, kind=RoundKind.REGULAR, month=None)
    commune, villages = _resolve_villages(table, frame, within, review_date, problems)
    if commune is None or problems:
        problems.raise_if_any()
    assert commune is not None
    _check_scope(table, actor, commune)
    frame = frame.drop("village_key").with_columns(
        frame["village_key"]
        .replace_strict({k: v.pk for k, v in villages.items()}, default=None)
        .alias("village_id")
    )
    review_round = (
        ReviewRound.objects.filter(commune=commune, year=year, kind=RoundKind.REGULAR, month__isnull=True)
        .select_related("commune")
        .first()
    )
    frame = _statuses(
        table, frame, present, review_round, year, {v.pk: v for v in villages.values()}, problems
    )
    problems.raise_if_any()
    progress.advance(frame.height)

    report = ImportReport(
        file=table.file,
        kind="households",
        dry_run=dry_run,
        rows=frame.height,
        commune=commune.display_name,
        commune_code=commune.code,
        year=year,
    )
    if "status" in present and present & set(CLASSIFICATION):
        report.notes.append(
            (
                "Tệp có cột Phân loại: các cột thu nhập/điểm B1/chỉ số không được dùng để phân loại",
                "The file has a status column: the income/B1/indicator columns were not used to classify",
            )
        )
    context = _Context(
        file=table.file,
        commune=commune,
        villages={v.pk: v for v in villages.values()},
        year=year,
        review_round=review_round,
        present=present,
        actor=actor,
        reason=f"Nhập danh sách / imported list: {table.file}"[:100],
        columns={"household_id": "household_id", "head_citizen_id": "head_citizen_id", **table.found},
    )
    report.round_created = review_round is None
    decided = review_round is not None and review_round.is_decided
    if dry_run:
        _run(frame, context, report, progress, write=False)
        if decided:
            assert review_round is not None
            report.round_state, report.decision_number = RoundState.DECIDED, review_round.decision_number
        elif draft:
            report.round_state = RoundState.OPEN
        else:
            report.round_state, report.round_decided_now = RoundState.DECIDED, True
            report.decision_number = decision_number or DECISION_NOT_GIVEN
        return report
    with transaction.atomic():
        if context.review_round is None:
            context.review_round = review_round_open(commune=commune, year=year, actor=actor)
        _run(frame, context, report, progress, write=True)
        current = context.review_round
        if not draft and current.state == RoundState.OPEN:
            current = review_round_decide(
                review_round=current,
                decision_number=decision_number or DECISION_NOT_GIVEN,
                decision_date=decision_date or current.review_date,
                actor=actor,
            )
            report.round_decided_now = True  # the decision refreshed the register's stored statuses
        elif current.is_decided and report.households.changed:
            # A decided round's results cannot change here (refused above), so the stored statuses cannot
            # either; refreshed anyway, once, so the register never lags a decided list.
            household_statuses_refresh(commune=commune)
        report.round_state = current.state
        report.decision_number = current.decision_number
    return report


# --- 1. reading and checking --------------------------------------------------------------------------------


def _parse(table: Table, problems: Problems) -> tuple[pl.DataFrame, set[str]]:
    import polars as pl

    missing_columns(table, SPECS, problems)
    col = table.found
    present = {name for name in col}
    if "status" not in col and not present & set(CLASSIFICATION):
        problems.add(
            table.problem(
                table.header_row,
                "status",
                "thiếu cột “Phân loại” (status)",
                "the column “status” (Phân loại) is missing",
                "thêm cột Phân loại (nghèo / cận nghèo / trung bình / không nghèo), hoặc các cột phân loại"
                " của định dạng A (thu nhập bình quân hoặc điểm B1, và các chỉ số thiếu hụt)",
                "add a status column, or format A's classification columns (income_per_capita or b1_score,"
                " and the indicator columns)",
            )
        )
    problems.raise_if_any()

    text = {name: table.frame[col[name]].str.normalize("NFC").str.strip_chars() for name in col}
    frame = table.frame.select(ROW)
    required_values(table, col["household_id"], "mã hộ", "household id", problems)
    _village_given(table, problems)
    required_values(table, col["head_name"], "họ và tên chủ hộ", "head of household's name", problems)
    required_values(table, col["members"], "số khẩu", "number of members", problems)
    duplicates(table, col["household_id"], "mã hộ", "household id", problems)
    too_long(table, col["household_id"], 40, problems)
    too_long(table, col["head_name"], 200, problems)
    members = parse_column(table, col["members"], parse_members, pl.Int64, problems)
    frame = frame.with_columns(
        text["household_id"].alias("household_id"),
        text["head_name"].str.replace_all(r"\s+", " ").alias("head_name"),
        members.alias("members"),
    )
    if "status" in col:
        required_values(table, col["status"], "phân loại", "status", problems)
        frame = frame.with_columns(
            parse_column(table, col["status"], parse_status, pl.String, problems).alias("status")
        )
    if "head_citizen_id" in col:
        ids = parse_column(table, col["head_citizen_id"], parse_citizen_id, pl.String, problems)
        duplicates(table, col["head_citizen_id"], "số CCCD", "citizen ID", problems, values=ids)
        frame = frame.with_columns(ids.alias("head_citizen_id"))
    if "labour_capacity" in col:
        frame = frame.with_columns(
            parse_column(table, col["labour_capacity"], parse_yes_no, pl.Boolean, problems).alias(
                "labour_capacity"
            )
        )
    elif "no_labour_capacity" in col:
        none_able = parse_column(table, col["no_labour_capacity"], parse_yes_no, pl.Boolean, problems)
        frame = frame.with_columns((~none_able).alias("labour_capacity"))
        present.add("labour_capacity")
    for name in CATEGORY_FIELDS:
        if name in col:  # x / empty: an empty cell says "no"
            flags = parse_column(table, col[name], parse_yes_no, pl.Boolean, problems).fill_null(False)
            frame = frame.with_columns(flags.alias(name))
    if "area" in col:
        frame = frame.with_columns(
            parse_column(table, col["area"], parse_area, pl.String, problems).alias("area")
        )
    # The village a row names: its code when a village-code column is filled, else the village column.
    names = pl.DataFrame(
        {
            "code": text["village_code"] if "village_code" in col else pl.Series([None] * table.frame.height),
            "name": text["village"],
        },
        schema={"code": pl.String, "name": pl.String},
    )
    key = names.select(
        pl.when(pl.col("code").is_not_null() & (pl.col("code") != ""))
        .then(pl.lit("c:") + pl.col("code") + pl.lit("|") + pl.col("name").fill_null(""))
        .otherwise(pl.lit("n:") + pl.col("name"))
        .alias("village_key")
    ).to_series()
    frame = frame.with_columns(key)
    return frame, present


def _village_given(table: Table, problems: Problems) -> None:
    """The village column must be filled, unless the village-code column is."""
    col = table.found
    empty = blank(col["village"])
    if "village_code" in col:
        empty = empty & blank(col["village_code"])
    mask = table.frame.select(empty).to_series()
    if mask.any():
        report_rows(
            table,
            mask,
            col["village"],
            problems,
            lambda _v: table.problem(
                None,
                col["village"],
                "thiếu thôn",
                "the village is missing",
                "điền tên hoặc mã thôn",
                "fill in the village",
            ),
        )


def _village_words() -> list[str]:
    level = UnitLevel.objects.filter(code="village").first()
    words = [level.name_vi, level.name_en, *level.aliases] if level else ["thôn"]
    return sorted({fold(w) for w in words if w}, key=len, reverse=True)


def _name_keys(value: str, words: list[str]) -> set[str]:
    """ "Thôn Mai Hà" → {"thon mai ha", "mai ha"}: a village named with or without its level word."""
    folded = fold(value)
    keys = {folded}
    for word in words:
        if folded.startswith(word + " "):
            keys.add(folded[len(word) + 1 :])
    return keys


def _resolve_villages(
    table: Table, frame: pl.DataFrame, within: Unit | None, on: datetime.date, problems: Problems
) -> tuple[Unit | None, dict[str, Unit]]:
    """Each distinct village key → a village of one commune. Names match without case, accents or level
    word; among several matches, those valid at the review date win, and the commune all villages share."""
    keys = [k for k in frame["village_key"].drop_nulls().unique().to_list() if k not in ("n:", "c:|")]
    if not keys:
        return None, {}
    words = _village_words()
    wanted: dict[str, tuple[str | None, str]] = {}  # key → (code given, name given)
    for key in keys:
        if key.startswith("c:"):
            code, _, name = key[2:].partition("|")
            wanted[key] = (code, name)
        else:
            wanted[key] = (None, key[2:])
    codes = {c for c, _ in wanted.values() if c} | {n for c, n in wanted.values() if not c}
    names = {k for c, n in wanted.values() if not c for k in _name_keys(n, words)}
    found: list[Unit] = []
    villages = Unit.objects.filter(level__code="village").select_related("parent", "parent__level", "level")
    if within is not None:
        villages = villages.filter(path__startswith=within.path)
    for chunk in _chunks(sorted(codes | names), 500):
        found += list(villages.filter(Q(code__in=chunk) | Q(search_text__in=chunk)))
    by_code = {u.code: u for u in found}
    by_name: dict[str, list[Unit]] = defaultdict(list)
    for unit in found:
        by_name[unit.search_text].append(unit)

    candidates: dict[str, list[Unit]] = {}
    for key, (code, name) in wanted.items():
        if code:
            candidates[key] = [by_code[code]] if code in by_code else []
        elif name in by_code:
            candidates[key] = [by_code[name]]
        else:
            matches = {u.pk: u for k in _name_keys(name, words) for u in by_name.get(k, [])}
            valid = [u for u in matches.values() if u.is_valid_on(on)]
            candidates[key] = valid or list(matches.values())

    village_column = table.found["village"]
    code_column = table.found.get("village_code", village_column)
    sets = [{u.parent_id for u in c} for c in candidates.values() if c]
    shared = set.intersection(*sets) if sets else set()
    commune: Unit | None = None
    if len(shared) == 1:
        commune_id = shared.pop()
        commune = next(u.parent for c in candidates.values() for u in c if u.parent_id == commune_id)
    elif sets and not shared:
        listing = "; ".join(
            f"{wanted[k][1] or wanted[k][0]} → " + ", ".join(f"{u.parent.display_name}" for u in c)
            for k, c in candidates.items()
            if c
        )
        problems.add(
            table.problem(
                None,
                village_column,
                f"tệp có thôn của nhiều xã ({listing})",
                f"the file has villages of more than one commune ({listing})",
                "mỗi tệp chỉ gồm danh sách của một xã; tách tệp theo xã",
                "one file holds the list of one commune; split the file by commune",
            )
        )
    elif len(shared) > 1:
        communes = sorted(
            {u.parent.display_name for c in candidates.values() for u in c if u.parent_id in shared}
        )
        problems.add(
            table.problem(
                None,
                village_column,
                f"tên thôn trùng với thôn của nhiều xã: {', '.join(communes)}",
                f"the village names match villages of several communes: {', '.join(communes)}",
                "thêm cột Mã thôn, hoặc (dòng lệnh) chỉ rõ xã bằng --unit",
                "add a village_code column, or (command line) name the commune with --unit",
            )
        )

    resolved: dict[str, Unit] = {}
    known_names = ""
    if commune is not None:
        known_names = ", ".join(
            u.name
            for u in Unit.objects.filter(parent=commune, level__code="village").order_by("sort_order", "name")
        )
    key_series = frame["village_key"]
    for key, found_units in candidates.items():
        code, name = wanted[key]
        in_commune = [u for u in found_units if commune is None or u.parent_id == commune.pk]
        mask = key_series == key
        if not found_units:
            column = code_column if code else village_column
            value = code or name
            report_rows(
                table,
                mask,
                column,
                problems,
                lambda _v, value=value, column=column: table.problem(
                    None,
                    column,
                    f"không có thôn “{value}”",
                    f"unknown village “{value}”",
                    f"ghi tên hoặc mã một thôn của xã ({known_names})"
                    if known_names
                    else "ghi đúng tên hoặc mã thôn",
                    f"write the name or code of a village of the commune ({known_names})"
                    if known_names
                    else "write the village's exact name or code",
                ),
            )
        elif commune is not None and len(in_commune) > 1:
            listing = ", ".join(f"{u.name} ({u.code})" for u in in_commune)
            report_rows(
                table,
                mask,
                village_column,
                problems,
                lambda _v, listing=listing: table.problem(
                    None,
                    village_column,
                    f"tên thôn trùng nhiều thôn: {listing}",
                    f"the name matches several villages: {listing}",
                    "ghi mã thôn (cột Mã thôn)",
                    "write the village code (village_code column)",
                ),
            )
        elif in_commune:
            village = in_commune[0]
            if code and name and not (_name_keys(name, words) & {village.search_text, village.code.lower()}):
                report_rows(
                    table,
                    mask,
                    village_column,
                    problems,
                    lambda _v, village=village, name=name: table.problem(
                        None,
                        village_column,
                        f"thôn “{name}” không khớp mã thôn {village.code} ({village.name})",
                        f"village “{name}” does not match the village code {village.code} ({village.name})",
                        "sửa tên thôn hoặc mã thôn cho khớp nhau",
                        "make the village name and code agree",
                    ),
                )
            resolved[key] = village
    return commune, resolved


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _check_scope(table: Table, actor: User | None, commune: Unit) -> None:
    """Only a user who may edit the commune imports its list (a village head may not: the list is the
    commune's). The command line acts for the system and has no actor."""
    if actor is None or actor.has_perm("units.change_unit_data", commune):
        return
    raise ImportInputError(
        [
            Problem(
                f"bạn không có quyền nhập danh sách hộ của {commune.display_name}",
                f"you may not import the household list of {commune.display_name}",
                file=table.file,
                fix_vi="danh sách của xã do cán bộ phụ trách giảm nghèo của xã nhập",
                fix_en="the commune's list is imported by the commune's poverty-reduction officer",
            )
        ]
    )


def _statuses(
    table: Table,
    frame: pl.DataFrame,
    present: set[str],
    review_round: ReviewRound | None,
    year: int,
    villages: dict[int, Unit],
    problems: Problems,
) -> pl.DataFrame:
    """The status column, or the engine's classification of format A's columns with the round's standard."""
    import polars as pl

    from giamngheo.standards.frame import classify_frame
    from giamngheo.standards.loader import get_standard, standard_for_year

    empty = {name: pl.lit(None, dtype=pl.Int64) for name in ("income_per_capita", "b1_score", "b2_score")}
    if "status" in present:
        return frame.with_columns(
            **empty, deprivation_count=pl.lit(None, dtype=pl.Int64), deprived=pl.lit("", dtype=pl.String)
        )
    standard: Standard = get_standard(review_round.standard_id) if review_round else standard_for_year(year)
    col = table.found
    areas = frame["village_id"].replace_strict({pk: v.area for pk, v in villages.items()}, default=None)
    if "area" in frame.columns:
        areas = frame.select(pl.coalesce("area", areas)).to_series()
    columns: list[pl.Series] = [areas.alias("area")]
    given = [c for c in CLASSIFICATION if c in col]
    for name in given:
        columns.append(
            parse_column(table, col[name], lambda v: parse_int(v, minimum=0), pl.Int64, problems).alias(name)
        )
    neither = table.frame.select(pl.all_horizontal([blank(col[c]) for c in given])).to_series()
    if neither.any():
        report_rows(
            table,
            neither,
            col[given[0]],
            problems,
            lambda _v: table.problem(
                None,
                " / ".join(col[c] for c in given),
                "thiếu thu nhập bình quân và điểm B1 (không có cột Phân loại)",
                "missing both income per capita and B1 score (there is no status column)",
                "điền thu nhập bình quân hoặc điểm B1, hoặc thêm cột Phân loại",
                "fill in income_per_capita or b1_score, or add a status column",
            ),
        )
    for code in standard.indicator_codes:
        if code in col:
            columns.append(parse_column(table, col[code], parse_yes_no, pl.Boolean, problems).alias(code))
    if problems:
        return frame
    classified = classify_frame(pl.DataFrame(columns), standard)
    points = standard.b2_points_per_indicator
    return frame.with_columns(
        classified["status"].alias("status"),
        (
            classified["income_per_capita"] if "income_per_capita" in given else pl.lit(None, dtype=pl.Int64)
        ).alias("income_per_capita"),
        (classified["b1_score"] if "b1_score" in given else pl.lit(None, dtype=pl.Int64)).alias("b1_score"),
        (classified["deprivation_count"].cast(pl.Int64) * points).alias("b2_score"),
        classified["deprivation_count"].cast(pl.Int64).alias("deprivation_count"),
        classified["deprived"].fill_null("").alias("deprived"),
    )


# --- 2. comparing and writing ------------------------------------------------------------------------------

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


def _run(
    frame: pl.DataFrame, context: _Context, report: ImportReport, progress: Progress, *, write: bool
) -> None:
    """One pass over the file, batch by batch: compare, then write what differs. A decided round is locked:
    if any row would change its results, nothing more is written and the whole import is refused (its
    transaction rolls back), after the pass has counted every such row."""
    progress.stage(JobStage.WRITING if write else JobStage.COMPARING, frame.height)
    locked = context.review_round is not None and context.review_round.is_decided
    differing: list[int] = []
    problems = Problems()
    for batch in frame_rows(frame, BATCH):
        plan = _plan_batch(batch, context, report)
        problems.extend(plan.problems)
        if locked and plan.writes_results:
            differing += plan.results_new + plan.results_replaced
        elif write and not differing and not problems:
            writes.household_batch_write(
                plan=plan, review_round=context.review_round, actor=context.actor, reason=context.reason
            )
        progress.advance(len(batch))
    problems.raise_if_any()
    if differing:
        _refuse_locked(context, differing, report.results.changed)


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
        owners = {m["citizen_id"]: m for m in taken}
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
)
HEAD_COMPARED = ("id", "household_id", "full_name", "citizen_id", "version")
RESULT_COMPARED = ("id", "household_id", *RESULT_FIELDS)


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
                " đợt rà soát đột xuất",
                fix_en="check the review year (--year) and the file; to correct decided results, open an"
                " ad-hoc round",
            )
        ]
    )
