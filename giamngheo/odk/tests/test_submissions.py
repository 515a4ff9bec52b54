"""The XLSForm round trip: `export xlsform` → pyxform → a submissions export built from that form (ODK
Central CSV, Kobo XLSX) → `import submissions` → the surveys and results on the server are the engine's.
Re-importing changes nothing; bad rows are reported by row and column and nothing is written."""

from __future__ import annotations

import csv
import datetime
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook
from pyxform.xls2xform import convert

from giamngheo.errors import InputError
from giamngheo.households.models import Household
from giamngheo.households.services import household_update
from giamngheo.odk.models import ImportedSubmission
from giamngheo.odk.submissions import changed_since, submissions_import
from giamngheo.reviews.models import ListReason, ReviewResult, RoundHousehold, Screening, Step, Survey
from giamngheo.reviews.procedure import phieu_a
from giamngheo.reviews.services import (
    SurveyInput,
    review_round_open,
    round_household_add,
    round_households_seed,
    survey_classify,
)
from giamngheo.standards.loader import get_standard
from giamngheo.testing.xforms import xform_leaves
from giamngheo.units.models import Unit

YEAR = 2023
SURVEYED_ON = "2023-10-02"


@pytest.fixture
def form_nodes(tmp_path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The data nodes of the form `export xlsform --year 2023` writes, as pyxform converts it."""
    output = tmp_path / "phieu-2023.xlsx"
    call_command("export_xlsform", "--year", str(YEAR), "--output", str(output))
    return xform_leaves(convert(str(output)).xform)


@pytest.fixture
def review_round(round_2023, review_register):  # type: ignore[no-untyped-def]
    """The 2023 round: RV-01, RV-02, RV-11 from the lists; RV-03 and RV-04 asked to be reviewed."""
    round_households_seed(review_round=round_2023)
    for code in ("RV-03", "RV-04"):
        round_household_add(
            review_round=round_2023,
            household=review_register[code],
            reason=ListReason.REQUESTED,
            request_date=datetime.date(2023, 9, 5),
        )
    return round_2023


def submission(
    code: str,
    *,
    phieu_a_yes: set[str] | None = None,
    b1: int | None = None,
    income: int | None = None,
    deprived: set[str] = frozenset(),  # type: ignore[assignment]
    instance: str | None = None,
    start: datetime.datetime | None = None,
) -> dict[str, Any]:
    """One filled form by node name (what ODK Collect would send)."""
    standard = get_standard("VN-2022-2025")
    questions = phieu_a(standard).codes
    started = start or timezone.now()
    values: dict[str, Any] = {
        "start": started.isoformat(timespec="milliseconds"),
        "end": (started + datetime.timedelta(minutes=12)).isoformat(timespec="milliseconds"),
        "household_code": code,
        "head_name": "",
        "surveyed_on": SURVEYED_ON,
        "interviewer": "Trần Văn Điều",
        "respondent": "Chủ hộ",
        "phieu_a_needed": "no" if phieu_a_yes is None else "yes",
        "note": "",
        "standard": standard.id,
        "instanceID": f"uuid:{instance or uuid.uuid4()}",
    }
    if phieu_a_yes is not None:
        values.update({q: "yes" if q in phieu_a_yes else "no" for q in questions})
        yes = len(phieu_a_yes)
        values.update(a_yes=yes, a_limit=2, screened_out="yes" if yes >= 2 else "no")
    if phieu_a_yes is None or len(phieu_a_yes) < 2:
        values.update(
            b1_score=b1 if b1 is not None else "", income_per_capita=income if income is not None else ""
        )
        values.update({c: "yes" if c in deprived else "no" for c in standard.indicator_codes})
    return values


def odk_central_csv(path: Path, nodes: dict[str, str], rows: list[dict[str, Any]]) -> Path:
    """As ODK Central's "Download submissions (CSV)": groups joined by "-", its own columns around them."""
    names = [n for n in nodes if n != "instanceName"]
    header = ["SubmissionDate", *(nodes[n].replace("/", "-") for n in names), "KEY", "SubmitterID",
              "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState",
              "DeviceID", "Edits", "FormVersion"]  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(
                [
                    timezone.now().isoformat(),
                    *(row.get(n, "") for n in names),
                    row["instanceID"],
                    5,
                    "canbo",
                    0,
                    0,
                    "",
                    row.get("ReviewState", ""),
                    "collect:abc",
                    0,
                    "1",
                ]  # fmt: skip
            )
    return path


def kobo_export(path: Path, nodes: dict[str, str], rows: list[dict[str, Any]]) -> Path:
    """As KoboToolbox's export ("XML values and headers"): groups joined by "/", then its _ columns; XLSX, or
    CSV separated by ";" (Kobo's default) when ``path`` ends in .csv."""
    names = [n for n in nodes if n != "instanceName"]
    header = [*(nodes[n] for n in names), "_id", "_uuid", "_submission_time", "_validation_status",
              "_notes", "_status", "_submitted_by", "__version__", "_tags", "_index"]  # fmt: skip
    lines = [
        [
            *(row.get(n, "") for n in names),
            1000 + index,
            row["instanceID"].removeprefix("uuid:"),
            timezone.now().strftime("%Y-%m-%dT%H:%M:%S"),
            row.get("_validation_status", ""),
            "",
            "submitted_via_web",
            "canbo",
            "vAbc",
            "",
            index,
        ]  # fmt: skip
        for index, row in enumerate(rows, start=1)
    ]
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle, delimiter=";").writerows([header, *lines])
        return path
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phieu A B ra soat"
    for line in [header, *lines]:
        sheet.append(line)
    workbook.save(path)
    return path


def snapshot(review_round) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "surveys": sorted(
            Survey.objects.filter(entry__review_round=review_round).values_list("id", "answers")
        ),
        "screenings": Screening.objects.filter(entry__review_round=review_round).count(),
        "results": sorted(
            ReviewResult.objects.filter(review_round=review_round).values_list("household__code", "status")
        ),
        "history": sum(
            model.history.count()  # type: ignore[attr-defined]
            for model in (Survey, Screening, ReviewResult, RoundHousehold)
        ),
        "imported": ImportedSubmission.objects.count(),
    }


def run(path: Path, unit: str = "18133", *extra: str) -> None:
    call_command("import_submissions", str(path), "--unit", unit, "--year", str(YEAR), *extra)


def test_odk_central_csv_round_trip_gives_the_engines_results_and_a_second_import_changes_nothing(
    tmp_path, form_nodes, review_round, review_register, capsys
):
    rows = [
        submission("RV-01", income=900_000, deprived={"health_insurance", "sanitation", "telecom"}),
        submission("RV-02", b1=120, income=1_400_000, deprived={"health_insurance"}),
        submission("RV-03", phieu_a_yes={"car"}, income=2_500_000),
        submission("RV-04", phieu_a_yes={"car", "air_conditioner", "business"}),
    ]
    path = odk_central_csv(tmp_path / "phieu_ab_submissions.csv", form_nodes, rows)
    run(path)
    printed = capsys.readouterr().out
    assert "Phiếu B đã ghi: 3" in printed and "Phiếu A recorded: 2" in printed

    for row in rows[:3]:
        household = review_register[row["household_code"]]
        answers = {c: row[c] == "yes" for c in get_standard("VN-2022-2025").indicator_codes}
        data = SurveyInput(
            b1_score=row["b1_score"] or None,
            income_per_capita=row["income_per_capita"] or None,
            answers=answers,
        )
        expected = survey_classify(review_round=review_round, household=household, data=data)
        result = ReviewResult.objects.get(review_round=review_round, household=household)
        assert (result.status, result.b2_score, result.deprivation_count, result.deprived) == (
            expected.status,
            expected.b2_score,
            expected.deprivation_count,
            ";".join(expected.deprived),
        )
        survey = Survey.objects.get(entry__household=household, entry__review_round=review_round)
        assert survey.answers == answers and survey.interviewer == "Trần Văn Điều"
        assert survey.surveyed_on == datetime.date(2023, 10, 2)
    assert (
        ReviewResult.objects.get(review_round=review_round, household=review_register["RV-01"]).status
        == "poor"
    )
    screened_out = RoundHousehold.objects.get(review_round=review_round, household=review_register["RV-04"])
    assert screened_out.step == Step.SCREENED_OUT and screened_out.screening.yes_count == 3
    assert not Survey.objects.filter(entry=screened_out).exists()

    before = snapshot(review_round)
    run(path)
    assert "Already imported, skipped: 4" in capsys.readouterr().out
    assert snapshot(review_round) == before


def test_kobo_xlsx_for_a_village_and_a_dry_run_that_writes_nothing(
    tmp_path, form_nodes, review_round, capsys
):
    rows = [
        submission("RV-11", income=800_000, deprived={"health_insurance", "sanitation"}),
        {**submission("RV-01", income=5_000_000), "_validation_status": "Not Approved"},
    ]
    path = kobo_export(tmp_path / "kobo.xlsx", form_nodes, rows)
    before = snapshot(review_round)
    run(path, "Hà Tràng", "--dry-run")
    printed = capsys.readouterr().out
    assert "DRY RUN" in printed and "would record: 1" in printed and "RV-11" in printed
    assert "Rejected on the ODK/Kobo server, skipped: 1" in printed
    assert snapshot(review_round) == before

    run(path, "Hà Tràng")
    result = ReviewResult.objects.get(review_round=review_round, household__code="RV-11")
    assert result.source == "survey"
    assert not ReviewResult.objects.filter(review_round=review_round, household__code="RV-01").exists()
    assert ImportedSubmission.objects.get().entry.household.code == "RV-11"


def test_bad_rows_are_each_reported_and_nothing_is_written(tmp_path, form_nodes, review_round):
    good = submission("RV-01", income=900_000, deprived={"health_insurance"})
    rows = [
        good,
        submission("RV-99", income=900_000),  # not on the round's list
        {**submission("RV-02", income=900_000), "sanitation": "maybe"},
        submission("RV-11", deprived={"telecom"}),  # neither B1 nor income
        {**submission("RV-03", phieu_a_yes={"car"}, income=1), "large_land": ""},
        {**submission("RV-04", income=1_000_000), "instanceID": good["instanceID"]},
    ]
    path = odk_central_csv(tmp_path / "submissions.csv", form_nodes, rows)
    before = snapshot(review_round)
    with pytest.raises(InputError) as caught:
        submissions_import(path=path, unit=Unit.objects.get(code="18133"), year=YEAR)
    where = {(p.row, p.column) for p in caught.value.problems}
    assert where == {
        (3, "household-household_code"),
        (4, "phieu_b-b2-sanitation"),
        (5, "phieu_b-b1_score"),
        (6, "phieu_a-large_land"),
        (7, "meta-instanceID"),
    }
    assert all(p.file == "submissions.csv" and p.fix_vi and p.fix_en for p in caught.value.problems)
    assert snapshot(review_round) == before

    with pytest.raises(CommandError) as exit_2:
        run(path)
    assert (
        exit_2.value.returncode == 2
        and "submissions.csv, dòng/row 3, cột/column household-household_code" in str(exit_2.value)
    )


def test_a_household_changed_after_the_survey_started_is_a_conflict_and_nothing_is_written(
    tmp_path, form_nodes, review_round, review_register
):
    started = timezone.now()
    rows = [
        submission("RV-01", income=900_000, start=started),
        submission("RV-02", income=900_000, start=started),
    ]
    household = review_register["RV-02"]
    household_update(actor=None, household=household, expected_version=household.version, phone="0912345678")
    path = odk_central_csv(tmp_path / "submissions.csv", form_nodes, rows)
    before = snapshot(review_round)
    with pytest.raises(InputError) as caught:
        submissions_import(path=path, unit=Unit.objects.get(code="18133"), year=YEAR)
    [problem] = caught.value.problems
    assert problem.row == 3 and problem.column == "start" and "RV-02" in problem.message_en
    assert snapshot(review_round) == before


def test_the_same_submission_id_with_other_answers_is_refused_and_a_village_outside_the_unit_too(
    tmp_path, form_nodes, review_round
):
    first = submission("RV-01", income=900_000, instance="5b2f9b0e-0000-4000-8000-000000000001")
    run(odk_central_csv(tmp_path / "first.csv", form_nodes, [first]))
    edited = {**first, "income_per_capita": 3_000_000}
    with pytest.raises(InputError) as caught:
        submissions_import(path=odk_central_csv(tmp_path / "edited.csv", form_nodes, [edited]),
                           unit=Unit.objects.get(code="18133"), year=YEAR)  # fmt: skip
    assert "first.csv" in caught.value.problems[0].message_en

    other_village = submission("RV-11", income=900_000)
    with pytest.raises(InputError) as caught:
        submissions_import(path=odk_central_csv(tmp_path / "mai_ha.csv", form_nodes, [other_village]),
                           unit=Unit.objects.get(code="18133-01"), year=YEAR)  # fmt: skip
    assert "Hà Tràng" in caught.value.problems[0].message_en
    with pytest.raises(InputError) as caught:
        submissions_import(path=tmp_path / "first.csv", unit=Unit.objects.get(code="18133"), year=2031)
    assert caught.value.problems[0].column == "--year"

    monthly = review_round_open(commune=review_round.commune, year=YEAR, kind="adhoc", month=11)
    rv01 = RoundHousehold.objects.get(review_round=review_round, household__code="RV-01").household
    round_household_add(review_round=monthly, household=rv01, reason="added")
    with pytest.raises(InputError) as caught:  # two rounds open: which one?
        submissions_import(path=tmp_path / "first.csv", unit=Unit.objects.get(code="18133"), year=YEAR)
    assert caught.value.problems[0].column == "--month"
    with pytest.raises(InputError) as caught:
        submissions_import(
            path=tmp_path / "first.csv", unit=Unit.objects.get(code="18133"), year=YEAR, month=11
        )
    assert "already imported into the round" in caught.value.problems[0].message_en


def test_odk_centrals_zip_download_is_read_and_a_screened_out_household_with_phieu_b_is_refused(
    tmp_path, form_nodes, review_round
):
    screened_out_yet_surveyed = {
        **submission("RV-04", phieu_a_yes={"car", "air_conditioner"}),
        "b1_score": 100,
        "employment": "yes",
    }
    csv_path = odk_central_csv(tmp_path / "export.csv", form_nodes, [screened_out_yet_surveyed])
    archive = tmp_path / "giamngheo_phieu_ab_vn_2022_2025.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.write(csv_path, "giamngheo_phieu_ab_vn_2022_2025.csv")
        bundle.writestr("media/.keep", "")
    before = snapshot(review_round)
    with pytest.raises(InputError) as caught:
        submissions_import(path=archive, unit=Unit.objects.get(code="18133"), year=YEAR)
    [problem] = caught.value.problems
    assert problem.file == "giamngheo_phieu_ab_vn_2022_2025.zip/giamngheo_phieu_ab_vn_2022_2025.csv"
    assert problem.row == 2 and "screened out" in problem.message_en
    assert snapshot(review_round) == before

    fixed = {**screened_out_yet_surveyed, "b1_score": "", "employment": ""}
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.write(odk_central_csv(csv_path, form_nodes, [fixed]), "giamngheo_phieu_ab_vn_2022_2025.csv")
    steps: list[int] = []
    report = submissions_import(
        path=archive, unit=Unit.objects.get(code="18133"), year=YEAR, progress=steps.append
    )
    assert (report.phieu_a, report.phieu_b) == (1, 0) and steps == [1, 1]  # the total, then each row
    assert (
        RoundHousehold.objects.get(review_round=review_round, household__code="RV-04").step
        == Step.SCREENED_OUT
    )


def test_kobo_csv_separated_by_semicolons(tmp_path, form_nodes, review_round):
    path = kobo_export(tmp_path / "kobo.csv", form_nodes, [submission("RV-02", b1=200, deprived={"telecom"})])
    report = submissions_import(path=path, unit=Unit.objects.get(code="18133"), year=YEAR)
    assert report.phieu_b == 1
    survey = Survey.objects.get(entry__household__code="RV-02", entry__review_round=review_round)
    assert survey.answers["telecom"] is True and survey.b1_score == 200


def test_a_household_without_history_rows_is_judged_by_its_last_save(review_register):
    household = review_register["RV-01"]
    assert not changed_since(household, timezone.now())
    assert changed_since(household, household.created_at - datetime.timedelta(seconds=1))
    Household.history.filter(id=household.pk).delete()  # as synthetic_register loads households
    assert not changed_since(household, timezone.now())
    assert changed_since(household, household.updated_at - datetime.timedelta(seconds=1))
