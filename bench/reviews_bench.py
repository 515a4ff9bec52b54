"""Benchmark the annual review of one large commune: list, surveys, decision (movements), overview, documents.

    .venv/bin/python bench/reviews_bench.py [--households N] [--surveys K] [--pg postgres://postgres@127.0.0.1:5432]
                                            [--no-sqlite]

For each database it creates a throwaway database (PostgreSQL: CREATE/DROP DATABASE; SQLite: a temporary
file), migrates it, loads the Sơn Trung demo units and users, and builds a register of N households spread
over the 11 villages with one member each, plus four earlier decided regular reviews (2022–2025 imported
lists, ~9% of households on a list each year, with movement between years). Then it times, in-process:

1. opening the 2026 regular round and bringing in the current lists (``round_households_seed``);
2. K Phiếu B surveys through ``survey_record`` (the service the form calls), median and p95 per survey;
3. the live verdict (``survey_classify``, what the htmx partial calls) median;
4. the round overview selector (per-village step counts) and its query count;
5. the decision (``review_round_decide``): movements of spec §5 for every result against all earlier reviews;
6. the official list of poor households of the whole commune as XLSX and PDF, and the certificates PDF of a
   village (twice: the first PDF of a process also imports WeasyPrint and loads the fonts).

The households not surveyed get imported results so the decision has a full list (as an imported list would).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def run(households: int, surveys: int) -> dict[str, str]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("FAST_PASSWORD_HASHER", "1")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from simple_history.utils import bulk_create_with_history

    from giamngheo.accounts.models import User
    from giamngheo.demo.sontrung import demo_load
    from giamngheo.households.models import Household, Member
    from giamngheo.reviews.documents import (
        certificates_pdf,
        official_list_document,
        official_list_pdf,
        official_list_xlsx,
    )
    from giamngheo.reviews.models import ResultSource, ReviewResult, RoundHousehold, Step
    from giamngheo.reviews.selectors import round_overview
    from giamngheo.reviews.services import (
        ResultRow,
        SurveyInput,
        results_record,
        review_round_decide,
        review_round_open,
        round_households_seed,
        survey_classify,
        survey_record,
    )
    from giamngheo.units.models import Unit

    call_command("migrate", verbosity=0)
    commune = demo_load()
    officer = User.objects.select_related("unit").get(username="canbo.sontrung")
    villages = list(Unit.objects.filter(parent=commune).order_by("sort_order"))
    rng = random.Random(7)
    rows = [
        Household(
            commune=commune,
            village=villages[i % len(villages)],
            unit_path=villages[i % len(villages)].path,
            code=f"B-{i:06d}",
            head_name=f"Nguyễn Văn Bền {i}",
            size=rng.randint(1, 6),
            search_text=f"nguyen van ben {i} b-{i:06d}",
            safe_water=rng.random() > 0.1,
            hygienic_latrine=rng.random() > 0.3,
            internet_use=rng.random() > 0.3,
            owns_info_device=rng.random() > 0.1,
        )
        for i in range(households)
    ]
    bulk_create_with_history(rows, Household, batch_size=2000)
    created = list(Household.objects.filter(commune=commune, code__startswith="B-").order_by("pk"))
    Member.objects.bulk_create(
        [
            Member(
                household=h,
                unit_path=h.unit_path,
                full_name=h.head_name,
                relation="head",
                birth_date=datetime.date(1960 + i % 40, 1 + i % 12, 1),
                sex="male" if i % 2 else "female",
                has_health_insurance=rng.random() > 0.2,
                able_to_work=True,
                employment="self_employed",
                search_text=h.search_text,
            )
            for i, h in enumerate(created)
        ],
        batch_size=2000,
    )
    # Four decided years: each year ~9% on a list, a third of them changing.
    on_list = set(rng.sample(range(households), households * 9 // 100))
    for year in range(2022, 2026):
        review = review_round_open(commune=commune, year=year)
        statuses = {i: rng.choice(["poor", "near_poor"]) for i in on_list}
        leaving = set(rng.sample(sorted(on_list), len(on_list) // 3))
        joining = set(rng.sample(range(households), len(leaving)))
        results_record(
            review_round=review,
            rows=[
                ResultRow(
                    household=created[i], status=statuses.get(i, "not_poor"), source=ResultSource.IMPORTED
                )
                for i in sorted(on_list | leaving)
            ],
        )
        review_round_decide(
            review_round=review, decision_number=f"{year}", decision_date=datetime.date(year, 12, 20)
        )
        on_list = (on_list - leaving) | joining

    figures: dict[str, str] = {}
    review = review_round_open(commune=commune, year=2026)
    added, seconds = _timed(lambda: round_households_seed(review_round=review, actor=officer))
    figures["1. seed the list"] = f"{added} households in {seconds * 1000:.0f} ms"

    entries = list(RoundHousehold.objects.filter(review_round=review).select_related("household")[:surveys])
    times = []
    for entry in entries:
        answers = {"sanitation": rng.random() > 0.5, "telecom": rng.random() > 0.5}
        data = SurveyInput(b1_score=None, income_per_capita=rng.randint(800_000, 2_600_000), answers=answers)
        _, seconds = _timed(
            lambda e=entry, d=data: survey_record(
                entry=e, data=d, surveyed_on=datetime.date(2026, 10, 1), actor=officer
            )
        )
        times.append(seconds)
    times.sort()
    figures["2. Phiếu B save (survey_record)"] = (
        f"median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {times[int(len(times) * 0.95) - 1] * 1000:.1f} ms "
        f"({len(times)} surveys)"
    )
    live = []
    for entry in entries[:100]:
        data = SurveyInput(b1_score=None, income_per_capita=1_200_000, answers={"sanitation": True})
        _, seconds = _timed(
            lambda e=entry, d=data: survey_classify(review_round=review, household=e.household, data=d)
        )
        live.append(seconds)
    figures["3. live verdict (survey_classify)"] = f"median {statistics.median(live) * 1000:.1f} ms"

    # The rest of the list goes through the steps in bulk (results as an imported list would bring them).
    rest = RoundHousehold.objects.filter(review_round=review).exclude(pk__in=[e.pk for e in entries])
    results_record(
        review_round=review,
        rows=[
            ResultRow(
                household=e.household,
                status=rng.choice(["poor", "near_poor", "not_poor"]),
                source=ResultSource.IMPORTED,
            )
            for e in rest.select_related("household")
        ],
    )
    RoundHousehold.objects.filter(review_round=review).update(step=Step.POSTED)

    with CaptureQueriesContext(connection) as queries:
        overview, seconds = _timed(lambda: round_overview(user=officer, review_round=review))
    figures["4. round overview selector"] = (
        f"{seconds * 1000:.0f} ms, {len(queries.captured_queries)} queries, {overview.total.total} households"
    )
    _, seconds = _timed(
        lambda: review_round_decide(
            review_round=review, decision_number="2026", decision_date=datetime.date(2026, 12, 20)
        )
    )
    moved = ReviewResult.objects.filter(review_round=review).exclude(transition="").count()
    figures["5. decision with movements"] = f"{seconds * 1000:.0f} ms for {moved} results"
    review.refresh_from_db()
    document, seconds_doc = _timed(
        lambda: official_list_document(user=officer, review_round=review, kind="poor")
    )
    data, seconds_xlsx = _timed(lambda: official_list_xlsx(document))
    figures["6a. poor list of the commune, XLSX"] = (
        f"{(seconds_doc + seconds_xlsx) * 1000:.0f} ms, {len(document.rows)} rows, {len(data) // 1024} KiB"
    )
    pages = ReviewResult.objects.filter(
        review_round=review, unit_path=villages[0].path, status__in=["poor", "near_poor"]
    ).count()
    for label in ("first PDF of the process", "again, fonts loaded"):
        cpu = time.process_time()
        pdf, seconds = _timed(
            lambda: certificates_pdf(user=officer, review_round=review, village=villages[0])
        )
        figures[f"6b. certificates of a village, PDF ({label})"] = (
            f"{seconds:.1f} s (CPU {time.process_time() - cpu:.1f} s) for {pages} pages "
            f"({len(pdf or b'') // 1024} KiB)"
        )
    cpu = time.process_time()
    pdf, seconds = _timed(lambda: official_list_pdf(document))
    figures["6c. poor list of the commune, PDF"] = (
        f"{seconds:.1f} s (CPU {time.process_time() - cpu:.1f} s), {len(document.rows)} rows"
    )
    figures["load average after"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--surveys", type=int, default=200)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--only", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:  # the child process: one database, set up by the parent through DATABASE_URL
        for name, value in run(args.households, args.surveys).items():
            print(f"| {name} | {value} |")
        return
    import subprocess

    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, {args.households} households")
    targets = [] if args.no_sqlite else ["sqlite"]
    targets += ["postgres"] if args.pg else []
    for target in targets:
        env = dict(os.environ)
        dbname = f"giamngheo_reviews_bench_{os.getpid()}"
        with tempfile.TemporaryDirectory() as tmp:
            if target == "sqlite":
                env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
            else:
                import psycopg

                with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as conn:
                    conn.execute(f'CREATE DATABASE "{dbname}"')
                env["DATABASE_URL"] = f"{args.pg}/{dbname}"
            try:
                print(f"\n### {target}\n\n| step | result |\n|---|---|", flush=True)
                subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--only",
                        target,
                        "--households",
                        str(args.households),
                        "--surveys",
                        str(args.surveys),
                    ],
                    env=env,
                    check=True,
                )
            finally:
                if target == "postgres":
                    import psycopg

                    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as conn:
                        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


if __name__ == "__main__":
    main()
