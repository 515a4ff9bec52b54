"""The bulk path agrees with the per-household classification, for both standards."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from giamngheo.standards.classify import classify
from giamngheo.standards.facts import HouseholdFacts
from giamngheo.standards.frame import OUTPUT_COLUMNS, classify_frame, classify_joined
from giamngheo.standards.loader import get_standard
from giamngheo.testing.facts import REVIEW

STANDARDS = [get_standard("VN-2022-2025"), get_standard("VN-2027-2030")]
CODES = sorted({code for s in STANDARDS for code in s.indicator_codes})

rows = st.fixed_dictionaries(
    {
        "area": st.sampled_from(["rural", "urban"]),
        "income_per_capita": st.one_of(
            st.none(),
            st.integers(0, 5_000_000),
            st.sampled_from([1_500_000, 2_000_000, 2_200_000, 2_250_000, 2_800_000, 3_000_000]),
        ),
        "b1_score": st.integers(0, 300),
        "farm_household": st.one_of(st.none(), st.booleans()),
        **{code: st.one_of(st.none(), st.booleans()) for code in CODES},
    }
)


def _frame(households: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(
        households,
        schema={
            "area": pl.String,
            "income_per_capita": pl.Int64,
            "b1_score": pl.Int64,
            "farm_household": pl.Boolean,
            **dict.fromkeys(CODES, pl.Boolean),
        },
    )


@settings(max_examples=60, deadline=None)
@given(households=st.lists(rows, min_size=1, max_size=30), which=st.sampled_from(STANDARDS))
def test_classify_frame_and_classify_agree_on_random_households(households, which):
    bulk = classify_frame(_frame(households), which)
    for row, out in zip(households, bulk.iter_rows(named=True), strict=True):
        given_answers = {code: row[code] for code in CODES if row[code] is not None}
        one = classify(
            HouseholdFacts(
                area=row["area"],
                income_per_capita=row["income_per_capita"],
                b1_score=row["b1_score"],
                farm_household=row["farm_household"],
                answers=given_answers,
            ),
            which,
            REVIEW,
        )
        assert (out["status"], out["deprivation_count"], out["deprived"], out["standard"]) == (
            one.status,
            one.deprivation_count,
            ";".join(one.deprived),
            which.id,
        )


def test_a_missing_indicator_column_means_not_deprived_and_old_results_are_replaced():
    frame = pl.DataFrame(
        {"area": ["rural"], "income_per_capita": [1_000_000], "sanitation": [True], "status": ["poor"]}
    )
    out = classify_frame(frame, STANDARDS[0])
    assert out.columns == [
        "area",
        "income_per_capita",
        "sanitation",
        "standard",
        "deprivation_count",
        "deprived",
        "status",
    ]
    assert out.row(0, named=True)["status"] == "near_poor" and out["deprived"][0] == "sanitation"


@settings(max_examples=60, deadline=None)
@given(
    households=st.lists(rows, min_size=1, max_size=30),
    which=st.sampled_from(STANDARDS),
    dropped=st.sets(st.sampled_from(["income_per_capita", "farm_household", *CODES])),
)
def test_the_joined_results_are_the_four_result_columns_joined_by_commas(households, which, dropped):
    frame = _frame(households).drop(dropped)  # B1 on every row: a frame ``classify_frame`` accepts
    four = classify_frame(frame, which, empty_as_null=True).select(OUTPUT_COLUMNS)
    joined = classify_joined(frame, which)
    assert joined.name == ",".join(OUTPUT_COLUMNS)
    assert joined.to_list() == [
        ",".join("" if v is None else str(v) for v in row) for row in four.iter_rows()
    ]
