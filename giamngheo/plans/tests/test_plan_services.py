"""Plans: opening on a baseline, village targets, assigned rates — bad input names the village or the
missing review and writes nothing."""

from decimal import Decimal

import pytest

from giamngheo.errors import InputError
from giamngheo.plans.models import IndicatorTarget, Plan, VillageTarget
from giamngheo.plans.services import (
    PlanConflictError,
    TargetEntry,
    indicator_target_add,
    indicator_target_update,
    plan_open,
    plan_rates_set,
    plan_targets_set,
)
from giamngheo.testing.registers import build_son_hong_register
from giamngheo.units.models import Unit


def targets(plan):
    return {
        t.village.name: (t.poor_reduction, t.near_poor_reduction)
        for t in plan.targets.select_related("village")
    }


def messages(error):
    return " | ".join(p.message_vi + " / " + p.message_en for p in error.value.problems)


def test_a_plan_starts_from_the_decided_review_of_the_year_before(son_hong_register, other_officer):
    plan = plan_open(actor=other_officer, commune=son_hong_register, year=2023)
    assert plan.baseline_round.year == 2022 and plan.baseline_round.decision_number == "9/QĐ-UBND"
    assert targets(plan) == {"1": (0, 0), "2": (0, 0)}
    assert [t.measure for t in plan.indicators.all()] == [
        "loans",
        "health_insurance",
        "school_attendance",
        "housing_survey",
        "job_counselling",
    ]
    assert plan.history.first().history_user == other_officer


def test_opening_the_same_plan_twice_returns_it(son_hong_register):
    assert (
        plan_open(actor=None, commune=son_hong_register, year=2023).pk
        == plan_open(actor=None, commune=son_hong_register, year=2023).pk
    )


def test_a_plan_without_a_review_the_year_before_names_the_missing_review(son_hong_register):
    with pytest.raises(InputError) as error:
        plan_open(actor=None, commune=son_hong_register, year=2025)
    assert "cuối năm 2024" in messages(error) and "Sơn Hồng" in messages(error)
    assert not Plan.objects.filter(commune=son_hong_register).exists()


def test_a_review_not_yet_decided_is_no_baseline(demo):
    commune = build_son_hong_register(decided=False)
    with pytest.raises(InputError) as error:
        plan_open(actor=None, commune=commune, year=2023)
    assert "chưa được quyết định" in messages(error) and "not decided" in messages(error)
    assert not Plan.objects.exists() or not Plan.objects.filter(commune=commune).exists()


def test_a_plan_is_made_for_a_commune_not_a_village(son_hong_register):
    with pytest.raises(InputError):
        plan_open(actor=None, commune=Unit.objects.get(code="18136-01"), year=2023)


def test_targets_are_saved_with_history(son_hong_register, other_officer):
    plan = plan_open(actor=None, commune=son_hong_register, year=2023)
    changed = plan_targets_set(
        actor=other_officer,
        plan=plan,
        entries=[TargetEntry("1", 2, "1"), TargetEntry("thôn 2", 0, 2)],
        expected_version=plan.version,
    )
    assert changed == ["1", "2"] and targets(plan) == {"1": (2, 1), "2": (0, 2)}
    assert VillageTarget.history.filter(history_user=other_officer).count() == 2
    plan.refresh_from_db()
    assert plan.version == 2


def bad(plan, *entries):
    with pytest.raises(InputError) as error:
        plan_targets_set(actor=None, plan=plan, entries=list(entries))
    return error


@pytest.mark.parametrize(
    "entry, expected",
    [
        (TargetEntry("1", 4, 0), "thôn 1: giảm 4 hộ nghèo nhưng cuối năm 2022 thôn chỉ có 3 hộ nghèo"),
        (TargetEntry("1", 0, 3), "chỉ có 2 hộ cận nghèo"),
        (TargetEntry("1", -1, 0), "thôn 1: số phải từ 0 trở lên"),
        (TargetEntry("1", "1.5", 0), "thôn 1: không phải số nguyên"),
        (TargetEntry("1", 1.5, 0), "thôn 1: không phải số nguyên"),
        (TargetEntry("1", "", 0), "thôn 1: thiếu số hộ nghèo giảm"),
        (TargetEntry("Mai Hà", 1, 0), "thôn “Mai Hà” không thuộc Xã Sơn Hồng"),
    ],
)
def test_bad_targets_name_the_village_and_write_nothing(son_hong_register, entry, expected):
    plan = plan_open(actor=None, commune=son_hong_register, year=2023)
    error = bad(plan, TargetEntry("2", 1, 1), entry)
    assert expected in messages(error)
    assert targets(plan) == {"1": (0, 0), "2": (0, 0)}


def test_a_village_twice_is_refused(son_hong_register):
    plan = plan_open(actor=None, commune=son_hong_register, year=2023)
    error = bad(plan, TargetEntry("1", 1, 0, row=3), TargetEntry("18136-01", 0, 0, row=4))
    assert "thôn 1 xuất hiện hai lần (dòng 3)" in messages(error)
    assert error.value.problems[0].row == 4


def test_a_stale_grid_is_a_conflict(son_hong_register):
    plan = plan_open(actor=None, commune=son_hong_register, year=2023)
    plan_targets_set(actor=None, plan=plan, entries=[TargetEntry("1", 1, 0)], expected_version=1)
    with pytest.raises(PlanConflictError):
        plan_targets_set(actor=None, plan=plan, entries=[TargetEntry("1", 2, 0)], expected_version=1)
    assert targets(plan)["1"] == (1, 0)


def test_assigned_rates_accept_vietnamese_decimals(son_hong_register):
    plan = plan_open(actor=None, commune=son_hong_register, year=2023)
    plan = plan_rates_set(actor=None, plan=plan, poor_rate="3,3", near_poor_rate="3.50")
    assert (plan.assigned_poor_rate, plan.assigned_near_poor_rate) == (Decimal("3.30"), Decimal("3.50"))
    plan = plan_rates_set(actor=None, plan=plan, poor_rate="", near_poor_rate=None)
    assert plan.assigned_poor_rate is None


@pytest.mark.parametrize("value", ["120", "-1", "ba phẩy ba"])
def test_a_rate_out_of_range_or_not_a_number_is_refused(son_hong_register, value):
    plan = plan_open(actor=None, commune=son_hong_register, year=2023, assigned_poor_rate="3.30")
    with pytest.raises(InputError) as error:
        plan_rates_set(actor=None, plan=plan, poor_rate=value, near_poor_rate="3.5")
    assert error.value.problems[0].column == "assigned_poor_rate"
    plan.refresh_from_db()
    assert plan.assigned_poor_rate == Decimal("3.30") and plan.assigned_near_poor_rate is None


def test_indicator_targets_are_editable_data_of_the_plan(son_hong_register):
    plan = plan_open(actor=None, commune=son_hong_register, year=2023)
    target = plan.indicators.get(measure="job_counselling")
    indicator_target_update(
        actor=None, target=target, text="Phấn đấu 95% …", definition="Số người …", target_percent="95"
    )
    target.refresh_from_db()
    assert (target.text, target.target_percent) == ("Phấn đấu 95% …", Decimal("95.00"))
    added = indicator_target_add(actor=None, plan=plan, text="Hỗ trợ 10 hộ làm nhà", target_percent="")
    assert added.sort_order == 6 and added.measure == "none"
    with pytest.raises(InputError):
        indicator_target_update(actor=None, target=target, text=" ", definition="", target_percent="95")
    assert IndicatorTarget.objects.get(pk=target.pk).text == "Phấn đấu 95% …"
