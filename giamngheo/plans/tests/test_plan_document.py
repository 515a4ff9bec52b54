"""The plan document: the seed's structure, the administrative header, Vietnamese formats, DOCX and PDF."""

import io

import pytest
from docx import Document

from giamngheo.plans.documents.plan_document import build_plan_document
from giamngheo.plans.documents.render import plan_docx, plan_pdf
from giamngheo.plans.documents.targets import UnitFigures, build_target_table
from giamngheo.plans.template import DEFAULTS
from giamngheo.testing.documents import VALUES


def document(sections=None):
    table = build_target_table([UnitFigures("Mai Hà", 202, 3, 1, 4, 1)], year=2023)
    return build_plan_document(
        commune_name="Sơn Trung",
        commune_level="xã",
        year=2023,
        sections=sections or DEFAULTS,
        values=VALUES,
        indicator_texts=["100% người thuộc hộ nghèo có thẻ BHYT."],
        table=table,
    )


def test_the_header_has_the_national_name_the_motto_and_place_holders():
    heading = document().heading
    assert heading.issuer == ("ỦY BAN NHÂN DÂN", "XÃ SƠN TRUNG")
    assert heading.nation == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert heading.motto == "Độc lập - Tự do - Hạnh phúc"
    assert heading.number == "Số: …/KH-UBND" and heading.place_date == "Sơn Trung, ngày … tháng … năm …"
    doc = document()
    assert doc.title == "KẾ HOẠCH" and doc.subtitle[-1] == "giảm nghèo bền vững năm 2023"


def test_the_body_follows_the_seed_structure():
    headings = [b.text for b in document().blocks if b.kind == "heading"]
    assert headings == [
        "I. MỤC TIÊU, CHỈ TIÊU",
        "II. PHÂN TÍCH HỘ NGHÈO CUỐI NĂM 2022",
        "III. NHIỆM VỤ VÀ GIẢI PHÁP",
        "IV. TỔ CHỨC THỰC HIỆN",
    ]
    kinds = [b.kind for b in document().blocks]
    assert kinds.index("table") < kinds.index("heading", kinds.index("table"))


def test_the_analysis_and_the_rate_targets_are_filled_from_the_data():
    texts = " ".join(b.text for b in document().blocks)
    assert "có 63 hộ nghèo, có: 113 khẩu chiếm tỷ lệ: 4,08%" in texts
    assert "không có khả năng lao động là 47 hộ" in texts and "BTXH 35 hộ" in texts
    assert "Giảm tỷ lệ hộ nghèo toàn xã đến cuối năm 2023 còn 3,30%." in texts
    assert "- 100% người thuộc hộ nghèo có thẻ BHYT." in texts


def test_the_communes_own_text_replaces_the_default():
    sections = {**DEFAULTS, "closing": "Kế hoạch riêng của xã {commune} năm {year}./."}
    closing = [b.text for b in document(sections).blocks][-1]
    assert closing == "Kế hoạch riêng của xã Sơn Trung năm 2023./."


def test_the_docx_is_a_word_document_with_the_header_table_and_body():
    word = Document(io.BytesIO(plan_docx(document())))
    header = word.tables[0].rows[0].cells
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1].text and "XÃ SƠN TRUNG" in header[0].text
    assert "Số: …/KH-UBND" in header[0].text
    paragraphs = [p.text for p in word.paragraphs]
    assert "KẾ HOẠCH" in paragraphs and "III. NHIỆM VỤ VÀ GIẢI PHÁP" in paragraphs
    table = word.tables[1]
    assert table.rows[1].cells[3].text == "TS" and table.rows[-1].cells[1].text == "Tổng cộng"
    assert word.styles["Normal"].font.name == "Times New Roman"


@pytest.mark.slow
def test_the_pdf_carries_every_vietnamese_letter():
    from giamngheo.testing.pdf import pdf_text

    text = pdf_text(plan_pdf(document()))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "PHÂN TÍCH HỘ NGHÈO CUỐI NĂM 2022" in text
