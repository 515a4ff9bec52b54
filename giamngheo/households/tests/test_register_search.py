"""Finding people: accent-insensitive search by name, code or citizen ID, within the user's scope."""

from __future__ import annotations

from giamngheo.households.selectors import RegisterQuery, register_page


def codes(user, **query) -> list[str]:  # type: ignore[no-untyped-def]
    page = register_page(user, RegisterQuery(**query), page_size=200)
    return [h.code for h in page.rows if h.code.startswith("T-")]


def test_a_search_without_accents_finds_the_name_with_accents(register, officer):
    assert codes(officer, text="nguyen van duc") == ["T-001"]


def test_a_search_in_capitals_with_accents_finds_the_same_household(register, officer):
    assert codes(officer, text="NGUYỄN VĂN ĐỨC") == ["T-001"]


def test_a_name_typed_in_part_finds_the_household(register, officer):
    assert codes(officer, text="nguyen van d") == ["T-001"]


def test_words_in_another_order_are_found_when_the_name_as_typed_is_not(register, officer):
    page = register_page(officer, RegisterQuery(text="duc nguy"))
    assert [h.code for h in page.rows if h.code.startswith("T-")] == ["T-001"] and page.any_order


def test_a_member_who_is_not_the_head_finds_the_household_and_is_named(register, officer):
    page = register_page(officer, RegisterQuery(text="tran thi hoa"))
    assert [h.code for h in page.rows] == ["T-001"]
    assert [m.full_name for m in page.matched_members[page.rows[0].pk]] == ["Trần Thị Hoa"]


def test_the_household_code_is_searchable(register, officer):
    assert codes(officer, text="t-003") == ["T-003"]


def test_a_full_citizen_id_finds_the_household_of_that_person(register, officer):
    assert codes(officer, text="042183000456") == ["T-001"]
    assert codes(officer, text="042 183 000 456") == ["T-001"]


def test_the_officer_of_another_commune_does_not_find_sontrung_people(register, other_officer):
    assert codes(other_officer, text="nguyen van duc") == ["T-004"]


def test_the_village_head_finds_only_people_of_the_village(register, village_head):
    assert codes(village_head, text="nguyen") == ["T-001"]
    assert codes(village_head, text="le thi lan") == []


def test_the_province_viewer_finds_namesakes_in_every_commune(register, province_viewer):
    assert sorted(codes(province_viewer, text="nguyen van duc")) == ["T-001", "T-004"]


def test_a_changed_member_name_is_found_under_the_new_name_only(register, officer):
    from giamngheo.households.services import member_update

    spouse = register["h1"].members.get(full_name="Trần Thị Hoa")
    member_update(actor=officer, member=spouse, expected_version=spouse.version, full_name="Trần Thị Huệ")
    assert codes(officer, text="tran thi hue") == ["T-001"]
    assert codes(officer, text="tran thi hoa") == []


def test_a_later_page_of_an_any_order_search_stays_any_order(register, officer, client):
    from django.urls import reverse

    from giamngheo.households.models import Household
    from giamngheo.households.services import household_search_text

    village = register["mai_ha"]
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


def test_a_word_matches_from_its_start_not_in_its_middle(register, officer):
    assert codes(officer, text="uc") == []
    assert codes(officer, text="du") == ["T-001"]


def test_the_number_part_of_a_code_is_enough(register, officer):
    assert codes(officer, text="003") == ["T-003"]
