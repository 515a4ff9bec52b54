"""The demo's decided 2023 review exported as a commune list (format C) re-imports with nothing changed."""

from __future__ import annotations

from giamngheo.households.models import Household, Member
from giamngheo.imports.household_export import export_households
from giamngheo.imports.household_list import households_import
from giamngheo.reviews.models import ReviewResult, ReviewRound


def history_rows() -> tuple[int, int, int, int]:
    return (
        Household.history.count(),
        Member.history.count(),
        ReviewResult.history.count(),
        ReviewRound.history.count(),
    )


def test_a_surveyed_decided_round_exports_and_reimports_unchanged(demo_register, tmp_path):
    # The demo's 2023 results come from surveys (scores, explanations): the list states none of that, so
    # re-importing its own export into the locked round changes nothing instead of being refused.
    out = tmp_path / "export.xlsx"
    assert export_households(unit=demo_register, year=2023, output=out) == 1545
    before = history_rows()
    report = households_import(path=out, year=2023)
    assert not report.changed, (report.households, report.heads, report.results)
    assert report.results.unchanged == 1545
    assert history_rows() == before
