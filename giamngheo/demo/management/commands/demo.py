from __future__ import annotations

from typing import Any

from giamngheo.core.command import GiamngheoCommand
from giamngheo.demo.sontrung import DEMO_LOGINS, DEMO_PASSWORD, demo_load, demo_reset


class Command(GiamngheoCommand):
    help = "Nạp dữ liệu mẫu xã Sơn Trung / load the Sơn Trung demo (idempotent; --reset starts afresh)"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="xoá dữ liệu mẫu cũ trước / delete the demo first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reset"]:
            demo_reset()
        commune = demo_load()
        self.stdout.write(f"Đã nạp dữ liệu mẫu / demo loaded: {commune.display_name} ({commune.code})")
        self.stdout.write(f"Tài khoản mẫu / demo logins (mật khẩu / password: {DEMO_PASSWORD}):")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<22} {login.full_name}")
