"""Data for the progress-report and dashboard benchmarks, in a dedicated PostgreSQL database.

* the register: ``giamngheo.demo.synthetic.synthetic_register`` (the register helper's generator: COPY,
  three decided yearly reviews) — a province of ``communes`` communes and ``households`` households;
* the support tracker for the latest year, in bulk (no history rows: synthetic data is not a user's edit):
  per commune five organisations, four sources with allocations, an escape plan with three milestones for
  every household on the lists in force, supports (Tết gift, loan or loan need, health-insurance cards,
  schooling, housing, jobs, production), the ledger's spending for the paid ones, monthly activities;
* the Sơn Trung demo (register, plan, a year of supports) for the commune dashboard.

Idempotent: a commune that already has organisations is skipped. Used by ``progress_bench.py`` and
``dashboard_bench.py``; run either with ``--database-url``.
"""

from __future__ import annotations

import datetime
import functools
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/giamngheo_bench_progress"
PROVINCE_CODE = "97"


def setup_django(database_url: str) -> None:
    """Point Django at the benchmark database (created when missing) and migrate it."""
    import psycopg

    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("FAST_PASSWORD_HASHER", "1")
    sys.path.insert(0, str(ROOT))
    name = database_url.rsplit("/", 1)[1]
    server = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ensure_register(*, households: int, communes: int) -> tuple[int, int]:
    """The synthetic province; returns the latest review year and the number of households."""
    from giamngheo.demo.synthetic import synthetic_register
    from giamngheo.households.models import Household
    from giamngheo.reviews.models import ReviewRound

    started = time.monotonic()
    summary = synthetic_register(
        households=households, province_code=PROVINCE_CODE, per_commune=max(1, households // communes)
    )
    if summary.households_created:
        log(f"register: +{summary.households_created:,} households in {time.monotonic() - started:.0f}s")
    latest = (
        ReviewRound.objects.filter(commune__path__startswith=f"/{PROVINCE_CODE}/").order_by("-year").first()
    )
    total = Household.objects.filter(unit_path__startswith=f"/{PROVINCE_CODE}/").count()
    return latest.year, total


def ensure_supports(*, year: int) -> None:
    """The tracker's data of ``year`` for every synthetic commune (bulk)."""
    from django.db import connection, transaction

    from giamngheo.households.models import Member
    from giamngheo.reviews.models import ReviewResult
    from giamngheo.support.models import (
        Activity,
        EntryType,
        EscapePlan,
        Flow,
        FundSource,
        LedgerEntry,
        Milestone,
        Organisation,
        Support,
    )
    from giamngheo.units.models import Unit

    communes = list(
        Unit.objects.filter(path__startswith=f"/{PROVINCE_CODE}/", level__code="commune").order_by("path")
    )
    done = set(Organisation.objects.filter(unit__in=communes).values_list("unit_id", flat=True))
    started = time.monotonic()
    made = 0
    for commune in communes:
        if commune.pk in done:
            continue
        rng = random.Random(f"progress-{commune.code}")
        with transaction.atomic():
            organisations = Organisation.objects.bulk_create(
                [
                    Organisation(
                        unit=commune, unit_path=commune.path, kind=kind, name=f"{label} {commune.name}"
                    )
                    for kind, label in [
                        ("steering_committee", "BCĐ"),
                        ("fatherland_front", "MTTQ"),
                        ("womens_union", "Hội PN"),
                        ("farmers_union", "Hội ND"),
                        ("youth_union", "Đoàn TN"),
                    ]
                ]
            )
            sources = FundSource.objects.bulk_create(
                [
                    FundSource(unit=commune, unit_path=commune.path, kind=kind, name=f"{kind} {commune.code}")
                    for kind in ("central_budget", "provincial_budget", "local_budget", "for_the_poor_fund")
                ]
            )
            entries = [
                LedgerEntry(
                    source=s,
                    unit_path=commune.path,
                    target_path=commune.path,
                    entry_type=EntryType.ALLOCATION,
                    flow=Flow.IN,
                    date=datetime.date(year, 2, 1),
                    amount=2_000_000_000,
                    signed_amount=2_000_000_000,
                    description="Phân bổ (tổng hợp)",
                )
                for s in sources
            ]
            listed = list(
                ReviewResult.objects.filter(
                    review_round__commune=commune,
                    review_round__year=year - 1,
                    status__in=["poor", "near_poor"],
                ).values_list("household_id", "unit_path", "status", "labour_capacity")
            )
            people: dict[int, list[tuple[int, datetime.date | None, bool | None]]] = {}
            for member_id, household_id, birth, insured in Member.objects.filter(
                household_id__in=[h for h, *_ in listed]
            ).values_list("id", "household_id", "birth_date", "has_health_insurance"):
                people.setdefault(household_id, []).append((member_id, birth, insured))
            plans, supports = [], []
            for index, (household_id, path, status, labour) in enumerate(listed):
                plans.append(
                    EscapePlan(
                        household_id=household_id,
                        unit_path=path,
                        year=year,
                        status_at_start=status,
                        group="has_labour" if labour else "elderly_no_labour",
                        solutions=["loan", "production"],
                        organisation=organisations[2 + index % 3],
                        status=rng.choice(["in_progress", "achieved", "planned"]),
                    )
                )

                support = functools.partial(
                    _support,
                    supports,
                    {
                        "household_id": household_id,
                        "unit_path": path,
                        "organisation": organisations[2 + index % 3],
                    },
                )

                support("donation", "donation_cash", datetime.date(year, 1, 16), 500_000, sources[3])
                if labour and rng.random() < 0.7:
                    met = rng.random() < 0.85
                    support(
                        "loan",
                        "loan_poor",
                        datetime.date(year, rng.randint(2, 10), 10),
                        50_000_000 if met else 0,
                        status="delivered" if met else "needed",
                    )
                for member_id, birth, insured in people.get(household_id, []):
                    if insured is not True and rng.random() < 0.8:
                        support(
                            "health_insurance",
                            "hi_state_full",
                            datetime.date(year, 1, 9),
                            member_id=member_id,
                            valid_from=datetime.date(year, 1, 1),
                            valid_to=datetime.date(year, 12, 31),
                        )
                    if birth is not None and 3 <= year - birth.year < 16 and rng.random() < 0.9:
                        support(
                            "schooling",
                            "school_supplies",
                            datetime.date(year, 9, 5),
                            400_000,
                            sources[1],
                            member_id=member_id,
                        )
                if rng.random() < 0.15:
                    support("housing", "housing_repair", datetime.date(year, 8, 20), 20_000_000, sources[0])
                if labour and rng.random() < 0.3:
                    support(
                        "production",
                        "production_livestock",
                        datetime.date(year, 5, 15),
                        10_000_000,
                        sources[0],
                    )
            EscapePlan.objects.bulk_create(plans, batch_size=2000)
            Milestone.objects.bulk_create(
                [
                    Milestone(
                        plan=plan,
                        title=title,
                        due_date=datetime.date(year, month, 28),
                        done_on=datetime.date(year, month, 20) if rng.random() < 0.6 else None,
                    )
                    for plan in plans
                    for title, month in (("Vay vốn", 3), ("Hỗ trợ sản xuất", 6), ("Đánh giá", 11))
                ],
                batch_size=5000,
            )
            Support.objects.bulk_create(supports, batch_size=5000)
            entries += [
                LedgerEntry(
                    source=s.source,
                    unit_path=commune.path,
                    target_path=s.unit_path,
                    entry_type=EntryType.SPENDING,
                    flow=Flow.OUT,
                    date=s.date,
                    amount=s.amount,
                    signed_amount=-s.amount,
                    support=s,
                    household_id=s.household_id,
                    description="Chi hỗ trợ (tổng hợp)",
                )
                for s in supports
                if s.source is not None and s.amount and s.status == "delivered"
            ]
            LedgerEntry.objects.bulk_create(entries, batch_size=5000)
            Activity.objects.bulk_create(
                [
                    Activity(
                        unit=commune,
                        unit_path=commune.path,
                        kind=rng.choice(["meeting", "broadcast", "campaign"]),
                        title="Tuyên truyền (tổng hợp)",
                        date=datetime.date(year, month, 15),
                        reach=rng.randint(30, 900),
                    )
                    for month in range(1, 13)
                ]
            )
            made += len(supports)
    if made:
        # VACUUM, not just ANALYZE: right after a bulk load no page has its visibility hints yet, so the first
        # reports read (and write) whole tables again — measured: 6.1 s for the province's report before,
        # 3.9 s after (bench/RESULTS-progress.md). A production database gets this from autovacuum.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        log(f"supports: +{made:,} in {time.monotonic() - started:.0f}s")


def _support(  # type: ignore[no-untyped-def]
    out, common, kind, form, day, amount=0, source=None, member_id=None, status="delivered", **extra
) -> None:
    from giamngheo.support.models import Support

    out.append(
        Support(
            kind=kind,
            form=form,
            date=day,
            amount=amount,
            source=source,
            member_id=member_id,
            status=status,
            **common,
            **extra,
        )
    )


def ensure_demo() -> None:
    """The Sơn Trung demo with its register, plan and a year of supports (the commune dashboard's case)."""
    from giamngheo.demo.sontrung import demo_load
    from giamngheo.demo.supports import load_support_demo

    started = time.monotonic()
    commune = demo_load(with_register=True)
    if load_support_demo(commune) is not None:
        log(f"demo: loaded in {time.monotonic() - started:.0f}s")


def machine() -> dict[str, str]:
    import platform
    import subprocess

    def run(command: str) -> str:
        return subprocess.run(command, shell=True, capture_output=True, text=True).stdout.strip()  # noqa: S602

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        database = cursor.fetchone()[0].split(" on ")[0]
    return {
        "cpus": run("nproc"),
        "cpu": run("lscpu | grep 'Model name' | sed 's/Model name:\\s*//'"),
        "memory": run("free -g | awk '/Mem:/ {print $2 \" GB\"}'"),
        "python": platform.python_version(),
        "database": database,
        "load": run("cat /proc/loadavg"),
    }
