"""``giamngheo reclassify --unit COMMUNE --year Y [--kind regular|adhoc] [--month M] [--user NAME]``.

Classifies every household of the commune from the register (with this round's Phiếu B answers where a
household was surveyed) and records the results in the commune's open round of that period — the round is
opened with the standard in force for the year if it does not exist yet. A decided round is refused (exit
2). Households without income per capita and without a B1 score are left as they are and listed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from giamngheo.common.command import GiamngheoCommand
from giamngheo.errors import InputError

STATUS_LABELS = {
    "poor": "nghèo / poor",
    "near_poor": "cận nghèo / near-poor",
    "average": "mức sống trung bình / average",
    "not_poor": "không nghèo / not poor",
}


class Command(GiamngheoCommand):
    help = (
        "Phân loại lại mọi hộ của xã theo sổ hộ và ghi kết quả vào đợt rà soát đang mở / "
        "reclassify every household of a commune and record the results in its open review round"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="mã hoặc tên xã / commune code or name")
        parser.add_argument("--year", type=int, required=True, help="năm rà soát / review year")
        parser.add_argument("--kind", choices=["regular", "adhoc"], default="regular", help="regular | adhoc")
        parser.add_argument(
            "--month", type=int, help="tháng (rà soát thường xuyên) / month of an ad-hoc round"
        )
        parser.add_argument(
            "--standard", metavar="ID", help="chuẩn nghèo khi mở đợt mới / standard of a new round"
        )
        parser.add_argument("--user", help="tên đăng nhập ghi vào lịch sử / username recorded in the history")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.db import transaction

        from giamngheo.bulk.reclassify import register_reclassify
        from giamngheo.reviews.services import review_round_open
        from giamngheo.units.selectors import unit_resolve

        actor = _user(options["user"]) if options["user"] else None
        commune = unit_resolve(options["unit"], user=actor)
        if commune.level.code != "commune":
            raise InputError.single(
                f"{commune.display_name} không phải là xã/phường",
                f"{commune.name} is not a commune",
                column="--unit",
                fix_vi="Chọn một xã (đợt rà soát là của xã)",
                fix_en="Pick a commune (review rounds belong to communes)",
            )
        if actor is not None and not actor.has_perm("units.change_unit_data", commune):
            raise InputError.single(
                f"{actor.username} không được sửa số liệu của {commune.name}",
                f"{actor.username} may not change the data of {commune.name}",
                column="--user",
            )
        with transaction.atomic():  # a round opened here is not left behind if the reclassification fails
            review_round = review_round_open(
                commune=commune,
                year=options["year"],
                kind=options["kind"],
                month=options["month"],
                standard_id=options["standard"],
                actor=actor,
            )
            summary = register_reclassify(actor=actor, review_round=review_round)
        counts = ", ".join(f"{label} {summary.by_status.get(s, 0)}" for s, label in STATUS_LABELS.items())
        self.stdout.write(
            f"{commune.display_name} — đợt / round {review_round.period} ({review_round.standard_id}, "
            f"{review_round.review_date:%d/%m/%Y}): đã ghi / recorded {summary.recorded} hộ / households: "
            f"{counts}\n"
        )
        if summary.skipped:
            more = (
                f" (+{summary.skipped - len(summary.skipped_codes)})"
                if summary.skipped > len(summary.skipped_codes)
                else ""
            )
            self.stdout.write(
                f"Bỏ qua / skipped {summary.skipped} hộ không có thu nhập hay điểm B1 / households with "
                f"neither income nor a B1 score: {', '.join(summary.skipped_codes)}{more}\n"
            )
        if options["verbosity"] >= 2:
            timings = ", ".join(f"{k} {v:.2f} s" for k, v in summary.timings.items())
            self.stderr.write(f"thời gian / timings: {timings}")


def _user(username: str) -> Any:
    from giamngheo.accounts.models import User

    user = User.objects.select_related("unit").filter(username=username, is_active=True).first()
    if user is None:
        raise InputError.single(
            f"Không có người dùng “{username}”", f"No active user “{username}”", column="--user"
        )
    return user
