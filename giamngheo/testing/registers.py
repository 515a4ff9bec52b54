"""The small registers the tests build on the demo tree, one fixture name each, and their builders.

| fixture | what | codes |
|---|---|---|
| ``household_register`` | Sơn Trung and Sơn Hồng households with members, decided regular reviews 2022–2024 written directly (the register's tests) | ``T-001``…``T-004`` |
| ``review_register`` | Mai Hà and Hà Tràng households for the review workflow; ``decided_2022``, ``round_2023`` and ``decided_2023`` take them through the rounds | ``RV-01``…``RV-11`` |
| ``support_register`` | Sơn Trung and Sơn Hồng households written through the services, decided reviews of 2022 and 2023 and an ad-hoc June 2023 round (supports, figures, dashboard, progress report) | ``T01``…``T06``, ``H01`` |
| ``son_hong_register`` | Sơn Hồng with a small decided end-2022 review, so plan tests never touch Sơn Trung's figures | ``SH…`` |

Codes are distinct from the demo's, so assertions can ignore whatever else the demo loads. Each register is
built once per test module and each test gets its own copy (see ``giamngheo.testing.session``).
"""  # noqa: E501

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from giamngheo.households.models import Household, Member
from giamngheo.households.services import household_create, member_add
from giamngheo.reviews.models import (
    ListReason,
    ResultSource,
    ReviewResult,
    ReviewRound,
    RoundHousehold,
    RoundKind,
    RoundState,
    Status,
)
from giamngheo.reviews.services import (
    ResultRow,
    SurveyInput,
    decision_issue,
    decision_prepare,
    posting_record,
    results_record,
    review_round_decide,
    review_round_open,
    round_household_add,
    round_households_seed,
    survey_record,
    village_meeting_record,
)
from giamngheo.reviews.statuses import household_statuses_refresh
from giamngheo.testing.personas import persona
from giamngheo.testing.session import built_once, fresh
from giamngheo.units.models import Unit

# --- household_register: the register's tests (decided rounds written directly) --------------------------


def decided_round(commune: Unit, year: int) -> ReviewRound:
    """The decided regular round of ``year``, written directly (the review workflow has its own tests)."""
    return ReviewRound.objects.get_or_create(
        commune=commune,
        year=year,
        kind=RoundKind.REGULAR,
        month=None,
        defaults={
            "standard_id": "VN-2022-2025",
            "standard_version": "1",
            "review_date": datetime.date(year, 12, 14),
            "state": RoundState.DECIDED,
            "decision_number": f"{year}/QĐ-UBND",
            "decision_date": datetime.date(year, 12, 20),
        },
    )[0]


def record(household: Household, statuses: dict[int, str]) -> None:
    """Results of decided rounds, then the stored status refreshed as a decision does (writes refresh it)."""
    for year, status in statuses.items():
        ReviewResult.objects.create(
            review_round=decided_round(household.commune, year),
            household=household,
            unit_path=household.unit_path,
            status=status,
            members=household.size,
        )
    household_statuses_refresh(commune=household.commune)


def build_household_register(officer) -> dict:  # type: ignore[no-untyped-def]
    mai_ha = Unit.objects.get(code="18133-01")
    ha_trang = Unit.objects.get(code="18133-02")
    son_hong_1 = Unit.objects.get(code="18136-01")
    h1 = household_create(
        actor=officer,
        village=mai_ha,
        code="T-001",
        head_name="Nguyễn Văn Đức",
        size=3,
        social_protection=True,
    )
    member_add(
        actor=officer,
        household=h1,
        full_name="Nguyễn Văn Đức",
        relation="head",
        sex="male",
        birth_date=datetime.date(1980, 3, 2),
        citizen_id="042080000123",
        able_to_work=True,
    )
    member_add(
        actor=officer,
        household=h1,
        full_name="Trần Thị Hoa",
        relation="spouse",
        sex="female",
        birth_date=datetime.date(1983, 7, 9),
        citizen_id="042183000456",
        able_to_work=True,
    )
    member_add(
        actor=officer,
        household=h1,
        full_name="Nguyễn Văn An",
        relation="child",
        sex="male",
        birth_date=datetime.date(2012, 1, 5),
    )
    h2 = household_create(actor=officer, village=ha_trang, code="T-002", head_name="Lê Thị Lan", size=1)
    member_add(
        actor=officer,
        household=h2,
        full_name="Lê Thị Lan",
        relation="head",
        sex="female",
        birth_date=datetime.date(1940, 5, 1),
        able_to_work=False,
    )
    h3 = household_create(
        actor=officer,
        village=mai_ha,
        code="T-003",
        head_name="Đặng Văn Bình",
        size=2,
        ethnic_minority=True,
        meritorious=True,
    )
    member_add(
        actor=officer,
        household=h3,
        full_name="Đặng Văn Bình",
        relation="head",
        sex="male",
        birth_date=datetime.date(1975, 1, 1),
        able_to_work=True,
    )
    h4 = household_create(actor=None, village=son_hong_1, code="T-004", head_name="Nguyễn Văn Đức", size=2)
    record(h1, {2022: "poor", 2023: "poor", 2024: "near_poor"})
    record(h2, {2022: "poor", 2023: "not_poor", 2024: "not_poor"})
    record(h3, {2022: "not_poor", 2023: "not_poor", 2024: "not_poor"})
    record(h4, {2024: "poor"})
    return {"h1": h1, "h2": h2, "h3": h3, "h4": h4, "mai_ha": mai_ha, "ha_trang": ha_trang}


@pytest.fixture(scope="module")
def _household_register_built(request, django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    yield from built_once(
        request, django_db_blocker, lambda: build_household_register(persona("canbo.sontrung"))
    )


@pytest.fixture
def household_register(_household_register_built, demo, officer) -> dict:  # type: ignore[no-untyped-def]
    """T-001 (Mai Hà, 3 members, social protection; poor 2022–2023, near-poor 2024), T-002 (Hà Tràng, an
    elder alone; poor 2022), T-003 (Mai Hà, ethnic minority, meritorious; never poor), T-004 (Sơn Hồng 1;
    poor 2024); keys ``h1``…``h4``, ``mai_ha``, ``ha_trang``."""
    return fresh(_household_register_built, lambda: build_household_register(officer))


# --- review_register: the review workflow (households RV-, rounds of 2022 and 2023) ----------------------

DEPRIVED_3 = {"health_insurance": True, "sanitation": True, "telecom": True}


def make_household(village: Unit, code: str, head: str, size: int = 3, **facts) -> Household:  # type: ignore[no-untyped-def]
    household = household_create(actor=None, village=village, code=code, head_name=head, size=size, **facts)
    member_add(
        actor=None,
        household=household,
        full_name=head,
        relation="head",
        birth_date=datetime.date(1970, 5, 1),
        sex="male",
        has_health_insurance=False,
        able_to_work=True,
        employment="self_employed",
    )
    return household


def build_review_register() -> dict[str, Household]:
    mai_ha = Unit.objects.select_related("level").get(code="18133-01")
    ha_trang = Unit.objects.select_related("level").get(code="18133-02")
    facts = {"safe_water": True, "hygienic_latrine": False, "internet_use": False, "owns_info_device": True}
    return {
        "RV-01": make_household(mai_ha, "RV-01", "Nguyễn Văn Đức", 4, **facts),
        "RV-02": make_household(mai_ha, "RV-02", "Trần Thị Hoa", 2, **facts),
        "RV-03": make_household(mai_ha, "RV-03", "Lê Văn Tâm", 5, **facts),
        "RV-04": make_household(mai_ha, "RV-04", "Phạm Thị Lụa", 3, **facts),
        "RV-11": make_household(ha_trang, "RV-11", "Hoàng Văn Sơn", 3, **facts),
    }


@pytest.fixture(scope="module")
def _review_register_built(request, django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    yield from built_once(request, django_db_blocker, build_review_register)


@pytest.fixture
def review_register(_review_register_built, demo) -> dict[str, Household]:  # type: ignore[no-untyped-def]
    """RV-01…RV-04 in Mai Hà and RV-11 in Hà Tràng, each with its head, by code."""
    return fresh(_review_register_built, build_review_register)


@pytest.fixture
def decided_2022(son_trung, review_register) -> ReviewRound:  # type: ignore[no-untyped-def]
    """The end-2022 lists, imported and decided: RV-01 and RV-11 poor, RV-02 near-poor, RV-03 not poor."""
    review_round = review_round_open(commune=son_trung, year=2022)
    statuses = {
        "RV-01": Status.POOR,
        "RV-02": Status.NEAR_POOR,
        "RV-03": Status.NOT_POOR,
        "RV-11": Status.POOR,
    }
    results_record(
        review_round=review_round,
        rows=[
            ResultRow(household=review_register[code], status=status, source=ResultSource.IMPORTED)
            for code, status in statuses.items()
        ],
    )
    return review_round_decide(
        review_round=review_round, decision_number="150/QĐ-UBND", decision_date=datetime.date(2022, 12, 20)
    )


@pytest.fixture
def round_2023(son_trung, decided_2022) -> ReviewRound:  # type: ignore[no-untyped-def]
    return review_round_open(commune=son_trung, year=2023)


def survey(  # type: ignore[no-untyped-def]
    entry: RoundHousehold,
    *,
    income: int | None = 1_200_000,
    answers: dict | None = None,
    b1_score: int | None = None,
    **kwargs,
):
    return survey_record(
        entry=entry,
        data=SurveyInput(
            b1_score=b1_score, income_per_capita=income, answers=answers if answers is not None else {}
        ),
        surveyed_on=datetime.date(2023, 10, 2),
        interviewer="Điều tra viên",
        **kwargs,
    )


def take_through_posting(
    review_round: ReviewRound, village: Unit, outcomes: dict[str, tuple[int | None, dict]]
) -> None:
    """Survey the named households of ``village`` (income, answers), agree them all, and post them."""
    entries = {
        e.household.code: e
        for e in RoundHousehold.objects.filter(review_round=review_round).select_related("household")
    }
    for code, (income, answers) in outcomes.items():
        survey(entries[code], income=income, answers=answers)
    village_meeting_record(
        review_round=review_round,
        village=village,
        held_on=datetime.date(2023, 11, 6),
        chair_name="Trần Văn Hùng",
        front_supervisor_name="Nguyễn Thị Mặt Trận",
        attendees=40,
        votes={entries[code].pk: 30 for code in outcomes},
    )
    posting_record(review_round=review_round, village=village, starts_on=datetime.date(2023, 11, 13))


@pytest.fixture
def decided_2023(round_2023, review_register, mai_ha, ha_trang):  # type: ignore[no-untyped-def]
    """2022: RV-01 poor, RV-02 near-poor, RV-03 not poor, RV-11 poor. 2023 surveyed, met, posted, decided."""
    round_households_seed(review_round=round_2023)
    round_household_add(
        review_round=round_2023,
        household=review_register["RV-04"],
        reason=ListReason.REQUESTED,
        request_date=datetime.date(2023, 9, 5),
    )
    take_through_posting(
        round_2023,
        mai_ha,
        {
            "RV-01": (1_300_000, {"sanitation": False}),  # poor → near-poor
            "RV-02": (1_000_000, DEPRIVED_3),  # near-poor → poor
            "RV-04": (1_000_000, DEPRIVED_3),  # never on a list → newly poor
        },
    )
    take_through_posting(round_2023, ha_trang, {"RV-11": (2_600_000, {})})  # poor → not poor
    return decide_as_chairman(round_2023, number="210/QĐ-UBND", day=datetime.date(2023, 12, 1))


# The demo's commune chairman, who signs (and is printed on) the decisions issued in the pages.
CHAIRMAN_NAME = "Trần Đình Quang (demo)"


def prepare_2023(review_round: ReviewRound, actor, number: str = "77/QĐ-UBND") -> ReviewRound:  # type: ignore[no-untyped-def]
    """The 2023 decision prepared by ``actor``, dated 20/12/2023, not issued."""
    return decision_prepare(
        review_round=review_round,
        decision_number=number,
        decision_date=datetime.date(2023, 12, 20),
        actor=actor,
    )


def decide_as_chairman(review_round: ReviewRound, *, number: str, day: datetime.date) -> ReviewRound:
    """A round decided as in the pages: the commune officer (``canbo.sontrung``) prepares the decision, the
    commune chairman (``chutich.sontrung``) issues it."""
    decision_prepare(
        review_round=review_round, decision_number=number, decision_date=day, actor=persona("canbo.sontrung")
    )
    return decision_issue(review_round=review_round, actor=persona("chutich.sontrung"))


# --- support_register: supports, figures, dashboard and the progress report -----------------------------
#
# | code | village | 2022 | 06/2023 (ad-hoc) | 2023 | notes |
# |---|---|---|---|---|---|
# | T01 | Mai Hà | poor | | poor | an unemployed adult, a child of 10 out of school, an elder without BHYT |
# | T02 | Mai Hà | poor | | near_poor | a damaged house |
# | T03 | Hà Tràng | near_poor | | not_poor | |
# | T04 | Hà Tràng | not_poor | near_poor | near_poor | fell into near-poverty in June |
# | T05 | Mai Hà | not_poor | | not_poor | |
# | T06 | Hà Tràng | near_poor | | near_poor | |
# | H01 | Sơn Hồng 1 | poor | | poor | another commune: outside the officer's unit |

STATUSES: dict[str, tuple[str, str, str | None, str]] = {
    # code: (village code, 2022, adhoc June 2023 or None, 2023)
    "T01": ("18133-01", "poor", None, "poor"),
    "T02": ("18133-01", "poor", None, "near_poor"),
    "T03": ("18133-02", "near_poor", None, "not_poor"),
    "T04": ("18133-02", "not_poor", "near_poor", "near_poor"),
    "T05": ("18133-01", "not_poor", None, "not_poor"),
    "T06": ("18133-02", "near_poor", None, "near_poor"),
    "H01": ("18136-01", "poor", None, "poor"),
}


@dataclass
class Register:
    households: dict[str, Household]
    members: dict[str, Member]
    commune: Unit
    mai_ha: Unit
    ha_trang: Unit

    def __getitem__(self, code: str) -> Household:
        return self.households[code]


def _decide(commune: Unit, year: int, rows: list[ResultRow], *, month: int | None = None) -> ReviewRound:
    kind = RoundKind.ADHOC if month else RoundKind.REGULAR
    review_date = datetime.date(year, month, 15) if month else datetime.date(year, 12, 14)
    review_round = review_round_open(
        commune=commune, year=year, kind=kind, month=month, review_date=review_date
    )
    results_record(review_round=review_round, rows=rows)
    return review_round_decide(
        review_round=review_round, decision_number=f"{year}-{month or 0}/QĐ (test)", decision_date=review_date
    )


def build_support_register() -> Register:
    units = {
        u.code: u
        for u in Unit.objects.filter(code__in=["18133", "18136", "18133-01", "18133-02", "18136-01"])
    }
    households: dict[str, Household] = {}
    members: dict[str, Member] = {}
    for code, (village_code, *_statuses) in STATUSES.items():
        village = units[village_code]
        households[code] = household_create(
            actor=None,
            village=village,
            code=code,
            head_name=f"Chủ hộ {code} (test)",
            size=3,
            income_per_capita=1_200_000 if code in ("T01", "T02", "H01") else 2_500_000,
            dwelling="semi_solid" if code == "T02" else "solid",
        )
    t01 = households["T01"]
    members["adult"] = member_add(
        actor=None,
        household=t01,
        full_name="Nguyễn Văn Lao (test)",
        birth_date=datetime.date(1985, 3, 1),
        sex="male",
        able_to_work=True,
        employment="unemployed",
        has_health_insurance=True,
    )
    members["child"] = member_add(
        actor=None,
        household=t01,
        full_name="Nguyễn Thị Bé (test)",
        birth_date=datetime.date(2013, 5, 1),
        sex="female",
        attending_school=False,
        has_health_insurance=True,
    )
    members["elder"] = member_add(
        actor=None,
        household=t01,
        full_name="Nguyễn Văn Cụ (test)",
        birth_date=datetime.date(1940, 1, 1),
        sex="male",
        able_to_work=False,
        has_health_insurance=False,
    )
    members["t06_child"] = member_add(
        actor=None,
        household=households["T06"],
        full_name="Lê Văn Học (test)",
        birth_date=datetime.date(2012, 2, 2),
        sex="male",
        attending_school=True,
        has_health_insurance=True,
    )
    members["other"] = member_add(
        actor=None,
        household=households["H01"],
        full_name="Võ Thị Khác (test)",
        birth_date=datetime.date(1980, 1, 1),
        sex="female",
        has_health_insurance=False,
    )
    communes = {"18133": units["18133"], "18136": units["18136"]}
    for commune in communes.values():
        mine = {c: h for c, h in households.items() if h.commune_id == commune.pk}
        _decide(commune, 2022, [ResultRow(h, STATUSES[c][1]) for c, h in mine.items()])
        adhoc = [ResultRow(h, status) for c, h in mine.items() if (status := STATUSES[c][2])]
        if adhoc:
            _decide(commune, 2023, adhoc, month=6)
        _decide(commune, 2023, [ResultRow(h, STATUSES[c][3]) for c, h in mine.items()])
    return Register(households, members, units["18133"], units["18133-01"], units["18133-02"])


@pytest.fixture(scope="module")
def _support_register_built(request, django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    yield from built_once(request, django_db_blocker, build_support_register)


@pytest.fixture
def support_register(_support_register_built, demo) -> Register:  # type: ignore[no-untyped-def]
    """T01…T06 in Sơn Trung and H01 in Sơn Hồng (see the table above), as a ``Register``."""
    return fresh(_support_register_built, build_support_register)


# --- son_hong_register: the neighbouring commune, for the plan tests -------------------------------------

# village code suffix → statuses of its households at the end of 2022 (labour capacity: True for "p+", "n+")
SON_HONG_2022 = {
    "01": ["p+", "p", "p", "n+", "n", "x", "x", "x", "x", "x"],
    "02": ["p+", "n+", "n+", "x", "x", "x", "x", "x"],
}
_STATUS = {"p": "poor", "n": "near_poor", "x": "not_poor"}


def build_son_hong_register(*, decided: bool = True, year: int = 2022) -> Unit:
    """Sơn Hồng's households of ``SON_HONG_2022`` and the regular round of ``year`` (decided unless not)."""
    commune = Unit.objects.select_related("level").get(code="18136")
    review_round = review_round_open(commune=commune, year=year)
    rows = []
    for suffix, statuses in SON_HONG_2022.items():
        village = Unit.objects.select_related("level", "parent").get(code=f"18136-{suffix}")
        for number, code in enumerate(statuses, start=1):
            household = household_create(
                actor=None,
                village=village,
                code=f"SH{suffix}{number:02d}{year}",
                head_name=f"Hộ thử {number}",
                size=2,
            )
            rows.append(
                ResultRow(household=household, status=_STATUS[code[0]], labour_capacity=code.endswith("+"))
            )
    results_record(review_round=review_round, rows=rows)
    if decided:
        review_round_decide(
            review_round=review_round, decision_number="9/QĐ-UBND", decision_date=datetime.date(year, 12, 20)
        )
    return commune


@pytest.fixture(scope="module")
def _son_hong_register_built(request, django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    yield from built_once(request, django_db_blocker, build_son_hong_register)


@pytest.fixture
def son_hong_register(_son_hong_register_built, demo) -> Unit:  # type: ignore[no-untyped-def]
    """Sơn Hồng (the commune) with its small register and its decided end-2022 review."""
    return fresh(_son_hong_register_built, build_son_hong_register)
