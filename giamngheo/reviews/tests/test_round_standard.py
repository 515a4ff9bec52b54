"""Issue 17 B, issue 11 I: the standard of a round is the one of the year whose lists it decides (spec §1).

The commune officer (``officer``) opens the end-2026 review on 07/12/2026: it decides the lists of 2027, the
first year of VN-2027-2030, so it uses VN-2027-2030 unless the officer records VN-2022-2025 with the reason
(a province's instruction). A monthly review of 2026 uses 2026's standard (VN-2022-2025). Lists and
certificates name the year they govern.
"""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from giamngheo.errors import InputError
from giamngheo.reviews.models import ReviewRound, RoundKind
from giamngheo.reviews.procedure import review_window, standard_choice
from giamngheo.reviews.services import (
    ResultRow,
    results_record,
    review_round_open,
    review_round_standard_set,
)
from giamngheo.standards.loader import list_standards
from giamngheo.testing.language import vi

TODAY = datetime.datetime(2026, 12, 7, 9, 0)


@pytest.mark.parametrize(
    ("kind", "year", "expected", "transition"),
    [
        ("regular", 2021, "VN-2022-2025", False),  # the precedent: the end-2021 review applied 2022–2025
        ("regular", 2025, "VN-2022-2025", False),  # decides 2026, still under VN-2022-2025 (Decree 351)
        ("regular", 2026, "VN-2027-2030", True),  # decides 2027: the new standard
        ("adhoc", 2026, "VN-2022-2025", False),  # changes the lists in force in 2026
        ("adhoc", 2027, "VN-2027-2030", False),
        ("regular", 2030, "VN-2027-2030", False),  # no standard yet for 2031: the one in force, said so
    ],
)
def test_the_default_is_the_standard_of_the_year_the_list_governs(kind, year, expected, transition):
    choice = standard_choice(kind=kind, year=year, standards=list_standards())
    assert choice is not None
    assert choice.default.id == expected
    assert choice.transition is transition
    assert choice.fallback is (year == 2030)
    if transition:
        assert [s.id for s in choice.alternatives] == ["VN-2022-2025"]
    else:
        assert choice.alternatives == ()


def test_the_end_2026_review_opens_with_the_2027_standard(son_trung):
    regular = review_round_open(commune=son_trung, year=2026)
    monthly = review_round_open(commune=son_trung, year=2026, kind=RoundKind.ADHOC, month=5)
    assert (regular.standard_id, regular.governed_year) == ("VN-2027-2030", 2027)
    assert (monthly.standard_id, monthly.governed_year) == ("VN-2022-2025", 2026)


@time_machine.travel(TODAY, tick=False)
def test_the_round_page_says_which_standard_and_why_and_records_another(client, officer, son_trung):
    review_round = review_round_open(commune=son_trung, year=2026)
    client.force_login(officer)
    page = client.get(reverse("reviews:round_detail", args=[review_round.pk])).content.decode()
    assert "VN-2027-2030" in page
    assert "2027" in page and "Chuẩn nghèo" in page
    assert 'name="standard"' in page  # a transition year: the officer may record the other standard
    assert "2.027" not in page and "2.026" not in page  # years are never grouped

    url = reverse("reviews:round_standard", args=[review_round.pk])
    refused = client.post(url, {"standard": "VN-2022-2025", "reason": ""})
    assert refused.status_code == 200
    review_round.refresh_from_db()
    assert review_round.standard_id == "VN-2027-2030"  # no reason, nothing recorded

    reason = "Công văn 123/SNN-BTXH ngày 01/12/2026 của tỉnh"
    response = client.post(url, {"standard": "VN-2022-2025", "reason": reason})
    assert response.status_code == 302
    review_round.refresh_from_db()
    assert (review_round.standard_id, review_round.standard_reason) == ("VN-2022-2025", reason)
    record = review_round.history.latest("history_id")
    assert (record.standard_id, record.history_change_reason, record.history_user) == (
        "VN-2022-2025",
        reason,
        officer,
    )
    page = client.get(reverse("reviews:round_detail", args=[review_round.pk])).content.decode()
    assert reason in page and "VN-2027-2030" in page  # the reason, and the default it replaced


def test_another_standard_only_in_a_transition_year_and_before_any_result(son_trung, review_register):
    ordinary = review_round_open(commune=son_trung, year=2024)
    with pytest.raises(InputError):
        review_round_standard_set(review_round=ordinary, standard_id="VN-2027-2030", reason="thử")
    transition = review_round_open(commune=son_trung, year=2026)
    results_record(
        review_round=transition, rows=[ResultRow(household=review_register["RV-01"], status="poor")]
    )
    with pytest.raises(InputError):
        review_round_standard_set(review_round=transition, standard_id="VN-2022-2025", reason="tỉnh")
    assert ReviewRound.objects.get(pk=transition.pk).standard_id == "VN-2027-2030"


def test_the_round_page_of_an_ordinary_year_offers_no_choice(client, officer, son_trung):
    review_round = review_round_open(commune=son_trung, year=2024)
    client.force_login(officer)
    page = client.get(reverse("reviews:round_detail", args=[review_round.pk])).content.decode()
    assert 'name="standard"' not in page
    assert (
        client.post(
            reverse("reviews:round_standard", args=[review_round.pk]),
            {"standard": "VN-2027-2030", "reason": "x"},
        ).status_code
        == 200
    )
    review_round.refresh_from_db()
    assert review_round.standard_id == "VN-2022-2025"


def test_review_windows():
    assert review_window(kind="regular", year=2026, month=None) == (
        datetime.date(2026, 9, 1),
        datetime.date(2026, 12, 14),
    )
    assert review_window(kind="adhoc", year=2026, month=12) == (
        datetime.date(2026, 12, 1),
        datetime.date(2026, 12, 31),
    )


@time_machine.travel(TODAY, tick=False)
def test_a_round_opened_outside_its_window_gets_a_warning(client, officer, son_trung):
    client.force_login(officer)
    url = reverse("reviews:round_list")
    response = client.post(url, {"commune": son_trung.pk, "kind": "regular", "year": 2027}, follow=True)
    page = response.content.decode()
    assert "01/09/2027" in page and "07/12/2026" in page
    response = client.post(url, {"commune": son_trung.pk, "kind": "regular", "year": 2026}, follow=True)
    assert "07/12/2026" not in response.content.decode()  # inside 1/9–14/12/2026: no warning


def test_lists_name_the_year_they_govern(client, officer, decided_2023, son_trung):
    client.force_login(officer)
    response = client.get(reverse("reviews:list_download", args=[decided_2023.pk, "poor", "xlsx"]))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A4"].value == "DANH SÁCH HỘ NGHÈO NĂM 2024"
    assert ws["A5"].value == "(Kết quả rà soát năm 2023)"
    monthly = review_round_open(commune=son_trung, year=2024, kind=RoundKind.ADHOC, month=3)
    response = client.get(reverse("reviews:list_download", args=[monthly.pk, "poor", "xlsx"]))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A4"].value == "DANH SÁCH HỘ NGHÈO THÁNG 03/2024"
    assert ws["A5"].value == vi("(Results of the monthly review, lists of %(year)s)") % {"year": 2024}
