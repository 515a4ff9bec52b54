"""The shared bulk writer: the rows and history rows simple-history would write, in a few statements."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from giamngheo.common import fastbulk
from giamngheo.households.models import Household
from giamngheo.households.services import household_create
from giamngheo.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(son_trung, officer):  # type: ignore[no-untyped-def]
    mai_ha = Unit.objects.get(code="18133-01")
    return [
        household_create(actor=officer, village=mai_ha, code=f"FB-{n}", head_name=f"Hộ {n}", size=n)
        for n in (1, 2, 3)
    ]


def test_an_update_leaves_the_same_history_row_as_simple_historys_bulk_update(households, officer):
    first, second = households[:2]
    first.size = 5
    bulk_update_with_history([first], Household, ["size"], default_user=officer)
    row = {f.attname: getattr(second, f.attname) for f in Household._meta.concrete_fields}
    row["size"] = 5
    fastbulk.update_with_history(Household, [row], ["size"], user_id=officer.pk, reason=None)

    theirs, ours = (h.history.order_by("-history_id").first() for h in (first, second))
    own = {"history_id", "history_date", "id", "code", "head_name", "search_text", "created_at", "updated_at"}
    same = [f.attname for f in type(ours)._meta.concrete_fields if f.attname not in own]
    assert {n: getattr(ours, n) for n in same} == {n: getattr(theirs, n) for n in same}
    assert (ours.history_type, ours.history_user_id, ours.size) == ("~", officer.pk, 5)
    delta = ours.diff_against(second.history.order_by("history_id").first())
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("size", 2, 5)]
    assert Household.objects.get(pk=second.pk).size == 5


def test_one_change_written_in_batches_has_one_date_and_reason(households, officer):
    when = timezone.now() - datetime.timedelta(minutes=5)
    for household in households:
        household.area = "urban"
        fastbulk.update_with_history(
            Household, [household], ["area"], user_id=officer.pk, reason="batch", now=when
        )
    newest = [h.history.order_by("-history_id").first() for h in households]
    assert {(r.history_date, r.history_change_reason, r.area) for r in newest} == {(when, "batch", "urban")}


def test_a_row_saved_meanwhile_is_a_stale_row_and_nothing_is_kept(households, officer):
    first, second = households[:2]
    Household.objects.filter(pk=second.pk).update(version=7)  # someone else's save after the rows were read
    history_before = Household.history.count()
    for household in (first, second):
        household.size += 10
        household.version += 1
    with pytest.raises(fastbulk.StaleRowsError, match="1 of 2"), transaction.atomic():
        fastbulk.update_with_history(
            Household, [first, second], ["size", "version"], user_id=None, reason=None, version="version"
        )
    sizes = Household.objects.filter(code__startswith="FB-").values_list("size", flat=True)
    assert sorted(sizes) == [1, 2, 3]
    assert Household.history.count() == history_before


def test_derived_fields_are_written_without_history(households):
    history_before = Household.history.count()
    rows = [{"id": h.pk, "search_text": f"| derived {h.pk}"} for h in households[:2]]
    assert fastbulk.update_rows(Household, rows, ["search_text"]) == 2
    assert list(
        Household.objects.filter(code__in=["FB-1", "FB-2", "FB-3"])
        .order_by("code")
        .values_list("search_text", flat=True)
    ) == [f"| derived {households[0].pk}", f"| derived {households[1].pk}", households[2].search_text]
    assert Household.history.count() == history_before


def test_inserted_rows_get_their_keys_in_order_and_a_created_history_row(son_trung, officer):
    mai_ha = Unit.objects.get(code="18133-01")
    now = timezone.now()
    rows = [
        fastbulk.complete(
            Household,
            {
                "commune_id": son_trung.pk,
                "village_id": mai_ha.pk,
                "unit_path": mai_ha.path,
                "code": code,
                "head_name": code,
                "size": 1,
                "area": mai_ha.area,
            },
            now=now,
        )
        for code in ("FB-C", "FB-A", "FB-B")
    ]
    keys = fastbulk.insert_with_history(Household, rows, user_id=officer.pk, reason="import", now=now)
    assert [Household.objects.get(pk=k).code for k in keys] == ["FB-C", "FB-A", "FB-B"]
    assert [row["id"] for row in rows] == keys
    created = Household.history.filter(id__in=keys)
    assert {(r.history_type, r.history_user_id, r.history_change_reason) for r in created} == {
        ("+", officer.pk, "import")
    }
    assert created.count() == 3 and Household.objects.get(pk=keys[0]).created_at == now


def test_many_rows_sharing_their_new_values_are_written_together_with_a_history_row_each(son_trung, officer):
    mai_ha = Unit.objects.get(code="18133-01")
    many = [
        household_create(actor=officer, village=mai_ha, code=f"FB-{n:02d}", head_name=f"Hộ {n}", size=1)
        for n in range(40)
    ]
    for n, household in enumerate(many):
        household.size = 2 if n % 2 else 3
    with CaptureQueriesContext(connection) as queries:
        fastbulk.update_with_history(Household, many, ["size"], user_id=officer.pk, reason="grouped")
    assert sum(q["sql"].startswith("UPDATE") for q in queries.captured_queries) == 2  # one per new value
    stored = dict(Household.objects.filter(code__startswith="FB-").values_list("code", "size"))
    assert stored == {f"FB-{n:02d}": 2 if n % 2 else 3 for n in range(40)}
    changed = Household.history.filter(history_type="~", history_change_reason="grouped")
    assert sorted(changed.values_list("code", "size")) == sorted(stored.items())
    derived = [{"id": h.pk, "search_text": "| same"} for h in many]
    assert fastbulk.update_rows(Household, derived, ["search_text"]) == 40
    assert set(Household.objects.filter(code__startswith="FB-").values_list("search_text", flat=True)) == {
        "| same"
    }


def test_among_filters_by_a_batch_of_values_of_a_column_or_a_foreign_key(households):
    from giamngheo.households.models import Member

    found = Household.objects.filter(fastbulk.among(Household, "code", ["FB-1", "FB-3", "FB-9"]))
    assert sorted(found.values_list("code", flat=True)) == ["FB-1", "FB-3"]
    assert not Household.objects.filter(fastbulk.among(Household, "code", [])).exists()
    ids = [households[1].pk, -1]
    assert list(
        Household.objects.filter(fastbulk.among(Household, "id", ids)).values_list("code", flat=True)
    ) == ["FB-2"]
    assert (
        not Member.objects.filter(fastbulk.among(Member, "household", ids))
        .exclude(household_id=ids[0])
        .exists()
    )
