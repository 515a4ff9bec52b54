"""Issue 17 D: the commune officer prepares the decision, only the chairman of the commune People's Committee
(Chủ tịch UBND xã) issues it — the preparer does not issue unless they are the chairman, and an
administrator follows the rule too. The round's history says who prepared and who issued."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from giamngheo.accounts.models import Role, User
from giamngheo.errors import InputError
from giamngheo.reviews.models import ReviewRound
from giamngheo.reviews.services import decision_issue, decision_prepare, round_households_seed
from giamngheo.testing.registers import CHAIRMAN_NAME, prepare_2023
from giamngheo.units.models import Unit

DAY = datetime.date(2023, 12, 20)


def prepare(review_round, actor):  # type: ignore[no-untyped-def]
    return prepare_2023(review_round, actor, number="99/QĐ-UBND")


def columns(error: InputError) -> set[str]:
    return {problem.column for problem in error.problems}


def test_the_officer_prepares_but_cannot_issue(officer, round_2023):
    prepared = prepare(round_2023, officer)
    assert prepared.is_prepared and prepared.prepared_by == officer and not prepared.is_decided
    with pytest.raises(InputError) as refused:
        decision_issue(review_round=round_2023, actor=officer)
    assert columns(refused.value) == {"actor"}
    round_2023.refresh_from_db()
    assert not round_2023.is_decided and round_2023.decision_number == ""


def test_the_administrator_follows_the_rule_too(system_admin, round_2023):
    prepare(round_2023, system_admin)
    with pytest.raises(InputError):
        decision_issue(review_round=round_2023, actor=system_admin)
    round_2023.refresh_from_db()
    assert not round_2023.is_decided


def test_the_chairman_issues_the_prepared_decision_and_the_history_says_who(officer, chairman, round_2023):
    prepare(round_2023, officer)
    issued = decision_issue(review_round=round_2023, actor=chairman)
    assert issued.is_decided and (issued.decision_number, issued.decision_date) == ("99/QĐ-UBND", DAY)
    assert (issued.prepared_by, issued.issued_by) == (officer, chairman)
    assert issued.decision_signer == CHAIRMAN_NAME == chairman.display()
    history = list(ReviewRound.history.filter(id=round_2023.pk).order_by("history_date"))
    assert [(h.history_user, h.state) for h in history[-2:]] == [(officer, "open"), (chairman, "decided")]
    assert history[-1].prepared_by_id == officer.pk and history[-1].issued_by_id == chairman.pk


def test_a_chairman_may_prepare_and_issue_alone(chairman, round_2023):
    prepare(round_2023, chairman)
    assert decision_issue(review_round=round_2023, actor=chairman).is_decided


def test_nothing_is_issued_before_it_is_prepared(chairman, round_2023):
    with pytest.raises(InputError) as refused:
        decision_issue(review_round=round_2023, actor=chairman)
    assert columns(refused.value) == {"decision_number"}


def test_the_chairman_of_another_commune_cannot_issue(officer, round_2023, demo):
    other = User.objects.create_user(
        "chutich.sonhong",
        role=Role.COMMUNE_CHAIRMAN,
        unit=Unit.objects.get(code="18136"),
        full_name="Chủ tịch Sơn Hồng",
    )
    prepare(round_2023, officer)
    with pytest.raises(InputError):
        decision_issue(review_round=round_2023, actor=other)
    assert not other.has_perm("reviews.issue_decision", round_2023)
    round_2023.refresh_from_db()
    assert not round_2023.is_decided


def test_an_early_decision_is_refused_with_its_reasons_when_prepared(officer, round_2023):
    round_households_seed(review_round=round_2023)  # RV-01, RV-02, RV-11: not surveyed yet
    with pytest.raises(InputError) as refused:
        prepare(round_2023, officer)
    assert "households" in columns(refused.value)
    assert "RV-01" in str(refused.value)
    round_2023.refresh_from_db()
    assert not round_2023.is_prepared


def test_a_decision_date_in_the_future_is_refused(officer, round_2023):
    with pytest.raises(InputError) as refused:
        decision_prepare(
            review_round=round_2023,
            decision_number="1/QĐ",
            decision_date=datetime.date.today() + datetime.timedelta(days=3),
            actor=officer,
        )
    assert columns(refused.value) == {"decision_date"}


def test_the_page_shows_the_issue_button_to_the_chairman_only(client, officer, chairman, round_2023):
    prepare(round_2023, officer)
    url = reverse("reviews:decision", args=[round_2023.pk])
    client.force_login(officer)
    page = client.get(url).content.decode()
    assert 'value="issue"' not in page and "99/QĐ-UBND" in page
    refused = client.post(url, {"action": "issue", "confirm": "on"})
    assert refused.status_code == 200
    round_2023.refresh_from_db()
    assert not round_2023.is_decided
    client.force_login(chairman)
    page = client.get(url).content.decode()
    assert 'value="issue"' in page and officer.display() in page
    assert reverse("reviews:decision_docx", args=[round_2023.pk]) in page
    assert url in client.get(reverse("reviews:round_detail", args=[round_2023.pk])).content.decode()
    assert client.post(url, {"action": "issue", "confirm": "on"}).status_code == 302
    round_2023.refresh_from_db()
    assert round_2023.is_decided and round_2023.issued_by == chairman


def test_the_chairman_reaches_the_page_but_the_other_communes_officer_does_not(
    client, chairman, other_officer, round_2023
):
    client.force_login(chairman)
    assert client.get(reverse("reviews:decision", args=[round_2023.pk])).status_code == 200
    client.force_login(other_officer)
    assert client.get(reverse("reviews:decision", args=[round_2023.pk])).status_code == 404
