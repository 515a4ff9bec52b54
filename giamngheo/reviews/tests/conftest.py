"""A small register in Mai Hà and Hà Tràng, the decided review of 2022, and the open regular round of 2023.

Household codes start with ``RV-`` so the tests never depend on what else the demo may load.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation
from django.utils.translation import gettext

from giamngheo.households.models import Household
from giamngheo.households.services import household_create, member_add
from giamngheo.reviews.models import ListReason, ResultSource, ReviewRound, RoundHousehold, Status
from giamngheo.reviews.services import (
    ResultRow,
    SurveyInput,
    posting_record,
    results_record,
    review_round_decide,
    review_round_open,
    round_household_add,
    round_households_seed,
    survey_record,
    village_meeting_record,
)
from giamngheo.units.models import Unit

DEPRIVED_3 = {"health_insurance": True, "sanitation": True, "telecom": True}


def vi(msgid: str) -> str:
    """A message as the Vietnamese catalogue has it (the msgid itself until the catalogue has it)."""
    with translation.override("vi"):
        return gettext(msgid)


@pytest.fixture
def mai_ha(demo) -> Unit:  # type: ignore[no-untyped-def]
    return Unit.objects.select_related("level").get(code="18133-01")


@pytest.fixture
def ha_trang(demo) -> Unit:  # type: ignore[no-untyped-def]
    return Unit.objects.select_related("level").get(code="18133-02")


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


@pytest.fixture
def register(mai_ha, ha_trang) -> dict[str, Household]:  # type: ignore[no-untyped-def]
    facts = {"safe_water": True, "hygienic_latrine": False, "internet_use": False, "owns_info_device": True}
    return {
        "RV-01": make_household(mai_ha, "RV-01", "Nguyễn Văn Đức", 4, **facts),
        "RV-02": make_household(mai_ha, "RV-02", "Trần Thị Hoa", 2, **facts),
        "RV-03": make_household(mai_ha, "RV-03", "Lê Văn Tâm", 5, **facts),
        "RV-04": make_household(mai_ha, "RV-04", "Phạm Thị Lụa", 3, **facts),
        "RV-11": make_household(ha_trang, "RV-11", "Hoàng Văn Sơn", 3, **facts),
    }


@pytest.fixture
def decided_2022(son_trung, register) -> ReviewRound:  # type: ignore[no-untyped-def]
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
            ResultRow(household=register[code], status=status, source=ResultSource.IMPORTED)
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
def decided_2023(round_2023, register, mai_ha, ha_trang):
    """2022: RV-01 poor, RV-02 near-poor, RV-03 not poor, RV-11 poor. 2023 surveyed, met, posted, decided."""
    round_households_seed(review_round=round_2023)
    round_household_add(
        review_round=round_2023,
        household=register["RV-04"],
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
    return review_round_decide(
        review_round=round_2023,
        decision_number="210/QĐ-UBND",
        decision_date=datetime.date(2023, 12, 1),
        signer="Phan Văn Chủ Tịch",
    )
