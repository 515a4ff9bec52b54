"""The Sơn Trung 2023 plan of the demo: the seed's assigned rates and per-village targets, from its table."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from giamngheo.plans.models import Plan
from giamngheo.plans.services import TargetEntry, plan_open, plan_targets_set
from giamngheo.units.models import Unit

PLAN_YEAR = 2023
# Seed §I.1.b: "Giảm tỷ lệ hộ nghèo toàn xã đến cuối năm 2023 còn 3,30%", near-poor "còn 3,50%".
ASSIGNED_POOR_RATE = Decimal("3.30")
ASSIGNED_NEAR_POOR_RATE = Decimal("3.50")


@transaction.atomic
def demo_plan_load(commune: Unit, rows: list[dict[str, str]]) -> Plan | None:
    """Create the 2023 plan with the seed's targets; nothing when it exists (the demo loads on each start)."""
    if Plan.objects.filter(commune=commune, year=PLAN_YEAR).exists():
        return None
    plan = plan_open(
        actor=None,
        commune=commune,
        year=PLAN_YEAR,
        assigned_poor_rate=ASSIGNED_POOR_RATE,
        assigned_near_poor_rate=ASSIGNED_NEAR_POOR_RATE,
    )
    plan_targets_set(
        actor=None,
        plan=plan,
        entries=[
            TargetEntry(
                village=row["village"],
                poor_reduction=row[f"poor_reduction_{PLAN_YEAR}"],
                near_poor_reduction=row[f"near_poor_reduction_{PLAN_YEAR}"],
            )
            for row in rows
        ],
    )
    return plan


def demo_plan_reset(commune: Unit) -> None:
    from giamngheo.plans.models import IndicatorTarget, PlanTemplate, VillageTarget

    plans = Plan.objects.filter(commune=commune)
    VillageTarget.history.filter(plan_id__in=plans.values("pk")).delete()
    IndicatorTarget.history.filter(plan_id__in=plans.values("pk")).delete()
    Plan.history.filter(commune_id=commune.pk).delete()
    plans.delete()
    PlanTemplate.history.filter(commune_id=commune.pk).delete()
    PlanTemplate.objects.filter(commune=commune).delete()
