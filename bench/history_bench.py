"""How much history one review season writes (issue 15, part 6), measured on one commune and scaled.

    DATABASE_URL=postgres://… .venv/bin/python bench/history_bench.py --commune 99-001 [--year 2026]
        [--moved 0.1] [--scale 5000000]

On a synthetic register (``giamngheo synthetic_register``), runs one commune's yearly review as the services
run it — the round opened, every household's result recorded (``results_record``, a tenth of them with a
new status), the round decided (``review_round_decide``: each result's movement, with its history row) —
then the stored-status refresh run again with nothing to change (``refresh_again``: what it wrote) —
inside a transaction that is rolled back at the end (the database is left as it was). It reads every
history table's rows and bytes (``pg_total_relation_size``) before and after, and scales the growth per
household to ``--scale`` households (5 M: the issue's national benchmark size).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--commune", required=True)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--moved", type=float, default=0.1, help="share of households whose status changes")
    parser.add_argument("--scale", type=int, default=5_000_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from giamngheo.households.models import Household
    from giamngheo.reviews.models import ResultSource
    from giamngheo.reviews.services import ResultRow, results_record, review_round_decide, review_round_open
    from giamngheo.reviews.statuses import household_statuses_refresh
    from giamngheo.units.models import Unit

    def sizes() -> dict[str, tuple[int, int]]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE '%%historical%%'")
            tables = [t for (t,) in cursor.fetchall()]
            out = {}
            for table in tables:
                cursor.execute(f"SELECT count(*), pg_total_relation_size(%s) FROM {table}", [table])  # noqa: S608
                out[table] = cursor.fetchone()
            return out

    commune = Unit.objects.get(code=args.commune)
    households = list(Household.objects.filter(commune=commune, dissolved_on__isnull=True))
    rng = random.Random(7)
    statuses = ["poor", "near_poor", "average", "not_poor"]
    out: dict = {"commune": commune.code, "households": len(households), "load_before": os.getloadavg()}

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            before = sizes()
            began = time.perf_counter()
            review_round = review_round_open(commune=commune, year=args.year)
            rows = [
                ResultRow(
                    household=h,
                    status=rng.choice(statuses) if rng.random() < args.moved else (h.status or "not_poor"),
                    source=ResultSource.IMPORTED,
                )
                for h in households
            ]
            results_record(review_round=review_round, rows=rows)
            recorded = time.perf_counter()
            review_round_decide(
                review_round=review_round,
                decision_number="1/QĐ-UBND (bench)",
                decision_date=datetime.date.today(),
            )
            decided = time.perf_counter()
            after = sizes()
            out["seconds"] = {"record": round(recorded - began, 1), "decide": round(decided - recorded, 1)}
            growth = {
                table: {
                    "rows": after[table][0] - before[table][0],
                    "bytes": after[table][1] - before[table][1],
                }
                for table in after
                if after[table] != before[table]
            }
            out["growth"] = growth
            rows_total = sum(g["rows"] for g in growth.values())
            bytes_total = sum(g["bytes"] for g in growth.values())
            n = len(households)
            out["per_household"] = {"rows": rows_total / n, "bytes": bytes_total / n}
            out[f"at_{args.scale}"] = {
                "rows": round(rows_total / n * args.scale),
                "gb": round(bytes_total / n * args.scale / 2**30, 2),
            }
            # The stored-status refresh run again with nothing changed: no household written, no history row.
            changed = household_statuses_refresh(commune=commune)
            again = sizes()
            out["refresh_again"] = {
                "households_changed": changed,
                "history_rows": sum(again[t][0] - after[t][0] for t in again),
            }
            raise Rollback
    except Rollback:
        pass
    out["load_after"] = os.getloadavg()
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
