"""Partner lookup: a purpose on every lookup; the answer is the status, the standard and the dates the list
in force is valid from and to — nothing else; every lookup is recorded and shown to the commune and the
province of the person looked up, never to another commune."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from giamngheo.accounts.models import Role, User
from giamngheo.api.models import PartnerLookup
from giamngheo.households.models import Member
from giamngheo.reviews.models import ReviewResult, ReviewRound


@pytest.fixture
def person(demo_register) -> Member:  # type: ignore[no-untyped-def]
    """A member of a household that was poor or near-poor on the end-2023 list."""
    round_2023 = ReviewRound.objects.get(commune=demo_register, year=2023, kind="regular")
    result = ReviewResult.objects.filter(review_round=round_2023, status__in=["poor", "near_poor"]).first()
    return Member.objects.filter(household=result.household).exclude(citizen_id="").first()


def lookup(api, partner, citizen_id, purpose="Xét cho vay hộ nghèo, hồ sơ 12/2026"):  # type: ignore[no-untyped-def]
    return api.post(partner, "/api/partner/lookups", {"citizen_id": citizen_id, "purpose": purpose})


def test_the_answer_is_the_status_in_force_its_standard_and_dates_only(api, partner, person):
    answer = lookup(api, partner, person.citizen_id)
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"status", "standard", "valid_from", "valid_to"}
    round_2023 = ReviewRound.objects.get(commune=person.household.commune, year=2023, kind="regular")
    expected = ReviewResult.objects.get(review_round=round_2023, household=person.household)
    assert body["status"] == expected.status
    assert body["standard"] == round_2023.standard_id
    assert body["valid_from"] == round_2023.effective_date.isoformat()
    assert body["valid_to"] is None  # until the next decided review


def test_before_a_list_takes_effect_the_earlier_list_answers_until_the_eve(api, partner, person):
    round_2022 = ReviewRound.objects.get(commune=person.household.commune, year=2022, kind="regular")
    round_2023 = ReviewRound.objects.get(commune=person.household.commune, year=2023, kind="regular")
    eve = round_2023.effective_date - datetime.timedelta(days=1)
    with time_machine.travel(datetime.datetime.combine(eve, datetime.time(12)), tick=False):
        body = lookup(api, partner, person.citizen_id).json()
    earlier = ReviewResult.objects.filter(review_round=round_2022, household=person.household).first()
    if earlier is None:
        assert body["status"] is None
    else:
        assert body["status"] == earlier.status
        assert body["valid_from"] == round_2022.effective_date.isoformat()
        assert body["valid_to"] == eve.isoformat()


def test_a_purpose_is_required_and_a_malformed_id_refused_with_field_paths(api, partner, person):
    missing = api.post(partner, "/api/partner/lookups", {"citizen_id": person.citizen_id})
    assert missing.status_code == 422
    assert missing.json()["problems"][0]["field"] == "body.purpose"
    short = lookup(api, partner, person.citizen_id, purpose="x")
    assert short.status_code == 422
    malformed = lookup(api, partner, "12ab")
    assert malformed.json()["problems"][0]["field"] == "body.citizen_id"
    assert not PartnerLookup.objects.exists()


def test_every_lookup_is_recorded_found_or_not(api, partner, person):
    lookup(api, partner, person.citizen_id, purpose="Cấp thẻ BHYT cho người thuộc hộ nghèo")
    assert lookup(api, partner, "999999999999").status_code == 404
    found, missing = PartnerLookup.objects.order_by("pk")
    assert found.user == partner and found.found and found.purpose == "Cấp thẻ BHYT cho người thuộc hộ nghèo"
    assert found.citizen_id_masked != person.citizen_id and found.citizen_id_masked.endswith(
        person.citizen_id[-3:]
    )
    assert found.unit_path == person.unit_path
    assert found.token is not None
    assert not missing.found and missing.unit_path == ""


def test_a_partner_finds_nobody_outside_its_scope(api, person, other_officer):
    school = User.objects.create_user(
        username="truong.sonhong", password="x", role=Role.PARTNER, unit=other_officer.unit
    )
    no_unit = User.objects.create_user(username="doitac.khong", password="x", role=Role.PARTNER)
    assert lookup(api, school, person.citizen_id).status_code == 404
    assert lookup(api, no_unit, person.citizen_id).status_code == 404
    assert PartnerLookup.objects.filter(found=False).count() == 2


def test_the_commune_and_province_see_the_lookups_of_their_people_and_others_do_not(
    api, partner, person, officer, province_viewer, other_officer, client
):
    lookup(api, partner, person.citizen_id)
    for user, sees in ((officer, True), (province_viewer, True), (other_officer, False)):
        records = api.get(user, "/api/partner-lookups").json()["items"]
        assert bool(records) == sees
        client.force_login(user)
        page = client.get("/api/trang/tra-cuu/").content.decode()
        assert ("Xét cho vay hộ nghèo" in page) == sees
    record = api.get(officer, "/api/partner-lookups").json()["items"][0]
    assert record["partner"] == partner.display() and record["purpose"].startswith("Xét cho vay")


def test_a_partner_on_the_web_reaches_its_own_pages_only(client, partner, officer, api, person):
    lookup(api, partner, person.citizen_id)
    other = User.objects.create_user(
        username="bhxh.hatinh", password="x", role=Role.PARTNER, unit=partner.unit
    )
    client.force_login(other)
    assert client.get("/")["Location"] == "/api/trang/ma-truy-cap/"
    for url in ("/ho-gia-dinh/", "/ra-soat/", "/ke-hoach/", f"/ho-gia-dinh/{person.household_id}/"):
        assert client.get(url).status_code == 403, url
    assert client.get("/api/trang/ma-truy-cap/").status_code == 200
    # Another partner's lookups are not its business.
    assert "Xét cho vay" not in client.get("/api/trang/tra-cuu/").content.decode()
    client.force_login(partner)
    assert "Xét cho vay" in client.get("/api/trang/tra-cuu/").content.decode()
