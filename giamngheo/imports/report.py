"""What an import did (or, in a dry run, would do): counts per kind of record, said in two languages."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# The decision of an official list imported without its number (the command line's contract needs none).
DECISION_NOT_GIVEN = "(không ghi số / not given)"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated

    def line(self, label_vi: str, label_en: str) -> tuple[str, str]:
        return (
            f"{label_vi}: {self.created} tạo mới, {self.updated} cập nhật, {self.unchanged} không đổi",
            f"{label_en}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged",
        )


@dataclass
class ImportReport:
    file: str
    kind: str  # "units" or "households"
    dry_run: bool = False
    rows: int = 0
    units: Counts = field(default_factory=Counts)
    households: Counts = field(default_factory=Counts)
    heads: Counts = field(default_factory=Counts)
    results: Counts = field(default_factory=Counts)
    commune: str = ""
    commune_code: str = ""
    year: int | None = None
    round_state: str = ""  # "open" / "decided" after the import
    round_created: bool = False
    round_decided_now: bool = False
    decision_number: str = ""
    notes: list[tuple[str, str]] = field(default_factory=list)  # (vi, en)

    @property
    def changed(self) -> bool:
        return any(c.changed for c in (self.units, self.households, self.heads, self.results)) or (
            self.round_created or self.round_decided_now
        )

    def lines(self) -> list[str]:
        """The summary printed by the command line: Vietnamese, then English, one fact per line."""
        pairs: list[tuple[str, str]] = []
        if self.dry_run:
            pairs.append(("CHẠY THỬ — chưa ghi gì vào cơ sở dữ liệu", "DRY RUN — nothing was written"))
        pairs.append(
            (f"Tệp: {self.file} ({self.rows} dòng dữ liệu)", f"File: {self.file} ({self.rows} data rows)")
        )
        if self.kind == "units":
            pairs.append(self.units.line("Đơn vị hành chính", "units"))
        else:
            pairs.append(
                (
                    f"Danh sách của {self.commune} ({self.commune_code}), năm rà soát {self.year}",
                    f"List of {self.commune} ({self.commune_code}), review year {self.year}",
                )
            )
            pairs.append(self.households.line("Hộ gia đình", "households"))
            pairs.append(self.heads.line("Chủ hộ (nhân khẩu)", "heads of household (members)"))
            pairs.append(self.results.line("Kết quả rà soát", "review results"))
            pairs.append(self._round_line())
        pairs.extend(self.notes)
        return [f"{vi}\n  {en}" for vi, en in pairs]

    def _round_line(self) -> tuple[str, str]:
        would = self.dry_run
        if self.round_state == "decided":
            given = self.decision_number and self.decision_number != DECISION_NOT_GIVEN
            number = f" số {self.decision_number}" if given else " chưa ghi số"
            number_en = f" no. {self.decision_number}" if given else ", number not given"
            if self.round_decided_now:
                return (
                    f"Đợt rà soát năm {self.year}: {'sẽ được' if would else 'đã được'} công nhận chính thức"
                    f" (quyết định{number})",
                    f"Review round {self.year}: {'would be' if would else 'is now'} official"
                    f" (decision{number_en})",
                )
            return (
                f"Đợt rà soát năm {self.year}: đã được công nhận chính thức trước đó (quyết định{number})",
                f"Review round {self.year}: already official (decision{number_en})",
            )
        created_vi = (" (sẽ tạo mới)" if would else " (tạo mới)") if self.round_created else ""
        created_en = (" (would be created)" if would else " (created)") if self.round_created else ""
        return (
            f"Đợt rà soát năm {self.year}: bản nháp, chưa công nhận{created_vi}",
            f"Review round {self.year}: draft, not yet official{created_en}",
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        data = dict(data)
        for key in ("units", "households", "heads", "results"):
            data[key] = Counts(**data.get(key, {}))
        data["notes"] = [tuple(n) for n in data.get("notes", [])]
        return cls(**data)
