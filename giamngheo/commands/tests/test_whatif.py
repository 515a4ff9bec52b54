"""What-if counts: the bulk path agrees with the per-household engine; per village, scoped."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamngheo.bulk import whatif
from giamngheo.bulk.facts_frame import register_facts
from giamngheo.bulk.indicators_frame import classify_register
from giamngheo.bulk.whatif import Counts, whatif_counts
from giamngheo.demo.synthetic import synthetic_register
from giamngheo.errors import InputError
from giamngheo.households.facts import household_facts
from giamngheo.households.models import Household, Member
from giamngheo.standards.classify import classify
from giamngheo.standards.facts import HouseholdFacts
from giamngheo.standards.loader import get_standard
from giamngheo.testing.random_register import adult, create_rows, household, register_rows, villages
from giamngheo.units.models import Unit

OLD, NEW = get_standard("VN-2022-2025"), get_standard("VN-2027-2030")
REVIEW = datetime.date(2027, 12, 14)


# --- the property: bulk and per-household agree on random registers -------------------------------------


def _one_by_one(household_row: Household, standard, on) -> tuple | None:  # type: ignore[no-untyped-def]
    facts: HouseholdFacts = household_facts(household_row, list(household_row.members.order_by("pk")))
    try:
        result = classify(facts, standard, on)
    except InputError:
        return None
    return result.status, result.deprivation_count, ";".join(result.deprived), facts.member_count


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(register=register_rows(), standard_id=st.sampled_from([OLD.id, NEW.id]))
def test_the_bulk_path_and_the_per_household_path_agree_on_random_households(
    son_trung, officer, register, standard_id
):
    on, rows = register
    standard = get_standard(standard_id)
    with transaction.atomic():
        created = create_rows(rows, son_trung)
        open_households = Household.objects.filter(commune=son_trung, dissolved_on__isnull=True)
        facts = register_facts(
            households=open_households, members=Member.objects.filter(unit_path__startswith=son_trung.path)
        )
        bulk = {row["household"]: row for row in classify_register(facts, standard, on).iter_rows(named=True)}
        expected_counts: dict[str, list[int]] = {}
        for h in created:
            if h.dissolved_on is not None:
                assert h.pk not in bulk  # a closed household is not in the register any more
                continue
            one = _one_by_one(h, standard, on)
            got = bulk[h.pk]
            if one is None:
                assert got["status"] is None and got["classifiable"] is False
                status, people = "unclassified", got["member_count"]
            else:
                assert (got["status"], got["deprivation_count"], got["deprived"], got["member_count"]) == one
                status, people = one[0], one[3]
            counts = expected_counts.setdefault(status, [0, 0])
            counts[0] += 1
            counts[1] += people

        result = whatif_counts(user=officer, unit=son_trung, standard=standard, review_date=on)
        for status in ("poor", "near_poor", "average", "not_poor", "unclassified"):
            households, people = expected_counts.get(status, [0, 0])
            assert getattr(result.total, status) == households
            assert getattr(result.total, f"{status}_people") == people
        transaction.set_rollback(True)


# --- examples -------------------------------------------------------------------------------------------


@pytest.fixture
def whatif_register(son_trung):  # type: ignore[no-untyped-def]
    """Mai Hà: a household poor under both standards, one poor only under 2027's higher line, one without
    income; Hà Tràng: one not poor, one listed with its size only; Sơn Hồng: one poor (another commune)."""
    mai_ha, ha_trang = villages(son_trung)[:2]
    poor = household(mai_ha, "A1", 1_000_000, safe_water=False, hygienic_latrine=False, internet_use=False)
    adult(poor, "Nguyễn Văn An")
    adult(poor, "Trần Thị Bình", sex="female")
    line = household(mai_ha, "A2", 2_000_000, size=3, dwelling="makeshift", waste_handled=False)
    adult(line, "Lê Văn Cường")
    adult(line, "Lê Thị Dung", sex="female", has_health_insurance=False)
    adult(line, "Lê Văn Em", year=2012)
    household(mai_ha, "A3", None, size=4)
    household(ha_trang, "B1", 5_000_000, size=1)
    household(ha_trang, "B2", 1_200_000, size=5, safe_water=False)  # no member registered: 5 people
    closed = household(ha_trang, "B3", 500_000, size=2, safe_water=False)
    Household.objects.filter(pk=closed.pk).update(dissolved_on=datetime.date(2025, 3, 1))
    other = Unit.objects.get(code="18136-01")
    household(other, "C1", 500_000, size=3, safe_water=False, hygienic_latrine=False, internet_use=False)
    return son_trung


def test_the_2027_standard_makes_a_household_on_the_old_average_band_near_poor(whatif_register, officer):
    old = whatif_counts(
        user=officer, unit=whatif_register, standard=OLD, review_date=datetime.date(2026, 12, 14)
    )
    new = whatif_counts(user=officer, unit=whatif_register, standard=NEW, review_date=REVIEW)
    mai_ha = {row.village.name: row.counts for row in new.rows}["Mai Hà"]
    old_mai_ha = {row.village.name: row.counts for row in old.rows}["Mai Hà"]
    # A2: 2,000,000 is above the 2022 line (average band) but at/below 2027's 2,200,000; deprived in
    # housing quality, health insurance and waste (2027 has waste) → poor under 2027
    assert (old_mai_ha.poor, old_mai_ha.average, old_mai_ha.unclassified) == (1, 1, 1)
    assert (mai_ha.poor, mai_ha.poor_people, mai_ha.average, mai_ha.unclassified) == (2, 5, 0, 1)
    assert mai_ha.unclassified_people == 4  # no member registered: the declared size


def test_rows_are_every_village_in_official_order_and_the_total_adds_them_up(whatif_register, officer):
    result = whatif_counts(user=officer, unit=whatif_register, standard=NEW, review_date=REVIEW)
    assert [row.village.name for row in result.rows] == [v.name for v in villages(whatif_register)]
    assert {row.commune.pk for row in result.rows} == {whatif_register.pk}
    assert result.total.households == 5  # the closed household and Sơn Hồng's are not counted
    assert result.total.people == 2 + 3 + 4 + 1 + 5
    ha_trang = result.rows[1].counts
    assert (ha_trang.near_poor, ha_trang.near_poor_people, ha_trang.not_poor) == (1, 5, 1)
    assert sum(row.counts.households for row in result.rows) == result.total.households


def test_a_province_viewer_sees_every_commune_and_a_village_head_only_the_village(
    whatif_register, province_viewer, village_head
):
    province = Unit.objects.get(code="42")
    everything = whatif_counts(user=province_viewer, unit=province, standard=NEW, review_date=REVIEW)
    assert everything.total.households == 6
    assert [row.commune.name for row in everything.rows][-2:] == ["Sơn Hồng", "Sơn Hồng"]
    mai_ha = Unit.objects.get(code="18133-01")
    own = whatif_counts(user=village_head, unit=mai_ha, standard=NEW, review_date=REVIEW)
    assert own.total.households == 3 and [row.village for row in own.rows] == [mai_ha]
    with pytest.raises(InputError):
        whatif_counts(user=village_head, unit=whatif_register, standard=NEW, review_date=REVIEW)


def test_an_officer_of_another_commune_is_refused(whatif_register, other_officer):
    with pytest.raises(InputError) as error:
        whatif_counts(user=other_officer, unit=whatif_register, standard=NEW, review_date=REVIEW)
    assert "Sơn Trung" in str(error.value)


def test_the_what_if_saves_nothing_and_takes_a_fixed_number_of_queries(
    whatif_register, officer, django_assert_max_num_queries
):
    before = (Household.objects.count(), Member.objects.count())
    with django_assert_max_num_queries(5):  # scope check, the level's rank, households, members, units
        whatif_counts(user=officer, unit=whatif_register, standard=NEW, review_date=REVIEW)
    assert (Household.objects.count(), Member.objects.count()) == before


def test_an_empty_unit_gives_zero_rows_without_error(son_trung, officer):
    result = whatif_counts(user=officer, unit=son_trung, standard=OLD, review_date=REVIEW)
    assert result.total.households == 0 and len(result.rows) == 11


# --- the nation: province by province ---------------------------------------------------------------


@pytest.fixture
def two_provinces(whatif_register):  # type: ignore[no-untyped-def]
    """Hà Tĩnh (the what-if register above) and a synthetic province "97" of two communes."""
    synthetic_register(households=200, province_code="97", per_commune=100)
    return list(Unit.objects.filter(parent=None).order_by("sort_order", "name"))


def _rows(result: whatif.WhatIf) -> list[tuple]:
    return [(row.village.pk, row.commune.pk if row.commune else None, row.counts) for row in result.rows]


def test_the_nation_equals_the_sum_of_its_provinces_read_one_at_a_time(
    two_provinces, system_admin, monkeypatch
):
    assert len(two_provinces) >= 2
    provinces = [
        whatif_counts(user=system_admin, unit=p, standard=NEW, review_date=REVIEW) for p in two_provinces
    ]
    reads = []
    real = whatif.register_facts

    def spy(*, households, members):  # type: ignore[no-untyped-def]
        reads.append(households.count())
        return real(households=households, members=members)

    monkeypatch.setattr(whatif, "register_facts", spy)
    nation = whatif_counts(user=system_admin, unit=None, standard=NEW, review_date=REVIEW)
    assert nation.parts == len(two_provinces) and len(reads) == len(two_provinces)  # one province at a time
    assert reads == [p.total.households for p in provinces]
    assert _rows(nation) == [row for p in provinces for row in _rows(p)]  # the official order, province first
    total = Counts()
    for p in provinces:
        total.add(p.total)
    assert nation.total == total
    assert nation.total.households == Household.objects.filter(dissolved_on__isnull=True).count() > 200
    assert nation.timings["slowest_part"] <= nation.timings["total"]


def test_only_a_system_wide_scope_sees_the_nation(whatif_register, province_viewer):
    with pytest.raises(InputError) as error:
        whatif_counts(user=province_viewer, unit=None, standard=NEW, review_date=REVIEW)
    assert "cả nước" in str(error.value)


# --- the command ----------------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("whatif", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_a_csv_with_one_row_per_village_and_the_total(whatif_register):
    rows = list(
        csv.DictReader(
            io.StringIO(run("--unit", "xã Sơn Trung", "--standard", "VN-2027-2030", "--format", "csv"))
        )
    )
    assert len(rows) == 12 and rows[-1]["village"] == "Tổng cộng"
    assert rows[0]["village"] == "Mai Hà" and rows[0]["poor"] == "2" and rows[0]["poor_pct"] == "66.67"
    assert rows[-1]["households"] == "5" and rows[-1]["unclassified"] == "1"


def test_the_command_year_picks_the_standard_in_force_and_the_table_is_bilingual(whatif_register):
    text = run("--unit", "18133", "--year", "2026")
    assert "VN-2022-2025" in text and "14/12/2026" in text
    assert "Hộ nghèo" in text and "Poor" in text and "Tổng cộng / Total" in text
    assert "[tạm tính / provisional]" in text


def test_the_command_with_a_user_applies_that_users_scope(whatif_register):
    with pytest.raises(CommandError) as error:
        run("--unit", "18133", "--year", "2027", "--user", "canbo.sonhong")
    assert error.value.returncode == 2


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--unit", "Không Có", "--year", "2027"], "Không Có"),
        (["--unit", "18133", "--standard", "XX-1999"], "XX-1999"),
        (["--unit", "18133", "--year", "1990"], "1990"),
        (["--unit", "18133", "--year", "2027", "--date", "31/02/2027"], "31/02/2027"),
        (["--unit", "18133", "--year", "2027", "--user", "nobody"], "nobody"),
    ],
)
def test_bad_input_exits_2_naming_what_is_wrong(whatif_register, args, fragment):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 2 and fragment in str(error.value)


def test_a_village_name_that_starts_like_a_formula_is_neutralised_in_the_csv(whatif_register):
    Unit.objects.filter(code="18133-01").update(name="=HYPERLINK(1)")
    text = run("--unit", "xã Sơn Trung", "--standard", "VN-2027-2030", "--format", "csv")
    assert ",'=HYPERLINK(1)," in text and "\n=" not in text and ",=" not in text


def test_the_command_runs_the_nation_as_cả_nước_or_nation(two_provinces):
    rows = list(
        csv.DictReader(io.StringIO(run("--unit", "cả nước", "--standard", "VN-2027-2030", "--format", "csv")))
    )
    assert rows[-1]["households"] == str(Household.objects.filter(dissolved_on__isnull=True).count())
    assert "Cả nước" in run("--unit", "nation", "--year", "2027")
