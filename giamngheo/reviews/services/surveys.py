"""Phiếu B: the survey of a household; the engine classifies its answers (with the register's facts below
them), and the result of the round is written; the register may take the facts the survey states."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction

from giamngheo.accounts.models import User
from giamngheo.errors import InputError
from giamngheo.households.facts import household_facts
from giamngheo.households.models import Household, Member
from giamngheo.households.services import household_update
from giamngheo.reviews.models import (
    Complaint,
    ComplaintOutcome,
    ResultSource,
    ReviewResult,
    ReviewRound,
    RoundHousehold,
    Step,
    Survey,
)
from giamngheo.reviews.services.common import _entry_locked, _not_after_today, _save_entry
from giamngheo.reviews.services.rounds import ResultRow, _results_write
from giamngheo.standards.classify import Result, classify
from giamngheo.standards.facts import HouseholdFacts
from giamngheo.standards.indicators import has_no_labour_capacity
from giamngheo.standards.loader import get_standard

# --- Phiếu B ----------------------------------------------------------------------------------------------

# Household facts a B2 answer states exactly (deprived ⇔ the fact is False), so the register can take them.
ANSWER_TO_FACT = {
    "drinking_water": "safe_water",
    "sanitation": "hygienic_latrine",
    "telecom": "internet_use",
    "information_devices": "owns_info_device",
    "waste": "waste_handled",
}


@dataclass(frozen=True)
class SurveyInput:
    """What a reviewer enters on Phiếu B: B1 (its items in a region, or a typed total) and/or income; B2
    yes/no per indicator (absent: not asked)."""

    b1_score: int | None
    income_per_capita: int | None
    answers: Mapping[str, bool]
    b1_items: Mapping[str, str] | None = None  # item code → answer code (the score is computed from them)
    b1_region: str | None = None


def survey_facts(*, household: Household, members: list[Member], data: SurveyInput) -> HouseholdFacts:
    """The register's facts with the survey's answers on top (the answers win; see standards.indicators)."""
    facts = household_facts(household, members, b1_score=data.b1_score)
    return replace(
        facts,
        income_per_capita=data.income_per_capita,
        answers=dict(data.answers),
        b1_items=dict(data.b1_items) if data.b1_items else None,
        b1_region=data.b1_region or None,
    )


def survey_classify(*, review_round: ReviewRound, household: Household, data: SurveyInput) -> Result:
    """The engine's verdict for these answers — the same call the live form and the save use."""
    members = list(household.members.all())
    facts = survey_facts(household=household, members=members, data=data)
    return classify(facts, get_standard(review_round.standard_id), review_round.review_date)


def register_changes(
    *, household: Household, standard_codes: tuple[str, ...], data: SurveyInput
) -> dict[str, Any]:
    """The register facts that differ from what the survey states (only facts a yes/no states exactly)."""
    changes: dict[str, Any] = {}
    if data.income_per_capita is not None and data.income_per_capita != household.income_per_capita:
        changes["income_per_capita"] = data.income_per_capita
    for code, field in ANSWER_TO_FACT.items():
        answer = data.answers.get(code)
        if code in standard_codes and answer is not None and getattr(household, field) != (not answer):
            changes[field] = not answer
    return changes


def _labour_capacity(household: Household, facts: HouseholdFacts, review_round: ReviewRound) -> bool | None:
    if household.labour_capacity is not None:
        return household.labour_capacity
    none_able = has_no_labour_capacity(
        facts, get_standard(review_round.standard_id), review_round.review_date
    )
    return None if none_able is None else not none_able


@transaction.atomic
def survey_record(
    *,
    entry: RoundHousehold,
    data: SurveyInput,
    surveyed_on: datetime.date,
    interviewer: str = "",
    respondent: str = "",
    note: str = "",
    update_register: bool = False,
    household_version: int | None = None,
    actor: User | None = None,
) -> ReviewResult:
    """Save Phiếu B, classify, and write the household's result of the round (source: survey).

    With ``update_register`` the household's facts in the register take the survey's values too, checked
    against ``household_version`` (another user's change in between is a conflict: nothing is saved).
    """
    # one query for the entry, its household and its Phiếu B so far (the round is locked first)
    review_round, entry = _entry_locked(entry, "survey")
    household = entry.household
    _not_after_today(
        surveyed_on, column="surveyed_on", what_vi="Ngày khảo sát Phiếu B", what_en="The Phiếu B date"
    )
    if entry.step == Step.SCREENED_OUT:
        raise InputError.single(
            f"Hộ {household.code} đã bị loại ở Phiếu A nên không khảo sát Phiếu B",
            f"Household {household.code} was screened out by Phiếu A, so it is not surveyed with Phiếu B",
            column="phieu_b",
            fix_vi="Nếu Phiếu A ghi sai, nhập lại Phiếu A trước",
            fix_en="If Phiếu A was wrong, enter Phiếu A again first",
        )
    standard = get_standard(review_round.standard_id)
    unknown = sorted(set(data.answers) - set(standard.indicator_codes))
    if unknown:
        raise InputError.single(
            f"Chỉ số không có trong chuẩn {standard.id}: {', '.join(unknown)}",
            f"Indicators not in standard {standard.id}: {', '.join(unknown)}",
            column="phieu_b",
        )
    members = list(household.members.all())
    facts = survey_facts(household=household, members=members, data=data)
    result = classify(facts, standard, review_round.review_date)
    # the B1 score as entered or as computed from the items (the engine checked a typed total against them)
    b1_score = result.b1_items.total if result.b1_items is not None else data.b1_score

    try:
        survey = entry.survey
    except Survey.DoesNotExist:
        survey = Survey(entry=entry)
    survey.surveyed_on = surveyed_on
    survey.interviewer = interviewer.strip()
    survey.respondent = respondent.strip()
    survey.b1_score = b1_score
    survey.b1_region = result.b1_items.region if result.b1_items is not None else ""
    survey.b1_items = dict(data.b1_items) if result.b1_items is not None and data.b1_items else {}
    survey.income_per_capita = data.income_per_capita
    survey.answers = {code: bool(value) for code, value in data.answers.items()}
    survey.note = note.strip()
    survey._history_user = actor  # type: ignore[attr-defined]
    survey.save()

    if update_register:
        changes = register_changes(household=household, standard_codes=standard.indicator_codes, data=data)
        if changes:
            household = household_update(
                actor=actor,
                household=household,
                expected_version=household_version if household_version is not None else household.version,
                **changes,
            )

    # the round is locked since _entry_locked: write the result without locking it again
    (written,) = _results_write(
        review_round=review_round,
        rows=[
            ResultRow(
                household=household,
                status=result.status,
                source=ResultSource.SURVEY,
                members=None,  # the declared số khẩu; the register may not list every member yet
                labour_capacity=_labour_capacity(household, facts, review_round),
                income_per_capita=result.income_per_capita,
                b1_score=b1_score,
                b2_score=result.b2_score,
                deprivation_count=result.deprivation_count,
                deprived=";".join(result.deprived),
                # the engine's sentence says which of B1 and income decided, and whether the other agrees
                explanation_vi=result.explanation_vi,
                explanation_en=result.explanation_en,
            )
        ],
        actor=actor,
    )
    entry.step = Step.SURVEYED
    entry.back_to_survey = False
    entry.posting = None
    _save_entry(entry, actor)
    # A re-check that sent the household back to the survey learns the status the new Phiếu B gave.
    for complaint in Complaint.objects.filter(
        entry=entry, outcome=ComplaintOutcome.RESURVEY, status_after=""
    ):
        complaint.status_after = result.status
        complaint._history_user = actor  # type: ignore[attr-defined]
        complaint.save(update_fields=["status_after"])
    return written
