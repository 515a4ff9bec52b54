"""The one place the support tracker reads the yearly plan (``giamngheo.plans``, built alongside).

The plan owns the targets: per-village reductions (hence the expected poor and near-poor counts at the end
of the year), the rates the level above assigned to the commune, and the indicator targets with their
definitions. The tracker owns the actual values. Keeping every read of the plan here gives the two apps one
narrow boundary: if the plan's API changes, only this file follows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from giamngheo.units.models import Unit


@dataclass(frozen=True)
class IndicatorTarget:
    code: str  # the tracker's code (see ``figures.INDICATOR_CODES``)
    name_vi: str
    name_en: str
    target: Decimal | None  # percent, e.g. Decimal("100"); None when the plan sets none


# The seed's indicator targets, shown (without a target value) when no plan is recorded for the year.
DEFAULT_INDICATORS = (
    ("loans", "Hộ nghèo, cận nghèo, mới thoát nghèo có nhu cầu được vay vốn ưu đãi",
     "Poor, near-poor and newly-escaped households that need a loan get a preferential loan"),
    ("health_insurance", "Người thuộc hộ nghèo, cận nghèo được cấp thẻ BHYT",
     "People in poor and near-poor households have a health-insurance card"),
    ("schooling", "Trẻ em thuộc hộ nghèo, cận nghèo đi học đúng độ tuổi",
     "Children in poor and near-poor households attend school at the right age"),
    ("housing", "Nhà ở hư hỏng của hộ nghèo, cận nghèo được khảo sát, hỗ trợ",
     "Damaged houses of poor and near-poor households are surveyed for support"),
    ("jobs", "Người có khả năng lao động, có nhu cầu được tư vấn, giới thiệu việc làm",
     "People able to work who need it get job counselling, referral or help to change occupation"),
)  # fmt: skip

INDICATOR_LABELS = {
    "loans": _("Preferential loans"),
    "health_insurance": _("Health insurance"),
    "schooling": _("School attendance"),
    "housing": _("Housing survey and support"),
    "jobs": _("Job counselling and referral"),
}

# The plan's measures (``plans.models.Measure``) → the tracker's indicator codes.
MEASURE_TO_CODE = {
    "loans": "loans",
    "health_insurance": "health_insurance",
    "school_attendance": "schooling",
    "housing_survey": "housing",
    "job_counselling": "jobs",
}


@dataclass(frozen=True)
class PlanTargets:
    """Targets of the plans of ``year`` for the units at and below a unit."""

    # village path → households at the baseline, poor and near-poor expected at the end of the year
    by_path: dict[str, dict[str, int]]
    # commune path → the rates (percent) the level above assigned
    assigned: dict[str, tuple[Decimal | None, Decimal | None]]
    indicators: list[IndicatorTarget]


def _default_indicators() -> list[IndicatorTarget]:
    return [IndicatorTarget(code, vi, en, None) for code, vi, en in DEFAULT_INDICATORS]


def _prefixes(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _baseline_households(plans: Sequence[Mapping[str, Any]], unit: Unit) -> dict[str, dict[str, int]]:
    """Village path → the register's households on the day each plan's baseline list took effect (the
    plan's rates are of them; each commune has its own decision day): two queries."""
    from giamngheo.households.models import Household
    from giamngheo.households.selectors import register_spans
    from giamngheo.reviews.models import ReviewRound, effective_date

    days = dict(
        ReviewRound.objects.filter(pk__in=[p["baseline_round_id"] for p in plans])
        .annotate(effective=effective_date())
        .values_list("pk", "effective")
    )
    day_of_commune = {plan["unit_path"]: days[plan["baseline_round_id"]] for plan in plans}
    found: dict[str, dict[str, int]] = {}
    for span in register_spans(Household.objects.all(), under=unit.path):
        day = next((d for path, d in day_of_commune.items() if span.path.startswith(path)), None)
        if day is not None and span.in_register_on(day):
            found.setdefault(span.path, {"households": 0})["households"] += span.households
    return found


def plan_targets(*, unit: Unit, year: int) -> PlanTargets:
    """Targets for ``unit`` and below in ``year``: four queries (plans, village targets, baseline counts,
    indicator targets). A village reads its commune's plan; a province sums its communes' plans."""
    from django.db.models import Count, Q

    from giamngheo.plans.models import IndicatorTarget as PlanIndicator
    from giamngheo.plans.models import Plan, VillageTarget
    from giamngheo.reviews.models import ReviewResult

    plans = list(
        Plan.objects.filter(year=year)
        .filter(Q(unit_path__startswith=unit.path) | Q(unit_path__in=_prefixes(unit.path)))
        .values("id", "unit_path", "baseline_round_id", "assigned_poor_rate", "assigned_near_poor_rate")
    )
    if not plans:
        return PlanTargets({}, {}, _default_indicators())
    plan_ids = [p["id"] for p in plans]
    reductions = {
        row["unit_path"]: row
        for row in VillageTarget.objects.filter(plan_id__in=plan_ids, unit_path__startswith=unit.path).values(
            "unit_path", "poor_reduction", "near_poor_reduction"
        )
    }
    baseline = (
        ReviewResult.objects.filter(
            review_round_id__in=[p["baseline_round_id"] for p in plans], unit_path__startswith=unit.path
        )
        .values("unit_path")
        .annotate(
            poor=Count("id", filter=Q(status="poor")),
            near_poor=Count("id", filter=Q(status="near_poor")),
        )
    )
    by_path: dict[str, dict[str, int]] = {}
    for path, values in _baseline_households(plans, unit).items():
        by_path[path] = {"households": values["households"], "poor_end": 0, "near_poor_end": 0}
    for row in baseline:
        cut: Mapping[str, Any] = reductions.get(row["unit_path"], {})
        by_path.setdefault(row["unit_path"], {"households": 0})
        by_path[row["unit_path"]].update(
            poor_end=row["poor"] - cut.get("poor_reduction", 0),
            near_poor_end=row["near_poor"] - cut.get("near_poor_reduction", 0),
        )
    assigned = {
        p["unit_path"]: (p["assigned_poor_rate"], p["assigned_near_poor_rate"])
        for p in plans
        if p["assigned_poor_rate"] is not None or p["assigned_near_poor_rate"] is not None
    }
    targets: dict[str, list[Decimal | None]] = {}
    texts: dict[str, str] = {}
    for indicator in (
        PlanIndicator.objects.filter(plan_id__in=plan_ids)
        .order_by("plan_id", "sort_order", "pk")
        .values("measure", "text", "target_percent")
    ):
        code = MEASURE_TO_CODE.get(indicator["measure"])
        if code is None:
            continue  # followed by hand: no actual value to set against it
        targets.setdefault(code, []).append(indicator["target_percent"])
        texts.setdefault(code, indicator["text"])
    indicators = []
    for code, vi, en in DEFAULT_INDICATORS:
        percents = targets.get(code)
        # Several communes' plans: a target is shown only when they all agree on it.
        target = percents[0] if percents and len(set(percents)) == 1 else None
        indicators.append(IndicatorTarget(code, texts.get(code, vi), en, target))
    return PlanTargets(by_path, assigned, indicators)
