"""The household page's panel: its entitlements, the distance to exit, its supports and plans."""

import datetime

import time_machine
from django.template import Context, Template
from django.test import RequestFactory

from giamngheo.support import services
from giamngheo.support.kinds import SupportKind
from giamngheo.support.selectors import support_panel_for_household


def _kinds(panel):
    return [s.kind for s in panel.entitlements.suggestions]


@time_machine.travel(datetime.datetime(2024, 6, 1, 9, 0), tick=False)
def test_a_poor_household_is_shown_its_entitlements_and_what_would_lift_it_out(support_register, officer):
    panel = support_panel_for_household(officer, support_register["T01"])
    e = panel.entitlements
    assert e.status == "poor" and not e.newly_escaped
    assert {
        SupportKind.LOAN,
        SupportKind.HEALTH_INSURANCE,
        SupportKind.SCHOOLING,
        SupportKind.JOB,
        SupportKind.INCOME_SUPPORT,
    } <= set(_kinds(panel))
    assert e.distance_text.startswith("Để thoát nghèo")
    lifting = {s.kind for s in e.suggestions if s.lifts_out}
    assert {SupportKind.HEALTH_INSURANCE, SupportKind.SCHOOLING, SupportKind.JOB} <= lifting
    assert panel.can_record and panel.can_plan


@time_machine.travel(datetime.datetime(2024, 6, 1, 9, 0), tick=False)
def test_a_newly_escaped_household_keeps_its_loan_eligibility_for_three_years(support_register, officer):
    e = support_panel_for_household(officer, support_register["T03"]).entitlements
    assert e.status == "not_poor" and e.newly_escaped
    assert e.eligible_until == datetime.date(2026, 12, 14)
    assert _kinds_of(e) == [SupportKind.LOAN]


def _kinds_of(e):
    return [s.kind for s in e.suggestions]


@time_machine.travel(datetime.datetime(2027, 6, 1, 9, 0), tick=False)
def test_after_three_years_the_eligibility_ends(support_register, officer):
    e = support_panel_for_household(officer, support_register["T03"]).entitlements
    assert not e.newly_escaped and e.suggestions == []


@time_machine.travel(datetime.datetime(2024, 6, 1, 9, 0), tick=False)
def test_a_recorded_support_is_marked_received(support_register, officer):
    services.support_record(
        actor=officer,
        household=support_register["T01"],
        kind="loan",
        form="loan_poor",
        date="2024-05-01",
        amount=30_000_000,
    )
    panel = support_panel_for_household(officer, support_register["T01"])
    assert next(s for s in panel.entitlements.suggestions if s.kind == SupportKind.LOAN).received
    assert [s.kind for s in panel.supports] == ["loan"]


def test_outside_the_users_unit_there_is_no_panel(support_register, other_officer, village_head):
    assert support_panel_for_household(other_officer, support_register["T01"]) is None
    assert support_panel_for_household(village_head, support_register["T03"]) is None


def test_read_only_roles_see_the_panel_without_recording(support_register, province_viewer):
    panel = support_panel_for_household(province_viewer, support_register["T01"])
    assert panel is not None and not panel.can_record and not panel.can_plan


def test_the_panel_is_one_tag_on_the_household_page(support_register, officer, django_assert_max_num_queries):
    request = RequestFactory().get("/")
    request.user = officer
    template = Template("{% load support_tags %}{% support_household_panel household %}")
    with django_assert_max_num_queries(8):
        html = template.render(Context({"request": request, "household": support_register["T01"]}))
    assert 'id="ho-tro"' in html and "Để thoát nghèo" in html
    request.user = support_register and __import__(
        "giamngheo.accounts.models", fromlist=["User"]
    ).User.objects.get(username="canbo.sonhong")
    assert 'id="ho-tro"' not in template.render(
        Context({"request": request, "household": support_register["T01"]})
    )


def test_the_panel_reuses_the_members_and_results_the_register_page_has_read(
    support_register, officer, django_assert_max_num_queries
):
    """Given the page's members and review results, the panel reads only the supports, the plans and the
    money spent — and shows the same thing."""
    from giamngheo.households.selectors import household_members, household_results

    household = support_register["T01"]
    request = RequestFactory().get("/")
    request.user = officer
    alone = Template("{% load support_tags %}{% support_household_panel household %}")
    given = Template(
        "{% load support_tags %}{% support_household_panel household members=members results=results %}"
    )
    context = {"request": request, "household": household}
    expected = alone.render(Context(context))
    members, results = household_members(household), household_results(household)
    with django_assert_max_num_queries(3):  # supports, plans (no plan: no milestone query), money spent
        html = given.render(Context({**context, "members": members, "results": results}))
    assert html == expected and "Để thoát nghèo" in html
