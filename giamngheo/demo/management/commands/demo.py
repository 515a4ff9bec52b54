from __future__ import annotations

from typing import Any

from giamngheo.common.command import GiamngheoCommand
from giamngheo.demo.sontrung import DEMO_LOGINS, DEMO_PASSWORD, demo_load, demo_reset, load_register


class Command(GiamngheoCommand):
    help = (
        "Nạp dữ liệu mẫu xã Sơn Trung: đơn vị, tài khoản, sổ hộ, rà soát 2022–2023, "
        "kế hoạch và hỗ trợ 2023 / load the Sơn Trung demo: units, users, register, 2022–2023 reviews, "
        "the 2023 plan and supports "
        "(idempotent; --reset starts afresh)"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="xoá dữ liệu mẫu cũ trước / delete the demo first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reset"]:
            demo_reset()
        commune = demo_load()
        loaded = load_register(commune)
        self.stdout.write(f"Đã nạp dữ liệu mẫu / demo loaded: {commune.display_name} ({commune.code})")
        if loaded.register:
            figures = loaded.register
            self.stdout.write(
                f"  sổ hộ / register: {figures['households']} hộ / households, "
                f"{figures['members']} nhân khẩu / "
                f"members; rà soát cuối năm 2022 và 2023 / end-2022 and end-2023 reviews (decided)"
            )
        else:
            self.stdout.write("  sổ hộ đã có, giữ nguyên / register already present, kept")
        if loaded.plan_created:
            self.stdout.write(
                "  kế hoạch năm 2023 / 2023 plan: chỉ tiêu theo văn bản gốc / the seed's targets"
            )
        if loaded.supports:
            counts = loaded.supports
            supports = sum(v for k, v in counts.items() if k not in ("escape_plans", "activities", "reports"))
            self.stdout.write(
                f"  năm 2023 / 2023: {counts['escape_plans']} kế hoạch thoát nghèo / escape plans, "
                f"{supports} hỗ trợ / supports, {counts['activities']} hoạt động / activities"
            )
        self.stdout.write(f"Tài khoản mẫu / demo logins (mật khẩu / password: {DEMO_PASSWORD}):")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<22} {login.full_name}")
