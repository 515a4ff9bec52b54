"""Paging that stays fast: keyset continuation, a capped count, no recount on later pages."""

from __future__ import annotations

import pytest

from giamngheo.households.selectors import RegisterQuery, capped_count, register_page, register_queryset
from giamngheo.households.services import household_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(demo, officer):  # type: ignore[no-untyped-def]
    from giamngheo.units.models import Unit

    village = Unit.objects.get(code="18133-03")
    names = ["Nguyễn Văn A", "Nguyễn Văn Á", "Lê Văn B", "Trần Thị C", "Đỗ Văn D", "Đinh Thị Đ", "Bùi Văn E"]
    for n in range(23):
        household_create(
            actor=officer, village=village, code=f"P-{n:03d}", head_name=names[n % len(names)], size=1
        )
    return village


@pytest.mark.parametrize("sort", ["name", "code"])
def test_pages_follow_each_other_without_gaps_or_repeats(many, officer, sort):
    seen, after = [], None
    while True:
        page = register_page(officer, RegisterQuery(unit=many, sort=sort, after=after), page_size=5)
        seen += [h.code for h in page.rows]
        if page.next_after is None:
            break
        after = page.next_after
    assert sorted(seen) == sorted(f"P-{n:03d}" for n in range(23))
    assert len(seen) == len(set(seen))
    everything = register_page(officer, RegisterQuery(unit=many, sort=sort), page_size=100)
    assert seen == [h.code for h in everything.rows]


def test_the_count_stops_at_the_cap(many, officer):
    qs = register_queryset(officer, RegisterQuery(unit=many))
    assert capped_count(qs, cap=10) == (10, True)
    assert capped_count(qs, cap=100) == (23, False)


def test_a_later_page_reuses_the_first_pages_count(many, officer):
    first = register_page(officer, RegisterQuery(unit=many), page_size=5)
    assert first.total == 23
    later = RegisterQuery(unit=many, after=first.next_after, known_total=first.total)
    assert register_page(officer, later, page_size=5).total == 23
