"""``giamngheo report plan``: the seed's document, computed from the data, as DOCX and PDF."""

import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from giamngheo.plans.services import plan_template_save


def plan_docx(tmp_path, *extra):
    out = tmp_path / "ke-hoach.docx"
    call_command(
        "report_plan",
        "--unit",
        "xã Sơn Trung",
        "--year",
        "2023",
        "--output",
        str(out),
        *extra,
        stderr=io.StringIO(),
    )
    return Document(out)


def test_the_document_reproduces_the_seeds_figures_in_vietnamese_formats(demo_register, tmp_path):
    word = plan_docx(tmp_path, "--format", "docx")
    text = "\n".join(p.text for p in word.paragraphs)
    assert (
        "ỦY BAN NHÂN DÂN" in word.tables[0].cell(0, 0).text
        and "XÃ SƠN TRUNG" in word.tables[0].cell(0, 0).text
    )
    assert "Sơn Trung, ngày … tháng … năm …" in word.tables[0].cell(0, 1).text
    assert "Giảm tỷ lệ hộ nghèo toàn xã đến cuối năm 2023 còn 3,30%." in text
    assert "Giảm tỷ lệ hộ cận nghèo xã đến cuối năm 2023 còn 3,50%." in text
    assert "trên địa bàn xã có 63 hộ nghèo, có: 113 khẩu chiếm tỷ lệ: 4,08%." in text
    assert "hộ nghèo không có khả năng lao động là 47 hộ. Hộ nghèo có khả năng lao động là 16 hộ." in text
    assert "Có 69 hộ cận nghèo, với 195 khẩu, chiếm tỷ lệ 4,47%." in text
    total = word.tables[1].rows[-1]
    assert [c.text for c in total.cells][1:5] == ["Tổng cộng", "1.545", "63", "4,08"]
    order = [text.index(h) for h in ("I. MỤC TIÊU", "II. PHÂN TÍCH", "III. NHIỆM VỤ", "IV. TỔ CHỨC")]
    assert order == sorted(order)


def test_the_communes_text_is_used(demo_register, tmp_path):
    plan_template_save(
        actor=None, commune=demo_register, sections={"closing": "Đây là kế hoạch của xã {commune}./."}
    )
    text = "\n".join(p.text for p in plan_docx(tmp_path).paragraphs)
    assert "Đây là kế hoạch của xã Sơn Trung./." in text


@pytest.mark.slow
def test_the_pdf_is_written(demo_register, tmp_path):
    out = tmp_path / "ke-hoach.pdf"
    call_command(
        "report_plan", "--unit", "Sơn Trung", "--year", "2023", "--output", str(out), stderr=io.StringIO()
    )
    assert out.read_bytes()[:5] == b"%PDF-"


def test_an_output_folder_that_does_not_exist_is_an_error(demo_register, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command(
            "report_plan", "--unit", "Sơn Trung", "--year", "2023", "--output", str(tmp_path / "x" / "k.docx")
        )
    assert error.value.returncode == 2
    assert not (tmp_path / "x").exists()
