"""Layout E: the per-village target table as a pure builder, and its CSV form."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from giamngheo.plans.documents.render import csv_text
from giamngheo.plans.documents.targets import (
    COLUMNS,
    UnitFigures,
    build_target_table,
    csv_header,
    csv_rows,
    header_rows,
)


def figures(name="Tiên Long", total=128, poor=4, poor_red=0, near=5, near_red=1):
    return UnitFigures(name, total, poor, poor_red, near, near_red)


def test_percentages_are_of_the_village_households_rounded_half_up():
    row = build_target_table([figures()], year=2023).rows[0]
    assert row.poor_start_pct == Decimal("3.13")  # 4/128 = 3.125
    assert row.near_poor_reduction_pct == Decimal("0.78")  # 1/128 = 0.78125
    assert row.near_poor_end == 4 and row.near_poor_end_pct == Decimal("3.13")


def test_the_total_row_sums_the_counts_and_recomputes_its_percentages():
    table = build_target_table([figures(), figures("Mai Hà", 202, 3, 1, 4, 1)], year=2023)
    total = table.total
    assert (total.stt, total.unit, total.households_total) == (None, "Tổng cộng", 330)
    assert (total.poor_start, total.poor_reduction, total.poor_end) == (7, 1, 6)
    assert total.poor_end_pct == Decimal("1.82")  # 6/330 = 1.8181…


def test_a_unit_without_households_gives_zero_percent_not_an_error():
    row = build_target_table([figures(total=0, poor=0, near=0, near_red=0)], year=2023).rows[0]
    assert row.poor_start_pct == Decimal("0.00")


def test_the_csv_header_names_the_years_like_the_seed_data_file():
    assert csv_header(2023)[:6] == [
        "stt",
        "village",
        "households_total",
        "poor_end_2022",
        "poor_end_2022_pct",
        "poor_reduction_2023",
    ]
    assert csv_header(2023)[-1] == "near_poor_end_2023_pct"


def test_the_generic_csv_header_is_the_interface_column_list():
    assert csv_header(2023, dated=False) == list(COLUMNS)


def test_csv_rows_use_plain_integers_dot_decimals_and_an_empty_stt_on_the_total():
    table = build_target_table([figures()], year=2023)
    text = csv_text(csv_header(2023), csv_rows(table))
    lines = text.splitlines()
    assert lines[1] == "1,Tiên Long,128,4,3.13,0,0.00,4,3.13,5,3.91,1,0.78,4,3.13"
    assert lines[2].startswith(",Tổng cộng,128,")
    assert text.endswith("\n") and "\r" not in text


def test_the_printed_cells_use_vietnamese_number_formats():
    table = build_target_table([figures(total=1545, poor=63, poor_red=12, near=69, near_red=15)], year=2023)
    cells = table.total.cells_vi()
    assert cells[2] == "1.545" and cells[4] == "4,08" and cells[8] == "3,30"


def test_the_seed_header_has_two_rows_with_merged_groups():
    first, second = header_rows(2023)
    assert [c.text for c in first[:3]] == ["TT", "Đơn vị", "Tổng số hộ gia đình"]
    assert all(c.rowspan == 2 for c in first[:3])
    assert [c.text for c in first[3:]][0] == "Hộ nghèo cuối năm 2022" and first[3].colspan == 2
    assert [c.text for c in second] == ["TS", "%"] * 6


village = st.builds(
    lambda total, poor, near, pr, nr: UnitFigures("X", total, poor, min(pr, poor), near, min(nr, near)),
    st.integers(0, 500),
    st.integers(0, 60),
    st.integers(0, 60),
    st.integers(0, 60),
    st.integers(0, 60),
)


@given(st.lists(village, min_size=1, max_size=15))
def test_total_counts_are_the_sums_of_the_rows(villages):
    table = build_target_table(villages, year=2024)
    for key in (
        "households_total",
        "poor_start",
        "poor_reduction",
        "poor_end",
        "near_poor_start",
        "near_poor_end",
    ):
        assert getattr(table.total, key) == sum(getattr(r, key) for r in table.rows)
    assert [r.stt for r in table.rows] == list(range(1, len(villages) + 1))
