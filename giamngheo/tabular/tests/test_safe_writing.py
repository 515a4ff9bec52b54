"""No formula injection: every CSV/XLSX cell the project writes that starts like a formula is neutralised
(``giamngheo.tabular.writer``), and a CSV comes back exactly as it was."""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from giamngheo.tabular.writer import (
    csv_dict_writer,
    csv_writer,
    neutralise,
    neutralise_frame,
    protect_workbook,
    restore,
    restore_frame,
    xlsx_row,
)

DANGEROUS = ['=HYPERLINK("http://x","bấm")', "+84 912", "-Lê Văn", "@SUM(A1)", "\tTab", "\rCR", "'=quoted"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_text_that_starts_like_a_formula_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text and restore(neutralise(text)) == text


@given(st.text(alphabet=st.sampled_from(list("'=+-@\t\r a1.")), max_size=8) | st.text(max_size=20))
def test_restore_undoes_neutralise_for_any_text(text):
    assert restore(neutralise(text)) == text
    assert (
        restore_frame(neutralise_frame(pl.DataFrame({"a": [text]}, schema={"a": pl.String})))["a"][0] == text
    )


def test_numbers_stay_numbers_and_plain_negative_numbers_stay_as_they_are():
    assert neutralise(-5) == -5 and neutralise("-5") == "-5" and neutralise("-3.20") == "-3.20"
    assert neutralise("Nguyễn Văn An") == "Nguyễn Văn An"
    assert neutralise("-5+1") == "'-5+1"


def test_the_csv_writers_neutralise_every_text_cell():
    buffer = io.StringIO()
    csv_writer(buffer).writerow(["=1+2", -3, "ok"])
    dict_writer = csv_dict_writer(buffer, ["a", "b"])
    dict_writer.writerow({"a": "@x", "b": -1})
    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [["'=1+2", "-3", "ok"], ["'@x", "-1"]]


def test_xlsx_cells_that_start_like_a_formula_are_stored_as_text_and_numbers_as_numbers():
    workbook = Workbook()
    workbook.active.append(["=1+2", -5, "-Lê", "ok"])
    protect_workbook(workbook)
    streamed = Workbook(write_only=True)
    sheet = streamed.create_sheet("s")
    sheet.append(xlsx_row(sheet, ["@SUM(A1)", -5]))
    for book in (workbook, streamed):
        buffer = io.BytesIO()
        book.save(buffer)
        cells = next(load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0].iter_rows())
        assert cells[0].data_type == "s" and cells[0].value in ("=1+2", "@SUM(A1)") and cells[0].quotePrefix
        assert cells[1].data_type == "n" and cells[1].value == -5


def test_classify_echoes_an_input_name_neutralised(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        "household_id,area,income_per_capita,b1_score,health_insurance,sanitation,telecom,information_devices\n"
        "=HYPERLINK(1),rural,1200000,,1,1,1,0\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("classify", str(source), "--year", "2024", stdout=out)
    assert out.getvalue().splitlines()[1].startswith("'=HYPERLINK(1),rural,1200000")
