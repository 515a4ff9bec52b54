"""Finding people: accent-insensitive search by name, code or citizen ID, within the user's scope."""

from __future__ import annotations

from giamngheo.households.selectors import RegisterQuery, register_page


def codes(user, **query) -> list[str]:  # type: ignore[no-untyped-def]
    page = register_page(user, RegisterQuery(**query), page_size=200)
    return [h.code for h in page.rows if h.code.startswith("T-")]


def test_a_search_without_accents_finds_the_name_with_accents(household_register, officer):
    assert codes(officer, text="nguyen van duc") == ["T-001"]


def test_a_search_in_capitals_with_accents_finds_the_same_household(household_register, officer):
    assert codes(officer, text="NGUYỄN VĂN ĐỨC") == ["T-001"]


def test_a_name_typed_in_part_finds_the_household(household_register, officer):
    assert codes(officer, text="nguyen van d") == ["T-001"]


def test_words_in_another_order_are_found_when_the_name_as_typed_is_not(household_register, officer):
    page = register_page(officer, RegisterQuery(text="duc nguy"))
    assert [h.code for h in page.rows if h.code.startswith("T-")] == ["T-001"] and page.any_order


def test_a_member_who_is_not_the_head_finds_the_household_and_is_named(household_register, officer):
    page = register_page(officer, RegisterQuery(text="tran thi hoa"))
    assert [h.code for h in page.rows] == ["T-001"]
    assert [m.full_name for m in page.matched_members[page.rows[0].pk]] == ["Trần Thị Hoa"]


def test_the_household_code_is_searchable(household_register, officer):
    assert codes(officer, text="t-003") == ["T-003"]


def test_a_full_citizen_id_finds_the_household_of_that_person(household_register, officer):
    assert codes(officer, text="042183000456") == ["T-001"]
    assert codes(officer, text="042 183 000 456") == ["T-001"]


def test_the_officer_of_another_commune_does_not_find_sontrung_people(household_register, other_officer):
    assert codes(other_officer, text="nguyen van duc") == ["T-004"]


def test_the_village_head_finds_only_people_of_the_village(household_register, village_head):
    assert codes(village_head, text="nguyen") == ["T-001"]
    assert codes(village_head, text="le thi lan") == []


def test_the_province_viewer_finds_namesakes_in_every_commune(household_register, province_viewer):
    assert sorted(codes(province_viewer, text="nguyen van duc")) == ["T-001", "T-004"]


def test_a_changed_member_name_is_found_under_the_new_name_only(household_register, officer):
    from giamngheo.households.services import member_update

    spouse = household_register["h1"].members.get(full_name="Trần Thị Hoa")
    member_update(actor=officer, member=spouse, expected_version=spouse.version, full_name="Trần Thị Huệ")
    assert codes(officer, text="tran thi hue") == ["T-001"]
    assert codes(officer, text="tran thi hoa") == []


def test_a_later_page_of_an_any_order_search_stays_any_order(household_register, officer, client):
    from django.urls import reverse

    from giamngheo.households.models import Household
    from giamngheo.households.services import household_search_text

    village = household_register["mai_ha"]
    Household.objects.bulk_create(
        Household(
            commune=village.parent,
            village=village,
            unit_path=village.path,
            code=f"T-W{n}",
            size=1,
            head_name=f"Đức Nguyễn {n}",
            search_text=household_search_text(code=f"T-W{n}", head_name="Đức Nguyễn"),
        )
        for n in range(55)
    )
    client.force_login(officer)
    html = client.get(reverse("households:list"), {"q": "nguyen duc"}).content.decode()
    assert "words=1" in html  # the next page link keeps matching the words in any order


def test_a_word_matches_from_its_start_not_in_its_middle(household_register, officer):
    assert codes(officer, text="uc") == []
    assert codes(officer, text="du") == ["T-001"]


def test_the_number_part_of_a_code_is_enough(household_register, officer):
    assert codes(officer, text="003") == ["T-003"]


# --- how a search is answered at the scale of a province (see ``selectors.register_list._page``) ----------


def _count_queries(captured) -> list[str]:  # type: ignore[no-untyped-def]
    return [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith("SELECT COUNT(")]


def test_a_search_whose_matches_fit_on_one_page_is_counted_by_the_page_itself(
    household_register, province_viewer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        page = register_page(province_viewer, RegisterQuery(text="nguyen van duc"))
    assert page.next_after is None and page.total == len(page.rows) >= 2 and not page.capped
    assert _count_queries(captured.captured_queries) == []


def test_a_communes_list_is_counted_exactly_in_the_same_query_as_its_page(household_register, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from giamngheo.households.models import Household

    with CaptureQueriesContext(connection) as captured:
        page = register_page(officer, RegisterQuery(), page_size=2)
    open_households = Household.objects.filter(commune=officer.unit, dissolved_on__isnull=True).count()
    assert page.total == open_households >= 3 and not page.capped and page.next_after is not None
    assert _count_queries(captured.captured_queries) == []


def test_a_name_too_common_to_look_up_by_its_people_is_found_by_walking_the_name_order(
    household_register, province_viewer, monkeypatch
):
    from django.db import connection

    from giamngheo.households.selectors import register_list

    monkeypatch.setattr(register_list, "FEW_ROWS", 0)  # every name counts as common
    page = register_page(province_viewer, RegisterQuery(text="nguyen van duc"), page_size=200)
    assert [h.code for h in page.rows if h.code.startswith("T-")] == ["T-001", "T-004"]
    if connection.vendor == "postgresql":
        assert page.total is None  # "many": not counted, the count could not finish in its budget
    else:
        assert page.total == len(page.rows)  # no statistics to call it common: counted as usual


def test_the_households_of_a_rare_name_are_found_through_its_people(
    household_register, province_viewer, other_officer
):
    from giamngheo.households.selectors import rare_name_ids

    h1, h4 = household_register["h1"], household_register["h4"]
    assert rare_name_ids(province_viewer, "tran thi hoa") == [h1.pk]  # the spouse, not the head
    assert sorted(rare_name_ids(province_viewer, "NGUYỄN VĂN ĐỨC") or []) == sorted([h1.pk, h4.pk])
    assert rare_name_ids(other_officer, "nguyen van duc") == [h4.pk]  # only in the user's scope
    assert rare_name_ids(province_viewer, "nguyen van duc", limit=1) is None  # more than asked: walk instead


def test_ids_handed_to_the_list_never_widen_the_users_scope(household_register, officer, other_officer):
    from giamngheo.households.selectors import register_queryset

    ids = (household_register["h1"].pk, household_register["h4"].pk)
    assert list(register_queryset(officer, RegisterQuery(ids=ids)).values_list("code", flat=True)) == [
        "T-001"
    ]
    assert list(register_queryset(other_officer, RegisterQuery(ids=ids)).values_list("code", flat=True)) == [
        "T-004"
    ]
    assert not register_queryset(officer, RegisterQuery(ids=())).exists()


def test_the_units_to_narrow_a_search_to_are_read_with_everything_their_labels_need(
    household_register, province_viewer, django_assert_num_queries
):
    from giamngheo.households.forms import RegisterFilterForm
    from giamngheo.households.selectors import filter_units

    son_trung = household_register["mai_ha"].parent
    units = filter_units(province_viewer, son_trung)
    with django_assert_num_queries(0):  # no column left behind by ``only``, read again one unit at a time
        labels = [RegisterFilterForm.unit_label(u) for u in units]
        scopes = [(u.path, u.level_id, u.level.code) for u in units]
    assert any("Sơn Trung" in label for label in labels) and len(scopes) == len(units) > 11
