"""Benchmark the commune dashboard (issue 6: p95 ≤ 500 ms) — the whole request through Django's test client
(session, middleware, selectors, template), for the Sơn Trung demo commune (1,545 households, a year of
supports) and for a synthetic commune of 3,000 households (``progress_data``); also the province viewer's
page over 100 communes, for reference.

    .venv/bin/python bench/dashboard_bench.py [--database-url URL] [--requests N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import progress_data  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=progress_data.DEFAULT_URL)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument(
        "--province-requests", type=int, default=10, help="the province page is for reference"
    )
    parser.add_argument("--households", type=int, default=300_000)
    parser.add_argument("--communes", type=int, default=100)
    args = parser.parse_args()
    progress_data.setup_django(args.database_url)
    year, _households = progress_data.ensure_register(households=args.households, communes=args.communes)
    progress_data.ensure_supports(year=year)
    progress_data.ensure_demo()

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from giamngheo.accounts.models import Role, User
    from giamngheo.households.models import Household
    from giamngheo.units.models import Unit

    synthetic = (
        Unit.objects.filter(path__startswith=f"/{progress_data.PROVINCE_CODE}/", level__code="commune")
        .order_by("path")
        .first()
    )
    bench_officer, _ = User.objects.get_or_create(
        username="bench.officer", defaults={"role": Role.COMMUNE_OFFICER, "unit": synthetic}
    )
    bench_viewer, _ = User.objects.get_or_create(
        username="bench.province", defaults={"role": Role.PROVINCE_VIEWER, "unit": synthetic.parent}
    )
    cases = [
        ("Sơn Trung (demo), commune officer", User.objects.get(username="canbo.sontrung"), args.requests),
        (f"{synthetic.name}, commune officer", bench_officer, args.requests),
        ("synthetic province (100 communes), province viewer", bench_viewer, args.province_requests),
    ]
    info = progress_data.machine()
    print(f"# dashboard: {args.requests} requests each, after 3 warm-up requests")
    print(f"machine: {info}")
    for label, user, requests in cases:
        client = Client()
        client.force_login(user)
        households = Household.objects.filter(unit_path__startswith=user.unit.path).count()
        for _ in range(3):
            assert client.get("/").status_code == 200
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get("/")
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        print(
            f"{label}: {households:,} households — p50 {statistics.median(timings):.0f} ms, "
            f"p95 {percentile(timings, 0.95):.0f} ms, max {max(timings):.0f} ms, {len(queries)} queries "
            f"({requests} requests)"
        )
    print(f"load average after: {progress_data.machine()['load']}")


if __name__ == "__main__":
    main()
