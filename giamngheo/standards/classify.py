"""Classify one household under a standard, with the reason in Vietnamese and English.

Income test (spec §3: income is known "either directly … or through the B1 score"): the surveyed income per
capita when known — it is the criterion itself, which the B1 score only estimates — else the B1 score
against its cut-off. The B1 score is typed, or computed from the Phiếu B items (``b1``). When both a B1
score and an income are given, the income decides and the result says so and whether the B1 score agrees
(``b1_check``): one is never silently ignored. "At or below the line" is inclusive. Poor ⇔ at/below the line
and B2 = points × deprivations ≥ the poor threshold; near-poor ⇔ at/below the line with fewer deprivations;
average ⇔ income above the line and within the average band, for a household working in agriculture,
forestry, fishery or salt production (``farm_household``; not recorded = the band alone, as a format-A file
without that column); otherwise not poor. A B1 score alone cannot place a household in the average band
(the band is defined in VND), so such a household above the cut-off is not poor.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from giamngheo.errors import InputError
from giamngheo.standards.b1 import B1Score, b1_from_items
from giamngheo.standards.facts import HouseholdFacts
from giamngheo.standards.formatting import count_en, join_en, join_vi, number_en, number_vi
from giamngheo.standards.indicators import Evaluation, evaluate
from giamngheo.standards.model import Standard, Text
from giamngheo.standards.transitions import Status

POOR, NEAR_POOR, AVERAGE, NOT_POOR = Status.POOR, Status.NEAR_POOR, Status.AVERAGE, Status.NOT_POOR
STATUS_VI: dict[str, str] = {
    POOR: "hộ nghèo",
    NEAR_POOR: "hộ cận nghèo",
    AVERAGE: "hộ có mức sống trung bình",
    NOT_POOR: "hộ không nghèo",
}
STATUS_EN: dict[str, str] = {
    POOR: "poor household",
    NEAR_POOR: "near-poor household",
    AVERAGE: "average living standard household",
    NOT_POOR: "not poor",
}


@dataclass(frozen=True)
class Discrepancy:
    """Phiếu B's answer and the facts disagree on an indicator; the answer was used."""

    code: str
    answer: bool
    from_facts: bool


@dataclass(frozen=True)
class B1Check:
    """A B1 score given beside a surveyed income: the income decided; the B1 score is compared with its
    cut-off so a disagreement is shown (and Phiếu B checked again), never dropped."""

    score: int
    cutoff: int
    at_or_below: bool
    agrees: bool


@dataclass(frozen=True)
class Result:
    standard_id: str
    standard_version: str
    review_date: date
    household_id: str | None
    area: str
    status: str  # poor, near_poor, average, not_poor
    income_test: str  # "income" (surveyed income) or "b1" (B1 score against its cut-off)
    income_per_capita: int | None
    b1_score: int | None  # set when the B1 score was the income test
    income_line: int  # VND/person/month for the area
    b1_cutoff: int | None  # set when the B1 score was the income test
    at_or_below_line: bool
    deprivation_count: int
    deprived: tuple[str, ...]  # codes, in the standard's order
    b2_score: int
    explanation_vi: str
    explanation_en: str
    unknown: tuple[
        str, ...
    ] = ()  # indicators neither answered nor decidable from the facts (counted as not deprived)
    discrepancies: tuple[Discrepancy, ...] = ()
    provisional: tuple[
        str, ...
    ] = ()  # provisional parameters this result depended on (paths in the standard)
    b1_check: B1Check | None = None  # a B1 score that was given but not the income test
    b1_items: B1Score | None = None  # the B1 score's breakdown, when computed from the items
    farm_household: bool | None = None  # as given (None: not recorded)
    evaluations: tuple[Evaluation, ...] = field(default=(), repr=False)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["review_date"] = self.review_date.isoformat()
        del data["evaluations"]
        return data


def _require_area(household: HouseholdFacts, standard: Standard) -> str:
    area = household.area.value if household.area is not None else None
    if area is None or area not in standard.income_lines:
        raise InputError.single(
            f"hộ {household.household_id or ''}: thiếu hoặc sai khu vực ({area})",
            f"household {household.household_id or ''}: missing or unknown area ({area})",
            column="area",
            fix_vi=f"ghi một trong: {', '.join(standard.areas)}",
            fix_en=f"give one of: {', '.join(standard.areas)}",
        )
    return area


def _b1(household: HouseholdFacts, standard: Standard, area: str) -> tuple[int | None, B1Score | None]:
    """The household's B1 score: computed from its items when given, else the typed total (or None)."""
    if not household.b1_items:
        return household.b1_score, None
    scored = b1_from_items(standard, area, household.b1_region, household.b1_items, typed=household.b1_score)
    return scored.total, scored


def _income_test(
    household: HouseholdFacts, standard: Standard, area: str, b1: int | None
) -> tuple[str, bool]:
    if household.income_per_capita is not None:
        return "income", household.income_per_capita <= standard.income_lines[area]
    if b1 is not None:
        return "b1", b1 <= standard.b1_cutoffs[area]
    raise InputError.single(
        f"hộ {household.household_id or ''}: không có thu nhập bình quân và cũng không có điểm B1",
        f"household {household.household_id or ''}: neither income per capita nor a B1 score",
        column="income_per_capita / b1_score",
        fix_vi="ghi thu nhập bình quân (đồng/người/tháng) hoặc điểm B1 của Phiếu B",
        fix_en="give the income per capita (VND/person/month) or the B1 score of Phiếu B",
    )


def _status(household: HouseholdFacts, standard: Standard, area: str, at_or_below: bool, b2: int) -> str:
    if at_or_below:
        return POOR if b2 >= standard.b2_poor_min_points else NEAR_POOR
    income = household.income_per_capita
    if (
        income is not None
        and income <= standard.average_upper[area]
        and household.farm_household is not False
    ):
        return AVERAGE
    return NOT_POOR


def classify(household: HouseholdFacts, standard: Standard, review_date: date | None = None) -> Result:
    """Status of ``household`` under ``standard``; ages are taken at ``review_date`` (default: today)."""
    on = review_date or date.today()
    area = _require_area(household, standard)
    b1, b1_items = _b1(household, standard, area)
    income_test, at_or_below = _income_test(household, standard, area, b1)
    evaluations = evaluate(household, standard, on)
    deprived = tuple(e.code for e in evaluations if e.deprived)
    b2 = standard.b2_points_per_indicator * len(deprived)
    status = _status(household, standard, area, at_or_below, b2)
    uses_b1 = income_test == "b1"
    result = Result(
        standard_id=standard.id,
        standard_version=standard.version,
        review_date=on,
        household_id=household.household_id,
        area=area,
        status=status,
        income_test=income_test,
        income_per_capita=household.income_per_capita,
        b1_score=b1 if uses_b1 else None,
        income_line=standard.income_lines[area],
        b1_cutoff=standard.b1_cutoffs[area] if uses_b1 else None,
        at_or_below_line=at_or_below,
        deprivation_count=len(deprived),
        deprived=deprived,
        b2_score=b2,
        explanation_vi="",
        explanation_en="",
        unknown=tuple(e.code for e in evaluations if e.source == "unknown"),
        discrepancies=tuple(
            Discrepancy(e.code, bool(e.answer), bool(e.from_facts)) for e in evaluations if e.discrepancy
        ),
        provisional=_provisional_used(standard, area, income_test, at_or_below, b1_items is not None),
        evaluations=tuple(evaluations),
        b1_check=b1_check(b1, standard, area, at_or_below) if not uses_b1 else None,
        b1_items=b1_items,
        farm_household=household.farm_household,
    )
    vi, en = explain(result, standard)
    return replace(result, explanation_vi=vi, explanation_en=en)


def b1_check(b1: int | None, standard: Standard, area: str, income_at_or_below: bool) -> B1Check | None:
    """The comparison of a B1 score given beside a surveyed income with its cut-off (None: no B1 score)."""
    if b1 is None:
        return None
    cutoff = standard.b1_cutoffs[area]
    return B1Check(b1, cutoff, b1 <= cutoff, (b1 <= cutoff) == income_at_or_below)


def _provisional_used(
    standard: Standard, area: str, income_test: str, at_or_below: bool, from_items: bool
) -> tuple[str, ...]:
    paths = [f"income.lines.{area}"] if income_test == "income" else [f"b1.cutoffs.{area}"]
    if from_items and income_test == "b1":
        paths.append("b1.item_tables")
    if not at_or_below and income_test == "income":
        paths.append(f"income.average_upper.{area}")
    if at_or_below:  # the deprivation count decided poor vs near-poor: every indicator mattered
        paths += [f"indicators.{code}" for code in standard.indicator_codes]
    keys: list[str] = []
    for path in paths:
        keys += [key for key, _ in standard.provisional_notes(path) if key not in keys]
    return tuple(keys)


# --- explanation -------------------------------------------------------------------------------------------


def _b1_source(result: Result, standard: Standard) -> tuple[str, str]:
    if result.b1_items is None or standard.b1_table is None:
        return "", ""
    region = standard.b1_table.region(result.b1_items.region)
    count, code = len(result.b1_items.lines), result.b1_items.region
    name = region.name if region is not None else Text(code, code)
    return f" (tính từ {count} câu hỏi B1, {name.vi})", f" (computed from {count} B1 items, {name.en})"


def _income_clause(result: Result, standard: Standard) -> tuple[str, str]:
    area = standard.areas[result.area]
    if result.income_test == "b1":
        sign = "≤" if result.at_or_below_line else ">"
        source_vi, source_en = _b1_source(result, standard)
        return (
            f"Điểm B1 {result.b1_score}{source_vi} {sign} ngưỡng {result.b1_cutoff} ({area.vi})",
            f"B1 score {result.b1_score}{source_en} {sign} cut-off {result.b1_cutoff} ({area.en})",
        )
    income = result.income_per_capita
    assert income is not None
    line = result.income_line
    if result.at_or_below_line:
        return (
            f"Thu nhập {number_vi(income)} đ/người/tháng ≤ chuẩn {number_vi(line)} đ ({area.vi})",
            f"Income {number_en(income)} VND/person/month ≤ line {number_en(line)} VND ({area.en})",
        )
    upper = standard.average_upper[result.area]
    if income <= upper:
        vi = (
            f"Thu nhập {number_vi(income)} đ/người/tháng > chuẩn {number_vi(line)} đ "
            f"và ≤ {number_vi(upper)} đ"
        )
        en = (
            f"Income {number_en(income)} VND/person/month > line {number_en(line)} VND "
            f"and ≤ {number_en(upper)} VND"
        )
        if result.farm_household is False:
            return (
                f"{vi} ({area.vi}) nhưng hộ không làm nông, lâm, ngư, diêm nghiệp (mức sống trung bình "
                "chỉ xét cho hộ làm nông, lâm, ngư, diêm nghiệp — Quyết định 24/2021/QĐ-TTg)",
                f"{en} ({area.en}) but the household does not work in agriculture, forestry, fishery or "
                "salt production (only such households can be of average living standard — "
                "Decision 24/2021/QĐ-TTg)",
            )
        if result.farm_household:
            return (
                f"{vi} ({area.vi}), hộ làm nông, lâm, ngư, diêm nghiệp",
                f"{en} ({area.en}), a household working in agriculture, forestry, fishery or salt production",
            )
        return f"{vi} ({area.vi})", f"{en} ({area.en})"
    return (
        f"Thu nhập {number_vi(income)} đ/người/tháng > {number_vi(upper)} đ, "
        f"trên mức thu nhập tối đa của hộ có mức sống trung bình ({area.vi})",
        f"Income {number_en(income)} VND/person/month > {number_en(upper)} VND, "
        f"above the income of an average-living-standard household ({area.en})",
    )


def _b1_check_clause(result: Result) -> tuple[str, str]:
    """Which of B1 and income decided, and whether the other agrees (empty when only one was given)."""
    check, income = result.b1_check, result.income_per_capita
    if check is None or income is None:
        return "", ""
    side_vi = "dưới hoặc bằng" if check.at_or_below else "trên"
    side_en = "at or below" if check.at_or_below else "above"
    agree_vi = "cùng kết luận với thu nhập" if check.agrees else "khác với thu nhập: cần kiểm tra lại Phiếu B"
    agree_en = "the same as the income" if check.agrees else "unlike the income: check Phiếu B again"
    return (
        f". Có cả điểm B1 ({check.score}) và thu nhập ({number_vi(income)} đ): thu nhập điều tra quyết định "
        f"(điểm B1 chỉ ước tính thu nhập); điểm B1 {side_vi} ngưỡng {check.cutoff}, {agree_vi}",
        f". Both a B1 score ({check.score}) and an income ({number_en(income)} VND) were given: the surveyed "
        f"income decided (the B1 score only estimates it); the B1 score is {side_en} its cut-off "
        f"{check.cutoff}, {agree_en}",
    )


def _deprivation_clause(result: Result, standard: Standard) -> tuple[str, str]:
    if not result.deprived:
        return "không thiếu hụt chỉ số nào", "no deprivation"
    labels_vi = join_vi([standard.indicator(code).short.vi for code in result.deprived])
    labels_en = join_en([standard.indicator(code).short.en for code in result.deprived])
    n = result.deprivation_count
    vi, en = (
        f"thiếu hụt {n} chỉ số ({labels_vi})",
        f"deprived in {count_en(n, 'indicator', 'indicators')} ({labels_en})",
    )
    if result.status == NEAR_POOR:
        threshold = standard.poor_min_deprivations
        vi, en = f"{vi}, dưới {threshold}", f"{en}, fewer than {threshold}"
    return vi, en


def explain(result: Result, standard: Standard) -> tuple[str, str]:
    """One sentence in each language, e.g. "Thu nhập 1.200.000 đ/người/tháng ≤ chuẩn 1.500.000 đ (nông thôn)
    và thiếu hụt 3 chỉ số (BHYT, nhà tiêu hợp vệ sinh, internet) → hộ nghèo"."""
    income_vi, income_en = _income_clause(result, standard)
    status_vi, status_en = STATUS_VI[result.status], STATUS_EN[result.status]
    check_vi, check_en = _b1_check_clause(result)
    if result.at_or_below_line:
        dep_vi, dep_en = _deprivation_clause(result, standard)
        return (
            f"{income_vi} và {dep_vi} → {status_vi}{check_vi}",
            f"{income_en} and {dep_en} → {status_en}{check_en}",
        )
    if result.income_test == "b1":
        return (
            f"{income_vi} → {status_vi} (chỉ có điểm B1 nên không xác định được mức sống trung bình)",
            f"{income_en} → {status_en} (the average band cannot be told from a B1 score alone)",
        )
    if result.status == AVERAGE and result.farm_household is None:
        check_vi = (
            f" (chưa ghi hộ có làm nông, lâm, ngư, diêm nghiệp hay không: xét theo mức thu nhập){check_vi}"
        )
        check_en = (
            " (whether the household works in agriculture, forestry, fishery or salt production is not "
            f"recorded: the income band alone decided){check_en}"
        )
    return f"{income_vi} → {status_vi}{check_vi}", f"{income_en} → {status_en}{check_en}"
