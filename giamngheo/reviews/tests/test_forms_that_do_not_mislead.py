"""Issue 17 E: forms and lists that do not mislead.

- the commune officer opens the forms of a decided (locked) round: read-only, no Save button;
- the village head opens the Phiếu B page of a household screened out at Phiếu A: no live result;
- a printed list never leaves the chair's signature alone on its last page;
- monthly reviews are "thường xuyên"; no "cận trên mức sống trung bình".
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from weasyprint import HTML

from giamngheo.errors import InputError
from giamngheo.reviews.documents import OfficialListDocument, _header, official_list_html
from giamngheo.reviews.models import RoundHousehold, RoundKind
from giamngheo.reviews.procedure import phieu_a
from giamngheo.reviews.selectors import ListRow
from giamngheo.reviews.services import review_round_open, round_households_seed, screening_record
from giamngheo.standards.loader import get_standard
from giamngheo.testing.language import vi

SAVE_BUTTONS = ("Save Phiếu A", "Save Phiếu B", "Save the minutes", "Post the results", "Save the re-check")


def test_a_locked_rounds_forms_are_read_only(client, officer, decided_2023, mai_ha):
    client.force_login(officer)
    entry = RoundHousehold.objects.get(review_round=decided_2023, household__code="RV-04")
    pages = [
        reverse("reviews:phieu_a", args=[decided_2023.pk, entry.pk]),
        reverse("reviews:phieu_b", args=[decided_2023.pk, entry.pk]),
        reverse("reviews:meeting_new", args=[decided_2023.pk, mai_ha.code]),
        reverse("reviews:posting_new", args=[decided_2023.pk, mai_ha.code]),
        reverse("reviews:entry_add", args=[decided_2023.pk]),
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert 'type="submit" class="primary"' not in page, url
        assert vi("Read-only") in page, url
        assert "hx-post" not in page, url
    page = client.get(pages[1]).content.decode()
    assert 'name="income_per_capita"' in page and "disabled" in page
    response = client.post(pages[1], {"surveyed_on": "2023-10-02", "income_per_capita": "100"})
    assert response.status_code == 302  # nothing saved, the officer is told the round is locked


@pytest.fixture
def screened_out(round_2023, review_register) -> RoundHousehold:  # type: ignore[no-untyped-def]
    from giamngheo.reviews.models import ListReason
    from giamngheo.reviews.services import round_household_add

    entry = round_household_add(
        review_round=round_2023,
        household=review_register["RV-04"],
        reason=ListReason.REQUESTED,
        request_date=datetime.date(2023, 9, 5),
    )
    questions = phieu_a(get_standard(round_2023.standard_id))
    screening = screening_record(
        entry=entry, answers={code: True for code in questions.codes}, screened_on=datetime.date(2023, 9, 10)
    )
    assert screening.screened_out
    return entry


def test_the_phieu_b_page_of_a_screened_out_household_shows_no_result(client, village_head, screened_out):
    client.force_login(village_head)
    url = reverse("reviews:phieu_b", args=[screened_out.review_round_id, screened_out.pk])
    page = client.get(url).content.decode()
    for status in ("Poor", "Near-poor", "Not poor", "Average living standard"):
        assert f'<span class="badge {status}' not in page
    assert 'class="badge poor"' not in page and 'class="badge not_poor"' not in page
    assert "Phiếu A" in page and 'type="submit" class="primary"' not in page and "hx-post" not in page
    live = client.post(
        reverse("reviews:phieu_b_live", args=[screened_out.review_round_id, screened_out.pk]),
        {"income_per_capita": "900000"},
    ).content.decode()
    assert "badge poor" not in live and "→" not in live


def _pages(rows: int, commune) -> list[str]:  # type: ignore[no-untyped-def]
    """The text of each page of a printed poor list of ``rows`` households."""
    listed = [
        ListRow(
            number=i,
            code=f"T-{i:03d}",
            head_name=f"Nguyễn Văn {i}",
            members=3,
            village="Mai Hà",
            status="poor",
            movement="",
        )
        for i in range(1, rows + 1)
    ]
    header = _header(commune, datetime.date(2026, 12, 1))
    document = OfficialListDocument(
        review_round=None,  # type: ignore[arg-type]
        kind="poor",
        title="DANH SÁCH HỘ NGHÈO NĂM 2027",
        review_note="(Kết quả rà soát năm 2026)",
        subtitle="",
        standard_name="",
        village=None,
        rows=listed,
        header=header,
        draft=False,
        column_label="Phân loại",
        signer="Phan Văn Chủ Tịch",
    )
    return [
        " ".join(_texts(page._page_box)) for page in HTML(string=official_list_html(document)).render().pages
    ]


def _texts(box) -> list[str]:  # type: ignore[no-untyped-def]
    """The text of a laid-out box and everything in it, in order."""
    texts = [box.text] if hasattr(box, "text") else []
    for child in getattr(box, "children", None) or []:
        texts.extend(_texts(child))
    return texts


@pytest.mark.slow
def test_the_printed_list_keeps_its_signatures_with_the_last_rows(son_trung):
    # Around the end of the first page (≈ 21 rows fill it): every length keeps the last rows with the chair.
    for rows in range(18, 32):
        pages = _pages(rows, son_trung)
        last = pages[-1]
        assert "Phan Văn Chủ Tịch" in last, rows
        assert f"T-{rows:03d}" in last, rows  # the last household prints on the signature's page


def test_monthly_reviews_are_thuong_xuyen(son_trung):
    with pytest.raises(InputError) as error:
        review_round_open(commune=son_trung, year=2026, kind=RoundKind.ADHOC, month=None)
    assert "thường xuyên" in error.value.problems[0].message_vi
    assert "đột xuất" not in error.value.problems[0].message_vi
    assert vi("Ad-hoc (monthly) review") == "Rà soát thường xuyên (hằng tháng)"


def test_locked_round_message_points_to_a_thuong_xuyen_round(decided_2023, review_register):
    with pytest.raises(InputError) as error:
        round_households_seed(review_round=decided_2023)
    assert "thường xuyên" in error.value.problems[0].fix_vi
