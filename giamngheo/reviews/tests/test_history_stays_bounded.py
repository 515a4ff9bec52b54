"""History that stays bounded (issue 15 part 6): a decision writes a history row only for the results whose
movement is a change of status, nothing for a result already holding its movement, and a stored-status
refresh that changes nothing writes nothing — while every real change keeps its who, when, before → after."""

import datetime

from giamngheo.households.models import Household
from giamngheo.reviews.models import ResultSource, ReviewResult
from giamngheo.reviews.services import ResultRow, results_record, review_round_decide, review_round_open
from giamngheo.reviews.statuses import household_statuses_refresh


def recorded(commune, review_register, year, statuses, actor=None):
    """A round of ``year`` with an imported list of ``statuses`` by household code, still open."""
    review_round = review_round_open(commune=commune, year=year)
    rows = [ResultRow(review_register[c], s, source=ResultSource.IMPORTED) for c, s in statuses.items()]
    results_record(review_round=review_round, rows=rows, actor=actor)
    return review_round


def decide(review_round, actor=None):
    day = datetime.date(review_round.year, 12, 20)
    return review_round_decide(
        review_round=review_round, decision_number="QĐ", decision_date=day, actor=actor
    )


def decided(commune, review_register, year, statuses, actor=None):
    return decide(recorded(commune, review_register, year, statuses, actor), actor)


def changed_rows(review_round):
    return ReviewResult.history.filter(review_round_id=review_round.pk, history_type="~")


# 2022 (``decided_2022``): RV-01 poor, RV-02 near-poor, RV-03 not poor, RV-11 poor.
STATUSES_2023 = {"RV-01": "poor", "RV-02": "near_poor", "RV-03": "not_poor", "RV-11": "not_poor"}


def test_a_decision_writes_history_only_for_the_households_whose_status_changed(
    son_trung, review_register, decided_2022, officer
):
    round_2023 = decided(son_trung, review_register, 2023, STATUSES_2023, actor=officer)
    movements = dict(
        ReviewResult.objects.filter(review_round=round_2023).values_list("household__code", "transition")
    )
    # Every movement is stored, the stayed ones too (lists and the API filter on them)…
    assert movements == {
        "RV-01": "stayed_poor",
        "RV-02": "stayed_near_poor",
        "RV-03": "stayed_off_lists",
        "RV-11": "escaped_poverty",
    }
    # …but only the one change of status has a history row: one row, not one per result.
    assert list(changed_rows(round_2023).values_list("household__code", flat=True)) == ["RV-11"]


def test_the_history_still_shows_who_changed_what_when_before_and_after(
    son_trung, review_register, decided_2022, officer
):
    round_2023 = decided(son_trung, review_register, 2023, STATUSES_2023, actor=officer)
    result = ReviewResult.objects.get(review_round=round_2023, household__code="RV-11")
    after, before = result.history.order_by("-history_date", "-history_id")[:2]
    assert (before.history_type, before.status, before.transition) == ("+", "not_poor", "")
    assert (after.history_type, after.transition, after.history_user_id) == (
        "~",
        "escaped_poverty",
        officer.pk,
    )
    delta = after.diff_against(before)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("transition", "", "escaped_poverty")]


def test_a_result_already_holding_its_movement_is_not_written_again(son_trung, review_register, decided_2022):
    review_round = recorded(son_trung, review_register, 2023, STATUSES_2023)
    # An imported list that already carried its movements (or a decision replayed): nothing changes.
    for code, movement in (("RV-01", "stayed_poor"), ("RV-11", "escaped_poverty")):
        ReviewResult.objects.filter(review_round=review_round, household__code=code).update(
            transition=movement
        )
    decide(review_round)
    assert not changed_rows(review_round).exists()


def test_a_stored_status_refresh_that_changes_nothing_writes_nothing(
    son_trung, review_register, decided_2022
):
    decided(son_trung, review_register, 2023, STATUSES_2023)
    households = Household.history.count()
    results = ReviewResult.history.count()
    assert household_statuses_refresh(commune=son_trung) == 0
    assert (Household.history.count(), ReviewResult.history.count()) == (households, results)
