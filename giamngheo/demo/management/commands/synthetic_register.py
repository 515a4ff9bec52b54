"""``giamngheo synthetic_register --households N [--province-code CODE]``: a register for load tests — the
nation (34 provinces, 3,321 communes) or, with a province code, one province."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

from giamngheo.common.command import GiamngheoCommand
from giamngheo.demo.synthetic import HOUSEHOLDS_PER_COMMUNE, synthetic_register
from giamngheo.demo.synthetic_shape import NATIONAL_COMMUNES


class Command(GiamngheoCommand):
    help = (
        "Tạo sổ hộ tổng hợp (dữ liệu giả) cả nước hoặc một tỉnh để thử tải / "
        "Generate a synthetic register (invented data) for the nation or a province, for load tests"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--households", type=int, required=True, help="number of households (≥ 1)")
        parser.add_argument(
            "--province-code",
            default=None,
            help="one synthetic province with this code (e.g. 99); without it, the nation's 34 provinces",
        )
        parser.add_argument(
            "--communes",
            type=int,
            default=NATIONAL_COMMUNES,
            help=f"communes of the nation (default {NATIONAL_COMMUNES:,}; fewer for small tests)",
        )
        parser.add_argument("--seed", type=int, default=2025, help="random seed (same seed, same register)")
        parser.add_argument(
            "--per-commune", type=int, default=HOUSEHOLDS_PER_COMMUNE, help="households per commune"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        show = sys.stderr.isatty()
        if options["verbosity"] >= 2:  # each statement of the load in the database, with its time
            handler = logging.StreamHandler(self.stderr)
            log = logging.getLogger("giamngheo.demo")
            log.addHandler(handler)
            log.setLevel(logging.INFO)
            log.propagate = False

        def progress(done: int, total: int) -> None:
            if show or done == total or done % 10 == 0:
                elapsed = time.monotonic() - started
                self.stderr.write(f"\r{done}/{total} xã / communes — {elapsed:.0f}s", ending="")
                self.stderr.flush()

        summary = synthetic_register(
            households=options["households"],
            province_code=options["province_code"],
            seed=options["seed"],
            per_commune=options["per_commune"],
            communes=options["communes"],
            progress=progress,
        )
        self.stderr.write("")
        self.stdout.write(
            f"{summary.province.code if summary.provinces == 1 else f'{summary.provinces} tỉnh/provinces'}: "
            f"{summary.communes} xã/communes, "
            f"+{summary.households_created} hộ/households, +{summary.members_created} người/members, "
            f"+{summary.results_created} kết quả/results ({summary.communes_skipped} xã đã có/already there) "
            f"— {time.monotonic() - started:.0f}s"
        )
