"""Moving a unit (``units.services.unit_update`` with a new parent): the data under it follows, the
figures count every household once, and a move the data cannot follow is refused whole."""

import datetime

import pytest

from giamngheo.errors import InputError
from giamngheo.households.models import Household
from giamngheo.units.models import Unit, UnitMove
from giamngheo.units.services import UnitData, unit_update


def _household(village: Unit, code: str, head: str) -> Household:
    from giamngheo.households.services import household_create, member_add

    # In the register since before the reviews the tests decide (rates divide by the register on a day).
    household = household_create(
        actor=None,
        village=village,
        code=code,
        head_name=head,
        size=1,
        registered_on=datetime.date(2020, 1, 1),
    )
    member_add(
        actor=None,
        household=household,
        full_name=head,
        relation="head",
        birth_date=datetime.date(1980, 1, 1),
        sex="female",
        has_health_insurance=True,
        able_to_work=True,
        employment="self_employed",
    )
    return household


def _move(unit: Unit, parent: Unit, actor=None) -> Unit:  # type: ignore[no-untyped-def]
    data = UnitData(code=unit.code, name=unit.name, level=unit.level, parent=parent, area=unit.area)
    return unit_update(unit=unit, data=data, actor=actor)


def test_a_village_moved_to_another_commune_takes_its_households_with_it(son_trung, officer, other_officer):
    from giamngheo.households.models import Member
    from giamngheo.households.selectors import households_visible_to
    from giamngheo.reviews.models import ReviewResult, RoundState
    from giamngheo.reviews.services import ResultRow, results_record, review_round_open

    mai_ha = Unit.objects.get(code="18133-01")
    household = _household(mai_ha, "MV-01", "Đặng Thị Mơ")
    past = review_round_open(commune=son_trung, year=2023)
    results_record(review_round=past, rows=[ResultRow(household=household, status="poor")])
    past.state = RoundState.DECIDED
    past.save()
    son_hong = Unit.objects.get(code="18136")

    _move(mai_ha, son_hong, actor=officer)

    household.refresh_from_db()
    assert household.commune == son_hong and household.unit_path == "/42/18136/18133-01/"
    assert household.version == 2
    assert Member.objects.get(household=household).unit_path == household.unit_path
    assert ReviewResult.objects.get(household=household).unit_path == household.unit_path
    assert list(households_visible_to(other_officer)) == [household]  # Sơn Hồng's officer reads it now
    assert not households_visible_to(officer).filter(pk=household.pk).exists()
    change = household.history.order_by("-history_id").first()
    assert change.history_type == "~" and change.history_user_id == officer.pk
    assert change.prev_record.commune_id == son_trung.pk  # the history keeps where it was
    assert Household.objects.filter(commune=son_trung, village=mai_ha).count() == 0


def test_a_commune_moved_under_a_district_keeps_its_households_and_repaths_them(son_trung):
    mai_ha = Unit.objects.get(code="18133-01")
    household = _household(mai_ha, "MV-02", "Lò Văn Páo")
    _move(son_trung, Unit.objects.get(code="439"))
    household.refresh_from_db()
    assert household.commune_id == son_trung.pk and household.unit_path == "/42/439/18133/18133-01/"


def test_a_move_is_refused_whole_when_a_household_code_is_taken_in_the_new_commune(son_trung):
    mai_ha = Unit.objects.get(code="18133-01")
    household = _household(mai_ha, "MV-03", "Hà Văn Lực")
    _household(Unit.objects.get(code="18136-01"), "MV-03", "Người khác")
    with pytest.raises(InputError, match="MV-03") as error:
        _move(mai_ha, Unit.objects.get(code="18136"))
    assert error.value.problems[0].fix_en.startswith("Change these households' codes")
    mai_ha.refresh_from_db()
    household.refresh_from_db()
    assert mai_ha.path == household.unit_path == "/42/18133/18133-01/" and household.commune == son_trung


def test_a_village_cannot_leave_while_its_commune_reviews_it(son_trung):
    from giamngheo.reviews.services import review_round_open, round_household_add

    mai_ha = Unit.objects.get(code="18133-01")
    household = _household(mai_ha, "MV-04", "Vi Thị Hoa")
    review_round = review_round_open(commune=son_trung, year=2024)
    round_household_add(review_round=review_round, household=household, reason="added")
    with pytest.raises(InputError, match="Decide the review first"):
        _move(mai_ha, Unit.objects.get(code="18136"))
    household.refresh_from_db()
    assert household.unit_path == "/42/18133/18133-01/"


def test_importing_a_unit_list_that_moves_a_village_names_the_row_it_refuses(son_trung, tmp_path):
    from giamngheo.imports.unit_list import units_import

    mai_ha = Unit.objects.get(code="18133-01")
    _household(mai_ha, "MV-05", "Sầm Văn Tư")
    _household(Unit.objects.get(code="18136-01"), "MV-05", "Người khác")
    path = tmp_path / "don-vi.csv"
    path.write_text("code,name,level,parent_code\n18133-01,Mai Hà,thôn,18136\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        units_import(path=path)
    problem = error.value.problems[0]
    assert (problem.file, problem.row) == ("don-vi.csv", 2) and "MV-05" in problem.message_vi
    assert Unit.objects.get(code="18133-01").parent == son_trung


# --- the figures after a move: every household counted once, under its commune of today -------------------


def _decided_round(commune: Unit, year: int, day: datetime.date, statuses: dict[Household, str]):  # type: ignore[no-untyped-def]
    from giamngheo.reviews.models import RoundState
    from giamngheo.reviews.services import ResultRow, results_record, review_round_open

    review_round = review_round_open(commune=commune, year=year, review_date=day)
    for household in statuses:
        household.refresh_from_db()  # its path of today
    results_record(
        review_round=review_round, rows=[ResultRow(household=h, status=s) for h, s in statuses.items()]
    )
    review_round.state = RoundState.DECIDED
    review_round.save()
    return review_round


def _counts(unit: Unit, on: datetime.date) -> dict[str, int]:
    from giamngheo import figures
    from giamngheo.reports.management.commands.report_progress import system_actor

    by_village = figures.status_counts(
        user=system_actor(), unit=unit, basis=figures.status_basis(unit=unit, on=on)
    )
    return {key: sum(row[key] for row in by_village.values()) for key in ("households", "poor", "near_poor")}


def test_a_moved_village_is_counted_once_before_and_after_its_new_commune_reviews(son_trung):
    mai_ha, ha_trang = Unit.objects.get(code="18133-01"), Unit.objects.get(code="18133-02")
    son_hong, province = Unit.objects.get(code="18136"), Unit.objects.get(code="42")
    v1, v2 = _household(mai_ha, "MV-11", "Mai Thị Một"), _household(mai_ha, "MV-12", "Mai Văn Hai")
    stay = _household(ha_trang, "MV-13", "Hà Thị Ba")
    there = _household(Unit.objects.get(code="18136-01"), "MV-14", "Sơn Văn Bốn")
    _decided_round(
        son_trung, 2023, datetime.date(2023, 12, 15), {v1: "poor", v2: "not_poor", stay: "near_poor"}
    )
    _decided_round(son_hong, 2023, datetime.date(2023, 12, 15), {there: "poor"})
    on = datetime.date(2024, 10, 1)
    assert _counts(son_trung, on) == {"households": 3, "poor": 1, "near_poor": 1}

    _move(mai_ha, son_hong)
    UnitMove.objects.filter(unit=mai_ha).update(moved_at=datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC))
    # Sơn Hồng has not reviewed since: Mai Hà's households keep the lists Sơn Trung decided for them.
    assert _counts(son_hong, on) == {"households": 3, "poor": 2, "near_poor": 0}
    assert _counts(son_trung, on) == {"households": 1, "poor": 0, "near_poor": 1}
    assert _counts(mai_ha, on) == {"households": 2, "poor": 1, "near_poor": 0}
    assert _counts(province, on) == {"households": 4, "poor": 2, "near_poor": 1}

    # Sơn Hồng's review of 2024 covers them; Sơn Trung has not reviewed again: still each household once.
    _decided_round(
        son_hong, 2024, datetime.date(2024, 12, 15), {v1: "near_poor", v2: "not_poor", there: "poor"}
    )
    later = datetime.date(2024, 12, 31)
    assert _counts(son_hong, later) == {"households": 3, "poor": 1, "near_poor": 1}
    assert _counts(son_trung, later) == {"households": 1, "poor": 0, "near_poor": 1}
    assert _counts(province, later) == {"households": 4, "poor": 1, "near_poor": 2}
    assert _counts(son_trung, later)["households"] + _counts(son_hong, later)["households"] == 4
