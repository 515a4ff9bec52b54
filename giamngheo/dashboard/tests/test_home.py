import re
from pathlib import Path

from django.urls import reverse

STATIC_ROOT = Path(__file__).resolve().parents[2] / "static"


def test_the_home_page_shows_the_officers_commune_and_its_villages(client, officer):
    client.force_login(officer)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "Xã Sơn Trung" in page and "Thôn Mai Hà" in page and "Thôn Hải Thượng" in page
    assert "Sơn Hồng" not in page


def test_the_village_head_home_page_shows_only_the_village(client, village_head):
    client.force_login(village_head)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "Thôn Mai Hà" in page and "Hà Tràng" not in page


def test_switching_to_english_translates_the_page(client, officer):
    client.force_login(officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("dashboard:home")).content.decode()
    assert '<html lang="en">' in page and "Overview" in page and "Commune Sơn Trung" in page


def test_the_home_page_makes_a_fixed_number_of_queries(client, officer, django_assert_max_num_queries):
    client.force_login(officer)
    # 10, not 8: the page now also finds the year it shows (the latest year with escape plans or a decided
    # review, one query) and, on PostgreSQL, sets the session for its aggregates (JIT off);
    # test_dashboard_figures bounds it with data.
    with django_assert_max_num_queries(10):
        client.get(reverse("dashboard:home"))


def test_no_page_references_an_outside_host(client, officer):
    client.force_login(officer)
    outside = re.compile(r"""(?:src|href)=["'](?:https?:)?//""")
    for url in [reverse("accounts:login"), reverse("dashboard:home"), reverse("admin:index")]:
        page = client.get(url).content.decode()
        assert not outside.search(page), url
    for css in STATIC_ROOT.rglob("*.css"):
        assert not re.search(r"url\((['\"]?)(?:https?:)?//", css.read_text()), css


def test_the_page_is_made_for_phone_screens(client, officer):
    client.force_login(officer)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert 'name="viewport"' in page and "width=device-width" in page
