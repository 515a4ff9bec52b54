"""Editing the register: optimistic locking, members, moves, splits, merges — each atomic and in history."""

from __future__ import annotations

import datetime

import pytest

from giamngheo.errors import InputError
from giamngheo.households.models import Household, Member
from giamngheo.households.services import (
    ConflictError,
    household_merge,
    household_split,
    household_update,
    member_add,
    member_move,
    member_update,
)

pytestmark = pytest.mark.django_db


def test_two_users_editing_one_household_the_second_gets_a_conflict_and_nothing_is_overwritten(
    household_register, officer, village_head
):
    h1 = household_register["h1"]
    opened_by_both = h1.version
    household_update(actor=officer, household=h1, expected_version=opened_by_both, phone="0912345678")
    with pytest.raises(ConflictError) as error:
        household_update(
            actor=village_head, household=h1, expected_version=opened_by_both, phone="0999999999"
        )
    assert "người khác" in str(error.value) and "Someone else" in str(error.value)
    h1.refresh_from_db()
    assert h1.phone == "0912345678"
    assert h1.version == opened_by_both + 1


def test_a_stale_member_edit_is_refused_too(household_register, officer):
    member = household_register["h1"].members.get(full_name="Trần Thị Hoa")
    member_update(actor=officer, member=member, expected_version=member.version, ethnicity="Kinh")
    with pytest.raises(ConflictError):
        member_update(actor=officer, member=member, expected_version=member.version - 1, ethnicity="Thái")
    assert Member.objects.get(pk=member.pk).ethnicity == "Kinh"


def test_an_identical_citizen_id_is_refused_and_nothing_is_written(household_register, officer):
    before = Member.objects.count()
    with pytest.raises(InputError) as error:
        member_add(
            actor=officer, household=household_register["h3"], full_name="Ai Đó", citizen_id="042183000456"
        )
    assert error.value.problems[0].column == "citizen_id"
    assert "0********456" in str(error.value) and "T-001" in str(error.value)
    assert Member.objects.count() == before


def test_a_citizen_id_must_have_twelve_or_nine_digits(household_register, officer):
    with pytest.raises(InputError):
        member_add(actor=officer, household=household_register["h3"], full_name="Ai Đó", citizen_id="12345")


def test_a_household_code_is_unique_in_its_commune(household_register, officer):
    from giamngheo.households.services import household_create

    with pytest.raises(InputError) as error:
        household_create(
            actor=officer, village=household_register["ha_trang"], code="T-001", head_name="X", size=1
        )
    assert error.value.problems[0].column == "code"


def test_a_moved_member_keeps_their_row_and_history(household_register, officer):
    h1, h3 = household_register["h1"], household_register["h3"]
    child = h1.members.get(full_name="Nguyễn Văn An")
    member_move(
        actor=officer, member=child, to_household=h3, expected_version=child.version, relation="grandchild"
    )
    moved = Member.objects.get(pk=child.pk)
    assert moved.household_id == h3.pk and moved.relation == "grandchild" and moved.unit_path == h3.unit_path
    assert [r.household_id for r in moved.history.order_by("history_date")] == [h1.pk, h3.pk]
    assert moved.history.latest().history_change_reason == "moved_from:T-001"
    h1.refresh_from_db()
    h3.refresh_from_db()
    assert (h1.size, h3.size) == (2, 3)
    assert "nguyen van an" in h3.search_text and "nguyen van an" not in h1.search_text


def test_splitting_makes_a_new_household_from_chosen_members(household_register, officer):
    h1 = household_register["h1"]
    head = h1.members.get(full_name="Nguyễn Văn Đức")
    spouse = h1.members.get(full_name="Trần Thị Hoa")
    new = household_split(
        actor=officer,
        household=h1,
        expected_version=h1.version,
        members=[spouse],
        code="T-001B",
        head=spouse,
    )
    assert new.head_name == "Trần Thị Hoa" and new.size == 1 and new.village_id == h1.village_id
    spouse.refresh_from_db()
    assert spouse.household_id == new.pk and spouse.relation == "head"
    assert new.history.earliest().history_change_reason == "split_from:T-001"
    h1.refresh_from_db()
    assert h1.size == 2 and h1.head_name == "Nguyễn Văn Đức"
    assert Member.objects.get(pk=head.pk).household_id == h1.pk


def test_when_the_head_splits_off_the_remaining_household_needs_a_new_head(household_register, officer):
    h1 = household_register["h1"]
    head = h1.members.get(full_name="Nguyễn Văn Đức")
    spouse = h1.members.get(full_name="Trần Thị Hoa")
    with pytest.raises(InputError) as error:
        household_split(
            actor=officer, household=h1, expected_version=h1.version, members=[head], code="T-9", head=head
        )
    assert error.value.problems[0].column == "remaining_head"
    assert not Household.objects.filter(code="T-9").exists()
    household_split(
        actor=officer,
        household=h1,
        expected_version=h1.version,
        members=[head],
        code="T-9",
        head=head,
        remaining_head=spouse,
    )
    h1.refresh_from_db()
    assert h1.head_name == "Trần Thị Hoa"
    assert Member.objects.get(pk=spouse.pk).relation == "head"


def test_a_split_started_from_a_stale_page_is_a_conflict(household_register, officer):
    h1 = household_register["h1"]
    spouse = h1.members.get(full_name="Trần Thị Hoa")
    with pytest.raises(ConflictError):
        household_split(
            actor=officer,
            household=h1,
            expected_version=h1.version - 1,
            members=[spouse],
            code="T-X",
            head=spouse,
        )
    assert not Household.objects.filter(code="T-X").exists()


def test_merging_moves_every_member_and_closes_the_other_household(household_register, officer):
    h1, h3 = household_register["h1"], household_register["h3"]
    household_merge(
        actor=officer,
        household=h1,
        expected_version=h1.version,
        merged=h3,
        merged_expected_version=h3.version,
        on=datetime.date(2025, 3, 1),
    )
    h1.refresh_from_db()
    h3.refresh_from_db()
    assert h1.members.count() == 4 and h1.size == 5
    assert h3.dissolved_on == datetime.date(2025, 3, 1) and h3.merged_into_id == h1.pk
    assert h3.results.count() == 3  # its past review results stay where they were
    binh = Member.objects.get(full_name="Đặng Văn Bình")
    assert binh.relation == "other"  # only one head per household
    assert binh.history.latest().history_change_reason == "merged_from:T-003"
    with pytest.raises(InputError):
        household_update(actor=officer, household=h3, expected_version=h3.version, phone="1")


def test_households_of_two_communes_cannot_be_merged(household_register, officer):
    h1, h4 = household_register["h1"], household_register["h4"]
    with pytest.raises(InputError):
        household_merge(
            actor=officer,
            household=h1,
            expected_version=h1.version,
            merged=h4,
            merged_expected_version=h4.version,
        )
    assert Member.objects.filter(household=h1).count() == 3


def test_every_write_records_who_made_it(household_register, officer):
    h1 = household_register["h1"]
    household_update(actor=officer, household=h1, expected_version=h1.version, address="Xóm 3")
    assert h1.history.latest().history_user == officer
