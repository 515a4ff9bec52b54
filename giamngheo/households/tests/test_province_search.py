"""A province-wide search for words (issue 15): its matches are read once, up to the cap, then paged and
counted together — the same rows, order and total as walking the name order and counting after."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from giamngheo.households.models import Household
from giamngheo.households.selectors import (
    RegisterQuery,
    register_list,
    register_page,
    register_queryset,
    sort_keys,
)
from giamngheo.households.services import household_search_text
from giamngheo.units.models import Unit


@pytest.fixture
def namesakes(household_register):  # type: ignore[no-untyped-def]
    """Twelve "Đức Nguyễn …" households in two communes of the province."""
    villages = [Unit.objects.get(code="18133-01"), Unit.objects.get(code="18136-01")]
    Household.objects.bulk_create(
        Household(
            commune=villages[n % 2].parent,
            village=villages[n % 2],
            unit_path=villages[n % 2].path,
            code=f"T-P{n:02}",
            size=1,
            head_name=f"Đức Nguyễn {chr(ord('A') + (n * 5) % 12)}",
            search_text=household_search_text(code=f"T-P{n:02}", head_name=f"Đức Nguyễn {n}"),
        )
        for n in range(12)
    )


def _expected(user, text: str, any_order: bool = False) -> list[int]:  # type: ignore[no-untyped-def]
    query = RegisterQuery(text=text, any_order=any_order)
    return list(register_queryset(user, query).order_by(*sort_keys("name")).values_list("pk", flat=True))


def test_the_pages_of_a_province_search_are_its_matches_in_name_order_and_counted(namesakes, province_viewer):
    expected = _expected(province_viewer, "duc nguyen")
    assert len(expected) >= 12
    seen: list[int] = []
    after = None
    while True:
        page = register_page(province_viewer, RegisterQuery(text="duc nguyen", after=after), page_size=5)
        seen += [h.pk for h in page.rows]
        after = page.next_after
        if after is None:
            break
    assert seen == expected
    first = register_page(province_viewer, RegisterQuery(text="duc nguyen"), page_size=5)
    assert first.total == len(expected)


def test_more_matches_than_the_cap_say_more_than_the_cap_without_a_second_count(
    namesakes, province_viewer, monkeypatch
):
    monkeypatch.setattr(register_list, "SEARCH_COUNT_CAP", 3)
    with CaptureQueriesContext(connection) as captured:
        page = register_page(province_viewer, RegisterQuery(text="nguyen duc"), page_size=5)
    assert [h.pk for h in page.rows] == _expected(province_viewer, "nguyen duc", any_order=True)[:5]
    assert page.capped and page.total in (3, None)  # None: PostgreSQL's estimate already said "many"
    sqls = [q["sql"].lstrip().upper() for q in captured.captured_queries]
    assert connection.vendor != "postgresql" or not any(sql.startswith("SELECT COUNT(") for sql in sqls)


def test_words_in_any_order_are_paged_and_counted_alike(namesakes, province_viewer):
    # "nguyen duc" as typed finds nobody: the words are matched anywhere, through the path under test.
    expected = _expected(province_viewer, "nguyen duc", any_order=True)
    page = register_page(province_viewer, RegisterQuery(text="nguyen duc"), page_size=5)
    assert page.any_order and [h.pk for h in page.rows] == expected[:5]
    assert page.total == len(expected) >= 14 and not page.capped
    later = register_page(
        province_viewer,
        RegisterQuery(text="nguyen duc", any_order=True, after=page.next_after, known_total=page.total),
        page_size=5,
    )
    assert [h.pk for h in later.rows] == expected[5:10]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index is PostgreSQL's")
def test_the_province_search_is_keyed_by_province_on_postgresql(namesakes, province_viewer):
    query = RegisterQuery(text="duc nguyen", any_order=True)
    assert "province_code" in str(register_queryset(province_viewer, query).query)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'household_province_search_trgm'")
        assert cursor.fetchone() is not None
