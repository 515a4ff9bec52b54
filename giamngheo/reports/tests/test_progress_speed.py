"""What keeps a province's progress report within its 5 s (bench/RESULTS-progress.md): the figures' queries
run at once on extra connections that share the report's snapshot, and the PDF of a unit with many units
below it keeps one row per unit for the rates only (WeasyPrint's cost is per cell)."""

import datetime

import pytest
from django.db import connection

from giamngheo import figures
from giamngheo.reports import concurrent, progress, progress_render
from giamngheo.reports.periods import parse_period
from giamngheo.reports.progress import Progress, build_progress
from giamngheo.reports.progress_render import pdf_tables, report_charts
from giamngheo.testing.registers import build_support_register

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="extra connections and shared snapshots are PostgreSQL's"
)


def _row(index: int, poor: int) -> dict:
    info = {"code": f"C{index}", "name": f"Xã {index}", "display_name_vi": f"Xã {index}"}
    info |= {"display_name_en": f"Commune {index}", "level": "commune", "path": f"/9/{index}/"}
    return progress._unit_row(
        info,
        counts={"households": 1000, "people": 3000, "poor": poor, "near_poor": 20},
        targets={"households": 1000, "poor_end": 50, "near_poor_end": 30},
        assigned=None,
        indicators={"insured": 5, "people": 10},
        supports={"count": 3, "amount": 1000},
        spent={"spent": 500},
        plans={"plans": 2},
        activities={},
    )


def _province(communes: int) -> Progress:
    children = [_row(i, poor=i) for i in range(1, communes + 1)]
    total = _row(0, poor=sum(range(1, communes + 1)))
    period = {"code": "2025", "as_of": "2025-12-31", "label_vi": "năm 2025", "label_en": "year 2025"}
    indicator = {
        "code": "health_insurance",
        "name_vi": "BHYT",
        "name_en": "Health insurance",
        "target": "90.00",
    }
    indicator |= {"actual": "50.00", "numerator": 5, "denominator": 10, "met": False}
    return Progress(
        {
            "unit": total,
            "period": period,
            "total": total,
            "children": children,
            "indicator_targets": [indicator],
            "supports_by_kind": [],
            "sources": [],
            "organisations": [],
            "activities_by_kind": [],
        }
    )


def test_a_unit_with_few_units_below_prints_every_table():
    report = _province(progress_render.PDF_UNITS_IN_FULL)
    assert pdf_tables(report) == progress_render.document_tables(report)


def test_a_province_pdf_keeps_a_row_per_commune_for_the_rates_and_its_totals_for_the_rest():
    report = _province(100)
    tables = pdf_tables(report, "en")
    assert [t["title"] for t in tables] == [
        "1. Poverty rates against targets",
        "2. Indicator targets against actual values",
        "3. Supports delivered in the period",
        "4. Resources: received, spent and balance by source",
        "5. Organisations' results",
        "6. Communication",
    ]
    rates = tables[0]
    assert len(rates["rows"]) == 101 and len(rates["header"]) == 8  # the province, then its 100 communes
    assert sum(len(row) for t in tables for row in t["rows"]) < 850  # document_tables: ~2,000 cells
    assert sum(len(row) for t in progress_render.document_tables(report) for row in t["rows"]) > 2000
    # Commune 60 has 6.00 % poor against a 5.00 % target: its rate is flagged (bold red in the PDF).
    row_60 = progress_render._pdf_rows(rates)[60][1]
    assert row_60[3] == ("6.00%", "n x") and progress_render._pdf_rows(rates)[40][1][3] == ("4.00%", "n")


def test_the_pdf_rates_chart_shows_the_units_with_the_highest_rates_in_their_order():
    chart = report_charts(_province(100), "en", most=25)[0]
    assert chart["title"].endswith("(the 25 units with the highest poverty rates)")
    assert "Xã 76<" in chart["svg"] and "Xã 100<" in chart["svg"] and "Xã 75<" not in chart["svg"]
    assert chart["svg"].index("Xã 76<") < chart["svg"].index("Xã 100<")
    assert "Xã 75<" in report_charts(_province(100), "en")[0]["svg"]  # the page's chart keeps every unit


@pytest.mark.slow
def test_a_province_pdf_renders_with_the_compact_layout():
    from giamngheo.testing.pdf import pdf_words

    words = pdf_words(progress_render.render_pdf(_province(100), "vi"))
    assert "Xã 100" in words and "6,00%" in words and "Tỷ lệ in đậm màu đỏ: chưa đạt chỉ tiêu." in words


@postgres_only
def test_each_figure_job_runs_on_its_own_connection_in_the_report_s_snapshot(demo):
    def state() -> tuple:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_backend_pid(), current_setting('transaction_isolation'), current_setting('jit'),"
                " pg_current_snapshot()::text"
            )
            return cursor.fetchone()

    with figures.aggregate_session():
        main_pid, _isolation, _jit, main_snapshot = state()
        found = concurrent.figures_at_once({f"job{i}": state for i in range(6)}, concurrent=True)
    pids = {pid for pid, *_rest in found.values()}
    assert main_pid not in pids and 1 <= len(pids) <= concurrent.FIGURE_CONNECTIONS
    assert {(isolation, jit) for _pid, isolation, jit, _s in found.values()} == {("repeatable read", "off")}
    assert {snapshot for *_rest, snapshot in found.values()} == {main_snapshot}


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_report_built_on_several_connections_equals_the_one_built_on_one():
    from giamngheo.demo.sontrung import demo_load
    from giamngheo.reports.management.commands.report_progress import system_actor
    from giamngheo.units.models import Unit

    demo_load()
    build_support_register()
    province = Unit.objects.get(code="42")
    assert not connection.in_atomic_block
    today = datetime.date(2024, 3, 1)
    at_once = build_progress(user=system_actor(), unit=province, period="2023", today=today).data
    with figures.aggregate_session():
        in_turn = progress._build_progress(
            user=system_actor(), unit=province, period=parse_period("2023", today=today), today=today,
            concurrent=False,
        ).data
    at_once.pop("generated_at"), in_turn.pop("generated_at")
    assert at_once == in_turn and at_once["total"]["poor"] > 0
