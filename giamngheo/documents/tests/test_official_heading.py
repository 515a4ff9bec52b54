"""Documents follow Decree 30/2020/NĐ-CP: the heading and signature blocks, Times New Roman in Word and a
metric-compatible serif in PDFs, Word tables whose grid is their cells' widths and whose words never break
(checked as LibreOffice lays the document out)."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pytest
from docx import Document

from giamngheo.documents.docx import column_widths, text_mm
from giamngheo.documents.heading import official_heading, official_signature, place_date
from giamngheo.plans.documents.render import plan_docx, plan_pdf
from giamngheo.plans.documents.targets import build_target_table
from giamngheo.plans.template import DEFAULTS
from giamngheo.testing.documents import VALUES, VILLAGES
from giamngheo.testing.libreoffice import docx_as_laid_out, needs_libreoffice
from giamngheo.testing.pdf import _objects, pdf_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def plan():
    from giamngheo.plans.documents.plan_document import build_plan_document

    return build_plan_document(
        commune_name="Sơn Trung",
        commune_level="xã",
        year=2023,
        sections=DEFAULTS,
        values=VALUES,
        indicator_texts=["100% người thuộc hộ nghèo có thẻ BHYT."],
        table=build_target_table(VILLAGES, year=2023),
    )


def test_the_place_and_date_line_writes_a_leading_zero_for_days_below_10_and_for_january_and_february():
    assert place_date("Sơn Trung", datetime.date(2024, 3, 5)) == "Sơn Trung, ngày 05 tháng 3 năm 2024"
    assert place_date("Sơn Trung", datetime.date(2024, 2, 15)) == "Sơn Trung, ngày 15 tháng 02 năm 2024"
    assert place_date("Sơn Trung", None) == "Sơn Trung, ngày … tháng … năm …"


def test_the_heading_names_the_peoples_committee_the_number_and_the_national_motto():
    heading = official_heading(body="Xã Sơn Trung", place="Sơn Trung", number="Số: …/BC-UBND")
    assert heading.issuer == ("ỦY BAN NHÂN DÂN", "XÃ SƠN TRUNG") and heading.number == "Số: …/BC-UBND"
    assert heading.nation == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert heading.motto == "Độc lập - Tự do - Hạnh phúc"
    signature = official_signature(recipients=["- Như trên;"])
    assert signature.authority == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert signature.recipients == ("Nơi nhận:", "- Như trên;", "- Lưu: VT.")


def grids_and_cells(docx: bytes) -> list[tuple[list[int], list[list[int]]]]:
    """For each table: its grid columns' widths, and each row's cell widths spread over the grid."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        xml = archive.read("word/document.xml").decode()
    tables = []
    for table in re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S):
        grid = [int(w) for w in re.findall(r'<w:gridCol [^>]*w:w="(\d+)"', table)]
        rows = []
        for row in re.findall(r"<w:tr[ >].*?</w:tr>", table, re.S):
            cells = []
            for cell in re.findall(r"<w:tc>.*?</w:tc>", row, re.S):
                width = int(re.search(r'<w:tcW [^>]*w:w="(\d+)"', cell).group(1))  # type: ignore[union-attr]
                span = re.search(r'<w:gridSpan w:val="(\d+)"', cell)
                cells.append((width, int(span.group(1)) if span else 1))
            rows.append(cells)
        tables.append((grid, rows))
    return tables


def assert_grid_is_the_cells(docx: bytes) -> None:
    for grid, rows in grids_and_cells(docx):
        for cells in rows:
            column = 0
            for width, span in cells:
                assert width == sum(grid[column : column + span])
                column += span
            assert column == len(grid)


def test_every_word_table_of_the_plan_has_a_grid_equal_to_its_cells():
    docx = plan_docx(plan())
    assert_grid_is_the_cells(docx)
    grid, _rows = grids_and_cells(docx)[1]  # the per-village table
    assert len(set(grid)) > 2  # columns sized for what they hold, not all alike


def test_a_column_is_never_narrower_than_its_longest_word_and_the_columns_fill_the_width():
    columns = [[("Tổng cộng", True, False), ("Trung Thịnh", False, False)], [("1.545", True, False)]]
    widths = column_widths(columns, width_mm=60, font_pt=9.5)
    assert round(sum(widths), 1) == 60
    assert widths[0] > text_mm("Thịnh", font_pt=9.5) and widths[1] > text_mm("1.545", font_pt=9.5, bold=True)


def test_the_word_plan_uses_times_new_roman_13_and_the_heading_and_signature_of_decree_30():
    word = Document(io.BytesIO(plan_docx(plan())))
    assert word.styles["Normal"].font.name == "Times New Roman" and word.styles["Normal"].font.size.pt == 13
    left, right = word.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text][:2] == ["ỦY BAN NHÂN DÂN", "XÃ SƠN TRUNG"]
    assert "Số: …/KH-UBND" in left.text and "Sơn Trung, ngày … tháng … năm …" in right.text
    closing = word.tables[-1].rows[0].cells
    assert closing[0].paragraphs[0].text == "Nơi nhận:" and "CHỦ TỊCH" in closing[1].text


@pytest.mark.slow
@needs_libreoffice
def test_libreoffice_prints_the_motto_and_the_signature_each_on_one_line_and_breaks_no_word():
    lines = [line.strip() for line in docx_as_laid_out(plan_docx(plan())).splitlines()]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines
    assert "Độc lập - Tự do - Hạnh phúc" in lines
    assert "TM. ỦY BAN NHÂN DÂN" in lines and "CHỦ TỊCH" in lines
    words = " ".join(lines)
    for village in VILLAGES:
        assert f" {village.name} " in f" {words} "
    assert " 1.545 " in words  # the total, never "1.54 5"
    assert "Tổng cộng" in words


@pytest.mark.slow
def test_the_pdf_embeds_liberation_serif_and_keeps_each_heading_line_whole():
    pdf = plan_pdf(plan())
    fonts = {name for head, _ in _objects(pdf).values() for name in re.findall(rb"/BaseFont /(\S+)", head)}
    assert fonts and all(b"+GN-Serif" in name for name in fonts)  # the @font-face of Liberation Serif
    lines = [line.strip() for line in pdf_text(pdf).splitlines()]
    for line in ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"):
        assert line in lines


@pytest.fixture
def progress(officer, son_trung):  # type: ignore[no-untyped-def]
    from giamngheo.reports.progress import build_progress

    return build_progress(user=officer, unit=son_trung, period="2023", today=datetime.date(2024, 1, 15))


@pytest.mark.django_db
def test_the_word_progress_report_has_the_heading_and_the_signature_of_the_plan(progress):
    from giamngheo.reports.progress_render import render

    docx = render(progress, "docx")
    word = Document(io.BytesIO(docx))
    left, right = word.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text][:2] == ["ỦY BAN NHÂN DÂN", "XÃ SƠN TRUNG"]
    assert "Số: …/BC-UBND" in left.text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right.text
    assert "Sơn Trung, ngày … tháng … năm …" in right.text
    recipients, sign = word.tables[-1].rows[0].cells
    assert recipients.paragraphs[0].text == "Nơi nhận:"
    assert [p.text for p in sign.paragraphs][:2] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert "NGƯỜI LẬP BÁO CÁO" not in "\n".join(p.text for p in word.paragraphs)
    assert word.styles["Normal"].font.name == "Times New Roman" and word.styles["Normal"].font.size.pt == 13
    assert_grid_is_the_cells(docx)


@pytest.mark.slow
@pytest.mark.django_db
def test_the_pdf_progress_report_has_the_heading_and_the_signature_of_the_plan(progress):
    from giamngheo.reports.progress_render import render

    lines = [line.strip() for line in pdf_text(render(progress, "pdf")).splitlines()]
    for line in ("ỦY BAN NHÂN DÂN", "XÃ SƠN TRUNG", "Số: …/BC-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"):
        assert line in lines
    assert "Sơn Trung, ngày … tháng … năm …" in lines
    assert "TM. ỦY BAN NHÂN DÂN" in lines and "CHỦ TỊCH" in lines and "Nơi nhận:" in lines
    assert "NGƯỜI LẬP BÁO CÁO" not in lines
