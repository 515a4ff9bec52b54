"""Documents for tests: the seed's village figures and the plan's values, and what a printable XLSX sheet
is."""

from __future__ import annotations

from giamngheo.plans.documents.targets import UnitFigures

# The demo commune's villages and their 2022 figures (the seed's table): long names, four-digit totals.
VILLAGES = [
    UnitFigures("Mai Hà", 202, 3, 1, 4, 1),
    UnitFigures("Hà Tràng", 113, 3, 0, 5, 1),
    UnitFigures("Hồ Sơn", 83, 2, 0, 3, 0),
    UnitFigures("Long Đình", 110, 5, 1, 6, 1),
    UnitFigures("Tiên Long", 128, 4, 0, 5, 1),
    UnitFigures("Trung Thịnh", 140, 9, 2, 6, 1),
    UnitFigures("Lâm Thành", 159, 9, 2, 9, 3),
    UnitFigures("Tân Tràng", 158, 6, 1, 6, 1),
    UnitFigures("Yên Sơn", 146, 5, 1, 6, 1),
    UnitFigures("Mỹ Sơn", 136, 11, 3, 6, 1),
    UnitFigures("Hải Thượng", 170, 6, 1, 13, 4),
]

# The plan document's values for Sơn Trung 2023 (the seed's figures).
VALUES = {
    "year": "2023",
    "previous_year": "2022",
    "commune": "Sơn Trung",
    "commune_full": "xã Sơn Trung",
    "households_total": "1.545",
    "poor": "63",
    "poor_people": "113",
    "poor_rate": "4,08%",
    "poor_no_labour": "47",
    "poor_labour": "16",
    "poor_social_protection": "35",
    "poor_income_support": "2",
    "near_poor": "69",
    "near_poor_people": "195",
    "near_poor_rate": "4,47%",
    "near_poor_no_labour": "19",
    "near_poor_labour": "50",
    "poor_end_rate": "3,30%",
    "near_poor_end_rate": "3,50%",
}


def assert_printable(ws, *, repeat: str | None) -> None:  # type: ignore[no-untyped-def]
    """``ws`` prints on A4 landscape, one page wide and as many down as needed, with a page number in the
    footer and ``repeat`` (e.g. "$1:$4") at the top of every page."""
    setup = ws.page_setup
    assert (int(setup.paperSize), setup.orientation) == (9, "landscape")
    assert (setup.fitToWidth, setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage) == (1, 0, True)
    assert "&P" in (ws.oddFooter.center.text or "")
    assert ws.print_title_rows == repeat
