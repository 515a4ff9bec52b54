"""The import's bulk writer leaves the same history simple-history would: who, when, why, before/after."""

from __future__ import annotations

import pytest

from giamngheo.households.models import Household, Member, Relation
from giamngheo.imports.household_list import households_import
from giamngheo.reviews.models import ReviewResult
from giamngheo.testing.files import HOUSEHOLDS, commune_workbook

pytestmark = pytest.mark.django_db


def test_each_new_record_has_a_created_history_row_by_the_importing_user(officer, son_trung, tmp_path):
    households_import(path=commune_workbook(tmp_path / "l.xlsx"), year=2024, actor=officer, draft=True)
    for model in (Household, Member, ReviewResult):
        records = model.history.all()
        assert records.count() == 5
        assert {(r.history_type, r.history_user_id) for r in records} == {("+", officer.pk)}
        assert all(
            r.history_change_reason == "Nhập danh sách / imported list: l.xlsx [DS hộ]" for r in records
        )
    household = Household.objects.get(code="ST001")
    [created] = household.history.all()
    assert (created.head_name, created.size, created.village_id, created.version) == (
        "Nguyễn Văn An",
        4,
        household.village_id,
        1,
    )
    assert created.instance.pk == household.pk


def test_a_change_adds_a_changed_history_row_whose_diff_names_the_fields(officer, son_trung, tmp_path):
    households_import(path=commune_workbook(tmp_path / "a.xlsx"), year=2024, actor=officer, draft=True)
    rows = [list(r) for r in HOUSEHOLDS]
    rows[0][3] = 6
    households_import(path=commune_workbook(tmp_path / "b.xlsx", rows), year=2024, actor=officer, draft=True)
    household = Household.objects.get(code="ST001")
    newest, oldest = household.history.order_by("-history_id")[:2]
    assert newest.history_type == "~" and newest.history_user == officer
    delta = newest.diff_against(oldest)
    changed = {c.field for c in delta.changes}
    assert "size" in changed and "head_name" not in changed and "village" not in changed
    result = ReviewResult.objects.get(household=household)
    assert result.members == 6 and result.history.count() == 2


def test_written_rows_read_back_through_the_orm_with_their_types(son_trung, tmp_path):
    households_import(path=commune_workbook(tmp_path / "l.xlsx"), year=2024, draft=True)
    household = Household.objects.select_related("village", "commune").get(code="ST003")
    assert household.created_at is not None and household.created_at == household.updated_at
    assert household.meritorious is True and household.social_protection is False
    head = Member.objects.get(household=household)
    assert head.relation == Relation.HEAD and head.version == 1
    result = ReviewResult.objects.get(household=household)
    assert result.status == "not_poor" and result.labour_capacity is True and result.deprived == ""


def test_deciding_an_official_list_records_each_movement_with_who_when_and_the_row_before_and_after(
    officer, son_trung, tmp_path
):
    households_import(path=commune_workbook(tmp_path / "2023.xlsx"), year=2023, actor=officer)
    rows = [list(r) for r in HOUSEHOLDS]
    rows[0][4] = "cận nghèo"  # ST001: poor in 2023, near-poor in 2024
    households_import(path=commune_workbook(tmp_path / "2024.xlsx", rows), year=2024, actor=officer)
    results = ReviewResult.objects.filter(review_round__year=2024)
    assert results.count() == 5
    # A movement that changes the status gets its history row (who, when, before → after); a "stayed" one is
    # stored on the result without a row (issue 15 part 6: history stays bounded; README design notes).
    stayed = {"stayed_poor", "stayed_near_poor", "stayed_off_lists"}
    decided_at = set()
    for result in results:
        assert result.transition != ""
        rows = list(result.history.order_by("history_id"))
        assert (rows[0].history_type, rows[0].transition) == ("+", "")
        if result.transition in stayed:
            assert len(rows) == 1
            continue
        created, decided = rows
        assert (decided.history_type, decided.history_user_id) == ("~", officer.pk)
        assert decided.history_date >= created.history_date
        assert [c.field for c in decided.diff_against(created).changes] == ["transition"]
        assert decided.transition == result.transition
        decided_at.add(decided.history_date)
    assert len(decided_at) == 1  # one decision, one time
    assert results.get(household__code="ST001").transition == "escaped_to_near_poor"
