"""The progress report: figures for the unit and each unit below it, against the plan's targets, in CSV,
XLSX, DOCX and PDF (with SVG charts), from the web and from ``giamngheo report progress``."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from giamngheo.reports.progress import build_progress
from giamngheo.reports.progress_render import render, report_charts, svg_bar_chart
from giamngheo.support import services


@pytest.fixture
def activity(support_register, officer):
    source = services.source_create(
        actor=officer, unit=support_register.commune, kind="central_budget", name="NSTW"
    )
    services.ledger_allocate(
        actor=officer, source=source, amount=100_000_000, date="2023-02-01", description="Cấp"
    )
    union = services.organisation_create(
        actor=officer, unit=support_register.commune, kind="womens_union", name="Hội PN"
    )
    plan = services.escape_plan_create(
        actor=officer,
        household=support_register["T02"],
        year=2023,
        group="has_labour",
        organisation=union,
        milestones=[("Sửa nhà", datetime.date(2023, 8, 31))],
    )
    services.support_record(
        actor=officer,
        household=support_register["T02"],
        kind="housing",
        form="housing_repair",
        date="2023-08-25",
        amount="20.000.000",
        source=source,
        organisation=union,
    )
    services.support_record(
        actor=officer,
        household=support_register["T06"],
        kind="loan",
        form="loan_near_poor",
        date="2023-04-10",
        amount="50.000.000",
    )
    services.activity_record(
        actor=officer,
        unit=support_register.commune,
        kind="broadcast",
        title="Loa",
        date="2023-05-10",
        reach=1500,
    )
    return {"source": source, "union": union, "plan": plan}


@pytest.fixture
def plan_2023(support_register):
    """The commune's 2023 plan with assigned rates (through the plans app's services)."""
    from giamngheo.plans.services import TargetEntry, plan_open, plan_targets_set

    plan = plan_open(
        actor=None,
        commune=support_register.commune,
        year=2023,
        assigned_poor_rate=Decimal("20.00"),
        assigned_near_poor_rate=Decimal("40.00"),
    )
    plan_targets_set(
        actor=None,
        plan=plan,
        entries=[TargetEntry(village="Mai Hà", poor_reduction=1, near_poor_reduction=0)],
    )
    return plan


def test_the_yearly_report_of_a_commune(support_register, officer, activity, plan_2023):
    data = build_progress(user=officer, unit=support_register.commune, period="2023").data
    total = data["total"]
    assert (total["households"], total["poor"], total["near_poor"], total["poor_rate"]) == (6, 1, 3, "16.67")
    assert (total["poor_target_rate"], total["poor_met"], total["near_poor_met"]) == ("20.00", True, False)
    mai_ha = next(r for r in data["children"] if r["code"] == "18133-01")
    assert (mai_ha["poor_target_count"], mai_ha["poor_target_rate"]) == (
        1,
        "33.33",
    )  # 2 poor − 1, of 3 households
    assert [r["name"] for r in data["children"]][:2] == ["Mai Hà", "Hà Tràng"] and len(data["children"]) == 11
    assert total["supports"]["housing"] == {"count": 1, "households": 1, "amount": 20_000_000}
    assert total["spent"] == 20_000_000 and mai_ha["spent"] == 20_000_000
    assert data["sources"] == [
        {
            "name": "NSTW",
            "kind": "central_budget",
            "received": 100_000_000,
            "spent": 20_000_000,
            "balance": 80_000_000,
        }
    ]
    union = next(o for o in data["organisations"] if o["name"] == "Hội PN")
    assert (union["caseload"], union["improved"], union["supports"], union["amount"]) == (1, 1, 1, 20_000_000)
    assert total["plans"]["total"] == 1 and total["plans"]["milestones_late"] == 1
    assert data["activities_by_kind"] == [{"kind": "broadcast", "count": 1, "reach": 1500}]
    loans = next(i for i in data["indicator_targets"] if i["code"] == "loans")
    assert (loans["numerator"], loans["denominator"], loans["actual"]) == (1, 1, "100.00")


def test_a_quarter_uses_the_ad_hoc_results_within_it(support_register, officer):
    data = build_progress(user=officer, unit=support_register.commune, period="2023-Q2").data
    assert (data["total"]["poor"], data["total"]["near_poor"]) == (2, 3)
    assert data["basis"]["adhoc_households"] == 1
    q1 = build_progress(user=officer, unit=support_register.commune, period="2023-Q1").data
    assert q1["total"]["near_poor"] == 2


def test_a_province_report_has_a_row_per_commune_and_no_legacy_district(
    support_register, province_viewer, activity
):
    data = build_progress(user=province_viewer, unit=province_viewer.unit, period="2023-06").data
    assert [r["name"] for r in data["children"]] == ["Sơn Trung", "Sơn Hồng"]
    assert data["total"]["households"] == 7
    assert data["organisations"][0]["kind"] == "womens_union"  # summed by kind above a commune


def test_the_report_costs_a_fixed_number_of_queries(
    support_register, province_viewer, activity, django_assert_max_num_queries
):
    # 25 on PostgreSQL, the register's households (the rates' denominators) among them.
    with django_assert_max_num_queries(25):
        build_progress(user=province_viewer, unit=province_viewer.unit, period="2023")


def test_csv_is_a_long_machine_readable_table(support_register, officer, activity):
    rows = list(
        csv.DictReader(
            io.StringIO(
                render(
                    build_progress(user=officer, unit=support_register.commune, period="2023"), "csv"
                ).decode()
            )
        )
    )
    assert rows[0].keys() >= {"section", "unit_code", "item", "target", "actual"}
    rate = next(
        r
        for r in rows
        if r["section"] == "poverty" and r["unit_code"] == "18133" and r["item"] == "poor_rate"
    )
    assert rate["actual"] == "16.67"
    assert any(
        r["section"] == "sources" and r["item"].endswith(":balance") and r["amount"] == "80000000"
        for r in rows
    )


def test_xlsx_has_numbers_with_formats_and_docx_opens(support_register, officer, activity):
    progress = build_progress(user=officer, unit=support_register.commune, period="2023")
    workbook = load_workbook(io.BytesIO(render(progress, "xlsx")))
    cells = [
        c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row if c.value is not None
    ]
    assert any(c.value == 20_000_000 and c.number_format == "#,##0" for c in cells)
    assert any(c.value == 16.67 and c.number_format == '0.00"%"' for c in cells)  # the commune's poor rate
    assert any(c.value == "Mai Hà" for c in cells) and len(workbook.worksheets) == 9
    with zipfile.ZipFile(io.BytesIO(render(progress, "docx"))) as docx:
        body = docx.read("word/document.xml").decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body and "Mai Hà" in body and "20.000.000" in body


@pytest.mark.slow
def test_the_pdf_carries_the_tables_and_the_charts(support_register, officer, activity):
    from giamngheo.testing.pdf import pdf_words

    pdf = render(build_progress(user=officer, unit=support_register.commune, period="2023"), "pdf")
    assert pdf.startswith(b"%PDF")
    words = pdf_words(pdf)
    assert "Mai Hà" in words and "20.000.000" in words


def test_charts_are_plain_svg_drawn_without_a_plotting_library(support_register, officer):
    charts = report_charts(build_progress(user=officer, unit=support_register.commune, period="2023"))
    assert len(charts) == 2 and all(c["svg"].startswith("<svg") and "<rect" in c["svg"] for c in charts)
    svg = svg_bar_chart(labels=["A", "B <x>"], series=[("s", [1.5, None], "#000")], targets=[2.0, None])
    assert "B &lt;x&gt;" in svg and svg.count("<rect") == 2  # one bar, one legend swatch


def test_a_chart_makes_room_for_long_slanted_labels():
    """A province's commune names are long: the slanted labels must stay inside the drawing."""
    import re

    def box(labels: list[str]) -> tuple[int, float, float]:
        svg = svg_bar_chart(labels=labels, series=[("s", [1.0] * len(labels), "#000")])
        height = int(re.search(r'height="(\d+)"', svg).group(1))
        label_xs = re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="end" transform', svg)
        first_label_x = float(label_xs[0])
        return height, first_label_x, 0.58 * 5.2 * len(labels[0][:22])

    short_height, _x, _drop = box(["Thôn 1", "Thôn 2"])
    height, first_x, drop = box([f"Xã Tổng hợp {n} (tổng hợp)" for n in range(100)])
    assert height > short_height and height - (240 - 58) >= drop  # below the axis: the slanted label's drop
    assert first_x >= 0.82 * 5.2 * 22  # left of the first group: the label's run


def test_the_command_writes_each_format(support_register, tmp_path, activity):
    for fmt in ("csv", "xlsx", "docx"):
        out = tmp_path / f"r.{fmt}"
        call_command(
            "report_progress",
            "--unit",
            "xã Sơn Trung",
            "--period",
            "2023-Q3",
            "--format",
            fmt,
            "--output",
            str(out),
        )
        assert out.stat().st_size > 0
    assert "poverty,18133,Sơn Trung,households" in (tmp_path / "r.csv").read_text()


@pytest.mark.parametrize(
    ("args", "column"),
    [
        (["--unit", "Không Có", "--period", "2023"], "--unit"),
        (["--unit", "18133", "--period", "2023-Q9"], "--period"),
        (["--unit", "18133", "--period", "2099"], "--period"),
    ],
)
def test_bad_input_exits_2_and_writes_no_file(support_register, tmp_path, args, column):
    out = tmp_path / "r.csv"
    with pytest.raises(CommandError) as error:
        call_command("report_progress", *args, "--output", str(out))
    assert error.value.returncode == 2 and column in str(error.value)
    assert list(tmp_path.iterdir()) == []


def test_the_command_writes_the_pdf(support_register, tmp_path):
    # The one-shot command loads WeasyPrint and the fonts in a thread while the figures are queried.
    from giamngheo.testing.pdf import pdf_words

    out = tmp_path / "r.pdf"
    call_command(
        "report_progress", "--unit", "18133", "--period", "2023", "--format", "pdf", "--output", str(out)
    )
    content = out.read_bytes()
    assert content.startswith(b"%PDF") and "Mai Hà" in pdf_words(content)
