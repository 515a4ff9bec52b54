"""Official lists per village (poor, near-poor, escaped, newly, fell back) as XLSX and PDF."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from giamngheo.reviews.selectors import official_list
from giamngheo.reviews.services import round_households_seed
from giamngheo.testing.language import vi
from giamngheo.testing.pdf import pdf_words
from giamngheo.testing.registers import take_through_posting


def codes(rows):
    return [row.code for row in rows]


def test_each_list_holds_the_households_of_its_status_or_movement(officer, decided_2023, mai_ha):
    def lst(kind, village=None):
        return codes(official_list(user=officer, review_round=decided_2023, kind=kind, village=village))

    assert lst("poor") == ["RV-02", "RV-04"]
    assert lst("near_poor") == ["RV-01"]
    assert lst("escaped_poverty") == ["RV-01", "RV-11"]  # to near-poor, and out of both lists
    assert lst("escaped_near_poverty") == []
    assert lst("newly") == ["RV-04"]
    assert lst("fell_back") == []
    assert lst("escaped_poverty", mai_ha) == ["RV-01"]
    rows = official_list(user=officer, review_round=decided_2023, kind="poor")
    assert [r.number for r in rows] == [1, 2] and rows[0].village == "Mai Hà"


def test_an_open_rounds_lists_are_drafts_with_movements_computed_now(officer, round_2023, mai_ha):
    round_households_seed(review_round=round_2023)
    take_through_posting(round_2023, mai_ha, {"RV-01": (2_800_000, {})})
    assert codes(official_list(user=officer, review_round=round_2023, kind="escaped_poverty")) == ["RV-01"]


def test_the_xlsx_has_the_official_layout(client, officer, decided_2023, mai_ha):
    client.force_login(officer)
    url = reverse("reviews:list_download", args=[decided_2023.pk, "poor", "xlsx"])
    response = client.get(url, {"thon": mai_ha.code})
    assert (
        response.status_code == 200
        and "danh-sach-ho-ngheo-2023-18133-01.xlsx" in response["Content-Disposition"]
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = {
        ws.cell(row=r, column=c).coordinate: ws.cell(row=r, column=c).value
        for r in range(1, 25)
        for c in range(1, 7)
    }
    assert cells["A1"] == vi("PEOPLE'S COMMITTEE") and cells["A2"] == "XÃ SƠN TRUNG"
    assert cells["D1"] == vi("SOCIALIST REPUBLIC OF VIETNAM")
    # The end-2023 review decides the lists of 2024, and says so (spec §1).
    assert cells["A4"] == f"{vi('List of poor households')} {vi('year %(year)s') % {'year': 2024}}".upper()
    assert cells["A5"] == vi("(Results of the review of %(year)s)") % {"year": 2023}
    assert "210/QĐ-UBND" in cells["A6"] and "01/12/2023" in cells["A6"]
    assert [cells[f"{c}9"] for c in "ABCDEF"] == [
        vi("No."),
        vi("Household code"),
        vi("Head of household"),
        vi("Members"),
        vi("Village"),
        vi("Classification"),
    ]
    assert [cells[f"{c}11"] for c in "ABCDE"] == [1, "RV-02", "Trần Thị Hoa", 2, "Mai Hà"]
    assert cells["F11"] == vi("Poor")
    assert [cells[f"{c}12"] for c in "ABCDE"] == [2, "RV-04", "Phạm Thị Lụa", 3, "Mai Hà"]
    assert cells["A13"] == vi("Total: %(n)s households") % {"n": 2} and cells["D13"] == 5
    assert "Sơn Trung" in cells["D15"] and "2023" in cells["D15"]
    assert cells["D16"] == vi("ON BEHALF OF THE PEOPLE'S COMMITTEE") and cells["D17"] == vi("CHAIR")
    assert "Trần Đình Quang (demo)" in [cells.get(f"D{r}") for r in range(18, 25)]
    assert ws.print_title_rows == "$9:$10"  # the header repeats on every printed page


def test_a_movement_list_names_the_movement(client, officer, decided_2023):
    client.force_login(officer)
    response = client.get(reverse("reviews:list_download", args=[decided_2023.pk, "escaped_poverty", "xlsx"]))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["F9"].value == vi("Movement")
    assert [ws["B11"].value, ws["F11"].value] == ["RV-01", vi("Escaped poverty, now near-poor")]
    assert [ws["B12"].value, ws["F12"].value] == ["RV-11", vi("Escaped poverty")]


@pytest.mark.slow
def test_the_pdf_list_prints_the_same_rows_in_vietnamese(client, officer, decided_2023):
    client.force_login(officer)
    response = client.get(reverse("reviews:list_download", args=[decided_2023.pk, "poor", "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    words = pdf_words(response.content)
    for expected in (
        "XÃ SƠN TRUNG",
        "Trần Thị Hoa",
        "Phạm Thị Lụa",
        "Mai Hà",
        "210/QĐ-UBND",
        vi("List of poor households").upper(),
    ):
        assert expected in words, expected


def test_an_open_rounds_list_is_marked_as_a_draft(client, officer, round_2023):
    client.force_login(officer)
    response = client.get(reverse("reviews:list_download", args=[round_2023.pk, "near_poor", "xlsx"]))
    assert "du-thao" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A6"].value == vi(
        "(Draft for the public posting: not yet recognised by the commune chair's decision)"
    )


def test_lists_follow_the_users_reach(
    client, village_head, province_viewer, other_officer, decided_2023, ha_trang
):
    client.force_login(village_head)
    own = client.get(reverse("reviews:list_download", args=[decided_2023.pk, "escaped_poverty", "xlsx"]))
    ws = load_workbook(io.BytesIO(own.content)).active
    assert ws["B11"].value == "RV-01" and ws["B12"].value != "RV-11"  # Hà Tràng's household is not theirs
    assert (
        client.get(
            reverse("reviews:list_download", args=[decided_2023.pk, "poor", "xlsx"]), {"thon": ha_trang.code}
        ).status_code
        == 404
    )
    client.force_login(province_viewer)
    assert client.get(reverse("reviews:lists", args=[decided_2023.pk])).status_code == 200
    client.force_login(other_officer)
    assert (
        client.get(reverse("reviews:list_download", args=[decided_2023.pk, "poor", "xlsx"])).status_code
        == 404
    )


def test_a_head_name_that_starts_like_a_formula_is_text_in_the_xlsx(client, officer, decided_2023, mai_ha):
    from giamngheo.households.models import Household

    Household.objects.filter(code="RV-02").update(head_name='=HYPERLINK("http://x","bấm")')
    client.force_login(officer)
    url = reverse("reviews:list_download", args=[decided_2023.pk, "poor", "xlsx"])
    ws = load_workbook(io.BytesIO(client.get(url, {"thon": mai_ha.code}).content)).active
    cell = next(c for row in ws.iter_rows() for c in row if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s" and cell.quotePrefix
