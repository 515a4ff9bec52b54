"""No unexpected error from a file: whatever bytes are uploaded, the readers and the importers answer with an
``InputError`` naming the file (and the row and column where there is one) — never another exception — and
write nothing. Archive bombs are refused before calamine parses them (``tabular/bounds.py``)."""

from __future__ import annotations

import contextlib
import csv
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from giamngheo.errors import InputError
from giamngheo.households.models import Household, Member
from giamngheo.imports.household_list import households_import, specs
from giamngheo.imports.unit_list import units_import
from giamngheo.reviews.models import ReviewResult
from giamngheo.tabular.bounds import MAX_COLUMNS
from giamngheo.units.models import Unit

pytestmark = pytest.mark.django_db
HEADERS = sorted({text for spec in specs() for text in (spec.name, *spec.aliases)})
HEAD = ["Mã hộ", "Thôn", "Họ và tên chủ hộ", "Số khẩu", "Phân loại"]
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def written() -> tuple[int, ...]:
    return (
        Household.objects.count(),
        Member.objects.count(),
        ReviewResult.objects.count(),
        Unit.objects.count(),
        Household.history.count(),
        Unit.history.count(),
    )


def refused(path: Path, importer=households_import, **options) -> InputError:  # type: ignore[no-untyped-def]
    before = written()
    with pytest.raises(InputError) as caught:
        if importer is households_import:
            households_import(path=path, year=2024, **options)
        else:
            importer(path=path, **options)
    assert written() == before
    problem = caught.value.problems[0]
    assert problem.file == path.name or problem.file.startswith(path.name)
    return caught.value


def test_a_header_only_csv_says_there_is_no_data_row(son_trung, tmp_path):
    path = tmp_path / "only-header.csv"
    path.write_text(",".join(HEAD) + "\n", encoding="utf-8")
    problem = refused(path).problems[0]
    assert (problem.row, problem.column) == (2, "Mã hộ") and "no data row" in problem.message_en


def test_a_nul_byte_names_its_row_and_column(son_trung, tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes((",".join(HEAD) + "\nA1,Mai H\x00à,Nguyễn A,3,nghèo\n").encode())
    problem = refused(path).problems[0]
    assert (problem.row, problem.column) == (2, "Thôn") and "NUL" in problem.message_en
    path.write_bytes((",".join(HEAD) + "\nA1,Mai Hà,Nguyễn\x1bA,3,nghèo\n").encode())
    problem = refused(path).problems[0]
    assert (problem.row, problem.column) == (
        2,
        "Họ và tên chủ hộ",
    ) and "control character" in problem.message_en


def test_a_million_column_header_with_a_bad_row_is_refused_with_its_row_and_column(son_trung, tmp_path):
    path = tmp_path / "wide.csv"
    extra = ",".join(f"c{i}" for i in range(1_000_000))
    path.write_text(",".join(HEAD) + "," + extra + "\nA1,Mai Hà,X,abc,nghèo\n", encoding="utf-8")
    problem = refused(path).problems[0]
    assert problem.row == 1 and problem.column == f"column_{MAX_COLUMNS + 1}"


def test_too_many_columns_within_the_first_chunk_is_refused_too(son_trung, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(HEAD + [f"c{i}" for i in range(MAX_COLUMNS)]) + "\nA1,Mai Hà,X,3,nghèo\n")
    problem = refused(path).problems[0]
    assert problem.row == 1 and problem.column == f"column_{MAX_COLUMNS + 1}"


def test_a_workbook_whose_used_range_is_a_bomb_is_refused_before_it_is_parsed(son_trung, tmp_path):
    workbook = Workbook()
    workbook.active.append(HEAD)
    workbook.active.append(["A1", "Mai Hà", "X", 3, "nghèo"])
    workbook.active["XFD1048576"] = "x"  # 6 KB on disk; 17 billion cells for calamine
    path = tmp_path / "corner.xlsx"
    workbook.save(path)
    error = refused(path)
    assert "16,384" in error.problems[0].message_en and "not read" in error.problems[0].message_en
    del workbook.active["XFD1048576"]
    workbook.active["Z1048576"] = "x"  # one-letter columns only, still 27 million cells
    workbook.save(path)
    assert "1,048,576 rows × 26 columns" in refused(path).problems[0].message_en


def test_a_sheet_compressed_a_thousand_times_is_refused_from_the_zip_directory(son_trung, tmp_path):
    path = tmp_path / "deflate.xlsx"
    workbook = Workbook()
    workbook.active.append(HEAD)
    workbook.save(path)
    source = zipfile.ZipFile(path)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * 30_000_000)
            archive.writestr(item.filename, data)
    assert "compressed abnormally" in refused(bomb).problems[0].message_en


# --- fuzzing: raw bytes, and generated CSV/XLSX structures ------------------------------------------------

WEIRD = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "=1+2",
        "'",
        '"',
        "\n",
        "\r",
        ";",
        "\t",
        "Tổng cộng",
        "TM. UBND xã",
        "-1",
        "1e309",
        "nan",
    ]
    + ["9" * 40, "x" * 300, "\ufeff", "\ud7ff", "Mai Hà", "nghèo"]
)
CELL = st.one_of(WEIRD, st.text(max_size=12), st.integers(-(10**20), 10**20).map(str))


@FUZZ
@given(content=st.binary(max_size=3000), name=st.sampled_from(["f.csv", "f.xlsx", "f.txt"]))
def test_raw_bytes_give_an_input_error_and_write_nothing(son_trung, tmp_path_factory, content, name):
    path = tmp_path_factory.mktemp("raw") / name
    path.write_bytes(content)
    refused(path)
    refused(path, units_import)


@FUZZ
@given(content=st.binary(max_size=3000))
def test_bytes_after_a_zip_signature_give_an_input_error(son_trung, tmp_path_factory, content):
    path = tmp_path_factory.mktemp("zip") / "f.xlsx"
    path.write_bytes(b"PK\x03\x04" + content)
    refused(path)


@FUZZ
@given(
    header=st.lists(st.sampled_from(HEADERS + ["", "x", "Tổng cộng"]), min_size=1, max_size=8),
    rows=st.lists(st.lists(CELL, max_size=9), max_size=6),
    workbook=st.booleans(),
    separator=st.sampled_from([",", ";", "\t"]),
)
def test_generated_lists_give_a_result_or_an_input_error_and_a_dry_run_writes_nothing(
    son_trung, tmp_path_factory, header, rows, workbook, separator
):
    folder = tmp_path_factory.mktemp("gen")
    if workbook:
        path = folder / "list.xlsx"
        book = Workbook()
        for row in [header, *rows]:
            book.active.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
        book.save(path)
    else:
        path = folder / "list.csv"
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=separator).writerows([header, *rows])
        path.write_text(buffer.getvalue(), encoding="utf-8", errors="surrogatepass")
    before = written()
    for run in (
        lambda: households_import(path=path, year=2024, dry_run=True),
        lambda: units_import(path=path, dry_run=True),
    ):
        with contextlib.suppress(InputError):
            run()
        assert written() == before


def test_an_xml_entity_bomb_is_refused_by_openpyxl_and_never_expanded_by_the_reader(son_trung, tmp_path):
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook

    path = tmp_path / "laughs.xlsx"
    workbook = Workbook()
    workbook.active.append(HEAD)
    workbook.save(path)
    source = zipfile.ZipFile(path)
    bomb = tmp_path / "bomb.xlsx"
    entities = '<!ENTITY a "ha">' + "".join(  # small: 10,000 laughs
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcd", "bcde", strict=True)
    )
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<worksheet", f"<!DOCTYPE worksheet [{entities}]><worksheet".encode(), 1)
                data = data.replace(
                    b"</sheetData>",
                    b'<row r="2"><c r="A2" t="inlineStr"><is><t>&e;</t></is></c></row></sheetData>',
                )
            archive.writestr(item.filename, data)
    with pytest.raises(ValueError) as caught:  # pinned defusedxml: openpyxl refuses any entity declaration
        load_workbook(bomb)
    assert isinstance(caught.value.__cause__, DefusedXmlException)
    refused(bomb)  # calamine does not expand entities either: the file is just not a list
