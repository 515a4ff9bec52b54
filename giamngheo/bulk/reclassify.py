"""Reclassify every household of a round's commune from the register, in bulk, into the open round.

What goes in is exactly what the per-household path would compute now (``reviews.services.survey_record``):
the register's current facts, with — for a household surveyed in this round — the survey's income, B1
score and direct answers (Phiếu B) on top, under the round's standard at the round's review date. A
household that cannot be classified (no income per capita and no B1 score) keeps whatever result it has
and is reported as skipped. Results are written with ``reviews.services.results_record`` (bulk, with
history), in one transaction: all or nothing.

The classification is vectorised (``bulk.indicators_frame``); only the explanation sentences are built
per distinct (income, status, deprivations) combination with the engine's own ``classify.explain``, so the
words are the engine's.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction

from giamngheo.accounts.models import User
from giamngheo.bulk.facts_frame import RegisterFacts, register_facts
from giamngheo.bulk.indicators_frame import classify_register
from giamngheo.households.models import Household, Member
from giamngheo.reviews.models import ResultSource, ReviewRound, Survey
from giamngheo.reviews.services import ResultRow, lock_open_round, results_record
from giamngheo.standards.classify import Result, b1_check, explain
from giamngheo.standards.frame_facts import ANSWER_PREFIX
from giamngheo.standards.loader import get_standard
from giamngheo.standards.model import Standard

if TYPE_CHECKING:
    import polars as pl

SKIPPED_SHOWN = 20


@dataclass
class ReclassifySummary:
    review_round: ReviewRound
    recorded: int
    by_status: dict[str, int]
    skipped: int  # households with neither income nor a B1 score: their results were left alone
    skipped_codes: list[str]  # the first ``SKIPPED_SHOWN`` of them, by code
    timings: dict[str, float] = field(default_factory=dict)


def _with_surveys(facts: RegisterFacts, review_round: ReviewRound, standard: Standard) -> None:
    """Phiếu B of this round over the register's facts: its income and B1 replace the register's (as
    ``reviews.services.survey_facts`` does) and its answers become ``answer:<code>`` columns."""
    import polars as pl

    surveys = list(
        Survey.objects.filter(entry__review_round=review_round).values_list(
            "entry__household_id", "income_per_capita", "b1_score", "answers"
        )
    )
    codes = standard.indicator_codes
    schema: dict[str, Any] = {
        "household": pl.Int64,
        "__surveyed": pl.Boolean,
        "__income": pl.Int64,
        "b1_score": pl.Int64,
        **{f"{ANSWER_PREFIX}{code}": pl.Boolean for code in codes},
    }
    rows = [
        (household, True, income, b1, *[answers.get(code) for code in codes])
        for household, income, b1, answers in surveys
    ]
    surveyed = pl.DataFrame(rows, schema=schema, orient="row")
    facts.households = (
        facts.households.join(surveyed, on="household", how="left", maintain_order="left")
        .with_columns(
            pl.when(pl.col("__surveyed"))
            .then(pl.col("__income"))
            .otherwise(pl.col("income_per_capita"))
            .alias("income_per_capita")
        )
        .drop("__surveyed", "__income")
    )


def _explanations(
    classified: pl.DataFrame, standard: Standard, on: datetime.date
) -> dict[tuple[Any, ...], tuple[str, str]]:
    """The engine's sentence for each distinct combination that shapes it (a few hundred per commune)."""
    keys = ("area", "income_test", "income_per_capita", "b1_score", "status", "deprived", "farm_household")
    combos = classified.filter("classifiable").select(keys).unique()
    out = {}
    for area, income_test, income, b1, status, deprived, farm in combos.iter_rows():
        uses_b1 = income_test == "b1"
        codes = tuple(deprived.split(";")) if deprived else ()
        at_or_below = b1 <= standard.b1_cutoffs[area] if uses_b1 else income <= standard.income_lines[area]
        result = Result(
            standard_id=standard.id,
            standard_version=standard.version,
            review_date=on,
            household_id=None,
            area=area,
            status=status,
            income_test=income_test,
            income_per_capita=income,
            b1_score=b1 if uses_b1 else None,
            income_line=standard.income_lines[area],
            b1_cutoff=standard.b1_cutoffs[area] if uses_b1 else None,
            at_or_below_line=at_or_below,
            deprivation_count=len(codes),
            deprived=codes,
            b2_score=standard.b2_points_per_indicator * len(codes),
            explanation_vi="",
            explanation_en="",
            # a B1 score beside the income is named (issue 17 C3); the livelihood decides the band (C4)
            b1_check=b1_check(b1, standard, area, at_or_below) if not uses_b1 else None,
            farm_household=farm,
        )
        out[(area, income_test, income, b1, status, deprived, farm)] = explain(result, standard)
    return out


@transaction.atomic
def register_reclassify(*, actor: User | None, review_round: ReviewRound) -> ReclassifySummary:
    """Classify every open household of the round's commune and record the results in the (open) round."""
    started = time.perf_counter()
    review_round = lock_open_round(review_round)  # a decided round is refused before any work
    standard = get_standard(review_round.standard_id)
    on = review_round.review_date
    commune = review_round.commune
    households = Household.objects.filter(commune_id=commune.pk, dissolved_on__isnull=True)
    facts = register_facts(
        households=households, members=Member.objects.filter(unit_path__startswith=commune.path)
    )
    _with_surveys(facts, review_round, standard)
    classified = classify_register(facts, standard, on)
    explaining = time.perf_counter()
    sentences = _explanations(classified, standard, on)
    timings = dict(facts.timings)
    timings["explain"] = time.perf_counter() - explaining

    writing = time.perf_counter()
    instances = {
        h.pk: h
        for h in households.only(
            "pk",
            "code",
            "unit_path",
            "size",
            "labour_capacity",
            "social_protection",
            "ethnic_minority",
            "meritorious",
            "provincial_income_support",
        )
    }
    rows: list[ResultRow] = []
    by_status: dict[str, int] = {}
    skipped: list[str] = []
    columns = (
        "household",
        "classifiable",
        "area",
        "income_test",
        "income_per_capita",
        "b1_score",
        "status",
        "deprived",
        "deprivation_count",
        "b2_score",
        "member_count",
        "labour_capacity",
        "farm_household",
    )
    for (
        pk,
        classifiable,
        area,
        income_test,
        income,
        b1,
        status,
        deprived,
        count,
        b2,
        people,
        labour,
        farm,
    ) in classified.select(columns).iter_rows():
        household = instances[pk]
        if not classifiable:
            skipped.append(household.code)
            continue
        vi, en = sentences[(area, income_test, income, b1, status, deprived, farm)]
        rows.append(
            ResultRow(
                household=household,
                status=status,
                source=ResultSource.SURVEY,
                members=people or household.size,
                labour_capacity=household.labour_capacity
                if household.labour_capacity is not None
                else labour,
                income_per_capita=income,
                b1_score=b1,
                b2_score=b2,
                deprivation_count=count,
                deprived=deprived,
                explanation_vi=vi,
                explanation_en=en,
            )
        )
        by_status[status] = by_status.get(status, 0) + 1
    recorded = results_record(review_round=review_round, rows=rows, actor=actor)
    timings["write"] = time.perf_counter() - writing
    timings["total"] = time.perf_counter() - started
    skipped.sort()
    return ReclassifySummary(
        review_round=review_round,
        recorded=recorded,
        by_status=by_status,
        skipped=len(skipped),
        skipped_codes=skipped[:SKIPPED_SHOWN],
        timings=timings,
    )
