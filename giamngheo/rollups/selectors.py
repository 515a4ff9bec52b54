"""The national status rollup for a year, per province or per commune, read from the summary table."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum

from giamngheo.accounts.models import User
from giamngheo.rollups.models import StatusRollup
from giamngheo.units.models import Unit
from giamngheo.units.selectors import scope_q


@dataclass
class RollupRow:
    unit: Unit | None  # None: the whole scope (the nation for a national user)
    households: dict[str, int] = field(default_factory=dict)
    members: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.households.values())


def _province_path(path: str) -> str:
    return "/" + path.split("/")[1] + "/"


def status_rollup(*, user: User, year: int, level: str = "province") -> tuple[RollupRow, list[RollupRow]]:
    """(the total, one row per province or per commune) of the decided lists of ``year`` within the user's
    scope: households and people per status. One grouped read of at most communes × statuses rows."""
    if level not in {"province", "commune"}:
        raise ValueError(level)
    rows = (
        StatusRollup.objects.filter(scope_q(user, "unit_path"), year=year)
        .values("unit_path", "status")
        .annotate(h=Sum("households"), m=Sum("members"))
        .order_by()
    )
    total = RollupRow(unit=None)
    by_path: dict[str, RollupRow] = defaultdict(lambda: RollupRow(unit=None))
    for row in rows:
        if not row["h"] and not row["m"]:
            continue
        path = _province_path(row["unit_path"]) if level == "province" else row["unit_path"]
        for target in (total, by_path[path]):
            target.households[row["status"]] = target.households.get(row["status"], 0) + row["h"]
            target.members[row["status"]] = target.members.get(row["status"], 0) + row["m"]
    units = {u.path: u for u in Unit.objects.filter(path__in=list(by_path))}
    out = []
    for path, item in by_path.items():
        item.unit = units.get(path)
        out.append(item)
    out.sort(key=lambda r: (r.unit.sort_order if r.unit else 0, r.unit.path if r.unit else ""))
    return total, out
