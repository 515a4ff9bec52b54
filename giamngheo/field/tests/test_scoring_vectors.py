"""The phone's live scoring (static/field/scoring.js) gives the Python engine's result on every vector the
engine generates (tests/vectors.py): both standards, B1 and income, every indicator, every boundary. The
script reads the standards' own JSON, as the assignment serves it; run in Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from giamngheo.field.tests.vectors import COMPARED, definitions, phieu_a_vectors, phieu_b_vectors

pytestmark = [pytest.mark.browser, pytest.mark.offline]

SCORING = Path(__file__).resolve().parents[1] / "static" / "field" / "scoring.js"

RUN_B = """([defs, vectors, compared]) => vectors.map((v) => {
  const got = GNScoring.classifyB(defs[v.standard].standard, v.input);
  const out = {};
  for (const key of compared) out[key] = got[key];
  return out;
})"""

RUN_A = """([defs, vectors]) => vectors.map((v) => {
  const got = GNScoring.screenA(defs[v.standard].phieu_a, v.area, v.answers);
  return {yes: got.yes, screened_out: got.screened_out};
})"""


@pytest.fixture
def scoring_page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<!DOCTYPE html><html><body></body></html>")
    page.add_script_tag(path=str(SCORING))
    yield page
    context.close()


def test_the_browser_scores_phieu_b_exactly_as_the_engine(scoring_page):
    vectors = phieu_b_vectors()
    standards = {v["standard"] for v in vectors}
    assert {"VN-2022-2025", "VN-2027-2030"} <= standards
    assert {v["expected"]["status"] for v in vectors} == {"poor", "near_poor", "average", "not_poor"}
    assert {v["expected"]["income_test"] for v in vectors} == {"income", "b1"}
    got = scoring_page.evaluate(RUN_B, [definitions(), vectors, list(COMPARED)])
    wrong = [(v["input"], v["expected"], g) for v, g in zip(vectors, got, strict=True) if g != v["expected"]]
    assert not wrong, f"{len(wrong)} of {len(vectors)} differ, first: {wrong[0]}"


def test_the_browser_screens_phieu_a_exactly_as_the_procedure(scoring_page):
    vectors = phieu_a_vectors()
    assert {v["expected"]["screened_out"] for v in vectors} == {True, False}
    got = scoring_page.evaluate(RUN_A, [definitions(), vectors])
    assert got == [v["expected"] for v in vectors]


def test_no_threshold_of_a_standard_is_written_in_the_script():
    """The script reads every number from the standard's JSON: none of the data's thresholds appears in it."""
    import re

    text = SCORING.read_text(encoding="utf-8")
    numbers = set(re.findall(r"\d+", text))
    for definition in definitions().values():
        raw = definition["standard"]
        values = [*raw["income"]["lines"].values(), *raw["b1"]["cutoffs"].values()]
        values += [raw["b2"]["points_per_indicator"], raw["b2"]["poor_min_points"]]
        assert not {str(v) for v in values} & numbers
