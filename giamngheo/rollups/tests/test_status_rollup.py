"""The status rollup: every decision and imported list adds its delta, and the sums always equal a recount
from the decided results; the rollup per province and per commune, scoped."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from giamngheo.accounts.models import Role, User
from giamngheo.demo.synthetic import synthetic_register
from giamngheo.households.models import Household
from giamngheo.imports.household_list import households_import
from giamngheo.reviews.models import ResultSource, RoundKind
from giamngheo.reviews.services import ResultRow, results_record, review_round_decide, review_round_open
from giamngheo.rollups.models import StatusRollup
from giamngheo.rollups.selectors import status_rollup
from giamngheo.rollups.services import rollup_rebuild, rollup_recount
from giamngheo.testing.files import commune_workbook
from giamngheo.units.models import Unit

pytestmark = pytest.mark.django_db


def stored() -> dict[tuple[int, int, str], tuple[int, int]]:
    return {
        (r.year, r.commune_id, r.status): (r.households, r.members)
        for r in StatusRollup.objects.all()
        if r.households or r.members
    }


def decide(
    commune: Unit, year: int, statuses: dict[str, str], *, kind: str = RoundKind.ADHOC, month: int = 12
):
    review_round = review_round_open(commune=commune, year=year, kind=kind, month=month)
    households = {h.code: h for h in Household.objects.filter(code__in=statuses)}
    results_record(
        review_round=review_round,
        rows=[
            ResultRow(household=households[c], status=s, source=ResultSource.IMPORTED)
            for c, s in statuses.items()
        ],
    )
    return review_round_decide(
        review_round=review_round, decision_number=f"{month}/QĐ", decision_date=timezone.localdate()
    )


def test_imported_lists_and_decisions_keep_the_rollup_equal_to_a_recount(son_trung, tmp_path):
    commune_xlsx = commune_workbook(tmp_path / "danh-sach.xlsx")
    households_import(path=commune_xlsx, year=2024)  # decided as it came: through review_round_decide
    assert stored() == rollup_recount() != {}
    assert stored()[2024, son_trung.pk, "poor"] == (2, 7)  # ST001 (4 people) and ST005 (3)

    # An ad-hoc round after the yearly review moves two households; one more household enters the year.
    decide(son_trung, 2024, {"ST001": "near_poor", "ST004": "poor"}, month=12)
    assert stored()[2024, son_trung.pk, "poor"] == (2, 4)  # ST005 (3) and ST004 (1)
    assert stored() == rollup_recount()

    # An ad-hoc round dated before the yearly review, decided after it: the yearly review still wins.
    decide(son_trung, 2024, {"ST002": "poor"}, month=6)
    assert stored()[2024, son_trung.pk, "near_poor"][0] == 2  # ST002 (yearly review) and ST001
    assert stored() == rollup_recount()

    # The next year's list, imported: a year of its own.
    households_import(path=commune_xlsx, year=2025)
    assert stored() == rollup_recount()
    assert sum(h for (y, _c, _s), (h, _m) in stored().items() if y == 2025) == 5

    before = stored()
    call_command("rollup_rebuild")
    assert stored() == before


def test_the_synthetic_register_fills_the_rollup_and_it_reads_per_province_and_commune(demo):
    summary = synthetic_register(households=400, communes=40, today=datetime.date(2026, 12, 1))
    assert summary.provinces == 34 and summary.households_created == 400
    assert stored() == rollup_recount()
    admin = User.objects.create(username="quantri.tonghop", role=Role.SYSTEM_ADMIN)
    total, provinces = status_rollup(user=admin, year=2025, level="province")
    assert total.total == 400 and len(provinces) == 34
    assert sum(p.total for p in provinces) == 400
    hanoi = Unit.objects.get(code="S01")
    viewer = User.objects.create(username="tinh.s01", role=Role.PROVINCE_VIEWER, unit=hanoi)
    own, communes = status_rollup(user=viewer, year=2025, level="commune")
    assert {c.unit.parent_id for c in communes} == {hanoi.pk}
    assert own.total == Household.objects.filter(unit_path__startswith=hanoi.path).count()
    assert own.members == {
        status: sum(
            m
            for (y, _c, s), (_h, m) in stored().items()
            if y == 2025 and s == status and _c in {c.unit.pk for c in communes}
        )
        for status in own.members
    }
    assert rollup_rebuild() == len(stored())
