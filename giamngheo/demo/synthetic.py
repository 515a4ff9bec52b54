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
import math
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from giamngheo.errors import InputError
from giamngheo.households.labour import standard_on
from giamngheo.households.models import Household, Member, StatusRefresh
from giamngheo.households.services import household_search_text
from giamngheo.reviews.models import ResultSource, ReviewResult, ReviewRound, RoundKind, RoundState
from giamngheo.reviews.services import default_review_date
from giamngheo.reviews.statuses import decided_rounds_keys
from giamngheo.standards.facts import HouseholdFacts, MemberFacts
from giamngheo.standards.indicators import has_no_labour_capacity
from giamngheo.standards.loader import standard_for_year
from giamngheo.standards.transitions import ON_LISTS, status_from_history, transitions
from giamngheo.text import fold
from giamngheo.units.models import Unit, UnitLevel
from giamngheo.units.services import UnitData, unit_upsert

_fold = functools.lru_cache(maxsize=200_000)(fold)  # names repeat a lot: fold each once

HOUSEHOLDS_PER_COMMUNE = 8_000  # after the 2025 mergers a commune holds ~8,000 households on average
VILLAGES_PER_COMMUNE = 12

# Weights from published surname frequencies (Nguyễn ≈ 38 %, Trần ≈ 11 %, Lê ≈ 9.5 %, …).
FAMILY = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 5), ("Phan", 4.5), ("Vũ", 3.9),
    ("Võ", 3), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1),
    ("Lý", 0.5), ("Đinh", 0.8), ("Trương", 0.7), ("Hà", 0.6), ("Lương", 0.5), ("Thái", 0.4),
]  # fmt: skip
MIDDLE = {
    "male": [("Văn", 45), ("Đức", 10), ("Hữu", 10), ("Minh", 8), ("Quang", 6), ("Công", 5), ("Thành", 4),
             ("Xuân", 4), ("Đình", 4), ("Ngọc", 2), ("Trọng", 2)],
    "female": [("Thị", 60), ("Ngọc", 8), ("Thu", 6), ("Thanh", 5), ("Minh", 4), ("Hồng", 4), ("Kim", 3),
               ("Thùy", 3), ("Mai", 3), ("Phương", 2), ("Bích", 2)],
}  # fmt: skip
GIVEN = {
    "male": ["Anh", "Bình", "Cường", "Dũng", "Đức", "Hùng", "Hải", "Hiếu", "Hoàng", "Huy", "Khánh", "Long",
             "Lâm", "Mạnh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quý", "Sơn", "Tài", "Thắng", "Thành",
             "Tiến", "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Đạt", "Định", "Hưng", "Lợi", "Tâm"],
    "female": ["Anh", "Bích", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Huệ",
               "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên",
               "Tâm", "Thảo", "Thủy", "Trang", "Uyên", "Vân", "Yến", "Nga", "Nhàn", "Lý", "Thơ", "Xuân"],
}  # fmt: skip
PLACE = [
    "An", "Bình", "Châu", "Đông", "Giang", "Hà", "Hải", "Hòa", "Hồng", "Hưng", "Kim", "Lâm", "Long", "Mỹ",
    "Nam", "Ninh", "Phú", "Phúc", "Quang", "Sơn", "Tân", "Thạch", "Thanh", "Thịnh", "Thượng", "Tiến",
    "Trung", "Trường", "Vĩnh", "Xuân", "Yên", "Đức", "Cẩm", "Kỳ", "Lộc", "Mai", "Hương",
]  # fmt: skip
MINORITIES = ["Thái", "Mường", "Tày", "H'Mông", "Dao", "Nùng", "Chứt", "Lào"]


@dataclass
class SyntheticSummary:
    province: Unit
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


def place_name(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = f"{rng.choice(PLACE)} {rng.choice(PLACE)}"
        if name not in taken and len(set(name.split())) == 2:
            taken.add(name)
            return name


# --- units ----------------------------------------------------------------------------------------------


def synthetic_units(
    *, province_code: str, communes: int, seed: int
) -> tuple[Unit, list[tuple[Unit, list[Unit]]]]:
    """The province, its communes and their villages (created with ``units.services``; idempotent)."""
    levels = {level.code: level for level in UnitLevel.objects.all()}
    rng = random.Random(f"units-{seed}")
    province, _ = unit_upsert(
        data=UnitData(
            code=province_code,
            name=f"Tổng hợp {province_code} (tổng hợp)",
            level=levels["province"],
            parent=None,
            area="rural",
        )
    )
    taken: set[str] = set()
    tree = []
    for c in range(1, communes + 1):
        name = place_name(rng, taken)
        urban = c % 10 == 0  # one in ten is a ward (phường)
        commune, _ = unit_upsert(
            data=UnitData(
                code=f"{province_code}-{c:03d}",
                name=f"{name} (tổng hợp)",
                level=levels["commune"],
                parent=province,
                area="urban" if urban else "rural",
                sort_order=c,
            )
        )
        villages = []
        for v in range(1, VILLAGES_PER_COMMUNE + 1):
            village, _ = unit_upsert(
                data=UnitData(
                    code=f"{province_code}-{c:03d}-{v:02d}",
                    name=f"{'Tổ dân phố' if urban else 'Thôn'} {v}",
                    level=levels["village"],
                    parent=commune,
                    area=commune.area,
                    sort_order=v,
                )
            )
            villages.append(village)
        tree.append((commune, villages))
    return province, tree


# --- households and members -----------------------------------------------------------------------------


def _birth(rng: random.Random, today: datetime.date, age: int) -> datetime.date:
    return datetime.date(today.year - age, 1, 1) + datetime.timedelta(days=rng.randrange(365))


def _maybe(rng: random.Random, p_true: float, p_unknown: float = 0.0) -> bool | None:
    r = rng.random()
    if r < p_unknown:
        return None
    return r < p_unknown + p_true * (1 - p_unknown)


class CitizenIds:
    """12-digit IDs shaped like real ones (province, century and sex, birth year, serial), unique: the next
    serial of each prefix continues after the highest already in the database."""

    def __init__(self, province_code: str) -> None:
        digits = "".join(ch for ch in province_code if ch.isdigit()) or "0"
        self.province = f"{int(digits) % 1000:03d}"
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
    rng: random.Random, today: datetime.date, ids: CitizenIds, *, code: str, area: str, minority_share: float
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One household's row and its members' rows (dicts of model attribute → value)."""
    poor_leaning = rng.random() < 0.12
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


STATUS_NEXT = {  # yearly movement between reviews (rough national proportions)
    None: ([("poor", 0.04), ("near_poor", 0.045), ("average", 0.09), ("not_poor", 0.825)]),
    "poor": ([("poor", 0.72), ("near_poor", 0.14), ("average", 0.06), ("not_poor", 0.08)]),
    "near_poor": ([("poor", 0.05), ("near_poor", 0.63), ("average", 0.17), ("not_poor", 0.15)]),
    "average": ([("poor", 0.006), ("near_poor", 0.02), ("average", 0.8), ("not_poor", 0.174)]),
    "not_poor": ([("poor", 0.002), ("near_poor", 0.006), ("average", 0.02), ("not_poor", 0.972)]),
}
POOR_LEANING_START = [("poor", 0.3), ("near_poor", 0.3), ("average", 0.2), ("not_poor", 0.2)]


def statuses(rng: random.Random, years: int, poor_leaning: bool) -> list[str]:
    out: list[str] = []
    for index in range(years):
        table = POOR_LEANING_START if index == 0 and poor_leaning else STATUS_NEXT[out[-1] if out else None]
        names, weights = zip(*table, strict=True)
        out.append(rng.choices(names, weights=weights)[0])
    return out


# --- writing --------------------------------------------------------------------------------------------


def _converters(model: type[models.Model], columns: list[str]) -> list[Callable[[Any], Any]]:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    out: list[Callable[[Any], Any]] = []
    for column in columns:
        f = fields[column]
        if isinstance(f, models.JSONField):
            out.append(functools.partial(f.get_db_prep_save, connection=connection))
        else:
            out.append(lambda v: v)
    return out


def _columns(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def _complete(model: type[models.Model], row: dict[str, Any], now: datetime.datetime) -> dict[str, Any]:
    """Every concrete column: the given value, else the field's default (so new columns with defaults
    added by other apps later do not break the bulk path)."""
    out = {}
    for f in model._meta.concrete_fields:
        if f.attname in row:
            out[f.attname] = row[f.attname]
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            out[f.attname] = now
        elif f.has_default():
            out[f.attname] = f.get_default()
        elif f.null:
            out[f.attname] = None
        elif isinstance(f, models.CharField | models.TextField):
            out[f.attname] = ""
        else:
            out[f.attname] = None
    return out


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
    names = ", ".join(connection.ops.quote_name(f.column) for f in model._meta.concrete_fields)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {model._meta.db_table} ({names}) FROM STDIN") as copy:
            for row in full:
                copy.write_row([fn(row[c]) for fn, c in zip(convert, columns, strict=True)])


def _commune_rounds(commune: Unit, years: list[int]) -> dict[int, ReviewRound]:
    """Decided regular rounds of the commune for these years (created as decided: official lists)."""
    rounds = {}
    for year in years:
        standard = standard_for_year(year)
        review_round, _ = ReviewRound.objects.get_or_create(
            commune=commune,
            year=year,
            kind=RoundKind.REGULAR,
            month=None,
            defaults={
                "standard_id": standard.id,
                "standard_version": standard.version,
                "review_date": default_review_date(year=year, kind=RoundKind.REGULAR, month=None),
                "state": RoundState.DECIDED,
                "decision_number": f"{year}/QĐ-UBND (tổng hợp)",
                "decision_date": datetime.date(year, 12, 20),
            },
        )
        rounds[year] = review_round
    return rounds


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


@transaction.atomic
def _fill_commune(
    *,
    commune: Unit,
    villages: list[Unit],
    count: int,
    seed: int,
    index: int,
    ids: CitizenIds,
    today: datetime.date,
    years: list[int],
) -> tuple[int, int, int]:
    rng = random.Random(f"{seed}-{commune.code}")
    minority_share = 0.8 if index % 7 == 3 else 0.02  # a few upland communes are mostly ethnic minorities
    rounds = _commune_rounds(commune, years)
    rules = standard_on(today).transitions
    households, members, results = [], [], []
    village_sizes = [rng.uniform(0.6, 1.4) for _ in villages]
    total = sum(village_sizes)
    cuts = list(itertools.accumulate(s / total for s in village_sizes))
    for n in range(1, count + 1):
        village = villages[
            min(len(villages) - 1, next(i for i, c in enumerate(cuts) if n / count <= c + 1e-12))
        ]
        household, people = synthetic_household(
            rng, today, ids, code=f"{n:05d}", area=commune.area, minority_share=minority_share
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
    province_code: str,
    seed: int = 2025,
    per_commune: int = HOUSEHOLDS_PER_COMMUNE,
    years: Iterable[int] | None = None,
    today: datetime.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SyntheticSummary:
    """Make the province hold ``households`` synthetic households (with members and review results).

    Communes are filled one transaction each; a commune that already has households is left alone, so the
    command can be re-run after an interruption, or to grow nothing when the register is already there.
    """
    if households < 1:
        raise InputError.single(
            "Số hộ phải ≥ 1", "The number of households must be at least 1", column="--households"
        )
    if not province_code.strip() or "/" in province_code:
        raise InputError.single("Mã tỉnh không hợp lệ", "Invalid province code", column="--province-code")
    today = today or timezone.localdate()
    years = sorted(years) if years is not None else [today.year - 3, today.year - 2, today.year - 1]
    communes = max(1, math.ceil(households / per_commune))
    province, tree = synthetic_units(province_code=province_code, communes=communes, seed=seed)
    existing = dict(
        Household.objects.filter(unit_path__startswith=province.path)
        .values("commune_id")
        .annotate(n=models.Count("id"))
        .values_list("commune_id", "n")
    )
    ids = CitizenIds(province_code)
    made = [0, 0, 0]
    skipped = 0
    base, extra = divmod(households, communes)
    for index, (commune, villages) in enumerate(tree):
        count = base + (1 if index < extra else 0)
        if existing.get(commune.pk):
            skipped += 1
        else:
            for i, n in enumerate(
                _fill_commune(
                    commune=commune,
                    villages=villages,
                    count=count,
                    seed=seed,
                    index=index,
                    ids=ids,
                    today=today,
                    years=years,
                )
            ):
                made[i] += n
        if progress:
            progress(index + 1, communes)
    if connection.vendor == "postgresql" and made[0]:
        # VACUUM as well as ANALYZE: rows just copied in are not yet marked all-visible, and until they are
        # every index-only scan the list relies on (households migration 0009) reads the table anyway.
        # Autovacuum would get there eventually; a fresh load should be measured as it will run. VACUUM
        # cannot run inside a transaction (the test suite's): there, statistics only.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for model in (Household, Member, ReviewResult):
                cursor.execute(f"{command} {model._meta.db_table}")
    return SyntheticSummary(
        province=province,
        communes=communes,
        households_created=made[0],
        members_created=made[1],
        results_created=made[2],
        communes_skipped=skipped,
    )
