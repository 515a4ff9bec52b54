"""A synthetic register of any size for load tests: a province of communes and villages, households with
~3.5 members each and realistic facts, and three years of decided regular reviews.

Everything here is invented (names are drawn from common Vietnamese family, middle and given names), and
the units it creates are marked in their names ("(tổng hợp)"). It is deterministic: the same seed gives
the same register, commune by commune, so a run that stopped half-way resumes where it stopped — a commune
that already holds its households is skipped.

Bulk synthetic data is not a user's edit: it is written without history rows (the register's history is
for changes people make). On PostgreSQL rows go in with ``COPY`` (psycopg's ``cursor.copy``) and the
tables are vacuumed and analysed at the end (a million households took ~24 minutes on a shared two-CPU
machine); on SQLite they go in with ``bulk_create``.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import logging
import math
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from giamngheo.common import fastbulk
from giamngheo.demo.synthetic_shape import (
    FAMILY,
    GIVEN,
    LEANING,
    MIDDLE,
    MINORITIES,
    NATIONAL_COMMUNES,
    POOR_LEANING_START,
    STATUS_NEXT,
    CommuneShape,
    ProvinceShape,
    national_shape,
    province_shape,
)
from giamngheo.demo.synthetic_sql import VillageLoad, _complete, generate
from giamngheo.errors import InputError
from giamngheo.households.labour import standard_on
from giamngheo.households.models import Household, Member, StatusRefresh
from giamngheo.households.services import household_search_text
from giamngheo.reviews.models import ResultSource, ReviewResult, ReviewRound, RoundKind, RoundState
from giamngheo.reviews.services import default_review_date
from giamngheo.reviews.statuses import decided_rounds_keys
from giamngheo.rollups.services import rollup_rebuild
from giamngheo.standards.facts import HouseholdFacts, MemberFacts
from giamngheo.standards.indicators import has_no_labour_capacity
from giamngheo.standards.loader import standard_for_year
from giamngheo.standards.transitions import ON_LISTS, status_from_history, transitions
from giamngheo.text import fold
from giamngheo.units.models import Unit, UnitLevel
from giamngheo.units.services import path_for

logger = logging.getLogger(__name__)

_fold = functools.lru_cache(maxsize=200_000)(fold)  # names repeat a lot: fold each once

HOUSEHOLDS_PER_COMMUNE = 8_000  # after the 2025 mergers a commune holds ~8,000 households on average


@dataclass
class SyntheticSummary:
    province: Unit  # the first (the only one with a province code)
    provinces: int
    communes: int
    households_created: int
    members_created: int
    results_created: int
    communes_skipped: int


def _weighted(pairs: Sequence[tuple[str, float]]) -> tuple[list[str], list[float]]:
    return [p[0] for p in pairs], list(itertools.accumulate(p[1] for p in pairs))


_FAMILY = _weighted(FAMILY)
_MIDDLE = {sex: _weighted(pairs) for sex, pairs in MIDDLE.items()}


def person_name(rng: random.Random, sex: str, family: str | None = None) -> str:
    family = family or rng.choices(_FAMILY[0], cum_weights=_FAMILY[1])[0]
    middle = rng.choices(_MIDDLE[sex][0], cum_weights=_MIDDLE[sex][1])[0]
    return f"{family} {middle} {rng.choice(GIVEN[sex])}"


# --- households and members -----------------------------------------------------------------------------


def _birth(rng: random.Random, today: datetime.date, age: int) -> datetime.date:
    return datetime.date(today.year - age, 1, 1) + datetime.timedelta(days=rng.randrange(365))


def _maybe(rng: random.Random, p_true: float, p_unknown: float = 0.0) -> bool | None:
    r = rng.random()
    if r < p_unknown:
        return None
    return r < p_unknown + p_true * (1 - p_unknown)


def id_prefix(province_code: str) -> str:
    """The three digits of a province in a citizen ID (from the digits of its code)."""
    digits = "".join(ch for ch in province_code if ch.isdigit()) or "0"
    return f"{int(digits) % 1000:03d}"


class CitizenIds:
    """12-digit IDs shaped like real ones (province, century and sex, birth year, serial), unique: the next
    serial of each prefix continues after the highest already in the database."""

    def __init__(self, province_code: str) -> None:
        self.province = id_prefix(province_code)
        self.next: dict[str, int] = {}
        existing = Member.objects.filter(citizen_id__startswith=self.province).values_list(
            "citizen_id", flat=True
        )
        for cid in existing.iterator(chunk_size=20_000):
            if len(cid) == 12:
                prefix, serial = cid[:6], int(cid[6:])
                self.next[prefix] = max(self.next.get(prefix, 0), serial + 1)

    def issue(self, birth: datetime.date, sex: str) -> str:
        century_sex = (0 if birth.year < 2000 else 2) + (1 if sex == "female" else 0)
        prefix = f"{self.province}{century_sex}{birth.year % 100:02d}"
        serial = self.next.get(prefix, 0)
        if serial > 999_999:
            raise InputError.single("Hết số CCCD tổng hợp", "Synthetic citizen IDs exhausted for a prefix")
        self.next[prefix] = serial + 1
        return f"{prefix}{serial:06d}"


def _member(
    rng: random.Random,
    today: datetime.date,
    ids: CitizenIds,
    *,
    name: str,
    sex: str,
    age: int,
    relation: str,
    ethnicity: str,
    poor_leaning: bool,
) -> dict[str, Any]:
    birth = _birth(rng, today, age)
    row: dict[str, Any] = {
        "full_name": name,
        "relation": relation,
        "birth_date": birth,
        "sex": sex,
        "ethnicity": ethnicity,
        "citizen_id": ids.issue(birth, sex) if age >= 14 else "",
        "severe_disability": rng.random() < (0.04 if poor_leaning else 0.01),
        "has_health_insurance": _maybe(rng, 0.9 if not poor_leaning else 0.97, 0.02),
        "search_text": _fold(name),
    }
    if 15 <= age < 62:
        able = not row["severe_disability"] and rng.random() < 0.95
        row["able_to_work"] = able
        row["employment"] = (
            rng.choice(
                ["self_employed", "self_employed", "employed_with_contract", "employed_without_contract"]
            )
            if able
            else "not_in_labour_force"
        )
        if rng.random() < 0.04:
            row["employment"] = "unemployed"
        row["education_level"] = rng.choice(
            [
                "primary",
                "lower_secondary",
                "lower_secondary",
                "upper_secondary",
                "upper_secondary",
                "post_secondary",
            ]
        )
        row["has_vocational_certificate"] = rng.random() < 0.2
        row["in_training"] = age < 25 and rng.random() < 0.3
    elif age >= 62:
        row["able_to_work"] = rng.random() < 0.3
        row["employment"] = "not_in_labour_force"
        row["education_level"] = rng.choice(["none", "primary", "lower_secondary"])
    else:
        row["able_to_work"] = False
        if age >= 3:
            row["attending_school"] = rng.random() < 0.97
            row["school_level"] = (
                (
                    "preschool"
                    if age < 6
                    else "primary"
                    if age < 11
                    else "lower_secondary"
                    if age < 15
                    else "upper_secondary"
                )
                if row["attending_school"]
                else ""
            )
        if age < 16:
            row["stunted_or_underweight"] = rng.random() < (0.15 if poor_leaning else 0.04)
    return row


def synthetic_household(
    rng: random.Random,
    today: datetime.date,
    ids: CitizenIds,
    *,
    code: str,
    area: str,
    minority_share: float,
    leaning: float = LEANING,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One household's row and its members' rows (dicts of model attribute → value)."""
    poor_leaning = rng.random() < leaning
    minority = rng.random() < minority_share
    ethnicity = rng.choice(MINORITIES) if minority else "Kinh"
    family = rng.choices(_FAMILY[0], cum_weights=_FAMILY[1])[0]
    head_sex = "male" if rng.random() < 0.78 else "female"
    shape = rng.random()
    members: list[dict[str, Any]] = []
    if shape < 0.08:  # an elderly person living alone (often without labour capacity)
        head_age = rng.randint(65, 92)
        members.append(
            _member(
                rng,
                today,
                ids,
                name=person_name(rng, head_sex, family),
                sex=head_sex,
                age=head_age,
                relation="head",
                ethnicity=ethnicity,
                poor_leaning=poor_leaning,
            )
        )
    else:
        head_age = rng.randint(24, 70)
        members.append(
            _member(
                rng,
                today,
                ids,
                name=person_name(rng, head_sex, family),
                sex=head_sex,
                age=head_age,
                relation="head",
                ethnicity=ethnicity,
                poor_leaning=poor_leaning,
            )
        )
        if rng.random() < 0.82:
            spouse_sex = "female" if head_sex == "male" else "male"
            members.append(
                _member(
                    rng,
                    today,
                    ids,
                    name=person_name(rng, spouse_sex),
                    sex=spouse_sex,
                    age=max(18, head_age + rng.randint(-6, 4)),
                    relation="spouse",
                    ethnicity=ethnicity,
                    poor_leaning=poor_leaning,
                )
            )
        children = (
            rng.choices([0, 1, 2, 3, 4], weights=[10, 19, 40, 21, 10])[0]
            if head_age < 62
            else rng.randint(0, 1)
        )
        for _ in range(children):
            sex = rng.choice(["male", "female"])
            age = max(0, min(head_age - 18, rng.randint(0, 30)))
            members.append(
                _member(
                    rng,
                    today,
                    ids,
                    name=person_name(rng, sex, family),
                    sex=sex,
                    age=age,
                    relation="child",
                    ethnicity=ethnicity,
                    poor_leaning=poor_leaning,
                )
            )
        if head_age < 50 and rng.random() < 0.3:
            sex = rng.choice(["male", "female"])
            members.append(
                _member(
                    rng,
                    today,
                    ids,
                    name=person_name(rng, sex, family if sex == "male" else None),
                    sex=sex,
                    age=head_age + rng.randint(22, 32),
                    relation="parent",
                    ethnicity=ethnicity,
                    poor_leaning=poor_leaning,
                )
            )
    size = len(members)
    median = 1_300_000 if poor_leaning else 3_400_000
    income = int(min(60_000_000, rng.lognormvariate(math.log(median), 0.45)) // 1000 * 1000)
    household = {
        "code": code,
        "head_name": members[0]["full_name"],
        "size": size,
        "area": area,
        "address": "",
        "phone": f"09{rng.randrange(10**8):08d}" if rng.random() < 0.7 else "",
        "labour_capacity": None,  # derived from the members (working age, able to work)
        "social_protection": rng.random() < (0.25 if poor_leaning else 0.02),
        "ethnic_minority": minority,
        "meritorious": rng.random() < 0.03,
        "provincial_income_support": poor_leaning and rng.random() < 0.05,
        "income_per_capita": income,
        "dwelling": rng.choices(
            ["solid", "semi_solid", "makeshift"], weights=[85, 12, 3] if not poor_leaning else [50, 35, 15]
        )[0],
        "floor_area_m2": Decimal(rng.randint(18, 140)),
        "safe_water": rng.random() < (0.92 if not poor_leaning else 0.7),
        "hygienic_latrine": rng.random() < (0.9 if not poor_leaning else 0.6),
        "internet_use": rng.random() < (0.85 if not poor_leaning else 0.5),
        "owns_info_device": rng.random() < (0.97 if not poor_leaning else 0.8),
        "waste_handled": rng.random() < 0.8,
        "search_text": household_search_text(
            code=code, head_name=members[0]["full_name"], member_names=[m["full_name"] for m in members]
        ),
        "_poor_leaning": poor_leaning,
    }
    return household, members


def statuses(rng: random.Random, years: int, poor_leaning: bool) -> list[str]:
    out: list[str] = []
    for index in range(years):
        table = POOR_LEANING_START if index == 0 and poor_leaning else STATUS_NEXT[out[-1] if out else None]
        names, weights = zip(*table, strict=True)
        out.append(rng.choices(names, weights=weights)[0])
    return out


# --- writing --------------------------------------------------------------------------------------------


def _converters(model: type[models.Model], columns: list[str]) -> list[Callable[[Any], Any]]:
    fields = {f.attname: f for f in fastbulk.written_fields(model)}
    out: list[Callable[[Any], Any]] = []
    for column in columns:
        f = fields[column]
        if isinstance(f, models.JSONField):
            out.append(functools.partial(f.get_db_prep_save, connection=connection))
        else:
            out.append(lambda v: v)
    return out


def _columns(model: type[models.Model]) -> list[str]:
    return [f.attname for f in fastbulk.written_fields(model)]


def _reserve_ids(model: type[models.Model], count: int) -> int:
    """The first of ``count`` consecutive free ids (on PostgreSQL the sequence moves past them)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - name from the model
            base = cursor.fetchone()[0] + 1
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, base + count - 1])
            return base
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - table name from the model
        return cursor.fetchone()[0] + 1


def bulk_insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Rows (with their ids) in one go: COPY on PostgreSQL, bulk_create elsewhere. No history rows."""
    if not rows:
        return
    now = timezone.now()
    full = [_complete(model, row, now) for row in rows]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**row) for row in full], batch_size=500)
        return
    columns = _columns(model)
    convert = _converters(model, columns)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fastbulk.written_fields(model))
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {model._meta.db_table} ({names}) FROM STDIN") as copy:
            for row in full:
                copy.write_row([fn(row[c]) for fn, c in zip(convert, columns, strict=True)])


def _rounds(communes: list[Unit], years: list[int]) -> dict[tuple[int, int], int]:
    """(commune id, year) → the commune's decided regular round of that year, created as decided (an
    official list) where missing: one read, one bulk insert (no history rows: invented data)."""
    ids = [c.pk for c in communes]
    existing = {
        (r["commune_id"], r["year"]): r["id"]
        for r in ReviewRound.objects.filter(
            commune_id__in=ids, year__in=years, kind=RoundKind.REGULAR
        ).values("commune_id", "year", "id")
    }
    missing = []
    for year in years:
        standard = standard_for_year(year)
        for commune in communes:
            if (commune.pk, year) not in existing:
                missing.append(
                    ReviewRound(
                        commune=commune,
                        year=year,
                        kind=RoundKind.REGULAR,
                        month=None,
                        standard_id=standard.id,
                        standard_version=standard.version,
                        review_date=default_review_date(year=year, kind=RoundKind.REGULAR, month=None),
                        state=RoundState.DECIDED,
                        decision_number=f"{year}/QĐ-UBND (tổng hợp)",
                        decision_date=datetime.date(year, 12, 20),
                    )
                )
    ReviewRound.objects.bulk_create(missing, batch_size=2000)
    if missing:
        existing = {
            (r["commune_id"], r["year"]): r["id"]
            for r in ReviewRound.objects.filter(
                commune_id__in=ids, year__in=years, kind=RoundKind.REGULAR
            ).values("commune_id", "year", "id")
        }
    return existing


def _labour_capacity(people: list[dict[str, Any]], on: datetime.date) -> bool | None:
    facts = HouseholdFacts(
        members=tuple(
            MemberFacts(birth_date=p["birth_date"], sex=p["sex"] or None, able_to_work=p.get("able_to_work"))
            for p in people
        )
    )
    none = has_no_labour_capacity(facts, standard_for_year(on.year), on)
    return None if none is None else not none


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def shape_units(shape: list[ProvinceShape]) -> list[tuple[Unit, list[tuple[Unit, CommuneShape, list[Unit]]]]]:
    """The units of ``shape`` (provinces, communes, villages), created where missing — in bulk, a level at a
    time (a nation has ~100,000 villages), with the paths ``units.services`` derives and no history rows:
    invented units. Returns each province with its communes (unit, shape, villages)."""
    levels = {level.code: level for level in UnitLevel.objects.all()}

    def ensure(rows: list[tuple[str, str, str, Unit | None, str, int]]) -> dict[str, Unit]:
        codes = [r[0] for r in rows]
        found = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        new = [
            Unit(
                code=code,
                name=name,
                level=levels[level],
                parent=parent,
                area=area,
                sort_order=order,
                path=path_for(code=code, parent=parent),
                depth=(parent.depth + 1) if parent else 0,
                search_text=fold(name),
            )
            for code, name, level, parent, area, order in rows
            if code not in found
        ]
        Unit.objects.bulk_create(new, batch_size=2000)
        if new:
            found = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        return found

    provinces = ensure([(p.code, p.name, "province", None, "rural", 0) for p in shape])
    communes = ensure(
        [
            (c.code, c.name, "commune", provinces[p.code], c.area, n)
            for p in shape
            for n, c in enumerate(p.communes, start=1)
        ]
    )
    villages = ensure(
        [
            (v.code, v.name, "village", communes[c.code], c.area, n)
            for p in shape
            for c in p.communes
            for n, v in enumerate(c.villages, start=1)
        ]
    )
    return [
        (
            provinces[p.code],
            [(communes[c.code], c, [villages[v.code] for v in c.villages]) for c in p.communes],
        )
        for p in shape
    ]


@transaction.atomic
def _fill_commune(
    *,
    commune: Unit,
    shape: CommuneShape,
    villages: list[Unit],
    seed: int,
    ids: CitizenIds,
    today: datetime.date,
    years: list[int],
    rounds: dict[int, ReviewRound],
) -> tuple[int, int, int]:
    """One commune's households, members and results, drawn in Python (SQLite; PostgreSQL draws them in the
    database, ``demo.synthetic_sql``)."""
    rng = random.Random(f"{seed}-{commune.code}")
    rules = standard_on(today).transitions
    households, members, results = [], [], []
    placed = [v for v, vs in zip(villages, shape.villages, strict=True) for _ in range(vs.households)]
    for n, village in enumerate(placed, start=1):
        household, people = synthetic_household(
            rng,
            today,
            ids,
            code=f"{n:05d}",
            area=commune.area,
            minority_share=shape.minority_share,
            leaning=shape.leaning,
        )
        household.update(commune_id=commune.pk, village_id=village.pk, unit_path=village.path)
        household["address"] = village.name
        households.append(household)
        members.append(people)
    base = _reserve_ids(Household, len(households))
    member_rows = []
    for offset, (household, people) in enumerate(zip(households, members, strict=True)):
        household["id"] = base + offset
        history = statuses(rng, len(years), household.pop("_poor_leaning"))
        changes = transitions(list(zip(years, history, strict=True)), rules)
        dated = [(rounds[year].review_date, status) for year, status in zip(years, history, strict=True)]
        household["status"], household["status_date"], household["escaped_on"] = status_from_history(
            dated, rules, today
        )
        for year, status, (_when, change) in zip(years, history, changes, strict=True):
            # The review snapshot's labour capacity matters for the lists' analysis: computed for them only.
            labour = _labour_capacity(people, rounds[year].review_date) if status in ON_LISTS else None
            results.append(
                {
                    "review_round_id": rounds[year].pk,
                    "household_id": household["id"],
                    "unit_path": household["unit_path"],
                    "status": status,
                    "source": ResultSource.IMPORTED,
                    "members": household["size"],
                    "labour_capacity": labour,
                    "social_protection": household["social_protection"],
                    "ethnic_minority": household["ethnic_minority"],
                    "meritorious": household["meritorious"],
                    "provincial_income_support": household["provincial_income_support"],
                    "income_per_capita": household["income_per_capita"],
                    "transition": str(change),
                }
            )
        for person in people:
            person.update(household_id=household["id"], unit_path=household["unit_path"])
            member_rows.append(person)
    bulk_insert(Household, households)
    member_base = _reserve_ids(Member, len(member_rows))
    for offset, person in enumerate(member_rows):
        person["id"] = member_base + offset
    for chunk in _chunks(member_rows, 50_000):
        bulk_insert(Member, chunk)
    result_base = _reserve_ids(ReviewResult, len(results))
    for offset, row in enumerate(results):
        row["id"] = result_base + offset
    for chunk in _chunks(results, 50_000):
        bulk_insert(ReviewResult, chunk)
    # The stored statuses above were computed from these (decided) rounds: record it, as the refresh does.
    key = decided_rounds_keys(under_path=commune.path).get(commune.pk, "")
    StatusRefresh.objects.update_or_create(commune=commune, defaults={"rounds_key": key})
    return len(households), len(member_rows), len(results)


def synthetic_register(
    *,
    households: int,
    province_code: str | None = None,
    seed: int = 2025,
    per_commune: int = HOUSEHOLDS_PER_COMMUNE,
    communes: int = NATIONAL_COMMUNES,
    years: Iterable[int] | None = None,
    today: datetime.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SyntheticSummary:
    """Make the register hold ``households`` synthetic households (with members and three years of decided
    reviews): a nation (``national_shape``: 34 provinces, ``communes`` communes) or, with ``province_code``,
    one province of ``per_commune``-household communes.

    A commune that already has households is left alone, so re-running adds nothing. On PostgreSQL the rows
    are drawn in the database in one transaction (``demo.synthetic_sql``); on SQLite commune by commune.
    """
    if households < 1:
        raise InputError.single(
            "Số hộ phải ≥ 1", "The number of households must be at least 1", column="--households"
        )
    if province_code is not None and (not province_code.strip() or "/" in province_code):
        raise InputError.single("Mã tỉnh không hợp lệ", "Invalid province code", column="--province-code")
    if communes < 1:
        raise InputError.single(
            "Số xã phải ≥ 1", "The number of communes must be at least 1", column="--communes"
        )
    started = time.monotonic()
    today = today or timezone.localdate()
    years = sorted(years) if years is not None else [today.year - 3, today.year - 2, today.year - 1]
    shape = (
        province_shape(households=households, province_code=province_code, per_commune=per_commune, seed=seed)
        if province_code is not None
        else national_shape(households=households, seed=seed, communes=communes)
    )
    tree = shape_units(shape)
    all_communes = [commune for _province, items in tree for commune, _shape, _villages in items]
    occupied = set(
        Household.objects.filter(commune_id__in=[c.pk for c in all_communes])
        .values_list("commune_id", flat=True)
        .distinct()
    )
    todo = [
        (province, commune, commune_shape, villages)
        for province, items in tree
        for commune, commune_shape, villages in items
        if commune.pk not in occupied
    ]
    logger.info("%7.1f s  units (%d communes to fill)", time.monotonic() - started, len(todo))
    rounds = _rounds([commune for _p, commune, _s, _v in todo], years)
    logger.info("%7.1f s  rounds", time.monotonic() - started)
    made = (0, 0, 0)
    if connection.vendor == "postgresql":
        made = _fill_in_database(todo, rounds=rounds, seed=seed, years=years, today=today)
        if progress:
            progress(len(all_communes), len(all_communes))
    else:
        done = len(all_communes) - len(todo)
        ids: dict[str, CitizenIds] = {}
        for province, commune, commune_shape, villages in todo:
            if province.code not in ids:
                ids[province.code] = CitizenIds(province.code)
            counts = _fill_commune(
                commune=commune,
                shape=commune_shape,
                villages=villages,
                seed=seed,
                ids=ids[province.code],
                today=today,
                years=years,
                rounds={
                    year: ReviewRound(
                        pk=rounds[commune.pk, year],
                        review_date=default_review_date(year=year, kind=RoundKind.REGULAR, month=None),
                    )
                    for year in years
                },
            )
            made = (made[0] + counts[0], made[1] + counts[1], made[2] + counts[2])
            done += 1
            if progress:
                progress(done, len(all_communes))
    if todo:
        made_communes = [commune.pk for _p, commune, _s, _v in todo]
        _statuses_recorded([commune for _p, commune, _s, _v in todo], [p for p, _items in tree])
        # The rounds were written in bulk, not decided through the service: their rollup is counted here.
        logger.info("%7.1f s  rows and indexes, statuses recorded", time.monotonic() - started)
        rollup_rebuild(commune_ids=made_communes)
        logger.info("%7.1f s  rollup counted", time.monotonic() - started)
    if connection.vendor == "postgresql" and made[0]:
        # VACUUM as well as ANALYZE: rows just copied in are not yet marked all-visible, and until they are
        # every index-only scan the list relies on (households migration 0009) reads the table anyway.
        # Autovacuum would get there eventually; a fresh load should be measured as it will run. VACUUM
        # cannot run inside a transaction (the test suite's): there, statistics only.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for model in (Household, Member, ReviewResult):
                cursor.execute(f"{command} {model._meta.db_table}")
        logger.info("%7.1f s  %s", time.monotonic() - started, command)
    return SyntheticSummary(
        province=tree[0][0],
        provinces=len(tree),
        communes=len(all_communes),
        households_created=made[0],
        members_created=made[1],
        results_created=made[2],
        communes_skipped=len(all_communes) - len(todo),
    )


def _statuses_recorded(communes: list[Unit], provinces: list[Unit]) -> None:
    """The stored statuses were computed from the communes' decided rounds: record it, as the refresh does."""
    keys: dict[int, str] = {}
    for province in provinces:
        keys.update(decided_rounds_keys(under_path=province.path))
    ids = [c.pk for c in communes]
    StatusRefresh.objects.filter(commune_id__in=ids).delete()
    StatusRefresh.objects.bulk_create(
        [StatusRefresh(commune_id=pk, rounds_key=keys.get(pk, "")) for pk in ids], batch_size=5000
    )


@transaction.atomic
def _fill_in_database(
    todo: list[tuple[Unit, Unit, CommuneShape, list[Unit]]],
    *,
    rounds: dict[tuple[int, int], int],
    seed: int,
    years: list[int],
    today: datetime.date,
) -> tuple[int, int, int]:
    """All the communes at once, drawn by PostgreSQL (``demo.synthetic_sql``), in one transaction. The big
    tables' indexes are dropped and rebuilt when the load is at least as large as what they hold."""
    loads = [
        VillageLoad(
            village=village,
            commune=commune,
            households=village_shape.households,
            leaning=commune_shape.leaning,
            minority_share=commune_shape.minority_share,
            id_prefix=id_prefix(province.code),
        )
        for province, commune, commune_shape, villages in todo
        for village, village_shape in zip(villages, commune_shape.villages, strict=True)
        if village_shape.households
    ]
    total = sum(load.households for load in loads)
    if not total:
        return (0, 0, 0)
    existing = Household.objects.count()
    ids = {
        "Household": _reserve_ids(Household, total),
        # members: at most 1 + 1 + 4 + 1 per household
        "Member": _reserve_ids(Member, total * 7),
        "ReviewResult": _reserve_ids(ReviewResult, total * len(years)),
    }
    made = generate(
        loads,
        seed=seed,
        years=years,
        rounds=rounds,
        today=today,
        ids=ids,
        rebuild_indexes=total >= existing,
    )
    with connection.cursor() as cursor:  # the members' sequence: just past the members written
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM households_member))",
            [Member._meta.db_table],
        )
    return made
