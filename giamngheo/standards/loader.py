"""Load, validate and register poverty standards from JSON data files.

Built-in standards live in ``giamngheo/standards/data``. An administrator adds or corrects one without
touching code by putting a JSON file in the directory named by ``GIAMNGHEO_STANDARDS_DIR``:

* a new standard (``"id": "HT-2027-2030"``) with ``"derives_from": "VN-2027-2030"`` gives only the fields it
  overrides; it is ``provincial`` unless it says otherwise, so it is used only when named;
* a file with the id of a built-in standard replaces it; with ``"derives_from"`` set to its own id it
  corrects only the fields it gives (``"provisional": {"income.average_upper": null}`` clears a mark).

How a derived file merges into its parent: objects merge key by key; lists replace, except ``indicators``
(merged by ``code``; ``{"code": "x", "remove": true}`` drops one) and ``legal_basis`` (appended). A parent's
provisional note is dropped for a field the child sets, since the child's value is the child's decision.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from giamngheo.errors import InputError, Problem
from giamngheo.standards.indicators import parameter_problems
from giamngheo.standards.model import (
    AgeSpan,
    B1Item,
    B1Option,
    B1Region,
    B1Table,
    Dimension,
    Indicator,
    RetirementSchedule,
    Standard,
    Text,
    TransitionRules,
    WorkingAge,
)
from giamngheo.standards.transitions import ON_LISTS, Status

BUILTIN_DIR = Path(__file__).parent / "data"
ENV_DIR = "GIAMNGHEO_STANDARDS_DIR"
STATUSES = tuple(status.value for status in Status)


# --- validation -------------------------------------------------------------------------------------------


class _Fields:
    """Reads typed fields out of a JSON object, collecting every problem with its field path."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems

    def fail(self, path: str, what_vi: str, what_en: str) -> None:
        self.problems.append(
            Problem(
                f"trường `{path}`: {what_vi}",
                f"field `{path}`: {what_en}",
                file=self.file,
                fix_vi="sửa tệp chuẩn nghèo theo mẫu trong giamngheo/standards/data",
                fix_en="correct the standard file following giamngheo/standards/data",
            )
        )

    def get(
        self, obj: Mapping[str, Any], key: str, path: str, check: Callable[[Any], bool], vi: str, en: str
    ):
        if not isinstance(obj, Mapping) or key not in obj:
            self.fail(path, "thiếu", "missing")
            return None
        value = obj[key]
        if not check(value):
            self.fail(path, f"phải là {vi} (đang là {value!r})", f"must be {en} (got {value!r})")
            return None
        return value

    def integer(self, obj: Mapping[str, Any], key: str, path: str, minimum: int = 0) -> int:
        value = self.get(
            obj,
            key,
            path,
            lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= minimum,
            f"số nguyên ≥ {minimum}",
            f"an integer ≥ {minimum}",
        )
        return value if value is not None else minimum

    def string(self, obj: Mapping[str, Any], key: str, path: str) -> str:
        value = self.get(
            obj, key, path, lambda v: isinstance(v, str) and v.strip() != "", "chuỗi", "a string"
        )
        return value or ""

    def obj(self, obj: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
        value = self.get(obj, key, path, lambda v: isinstance(v, Mapping), "một đối tượng", "an object")
        return value or {}

    def items(self, obj: Mapping[str, Any], key: str, path: str) -> list[Any]:
        value = self.get(obj, key, path, lambda v: isinstance(v, list), "một danh sách", "a list")
        return value or []

    def text(self, obj: Mapping[str, Any], key: str, path: str) -> Text:
        value = self.obj(obj, key, path)
        return Text(vi=self.string(value, "vi", f"{path}.vi"), en=self.string(value, "en", f"{path}.en"))

    def text_value(self, value: Any, path: str) -> Text:
        return self.text({"_": value}, "_", path) if isinstance(value, Mapping) else self._bad_text(path)

    def _bad_text(self, path: str) -> Text:
        self.fail(path, "phải có `vi` và `en`", "must have `vi` and `en`")
        return Text("", "")

    def per_area(
        self, obj: Mapping[str, Any], key: str, path: str, areas: list[str], listed: str = "areas"
    ) -> dict[str, int]:
        """One integer per code of ``areas`` (area codes, or B1 region codes listed in ``listed``)."""
        value = self.obj(obj, key, path)
        result = {area: self.integer(value, area, f"{path}.{area}") for area in areas}
        for extra in sorted(set(value) - set(areas)):
            self.fail(f"{path}.{extra}", f"không có trong `{listed}`", f"not listed in `{listed}`")
        return result

    def age(self, obj: Mapping[str, Any], key: str, path: str) -> AgeSpan:
        value = self.obj(obj, key, path)
        months = self.integer(value, "months", f"{path}.months")
        if months > 11:
            self.fail(f"{path}.months", "phải từ 0 đến 11", "must be 0 to 11")
        return AgeSpan(self.integer(value, "years", f"{path}.years"), months)


def _build(raw: Mapping[str, Any], file: str) -> Standard:
    problems: list[Problem] = []
    f = _Fields(file, problems)
    standard_id = f.string(raw, "id", "id")
    version = f.string(raw, "version", "version")
    scope = raw.get("scope", "national")
    if scope not in ("national", "provincial"):
        f.fail("scope", "phải là `national` hoặc `provincial`", "must be `national` or `provincial`")
    years = f.obj(raw, "review_years", "review_years")
    first_year = f.integer(years, "first", "review_years.first", 1990)
    last_year = f.integer(years, "last", "review_years.last", 1990)
    if last_year < first_year:
        f.fail("review_years", "năm cuối trước năm đầu", "last year is before the first")

    area_texts = f.obj(raw, "areas", "areas")
    areas = {code: f.text(area_texts, code, f"areas.{code}") for code in area_texts}
    if not areas:
        f.fail("areas", "cần ít nhất một khu vực", "needs at least one area")
    area_codes = list(areas)
    income = f.obj(raw, "income", "income")
    b1 = f.obj(raw, "b1", "b1")
    b2 = f.obj(raw, "b2", "b2")
    standard = Standard(
        id=standard_id,
        version=version,
        scope=scope,
        name=f.text(raw, "name", "name"),
        legal_basis=tuple(
            f.text_value(item, f"legal_basis[{i}]")
            for i, item in enumerate(f.items(raw, "legal_basis", "legal_basis"))
        ),
        first_year=first_year,
        last_year=last_year,
        areas=areas,
        income_lines=f.per_area(income, "lines", "income.lines", area_codes),
        average_upper=f.per_area(income, "average_upper", "income.average_upper", area_codes),
        low_income_worker_max=f.per_area(
            income, "low_income_worker_max", "income.low_income_worker_max", area_codes
        ),
        b1_cutoffs=f.per_area(b1, "cutoffs", "b1.cutoffs", area_codes),
        b2_points_per_indicator=f.integer(b2, "points_per_indicator", "b2.points_per_indicator", 1),
        b2_poor_min_points=f.integer(b2, "poor_min_points", "b2.poor_min_points", 1),
        poor_min_deprivations=f.integer(raw, "poor_min_deprivations", "poor_min_deprivations", 1),
        dimensions=_dimensions(f, raw),
        indicators=_indicators(f, raw),
        working_age=_working_age(f, raw),
        transitions=_transitions(f, raw),
        posting_working_days=f.integer(
            f.obj(raw, "review_procedure", "review_procedure"),
            "posting_working_days",
            "review_procedure.posting_working_days",
        ),
        provisional=_provisional(f, raw),
        source=file,
        derives_from=raw.get("derives_from"),
        b1_table=_b1_table(f, b1, area_codes),
        raw=raw,
    )
    _check_consistency(f, standard)
    if problems:
        raise InputError(problems)
    return standard


def _dimensions(f: _Fields, raw: Mapping[str, Any]) -> tuple[Dimension, ...]:
    items = f.items(raw, "dimensions", "dimensions")
    return tuple(
        Dimension(
            code=f.string(item, "code", f"dimensions[{i}].code"),
            name=f.text(item, "name", f"dimensions[{i}].name"),
        )
        for i, item in enumerate(items)
    )


def _indicators(f: _Fields, raw: Mapping[str, Any]) -> tuple[Indicator, ...]:
    result = []
    for i, item in enumerate(f.items(raw, "indicators", "indicators")):
        path = f"indicators[{i}]"
        aliases = item.get("aliases", []) if isinstance(item, Mapping) else []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            f.fail(f"{path}.aliases", "phải là danh sách chuỗi", "must be a list of strings")
            aliases = []
        params = item.get("params", {}) if isinstance(item, Mapping) else {}
        if not isinstance(params, Mapping):
            f.fail(f"{path}.params", "phải là một đối tượng", "must be an object")
            params = {}
        result.append(
            Indicator(
                code=f.string(item, "code", f"{path}.code"),
                dimension=f.string(item, "dimension", f"{path}.dimension"),
                name=f.text(item, "name", f"{path}.name"),
                short=f.text(item, "short", f"{path}.short"),
                deprived_when=f.text(item, "deprived_when", f"{path}.deprived_when"),
                aliases=tuple(aliases),
                params=dict(params),
            )
        )
    return tuple(result)


def _b1_table(f: _Fields, b1: Mapping[str, Any], areas: list[str]) -> B1Table | None:
    """``b1.item_tables`` (null: none entered — only a typed B1 total is accepted)."""
    if b1.get("item_tables") is None:
        return None
    path = "b1.item_tables"
    tables = f.obj(b1, "item_tables", path)
    region_data = f.obj(tables, "regions", f"{path}.regions")
    regions = tuple(
        B1Region(
            code=code,
            area=f.get(
                value,
                "area",
                f"{path}.regions.{code}.area",
                lambda v: v in areas,
                f"một khu vực trong `areas` ({', '.join(areas)})",
                f"an area listed in `areas` ({', '.join(areas)})",
            )
            or "",
            name=f.text(value, "name", f"{path}.regions.{code}.name"),
        )
        for code, value in region_data.items()
    )
    for area in areas:
        if not any(region.area == area for region in regions):
            f.fail(
                f"{path}.regions", f"không có vùng nào cho khu vực `{area}`", f"no region for area `{area}`"
            )
    codes = [region.code for region in regions]
    items = []
    for i, item in enumerate(f.items(tables, "items", f"{path}.items")):
        code = f.string(item, "code", f"{path}.items[{i}].code")
        where = f"{path}.items.{code or i}"
        options = tuple(
            B1Option(
                code=f.string(option, "code", f"{where}.options[{j}].code"),
                name=f.text(option, "name", f"{where}.options[{j}].name"),
                points=f.per_area(
                    option,
                    "points",
                    f"{where}.options.{option.get('code', j)}.points",
                    codes,
                    f"{path}.regions",
                )
                if isinstance(option, Mapping)
                else {},
            )
            for j, option in enumerate(f.items(item, "options", f"{where}.options"))
        )
        if len(options) < 2:
            f.fail(f"{where}.options", "cần ít nhất hai câu trả lời", "needs at least two answers")
        option_codes = [option.code for option in options]
        for duplicate in sorted({c for c in option_codes if option_codes.count(c) > 1}):
            f.fail(f"{where}.options.{duplicate}", "mã câu trả lời bị trùng", "duplicate answer code")
        items.append(B1Item(code=code, name=f.text(item, "name", f"{where}.name"), options=options))
    item_codes = [item.code for item in items]
    for duplicate in sorted({c for c in item_codes if item_codes.count(c) > 1}):
        f.fail(f"{path}.items.{duplicate}", "mã câu hỏi bị trùng", "duplicate item code")
    if not items:
        f.fail(f"{path}.items", "cần ít nhất một câu hỏi", "needs at least one item")
    return B1Table(
        regions=regions,
        base_points=f.per_area(tables, "base_points", f"{path}.base_points", codes, f"{path}.regions"),
        items=tuple(items),
    )


def _retirement(f: _Fields, obj: Mapping[str, Any], key: str, path: str) -> RetirementSchedule:
    value = f.obj(obj, key, path)
    return RetirementSchedule(
        before=f.age(value, "before", f"{path}.before"),
        start=f.age(value, "start", f"{path}.start"),
        step_months=f.integer(value, "step_months", f"{path}.step_months"),
        max=f.age(value, "max", f"{path}.max"),
    )


def _working_age(f: _Fields, raw: Mapping[str, Any]) -> WorkingAge:
    value = f.obj(raw, "working_age", "working_age")
    retirement = f.obj(value, "retirement", "working_age.retirement")
    return WorkingAge(
        min_age=f.integer(value, "min_age", "working_age.min_age"),
        schedule_from_year=f.integer(
            retirement, "schedule_from_year", "working_age.retirement.schedule_from_year", 1900
        ),
        male=_retirement(f, retirement, "male", "working_age.retirement.male"),
        female=_retirement(f, retirement, "female", "working_age.retirement.female"),
    )


def _transitions(f: _Fields, raw: Mapping[str, Any]) -> TransitionRules:
    value = f.obj(raw, "transitions", "transitions")
    from_lists = f.items(value, "newly_escaped_from", "transitions.newly_escaped_from")
    for status in from_lists:
        if status not in ON_LISTS:
            f.fail(
                "transitions.newly_escaped_from", "chỉ gồm `poor`, `near_poor`", "only `poor`, `near_poor`"
            )
    return TransitionRules(
        fell_back_look_back_years=f.integer(
            value, "fell_back_look_back_years", "transitions.fell_back_look_back_years", 1
        ),
        newly_escaped_years=f.integer(value, "newly_escaped_years", "transitions.newly_escaped_years", 1),
        newly_escaped_from=tuple(from_lists),
    )


def _provisional(f: _Fields, raw: Mapping[str, Any]) -> dict[str, Text]:
    value = raw.get("provisional", {})
    if not isinstance(value, Mapping):
        f.fail("provisional", "phải là một đối tượng", "must be an object")
        return {}
    notes = {}
    for key, note in value.items():
        if not _path_exists(raw, key):
            f.fail(f"provisional.{key}", "không trỏ tới trường nào", "does not name any field")
        notes[key] = f.text_value(note, f"provisional.{key}")
    return notes


_MISSING = object()


def _value_at(raw: Mapping[str, Any], path: str) -> Any:
    node: Any = raw
    for part in path.split("."):
        if isinstance(node, list):  # "indicators.waste": list items are named by their code
            node = next(
                (item for item in node if isinstance(item, Mapping) and item.get("code") == part), _MISSING
            )
        elif isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            return _MISSING
        if node is _MISSING:
            return _MISSING
    return node


def _path_exists(raw: Mapping[str, Any], path: str) -> bool:
    return _value_at(raw, path) is not _MISSING


def _check_consistency(f: _Fields, standard: Standard) -> None:
    codes = standard.indicator_codes
    for duplicate in {code for code in codes if codes.count(code) > 1}:
        f.fail(f"indicators.{duplicate}", "mã chỉ số bị trùng", "duplicate indicator code")
    dimension_codes = {d.code for d in standard.dimensions}
    for indicator in standard.indicators:
        if indicator.dimension not in dimension_codes:
            f.fail(
                f"indicators.{indicator.code}.dimension",
                "không có trong `dimensions`",
                "not listed in `dimensions`",
            )
        for path, expected in parameter_problems(indicator):
            f.fail(path, f"thiếu hoặc sai (cần {expected})", f"missing or invalid (expected {expected})")
    if standard.b2_points_per_indicator * standard.poor_min_deprivations != standard.b2_poor_min_points:
        f.fail(
            "b2.poor_min_points",
            "phải bằng `b2.points_per_indicator` × `poor_min_deprivations`",
            "must equal `b2.points_per_indicator` × `poor_min_deprivations`",
        )
    for area, line in standard.income_lines.items():
        if standard.average_upper.get(area, line) < line:
            f.fail(f"income.average_upper.{area}", "nhỏ hơn chuẩn nghèo", "is below the poverty line")


# --- derivation -------------------------------------------------------------------------------------------


def _leaf_paths(value: Any, prefix: str = "") -> list[str]:
    if (
        isinstance(value, list)
        and all(isinstance(item, Mapping) and "code" in item for item in value)
        and value
    ):
        return [
            p
            for item in value
            for p in _leaf_paths(item, f"{prefix}.{item['code']}" if prefix else item["code"])
        ]
    if isinstance(value, Mapping) and value:
        return [
            p for key, item in value.items() for p in _leaf_paths(item, f"{prefix}.{key}" if prefix else key)
        ]
    return [prefix]


def _merge(parent: Any, child: Any) -> Any:
    if isinstance(parent, Mapping) and isinstance(child, Mapping):
        merged = dict(parent)
        for key, value in child.items():
            merged[key] = _merge(parent[key], value) if key in parent else value
        return merged
    return child


def _merge_indicators(parent: list[Mapping[str, Any]], child: list[Mapping[str, Any]]) -> list[Any]:
    merged = {item["code"]: dict(item) for item in parent}
    for item in child:
        code = item.get("code")
        if item.get("remove"):
            merged.pop(code, None)
        elif code in merged:
            merged[code] = _merge(merged[code], item)
        else:
            merged[code] = dict(item)
    return list(merged.values())


def derive(parent: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    """The raw data of a standard derived from ``parent`` with only the fields ``child`` gives."""
    body = {k: v for k, v in child.items() if k not in ("indicators", "legal_basis", "provisional")}
    merged = _merge(parent, body)
    if "scope" not in child and child.get("id") != parent.get("id"):
        merged["scope"] = "provincial"
    if "indicators" in child:
        merged["indicators"] = _merge_indicators(parent.get("indicators", []), child["indicators"])
    merged["legal_basis"] = [*parent.get("legal_basis", []), *child.get("legal_basis", [])]
    overridden = _leaf_paths(body) + [
        f"indicators.{item.get('code')}.{leaf}" if leaf else f"indicators.{item.get('code')}"
        for item in child.get("indicators", [])
        for leaf in _leaf_paths({k: v for k, v in item.items() if k != "code"}) or [""]
    ]

    def covered(path: str) -> bool:
        return any(path == done or path.startswith(done + ".") for done in overridden)

    # a parent's note goes when the child set the field, or every value under it
    notes = {
        key: note
        for key, note in parent.get("provisional", {}).items()
        if not all(covered(leaf) for leaf in _leaf_paths(_value_at(parent, key), key))
    }
    for key, note in child.get("provisional", {}).items():
        if note is None:
            notes.pop(key, None)
        else:
            notes[key] = note
    merged["provisional"] = notes
    return merged


# --- registry ---------------------------------------------------------------------------------------------


def read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError.single(
            f"không đọc được tệp chuẩn nghèo: {error}",
            f"cannot read the standard file: {error}",
            file=str(path),
            fix_vi="kiểm tra tệp là JSON hợp lệ, mã hóa UTF-8",
            fix_en="check the file is valid JSON in UTF-8",
        ) from error
    if not isinstance(data, dict):
        raise InputError.single(
            "tệp phải chứa một đối tượng JSON", "the file must hold a JSON object", file=str(path)
        )
    return data


def _resolve(
    raw_by_id: dict[str, tuple[dict[str, Any], str]], base: dict[str, tuple[dict[str, Any], str]]
) -> dict[str, Standard]:
    """Build every standard, following ``derives_from`` (a file deriving from its own id uses ``base``)."""
    built: dict[str, tuple[dict[str, Any], str]] = {}

    def resolve(standard_id: str, chain: tuple[str, ...]) -> tuple[dict[str, Any], str]:
        if standard_id in built:
            return built[standard_id]
        raw, file = raw_by_id[standard_id]
        parent_id = raw.get("derives_from")
        if parent_id:
            if parent_id == standard_id and standard_id in base:
                parent_raw, parent_file = base[standard_id]
            elif parent_id in raw_by_id and parent_id not in chain:
                parent_raw, parent_file = resolve(parent_id, (*chain, standard_id))
            else:
                raise InputError.single(
                    f"trường `derives_from`: không có chuẩn `{parent_id}` (hoặc dẫn xuất vòng tròn)",
                    f"field `derives_from`: no standard `{parent_id}` (or a circular derivation)",
                    file=file,
                    fix_vi=f"dùng một trong: {', '.join(sorted(raw_by_id))}",
                    fix_en=f"use one of: {', '.join(sorted(raw_by_id))}",
                )
            raw, file = derive(parent_raw, raw), f"{file} (← {parent_file})"
        built[standard_id] = (raw, file)
        return raw, file

    return {standard_id: _build(*resolve(standard_id, ())) for standard_id in raw_by_id}


def _read_dir(directory: Path) -> dict[str, tuple[dict[str, Any], str]]:
    found: dict[str, tuple[dict[str, Any], str]] = {}
    for path in sorted(directory.glob("*.json")):
        raw = read_json(path)
        standard_id = raw.get("id")
        if not isinstance(standard_id, str) or not standard_id.strip():
            raise InputError.single("trường `id`: thiếu", "field `id`: missing", file=str(path))
        if standard_id in found:
            raise InputError.single(
                f"chuẩn `{standard_id}` có hai tệp: {found[standard_id][1]}",
                f"standard `{standard_id}` has two files: {found[standard_id][1]}",
                file=str(path),
            )
        found[standard_id] = (raw, str(path))
    return found


def load_standards(extra_dir: str | Path | None = None) -> dict[str, Standard]:
    """All standards: the built-in ones, then those of ``extra_dir`` (which may replace or derive)."""
    builtin = _read_dir(BUILTIN_DIR)
    raw_by_id = dict(builtin)
    if extra_dir:
        directory = Path(extra_dir)
        if not directory.is_dir():
            raise InputError.single(
                f"thư mục chuẩn nghèo {ENV_DIR} không tồn tại",
                f"the standards directory {ENV_DIR} does not exist",
                file=str(directory),
            )
        raw_by_id.update(_read_dir(directory))
    return _resolve(raw_by_id, builtin)


_cache: dict[str, dict[str, Standard]] = {}


def registry() -> dict[str, Standard]:
    """The standards known to this process, reloaded whenever ``GIAMNGHEO_STANDARDS_DIR`` changes."""
    extra = os.environ.get(ENV_DIR, "")
    if extra not in _cache:
        _cache[extra] = load_standards(extra or None)
    return _cache[extra]


def list_standards() -> list[Standard]:
    return sorted(registry().values(), key=lambda s: (s.first_year, s.scope != "national", s.id))


def service_indicators() -> frozenset[str]:
    """Indicators of access to basic services: those of every dimension but employment, in any standard the
    engine knows (the data tags each indicator with its dimension)."""
    return frozenset(
        indicator.code
        for standard in list_standards()
        for indicator in standard.indicators
        if indicator.dimension != "employment"
    )


def _known() -> str:
    return ", ".join(f"{s.id} ({s.first_year}–{s.last_year})" for s in list_standards())


def get_standard(standard_id: str) -> Standard:
    standards = registry()
    wanted = standard_id.strip().upper()
    for known_id, standard in standards.items():
        if known_id.upper() == wanted:
            return standard
    raise InputError.single(
        f"không có chuẩn nghèo `{standard_id}`",
        f"no poverty standard `{standard_id}`",
        column="--standard",
        fix_vi=f"dùng một trong: {_known()}",
        fix_en=f"use one of: {_known()}",
    )


def standard_for_year(year: int) -> Standard:
    """The national standard in force for a review year (a provincial one is used only when named)."""
    matches = [s for s in list_standards() if s.scope == "national" and s.covers(year)]
    if len(matches) == 1:
        return matches[0]
    problem = "không có chuẩn nghèo quốc gia nào" if not matches else "có nhiều chuẩn nghèo quốc gia"
    problem_en = "no national poverty standard" if not matches else "several national poverty standards"
    raise InputError.single(
        f"{problem} cho năm rà soát {year}",
        f"{problem_en} for review year {year}",
        column="--year",
        fix_vi=f"chọn năm khác hoặc dùng --standard với một trong: {_known()}",
        fix_en=f"choose another year or use --standard with one of: {_known()}",
    )
