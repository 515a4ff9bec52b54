"""Citizen IDs are masked everywhere unless revealed on purpose: edit forms, history, search addresses,
exports (``imports/tests/test_export.py``); reveals and exports are recorded, in the admin and in the audit
log file."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from django.urls import reverse

from giamngheo.households.forms import MemberForm
from giamngheo.households.models import CitizenIdExport, CitizenIdReveal, Member
from giamngheo.households.services import member_update

pytestmark = pytest.mark.django_db
FULL, MASKED = "042080000123", "0********123"


def head(household_register) -> Member:  # type: ignore[no-untyped-def]
    return household_register["h1"].members.get(full_name="Nguyễn Văn Đức")


def form_data(member: Member, **changes: str) -> dict[str, str]:
    form = MemberForm(instance=member)
    data = {name: form[name].value() for name in form.fields}
    data = {
        k: ("" if v is None else str(v).lower() if isinstance(v, bool) else str(v)) for k, v in data.items()
    }
    return {**data, **changes}


def test_the_edit_form_shows_the_number_masked_and_an_unchanged_save_keeps_it(
    household_register, officer, client
):
    member = head(household_register)
    client.force_login(officer)
    url = reverse("households:member_edit", args=[member.pk])
    html = client.get(url).content.decode()
    assert FULL not in html and f'value="{MASKED}"' in html
    response = client.post(url, form_data(member, full_name="Nguyễn Văn Đức Anh"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.full_name, member.citizen_id) == ("Nguyễn Văn Đức Anh", FULL)
    client.post(url, form_data(member, citizen_id="042080000999"))
    member.refresh_from_db()
    assert member.citizen_id == "042080000999"  # a new number typed in replaces it


def test_history_never_shows_a_full_number(household_register, officer, province_viewer, client):
    member = head(household_register)
    member_update(actor=officer, member=member, expected_version=member.version, citizen_id="042080000999")
    for user in (province_viewer, officer):
        client.force_login(user)
        html = client.get(reverse("households:detail", args=[household_register["h1"].pk])).content.decode()
        assert FULL not in html and "042080000999" not in html
        assert MASKED in html and "0********999" in html


def test_a_search_by_citizen_id_never_puts_the_number_in_an_address(household_register, officer, client):
    client.force_login(officer)
    response = client.post(reverse("households:list"), {"q": "0420 8000 0123", "sort": "code"})
    assert response.status_code == 302 and "0420" not in response.url and "cid=" in response.url
    page = client.get(response.url)
    assert "T-001" in page.content.decode() and FULL not in page.request["QUERY_STRING"]
    by_name = client.post(reverse("households:list"), {"q": "Lê Thị Lan"})
    assert "T-002" in client.get(by_name.url).content.decode()


def test_reveals_and_exports_are_written_to_the_audit_log_file_and_listed_for_the_administrator(
    household_register, officer, admin_user, client
):
    handler = logging.getLogger("giamngheo.audit").handlers[0]
    assert handler.backupCount == 90 and handler.when == "MIDNIGHT"
    log = Path(handler.baseFilename)
    before = log.read_text(encoding="utf-8") if log.exists() else ""
    member = head(household_register)
    client.force_login(officer)
    client.post(reverse("households:citizen_id", args=[member.pk]))
    written = log.read_text(encoding="utf-8")[len(before) :]
    assert f"citizen id shown: user={officer.pk} member={member.pk}" in written
    assert oct(log.stat().st_mode & 0o777) == "0o600"
    CitizenIdExport.objects.create(user=officer, unit=officer.unit, year=2024, file_format="csv", rows=3)
    client.force_login(admin_user)
    reveals = client.get(reverse("admin:households_citizenidreveal_changelist")).content.decode()
    exports = client.get(reverse("admin:households_citizenidexport_changelist")).content.decode()
    assert CitizenIdReveal.objects.count() == 1 and "canbo.sontrung" in reveals
    assert "canbo.sontrung" in exports and "csv" in exports
