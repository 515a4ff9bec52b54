"""Rates are of the whole register, and a decided list is in force from its decision's date (issue 17 A).

The scenario of the issue: Sơn Trung's register (1,545 households, decided lists of 2022 and 2023), then an
end-2026 review that lists only a handful of households, decided on 05/12/2026 for a review date of 14/12,
looked at on 07/12/2026. Every surface — the dashboard (its year, its rates and its trend), the 2027 plan's
table, a household's support panel — must use the 2026 lists already, and divide by the 1,545 households of
the register, never by the households the round happened to list.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine

from giamngheo.households.models import Household
from giamngheo.reviews.services import ResultRow, results_record, review_round_decide, review_round_open
from giamngheo.standards.formatting import percent
from giamngheo.units.models import Unit

TODAY = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)
REVIEW_DATE = datetime.date(2026, 12, 14)
DECISION_DATE = datetime.date(2026, 12, 5)
HOUSEHOLDS = 1545
MAI_HA = "18133-01"


@pytest.fixture
def today():  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False):
        yield TODAY.date()


def _partial_round(commune: Unit, statuses: dict[Household, str]):  # type: ignore[no-untyped-def]
    """A 2026 round listing only ``statuses``' households, decided before its review date."""
    review_round = review_round_open(commune=commune, year=2026, review_date=REVIEW_DATE)
    results_record(
        review_round=review_round, rows=[ResultRow(household=h, status=s) for h, s in statuses.items()]
    )
    return review_round_decide(
        review_round=review_round, decision_number="201/QĐ-UBND", decision_date=DECISION_DATE
    )


def _listed(commune: Unit) -> dict[Household, str]:
    """Seven households of Mai Hà: four poor, one near-poor, two not poor — none of them poor in 2023."""
    households = list(
        Household.objects.filter(village__code=MAI_HA)
        .exclude(status__in=["poor", "near_poor"])
        .order_by("code")[:7]
    )
    return dict(zip(households, ["poor"] * 4 + ["near_poor"] + ["not_poor"] * 2, strict=True))


def test_the_dashboard_rates_divide_by_the_register_and_use_the_list_from_its_decision(
    demo_register,
    officer,
    today,
):
    from giamngheo.dashboard.selectors import home_overview

    _partial_round(demo_register, _listed(demo_register))
    overview = home_overview(user=officer)
    assert overview.year == 2026  # the latest year with data: the 2026 lists are in force since 05/12
    assert (overview.total.households, overview.total.poor, overview.total.near_poor) == (HOUSEHOLDS, 4, 1)
    assert overview.total.poor_rate == percent(4, HOUSEHOLDS) == Decimal("0.26")
    mai_ha = next(line for line in overview.lines if line.unit.code == MAI_HA)
    assert (mai_ha.households, mai_ha.poor) == (202, 4)
    # The trend ends with the 2026 lists, over the register.
    assert overview.trend[-1]["year"] == 2026 and overview.trend[-1]["poor_rate"] == Decimal("0.26")
    assert overview.trend[0]["households"] == HOUSEHOLDS  # the 2022 lists, over the register of then

    # The year the 2026 lists govern shows them too, not the 2023 lists.
    later = home_overview(user=officer, year=2027)
    assert (later.total.households, later.total.poor, later.total.near_poor) == (HOUSEHOLDS, 4, 1)


def test_the_dashboard_waits_for_the_decision_date(demo_register, officer):
    from giamngheo.dashboard.selectors import home_overview

    _partial_round(demo_register, _listed(demo_register))
    with time_machine.travel(datetime.datetime(2026, 12, 4, 9, 0, tzinfo=datetime.UTC), tick=False):
        overview = home_overview(user=officer, year=2026)
    assert (overview.total.households, overview.total.poor) == (HOUSEHOLDS, 52)  # still the 2023 lists


def test_the_plan_of_the_year_the_list_governs_divides_by_the_register(demo_register, officer, today):
    from giamngheo.plans.selectors import plan_figures, rate_checks
    from giamngheo.plans.services import plan_open

    _partial_round(demo_register, _listed(demo_register))
    plan = plan_open(actor=None, commune=demo_register, year=2027, assigned_poor_rate="0.20")
    figures = plan_figures(user=officer, plan=plan)
    total = figures.table.total
    assert (total.households_total, total.poor_start, total.near_poor_start) == (HOUSEHOLDS, 4, 1)
    assert total.pct("poor_start") == Decimal("0.26")
    mai_ha = next(line for line in figures.lines if line.village.code == MAI_HA)
    assert (mai_ha.counts.households, mai_ha.counts.poor) == (202, 4)
    check = rate_checks(figures)[0]
    assert (check.households, check.start_rate) == (HOUSEHOLDS, Decimal("0.26"))


def test_a_household_panel_uses_the_list_in_force_from_the_decision(demo_register, officer, today):
    from giamngheo.support.selectors import support_panel_for_household

    listed = _listed(demo_register)
    household = next(h for h, status in listed.items() if status == "poor")
    assert support_panel_for_household(officer, household).entitlements.status != "poor"
    _partial_round(demo_register, listed)
    assert support_panel_for_household(officer, household).entitlements.status == "poor"


def test_a_partial_imported_list_divides_by_the_register(demo_register, officer, today, tmp_path):
    from giamngheo.dashboard.selectors import home_overview
    from giamngheo.imports.household_list import households_import

    listed = _listed(demo_register)
    rows = ["household_id,village,head_name,members,status"] + [
        f"{h.code},Mai Hà,{h.head_name},{h.size},{status}" for h, status in listed.items()
    ]
    path = tmp_path / "danh-sach-2026.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    households_import(path=path, year=2026, decision_number="202/QĐ-UBND", decision_date=DECISION_DATE)
    overview = home_overview(user=officer)
    assert (overview.total.households, overview.total.poor, overview.total.near_poor) == (HOUSEHOLDS, 4, 1)
    assert overview.total.poor_rate == Decimal("0.26")


def test_a_village_that_moved_is_counted_in_its_new_commune_register(
    demo_register, officer, province_viewer, today
):
    from giamngheo.dashboard.selectors import home_overview
    from giamngheo.units.services import UnitData, unit_update

    _partial_round(demo_register, _listed(demo_register))
    mai_ha, son_hong = Unit.objects.get(code=MAI_HA), Unit.objects.get(code="18136")
    unit_update(
        unit=mai_ha,
        data=UnitData(
            code=mai_ha.code, name=mai_ha.name, level=mai_ha.level, parent=son_hong, area=mai_ha.area
        ),
        actor=None,
    )
    overview = home_overview(user=officer)
    # Sơn Trung keeps its other 1,343 households and none of Mai Hà's (their lists went with them).
    assert (overview.total.households, overview.total.poor, overview.total.near_poor) == (
        HOUSEHOLDS - 202,
        0,
        0,
    )
    province = home_overview(user=province_viewer, unit=Unit.objects.get(code="42"))
    assert (province.total.households, province.total.poor) == (HOUSEHOLDS, 4)
