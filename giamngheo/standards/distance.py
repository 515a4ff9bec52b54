"""How far a poor or near-poor household is from a better status — for escape plans and support targeting.

Income: the gap between the line and the household's income (0 when exactly at the line); leaving the
list needs income strictly above the line, i.e. gap + 1 đ. Deprivations: every indicator weighs the same
(B2 points), so for a poor household *any* ``count − threshold + 1`` of its deprivations, once resolved, make
it near-poor. A near-poor household leaves the lists only through income.
"""

from __future__ import annotations

from dataclasses import dataclass

from giamngheo.standards.classify import NEAR_POOR, POOR, Result
from giamngheo.standards.formatting import count_en, join_en, join_vi, number_en, number_vi
from giamngheo.standards.model import Standard


@dataclass(frozen=True)
class Distance:
    status: str
    income_gap: int | None  # VND/person/month between income and the line (income test by income)
    income_increase_to_exit: int | None  # income_gap + 1: the smallest rise that puts income above the line
    b1_points_to_exit: int | None  # B1 points needed to pass the cut-off (income test by B1)
    resolve_to_near_poor: int | None  # poor only: the fewest deprivations to resolve to become near-poor
    resolvable: tuple[str, ...]  # poor only: the deprivations any of which counts towards that number
    text_vi: str
    text_en: str


def distance_to_exit(result: Result, standard: Standard, listed: str | None = None) -> Distance | None:
    """None for a household whose facts place it neither poor nor near-poor.

    ``listed``: the status of the list the household is on (the latest decided review), when known. The text
    speaks of leaving *that* list: a household on the near-poor list is told how to leave near-poverty even if
    its facts today would make it poor (they are only checked at the next review); one on the poor list whose
    facts already make it near-poor is told how to leave poverty by income.
    """
    if result.status not in (POOR, NEAR_POOR):
        return None
    status = listed if listed in (POOR, NEAR_POOR) else result.status
    gap = increase = b1_points = None
    if result.income_test == "income" and result.income_per_capita is not None:
        gap = result.income_line - result.income_per_capita
        increase = gap + 1
    elif result.b1_score is not None and result.b1_cutoff is not None:
        b1_points = result.b1_cutoff - result.b1_score + 1
    to_resolve = None
    resolvable: tuple[str, ...] = ()
    if status == POOR and result.status == POOR:
        to_resolve = result.deprivation_count - standard.poor_min_deprivations + 1
        resolvable = result.deprived
    vi, en = _describe(result, standard, increase, b1_points, to_resolve, status)
    return Distance(status, gap, increase, b1_points, to_resolve, resolvable, vi, en)


def _describe(
    result: Result,
    standard: Standard,
    increase: int | None,
    b1_points: int | None,
    to_resolve: int | None,
    status: str,
) -> tuple[str, str]:
    if increase is not None:
        income_vi = f"thu nhập cần tăng thêm {number_vi(increase)} đ/người/tháng để vượt chuẩn"
        income_en = f"income must rise by {number_en(increase)} VND/person/month to pass the line"
    else:
        income_vi = f"điểm B1 cần tăng thêm {b1_points} điểm để vượt ngưỡng"
        income_en = f"the B1 score must rise by {b1_points} points to pass the cut-off"
    if status == NEAR_POOR:
        return f"Để thoát cận nghèo: {income_vi}", f"To leave near-poverty: {income_en}"
    if to_resolve is None:
        return f"Để thoát nghèo: {income_vi}", f"To leave poverty: {income_en}"
    labels_vi = join_vi([standard.indicator(c).short.vi for c in result.deprived])
    labels_en = join_en([standard.indicator(c).short.en for c in result.deprived])
    any_vi = "bất kỳ" if to_resolve < result.deprivation_count else "cả"
    any_en = "any" if to_resolve < result.deprivation_count else "all"
    return (
        f"Để thoát nghèo: {income_vi}; để chuyển sang cận nghèo: giải quyết {any_vi} {to_resolve} "
        f"trong {result.deprivation_count} chỉ số thiếu hụt ({labels_vi})",
        f"To leave poverty: {income_en}; to become near-poor: resolve {any_en} "
        f"{count_en(to_resolve, 'deprivation', 'deprivations')} of {result.deprivation_count} ({labels_en})",
    )
