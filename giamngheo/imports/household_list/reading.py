"""Stage 1 of a household list: read the file (streaming) and check every row, column by column with polars —
required headers and values, members ≥ 1, yes/no cells, status words, duplicate household ids, citizen IDs,
then the villages (by code or by name) and the user's scope. Every problem is collected and raised together;
nothing has been written."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q

from giamngheo.accounts.models import User
from giamngheo.errors import Problem
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
from giamngheo.imports.household_list.columns import (
    CATEGORY_FIELDS,
    CLASSIFICATION,
    SPECS,
    parse_citizen_id,
    parse_members,
    parse_status,
)
from giamngheo.reviews.models import ReviewRound
from giamngheo.tabular.reader import ROW, Table
from giamngheo.tabular.values import parse_area, parse_int, parse_yes_no
from giamngheo.text import fold
from giamngheo.units.models import Unit, UnitLevel

if TYPE_CHECKING:
    import polars as pl

    from giamngheo.standards.model import Standard

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
    if (
        "farm_household" in col
    ):  # format A's optional column; an empty cell: not given (the register keeps its)
        frame = frame.with_columns(
            parse_column(table, col["farm_household"], parse_yes_no, pl.Boolean, problems).alias(
                "farm_household"
            )
        )
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
            f"{wanted[k][1] or wanted[k][0]} → " + ", ".join(u.parent.display_name for u in c if u.parent)
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
            {
                u.parent.display_name
                for c in candidates.values()
                for u in c
                if u.parent_id in shared and u.parent
            }
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

    from giamngheo.reviews.services import round_default_standard
    from giamngheo.standards.frame import classify_frame
    from giamngheo.standards.loader import get_standard

    empty = {name: pl.lit(None, dtype=pl.Int64) for name in ("income_per_capita", "b1_score", "b2_score")}
    if "status" in present:
        return frame.with_columns(
            **empty, deprivation_count=pl.lit(None, dtype=pl.Int64), deprived=pl.lit("", dtype=pl.String)
        )
    standard: Standard = (
        get_standard(review_round.standard_id)
        if review_round
        else round_default_standard(kind="regular", year=year)  # the lists of year+1 (spec §1)
    )
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
    if "farm_household" in frame.columns:  # average living standard only for farm households
        columns.append(frame["farm_household"])
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
