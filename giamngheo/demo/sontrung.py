"""The Sơn Trung demo: Hà Tĩnh province, the legacy district Hương Sơn, Sơn Trung commune and its 11 villages.

Codes other than the province's are invented for the demo. The village table (households and end-2022
figures) is the seed document's; the household register generated from it is in ``demo.register``, the
2023 plan in ``demo.plan`` and the year of supports, escape plans, funds and activities in ``demo.supports``.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from giamngheo.accounts.models import Role, User
from giamngheo.units.levels import levels_ensure
from giamngheo.units.models import Unit, UnitLevel
from giamngheo.units.services import UnitData, unit_upsert

DATA_DIR = Path(__file__).parent / "data"
VILLAGE_TABLE = DATA_DIR / "son_trung_2023_village_targets.csv"

PROVINCE_CODE = "42"  # Hà Tĩnh's official code
DISTRICT_CODE = "439"  # Hương Sơn (legacy, abolished 1 July 2025) — demo value
COMMUNE_CODE = "18133"  # Sơn Trung — demo value
OTHER_COMMUNE_CODE = "18136"  # Sơn Hồng — a neighbour, so scoping can be shown and tested — demo value
DISTRICTS_ABOLISHED = datetime.date(2025, 7, 1)

DEMO_PASSWORD = "giamngheo2023"  # noqa: S105 - the published demo password (README)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    role: str
    unit_code: str
    superuser: bool = False


DEMO_LOGINS = [
    DemoLogin("quantri", "Quản trị hệ thống (demo)", Role.SYSTEM_ADMIN, PROVINCE_CODE, superuser=True),
    DemoLogin("canbo.sontrung", "Nguyễn Thị Lan (demo)", Role.COMMUNE_OFFICER, COMMUNE_CODE),
    DemoLogin("truongthon.maiha", "Trần Văn Hùng (demo)", Role.VILLAGE_HEAD, f"{COMMUNE_CODE}-01"),
    DemoLogin("truongthon.hatrang", "Lê Văn Bình (demo)", Role.VILLAGE_HEAD, f"{COMMUNE_CODE}-02"),
    DemoLogin("hoiphunu.sontrung", "Phạm Thị Hoa (demo)", Role.MASS_ORGANISATION, COMMUNE_CODE),
    DemoLogin("bcd.sontrung", "Hoàng Văn Minh (demo)", Role.STEERING_MEMBER, COMMUNE_CODE),
    DemoLogin("chutich.sontrung", "Trần Đình Quang (demo)", Role.COMMUNE_CHAIRMAN, COMMUNE_CODE),
    DemoLogin("tinh.hatinh", "Đặng Thu Trang (demo)", Role.PROVINCE_VIEWER, PROVINCE_CODE),
    DemoLogin("canbo.sonhong", "Võ Văn Nam (demo)", Role.COMMUNE_OFFICER, OTHER_COMMUNE_CODE),
    DemoLogin("nhcsxh.hatinh", "Ngân hàng CSXH Hà Tĩnh (demo)", Role.PARTNER, PROVINCE_CODE),
]


def village_rows() -> list[dict[str, str]]:
    with VILLAGE_TABLE.open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["stt"].strip()]


def _level(code: str) -> UnitLevel:
    return UnitLevel.objects.get(code=code)


def load_units() -> Unit:
    levels_ensure(UnitLevel)
    province, _ = unit_upsert(
        data=UnitData(code=PROVINCE_CODE, name="Hà Tĩnh", level=_level("province"), parent=None, area="rural")
    )
    unit_upsert(
        data=UnitData(
            code=DISTRICT_CODE,
            name="Hương Sơn",
            level=_level("district"),
            parent=province,
            area="rural",
            valid_to=DISTRICTS_ABOLISHED - datetime.timedelta(days=1),
        )
    )
    commune, _ = unit_upsert(
        data=UnitData(
            code=COMMUNE_CODE,
            name="Sơn Trung",
            level=_level("commune"),
            parent=province,
            area="rural",
            sort_order=1,
        )
    )
    for index, row in enumerate(village_rows(), start=1):
        unit_upsert(
            data=UnitData(
                code=f"{COMMUNE_CODE}-{index:02d}",
                name=row["village"],
                level=_level("village"),
                parent=commune,
                area="rural",
                sort_order=index,
            )
        )
    other, _ = unit_upsert(
        data=UnitData(
            code=OTHER_COMMUNE_CODE,
            name="Sơn Hồng",
            level=_level("commune"),
            parent=province,
            area="rural",
            sort_order=2,
        )
    )
    for index, name in enumerate(["Thôn 1", "Thôn 2"], start=1):
        unit_upsert(
            data=UnitData(
                code=f"{OTHER_COMMUNE_CODE}-{index:02d}",
                name=name.removeprefix("Thôn "),
                level=_level("village"),
                parent=other,
                area="rural",
                sort_order=index,
            )
        )
    return commune


def load_users() -> list[User]:
    users = []
    for login in DEMO_LOGINS:
        user = User.objects.filter(username=login.username).first() or User(username=login.username)
        user.full_name = login.full_name
        user.role = login.role
        user.unit = Unit.objects.get(code=login.unit_code)
        user.is_superuser = login.superuser
        user.is_staff = login.superuser
        user.is_active = True
        if not user.pk or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        users.append(user)
    return users


def demo_units() -> list[Unit]:
    return list(Unit.objects.filter(path__startswith=f"/{PROVINCE_CODE}/"))


@transaction.atomic
def demo_reset() -> None:
    """Remove what the demo created (its supports, plans, register and reviews, its users and its units,
    deepest first). The supports go before the register: they point at its households."""
    from giamngheo.demo.plan import demo_plan_reset
    from giamngheo.demo.register import register_reset
    from giamngheo.demo.supports import support_demo_reset

    for commune in Unit.objects.filter(path__startswith=f"/{PROVINCE_CODE}/", level__code="commune"):
        demo_plan_reset(commune)
        support_demo_reset(commune)
        register_reset(commune)
    User.objects.filter(username__in=[login.username for login in DEMO_LOGINS]).delete()
    for unit in sorted(demo_units(), key=lambda u: u.depth, reverse=True):
        unit.delete()


@dataclass(frozen=True)
class DemoLoaded:
    commune: Unit
    register: dict | None  # the register's figures when it was written now; None when already present
    plan_created: bool
    supports: dict | None = None  # what the year of supports wrote (counts by kind); None when present


def load_register(commune: Unit) -> DemoLoaded:
    """The register (1,545 households), the decided reviews of 2022 and 2023, the 2023 plan and the year of
    supports, escape plans, funds and activities; each part is skipped when present, so a second run is
    quick."""
    from giamngheo.demo.plan import demo_plan_load
    from giamngheo.demo.register import register_load, village_counts
    from giamngheo.demo.supports import load_support_demo

    rows = village_rows()
    summary = register_load(commune, village_counts(rows))
    plan = demo_plan_load(commune, rows)
    supports = load_support_demo(commune)
    return DemoLoaded(commune=commune, register=summary, plan_created=plan is not None, supports=supports)


@transaction.atomic
def demo_load(*, with_register: bool = False) -> Unit:
    """Units and users (fast: what most tests need); ``with_register`` adds the register, the reviews, the
    2023 plan and its year of supports (a few seconds; the ``demo`` command and the ``demo_register``
    fixture)."""
    commune = load_units()
    load_users()
    if with_register:
        load_register(commune)
    return commune
