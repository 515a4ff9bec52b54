"""Writes to review rounds and results, one module per step of a round: ``rounds`` (the round's standard
and opening, the results written into it), ``household_list`` (the households to review), ``screening``
(Phiếu A), ``surveys`` (Phiếu B), ``meetings`` (the village meeting), ``posting`` (public posting,
complaints and re-checks), ``decision`` (the movements, and the decision prepared by the officer and issued
by the chairman), and what they share (``common``: the open round's lock, the checks of a village, an entry
and a date). Results of a decided round are official and locked.

The steps of a round (Decision 24/2021/QĐ-TTg): list the households → Phiếu A (screening of requests) →
Phiếu B (survey; the engine classifies) → village meeting (≥ the agreement share of attendees, else back
to the survey) → public posting (complaints, re-checks) → the commune chair's decision, which computes the
movements of spec §5 and locks the round. Every service here takes the round's row lock and refuses a
decided round, so a write can never land in a round that is being (or has been) decided. Callers import
this package: the names below are its writes.
"""

from giamngheo.reviews.services.common import ensure_round_open, lock_open_round
from giamngheo.reviews.services.decision import (
    DECIDE_BATCH,
    STAYED,
    decision_issue,
    decision_prepare,
    review_round_decide,
    round_decided,
    round_transitions_compute,
)
from giamngheo.reviews.services.household_list import (
    current_list_status,
    deferred_households,
    round_household_add,
    round_household_defer,
    round_households_seed,
)
from giamngheo.reviews.services.meetings import village_meeting_record
from giamngheo.reviews.services.posting import complaint_record, complaint_resolve, posting_record
from giamngheo.reviews.services.rounds import (
    ResultRow,
    default_review_date,
    open_rounds_keep_their_villages,
    results_record,
    review_round_open,
    review_round_standard_set,
    round_default_standard,
    round_standard_choice,
)
from giamngheo.reviews.services.screening import screening_record
from giamngheo.reviews.services.surveys import (
    ANSWER_TO_FACT,
    SurveyInput,
    register_changes,
    survey_classify,
    survey_facts,
    survey_record,
)

__all__ = [
    "ensure_round_open",
    "lock_open_round",
    "default_review_date",
    "round_standard_choice",
    "round_default_standard",
    "review_round_standard_set",
    "review_round_open",
    "ResultRow",
    "results_record",
    "open_rounds_keep_their_villages",
    "current_list_status",
    "deferred_households",
    "round_household_defer",
    "round_households_seed",
    "round_household_add",
    "screening_record",
    "ANSWER_TO_FACT",
    "SurveyInput",
    "survey_facts",
    "survey_classify",
    "register_changes",
    "survey_record",
    "village_meeting_record",
    "posting_record",
    "complaint_record",
    "complaint_resolve",
    "round_decided",
    "round_transitions_compute",
    "review_round_decide",
    "decision_prepare",
    "decision_issue",
    "DECIDE_BATCH",
    "STAYED",
]
