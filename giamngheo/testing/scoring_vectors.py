"""Test vectors for the browser's live scoring, generated from the Python engine (issue 13).

Every standard the engine knows (so a standard or a B1 change made in the data is followed), each area, every
boundary of the income test (income line, average band, B1 cut-off: one below, at, one above), deprivation
counts around the poor threshold, each indicator alone and each one tipping a household into poverty, answers
left blank where the facts decide or cannot, and Phiếu A's screening threshold. The expected values are the
engine's own (``standards.classify`` and ``reviews.procedure.screening_outcome``).
"""

from __future__ import annotations

import datetime
from typing import Any

from giamngheo.reviews.procedure import phieu_a, screening_outcome
from giamngheo.standards.classify import classify
from giamngheo.standards.facts import Area, HouseholdFacts, MemberFacts
from giamngheo.standards.indicators import evaluate
from giamngheo.standards.loader import list_standards
from giamngheo.standards.model import Standard

REVIEW = datetime.date(2024, 11, 15)
COMPARED = (
    "status",
    "income_test",
    "at_or_below_line",
    "deprived",
    "deprivation_count",
    "b2_score",
    "unknown",
)


def _incomes(standard: Standard, area: str) -> list[tuple[int | None, int | None]]:
    line, upper, cutoff = standard.income_lines[area], standard.average_upper[area], standard.b1_cutoffs[area]
    incomes = [0, line - 1, line, line + 1, upper - 1, upper, upper + 1]
    pairs: list[tuple[int | None, int | None]] = [(income, None) for income in incomes]
    pairs += [(None, b1) for b1 in (0, cutoff - 1, cutoff, cutoff + 1)]
    pairs += [(line, cutoff + 1), (line + 1, cutoff - 1)]  # both given: the income decides
    return pairs


def _answer_sets(standard: Standard) -> list[dict[str, bool]]:
    codes = list(standard.indicator_codes)
    threshold = -(-standard.b2_poor_min_points // standard.b2_points_per_indicator)  # deprivations for poor
    sets = []
    for k in sorted({0, 1, threshold - 1, threshold, threshold + 1, len(codes)}):
        if 0 <= k <= len(codes):
            sets.append({code: i < k for i, code in enumerate(codes)})
    for code in codes:  # each indicator alone, and each one as the deprivation that makes the household poor
        sets.append({c: c == code for c in codes})
        others = [c for c in codes if c != code][: threshold - 1]
        sets.append({c: c == code or c in others for c in codes})
    return sets


def _facts_households(area: str) -> list[HouseholdFacts]:
    """Households whose facts decide some indicators (and leave others unknown) when answers are blank."""
    child = MemberFacts(birth_date=datetime.date(2015, 3, 1), has_health_insurance=False)
    adult = MemberFacts(birth_date=datetime.date(1980, 1, 1), has_health_insurance=True)
    return [
        HouseholdFacts(area=Area(area)),
        HouseholdFacts(
            area=Area(area),
            members=(adult, child),
            safe_water=False,
            hygienic_latrine=False,
            internet_use=True,
            owns_info_device=False,
        ),
    ]


def _vector(
    standard: Standard, facts: HouseholdFacts, income: int | None, b1: int | None, answers: dict
) -> dict:
    from dataclasses import replace

    household = replace(facts, income_per_capita=income, b1_score=b1, answers=dict(answers))
    result = classify(household, standard, REVIEW)
    from_facts = {e.code: e.from_facts for e in evaluate(replace(household, answers={}), standard, REVIEW)}
    return {
        "standard": standard.id,
        "input": {
            "area": facts.area.value if facts.area else None,
            "income_per_capita": income,
            "b1_score": b1,
            "answers": answers,
            "facts_deprived": from_facts,
        },
        "expected": {
            "status": str(result.status),
            "income_test": result.income_test,
            "at_or_below_line": result.at_or_below_line,
            "deprived": list(result.deprived),
            "deprivation_count": result.deprivation_count,
            "b2_score": result.b2_score,
            "unknown": list(result.unknown),
        },
    }


def phieu_b_vectors() -> list[dict[str, Any]]:
    vectors = []
    for standard in list_standards():
        for area in standard.areas:
            plain, with_facts = _facts_households(area)
            for income, b1 in _incomes(standard, area):
                for answers in _answer_sets(standard):
                    vectors.append(_vector(standard, plain, income, b1, answers))
                # Blank answers: the facts decide where they can, the rest counts as not deprived.
                for facts in (plain, with_facts):
                    vectors.append(_vector(standard, facts, income, b1, {}))
                    first = standard.indicator_codes[0]
                    vectors.append(_vector(standard, facts, income, b1, {first: True}))
    return vectors


def phieu_a_vectors() -> list[dict[str, Any]]:
    vectors = []
    for standard in list_standards():
        questions = phieu_a(standard)
        codes = list(questions.codes)
        for area in standard.areas:
            limit = questions.screen_out_when_yes_at_least.get(area) or 0
            for yes in sorted({0, 1, max(limit - 1, 0), limit, limit + 1, len(codes)}):
                if yes > len(codes):
                    continue
                answers = {code: i < yes for i, code in enumerate(codes)}
                count, out = screening_outcome(answers, area=area, questions=questions)
                vectors.append(
                    {
                        "standard": standard.id,
                        "area": area,
                        "answers": answers,
                        "expected": {"yes": count, "screened_out": out},
                    }
                )
    return vectors


def definitions() -> dict[str, Any]:
    """What the browser reads: each standard's own JSON definition and its Phiếu A."""
    out: dict[str, Any] = {}
    for standard in list_standards():
        questions = phieu_a(standard)
        out[standard.id] = {
            "standard": dict(standard.raw),
            "phieu_a": {
                "screen_out_when_yes_at_least": dict(questions.screen_out_when_yes_at_least),
                "questions": [{"code": q.code} for q in questions.questions],
            },
        }
    return out
