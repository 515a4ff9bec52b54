"""Surveys collected with the XLSForm (``odk.xlsform``) read back into a review round.

The file is a submissions export of ODK Central (CSV: ``household-household_code``,
``meta-instanceID``, ``KEY``, ``SubmissionDate``) or KoboToolbox (CSV or XLSX, "XML values and headers":
``household/household_code``, ``_uuid``, ``_submission_time``, ``_id``); headers match with or without
their groups, whatever the separator. Each submission becomes Phiếu A and/or Phiếu B of its household
through the services the Phiếu A/B pages and the API use (``reviews.services.screening_record``,
``survey_record``), in the order the surveys were started.

* **All or nothing**: every row is checked and tried; any problem (file, row, column, fix) and nothing is
  written. A dry run goes all the way and rolls back.
* **Idempotent**: a submission's instance id (``uuid:…``) is kept (``ImportedSubmission``); the same
  submission again is skipped, the same id with other answers is refused.
* **Version check**: the household must not have changed since the survey started (its version then, from
  its history, is its version now), as the API's ``household_version``.
* Submissions rejected in ODK Central (``ReviewState``) or not approved in Kobo (``_validation_status``) are
  skipped.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from giamngheo.errors import InputError, Problem
from giamngheo.households.models import Household
from giamngheo.odk.models import ImportedSubmission
from giamngheo.odk.xlsform import CHOICES, FormField, form_fields, form_id
from giamngheo.reviews.models import ReviewRound, RoundHousehold, RoundKind, RoundState, Screening
from giamngheo.reviews.procedure import PhieuA, phieu_a
from giamngheo.reviews.services import SurveyInput, screening_record, survey_record
from giamngheo.standards.loader import get_standard
from giamngheo.standards.model import Standard
from giamngheo.tabular.header import ColumnSpec
from giamngheo.tabular.reader import Table, no_rows_error, read_table
from giamngheo.tabular.values import CellError, cell_text, is_blank, parse_date, parse_int, parse_yes_no
from giamngheo.text import fold_key
from giamngheo.units.models import Unit

# Columns of the servers, not of the form: the submission's id, when it arrived, whether it was rejected.
META_SPECS = (
    ColumnSpec(
        "instance_id", ("meta/instanceID", "instanceID", "_uuid", "KEY"), required=True, identity=True
    ),
    ColumnSpec("submitted_at", ("SubmissionDate", "_submission_time")),
    ColumnSpec("review_state", ("ReviewState", "_validation_status")),
)
REJECTED = frozenset({"rejected", "notapproved", "validationstatusnotapproved"})
STATUS_WORDS = {
    "poor": ("nghèo", "poor"),
    "near_poor": ("cận nghèo", "near-poor"),
    "average": ("trung bình", "average"),
    "not_poor": ("không nghèo", "not poor"),
}


def column_specs(fields: Iterable[FormField]) -> list[ColumnSpec]:
    """The form's fields as columns: a header names a field alone or with its groups (``phieu_b/b2/waste``,
    ``phieu_b-b2-waste``: separators do not count when headers are matched)."""
    specs = list(META_SPECS)
    for item in fields:
        aliases = (item.path,) if item.groups else ()
        if item.name == "household_code":
            specs.append(ColumnSpec(item.name, (*aliases, "Mã hộ"), required=True, identity=True))
        else:
            specs.append(ColumnSpec(item.name, aliases))
    return specs


@dataclass(frozen=True)
class Submission:
    row: int
    instance_id: str
    household_code: str
    started_at: datetime.datetime
    surveyed_on: datetime.date
    interviewer: str
    respondent: str
    note: str
    standard: str
    phieu_a: dict[str, bool] | None  # None: no Phiếu A in this submission
    phieu_b: SurveyInput | None  # None: no Phiếu B (screened out, or Phiếu A only)

    @property
    def forms(self) -> str:
        return ("A" if self.phieu_a is not None else "") + ("B" if self.phieu_b is not None else "")

    def content_hash(self) -> str:
        body = {
            "household_code": self.household_code,
            "started_at": self.started_at.isoformat(),
            "surveyed_on": self.surveyed_on.isoformat(),
            "interviewer": self.interviewer,
            "respondent": self.respondent,
            "note": self.note,
            "phieu_a": self.phieu_a,
            "phieu_b": None
            if self.phieu_b is None
            else {
                "b1_score": self.phieu_b.b1_score,
                "income_per_capita": self.phieu_b.income_per_capita,
                "answers": dict(self.phieu_b.answers),
            },
        }
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


@dataclass
class Outcome:
    row: int
    household_code: str
    head_name: str
    forms: str
    what_vi: str
    what_en: str


@dataclass
class SubmissionReport:
    file: str
    commune: str
    year: int
    round_label: str
    dry_run: bool = False
    rows: int = 0
    phieu_a: int = 0
    phieu_b: int = 0
    already: int = 0
    rejected: int = 0
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.phieu_a or self.phieu_b)

    def lines(self) -> list[str]:
        pairs: list[tuple[str, str]] = []
        if self.dry_run:
            pairs.append(("CHẠY THỬ — chưa ghi gì vào cơ sở dữ liệu", "DRY RUN — nothing was written"))
        pairs += [
            (f"Tệp: {self.file} ({self.rows} bản gửi)", f"File: {self.file} ({self.rows} submissions)"),
            (f"Đợt rà soát: {self.round_label}", f"Review round: {self.round_label}"),
        ]
        verb_vi, verb_en = ("sẽ ghi", "would record") if self.dry_run else ("đã ghi", "recorded")
        pairs += [
            (f"Phiếu A {verb_vi}: {self.phieu_a}", f"Phiếu A {verb_en}: {self.phieu_a}"),
            (f"Phiếu B {verb_vi}: {self.phieu_b}", f"Phiếu B {verb_en}: {self.phieu_b}"),
            (f"Đã nhập trước đây, bỏ qua: {self.already}", f"Already imported, skipped: {self.already}"),
        ]
        if self.rejected:
            pairs.append(
                (
                    f"Bị từ chối trên máy chủ ODK/Kobo, bỏ qua: {self.rejected}",
                    f"Rejected on the ODK/Kobo server, skipped: {self.rejected}",
                )
            )
        lines = [f"{vi} / {en}" for vi, en in pairs]
        for outcome in self.outcomes:
            lines.append(
                f"  dòng/row {outcome.row}: {outcome.household_code} {outcome.head_name} — "
                f"{outcome.what_vi} / {outcome.what_en}"
            )
        return lines


# --- the round ---------------------------------------------------------------------------------------------


def commune_of(unit: Unit) -> Unit:
    current: Unit | None = unit
    while current is not None and current.level.code != "commune":
        current = current.parent
    if current is None:
        raise InputError.single(
            f"{unit.display_name} không phải xã hay thôn: đợt rà soát thuộc về một xã",
            f"{unit.display_name} is neither a commune nor a village: a review round belongs to a commune",
            column="--unit",
            fix_vi="Ghi mã hoặc tên xã (hoặc thôn) có đợt rà soát",
            fix_en="Give the code or name of the commune (or village) whose round it is",
        )
    return current


def open_round(*, commune: Unit, year: int, month: int | None = None) -> ReviewRound:
    """The commune's open round of ``year`` (the monthly round of ``month`` when given)."""
    rounds = ReviewRound.objects.filter(commune=commune, year=year)
    if month is not None:
        rounds = rounds.filter(kind=RoundKind.ADHOC, month=month)
    found = list(rounds.order_by("kind", "month"))
    opened = [r for r in found if r.state == RoundState.OPEN]
    if len(opened) == 1:
        return opened[0]
    if len(opened) > 1:
        listing = ", ".join(_round_label(r) for r in opened)
        raise InputError.single(
            f"Xã {commune.name} có nhiều đợt rà soát đang mở trong năm {year}: {listing}",
            f"Commune {commune.name} has several open review rounds in {year}: {listing}",
            column="--month",
            fix_vi="Ghi --month M cho đợt rà soát thường xuyên của tháng M",
            fix_en="Give --month M for the monthly round of month M",
        )
    if found:
        raise InputError.single(
            f"Đợt rà soát năm {year} của xã {commune.name} đã có quyết định công nhận và bị khoá",
            f"The {year} review round of commune {commune.name} is decided and locked",
            column="--year",
            fix_vi="Nhập vào đợt rà soát đang mở (ví dụ đợt rà soát thường xuyên)",
            fix_en="Import into an open round (for example a monthly round)",
        )
    raise InputError.single(
        f"Xã {commune.name} chưa mở đợt rà soát nào năm {year}",
        f"Commune {commune.name} has no review round open in {year}",
        column="--year",
        fix_vi="Mở đợt rà soát trên trang Rà soát hộ nghèo trước, rồi nhập lại",
        fix_en="Open the round on the review page first, then import again",
    )


def _round_label(review_round: ReviewRound) -> str:
    if review_round.kind == RoundKind.ADHOC:
        return f"thường xuyên tháng {review_round.month}/{review_round.year} ({review_round.standard_id})"
    return f"định kỳ {review_round.year} ({review_round.standard_id})"


# --- reading -----------------------------------------------------------------------------------------------


def _choice_values(list_name: str) -> dict[str, bool]:
    """A choice's XML value or either label (a Kobo export "with labels") → yes (True) / no (False)."""
    values: dict[str, bool] = {}
    for name, label in CHOICES[list_name]:
        for text in (name, label.vi, label.en):
            values[fold_key(text)] = name == "yes"
    return values


CHOICE_VALUES = {name: _choice_values(name) for name in CHOICES}


def _started_at(value: Any) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        moment = value
    else:
        moment = datetime.datetime.fromisoformat(cell_text(value).replace("Z", "+00:00"))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class _Row:
    """One row of the table, read field by field; problems name the file, the row and the column."""

    def __init__(self, table: Table, values: Mapping[str, Any], row: int, problems: list[Problem]) -> None:
        self.table, self.values, self.row, self.problems = table, values, row, problems

    def column(self, name: str) -> str | None:
        return self.table.column(name)

    def raw(self, name: str) -> Any:
        column = self.column(name)
        return None if column is None else self.values.get(column)

    def text(self, name: str) -> str:
        value = self.raw(name)
        return "" if is_blank(value) else cell_text(value)

    def problem(self, name: str, vi: str, en: str, fix_vi: str, fix_en: str) -> None:
        self.problems.append(self.table.problem(self.row, self.column(name) or name, vi, en, fix_vi, fix_en))

    def parsed(self, name: str, parse: Any) -> Any:
        try:
            return parse(self.raw(name))
        except CellError as error:
            self.problem(name, error.message_vi, error.message_en, error.fix_vi, error.fix_en)
        except ValueError:
            self.problem(
                name,
                f"không hiểu giá trị {self.raw(name)!r}",
                f"cannot read the value {self.raw(name)!r}",
                "xuất lại tệp từ ODK Central / Kobo, không sửa tay cột này",
                "export the file again from ODK Central / Kobo; do not edit this column by hand",
            )
        return None

    def answer(self, name: str, list_name: str) -> bool | None:
        value = self.raw(name)
        if is_blank(value):
            return None
        known = CHOICE_VALUES[list_name].get(fold_key(cell_text(value)))
        return known if known is not None else self.parsed(name, parse_yes_no)


def _read_row(
    table: Table, values: Mapping[str, Any], standard: Standard, questions: PhieuA, problems: list[Problem]
) -> Submission | None:
    row = int(values["__row__"])
    before = len(problems)
    reader = _Row(table, values, row, problems)
    instance_id = reader.text("instance_id").removeprefix("uuid:").strip()
    code = reader.text("household_code")
    if not instance_id:
        reader.problem(
            "instance_id",
            "thiếu mã bản gửi",
            "the submission id is missing",
            "xuất lại tệp từ ODK Central / Kobo với cột meta/instanceID (hoặc _uuid)",
            "export the file again from ODK Central / Kobo with its meta/instanceID (or _uuid) column",
        )
    if not code:
        reader.problem(
            "household_code", "thiếu mã hộ", "the household code is missing", "ghi mã hộ", "add it"
        )
    started_at = None
    if is_blank(reader.raw("start")):
        reader.problem(
            "start",
            "thiếu thời điểm bắt đầu khảo sát (start)",
            "the time the survey started (start) is missing",
            "dùng biểu mẫu xuất bằng `giamngheo export xlsform` (có trường start)",
            "use the form made by `giamngheo export xlsform` (it has the start field)",
        )
    else:
        started_at = reader.parsed("start", _started_at)
    surveyed_on = reader.parsed("surveyed_on", parse_date)
    if surveyed_on is None and started_at is not None and not reader.text("surveyed_on"):
        surveyed_on = timezone.localdate(started_at)
    form_standard = reader.text("standard")
    if form_standard and form_standard.upper() != standard.id.upper():
        reader.problem(
            "standard",
            f"bản gửi dùng biểu mẫu của chuẩn {form_standard}, đợt rà soát dùng chuẩn {standard.id}",
            f"the submission used the form of standard {form_standard}; the round uses {standard.id}",
            "khảo sát lại bằng biểu mẫu xuất cho năm của đợt rà soát",
            "survey again with the form exported for the round's year",
        )

    needed = reader.answer("phieu_a_needed", "yes_no")
    a_answers = {q: reader.answer(q, "yes_no") for q in questions.codes}
    answers_a: dict[str, bool] | None = None
    if needed or (needed is None and any(v is not None for v in a_answers.values())):
        missing = [q for q, v in a_answers.items() if v is None]
        for q in missing:
            reader.problem(
                q,
                "Phiếu A: câu hỏi chưa trả lời",
                "Phiếu A: the question has no answer",
                "trả lời Có/Không cho mọi câu của Phiếu A",
                "answer yes or no to every question of Phiếu A",
            )
        answers_a = {q: bool(v) for q, v in a_answers.items()}

    b1 = reader.parsed("b1_score", lambda v: parse_int(v, minimum=0))
    income = reader.parsed("income_per_capita", lambda v: parse_int(v, minimum=0))
    b2 = {code: reader.answer(code, "deprived") for code in standard.indicator_codes}
    answers_b = {code: value for code, value in b2.items() if value is not None}
    phieu_b = None
    if b1 is not None or income is not None:
        phieu_b = SurveyInput(b1_score=b1, income_per_capita=income, answers=answers_b)
    elif answers_b and not reader.text("b1_score") and not reader.text("income_per_capita"):
        reader.problem(
            "b1_score",
            "Phiếu B: thiếu điểm B1 và thu nhập bình quân",
            "Phiếu B: the B1 score and the income per person are both missing",
            "ghi điểm B1 hoặc thu nhập bình quân (hoặc cả hai)",
            "enter the B1 score or the income per person (or both)",
        )
    if answers_a is None and phieu_b is None and len(problems) == before:
        reader.problem(
            "phieu_a_needed",
            "bản gửi không có Phiếu A cũng không có Phiếu B",
            "the submission has neither Phiếu A nor Phiếu B",
            "xoá dòng này hoặc khảo sát lại hộ",
            "delete this row or survey the household again",
        )
    if len(problems) > before or started_at is None or surveyed_on is None:
        return None
    return Submission(
        row=row,
        instance_id=instance_id,
        household_code=code,
        started_at=started_at,
        surveyed_on=surveyed_on,
        interviewer=reader.text("interviewer"),
        respondent=reader.text("respondent"),
        note=reader.text("note"),
        standard=form_standard,
        phieu_a=answers_a,
        phieu_b=phieu_b,
    )


def _central_zip_csv(path: Path, name: str, standard: Standard, folder: Path) -> tuple[Path, str]:
    """ODK Central's download is a ZIP holding ``<form id>.csv`` (and repeat or media files): that CSV."""
    from giamngheo.tabular.bounds import check_workbook

    check_workbook(path, name)  # the archive's size and compression limits
    try:
        with zipfile.ZipFile(path) as archive:
            members = [
                m for m in archive.infolist() if m.filename.lower().endswith(".csv") and "/" not in m.filename
            ]
            wanted = [m for m in members if m.filename == f"{form_id(standard)}.csv"] or members
            if len(wanted) != 1:
                raise InputError.single(
                    "tệp ZIP không có đúng một tệp CSV bản gửi",
                    "the ZIP file does not hold exactly one submissions CSV",
                    file=name,
                    fix_vi="giải nén và chọn tệp CSV của biểu mẫu",
                    fix_en="unzip it and choose the form's CSV file",
                )
            target = folder / "submissions.csv"
            with archive.open(wanted[0]) as source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink)
            return target, f"{name}/{wanted[0].filename}"
    except zipfile.BadZipFile:
        raise InputError.single(
            "tệp ZIP bị hỏng",
            "the ZIP file is damaged",
            file=name,
            fix_vi="tải lại tệp",
            fix_en="download it again",
        ) from None


def read_submissions(
    path: str | Path, *, standard: Standard, sheet: str | None = None, display_name: str | None = None
) -> tuple[Table, list[Submission], int, list[Problem]]:
    """The submissions of the file that read well (rejected ones left out, counted), and the problems of the
    others."""
    questions = phieu_a(standard)
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="giamngheo-odk-") as folder:
        if path.suffix.lower() == ".zip" and path.is_file():
            path, display_name = _central_zip_csv(path, display_name or path.name, standard, Path(folder))
        table = read_table(
            path, column_specs(form_fields(standard, questions)), sheet=sheet, display_name=display_name
        )
    if table.frame.height == 0:
        raise no_rows_error(table)
    problems: list[Problem] = []
    submissions: list[Submission] = []
    rejected = 0
    seen: dict[str, int] = {}
    for batch in table.batches():
        for values in batch:
            state = values.get(table.column("review_state") or "")
            if not is_blank(state) and fold_key(cell_text(state)) in REJECTED:
                rejected += 1
                continue
            submission = _read_row(table, values, standard, questions, problems)
            if submission is None:
                continue
            if submission.instance_id in seen:
                problems.append(
                    table.problem(
                        submission.row,
                        table.column("instance_id"),
                        f"bản gửi {submission.instance_id} đã có ở dòng {seen[submission.instance_id]}",
                        f"submission {submission.instance_id} is also on row {seen[submission.instance_id]}",
                        "xoá dòng trùng",
                        "delete the repeated row",
                    )
                )
                continue
            seen[submission.instance_id] = submission.row
            submissions.append(submission)
    return table, submissions, rejected, problems


# --- writing -----------------------------------------------------------------------------------------------


class _DryRun(Exception):
    pass


def changed_since(household: Household, moment: datetime.datetime) -> bool:
    """Was the household changed after ``moment``? Its version then (the latest history row up to that
    moment) is not its version now. A register loaded without history rows (``synthetic_register``) falls
    back on the time of its last save."""
    rows = Household.history.model.objects.filter(id=household.pk)  # type: ignore[attr-defined]
    then = (
        rows.filter(history_date__lte=moment)
        .order_by("-history_date", "-history_id")
        .values_list("version", flat=True)
        .first()
    )
    if then is None and not rows.exists():
        return household.updated_at > moment
    return then != household.version


def _located(error: InputError, table: Table, row: int, column: str | None) -> list[Problem]:
    """A service's problems, placed on the file's row (the service knows no file)."""
    return [
        Problem(
            p.message_vi,
            p.message_en,
            file=p.file or table.file,
            row=p.row or row,
            column=column or p.column,
            fix_vi=p.fix_vi,
            fix_en=p.fix_en,
        )
        for p in error.problems
    ]


def _apply(submission: Submission, entry: RoundHousehold, review_round: ReviewRound, table: Table) -> Outcome:
    household = entry.household
    if changed_since(household, submission.started_at):
        raise InputError.single(
            f"Hộ {household.code} đã được sửa sau khi bắt đầu khảo sát "
            f"({timezone.localtime(submission.started_at):%d/%m/%Y %H:%M}); không ghi gì",
            f"Household {household.code} was changed after the survey started "
            f"({timezone.localtime(submission.started_at):%Y-%m-%d %H:%M}); nothing was written",
            column=table.column("start"),
            fix_vi="Xem thay đổi của hộ trên trang hộ; khảo sát lại hộ, hoặc xoá dòng này khỏi tệp",
            fix_en="Check the household's changes on its page; survey it again, or delete this row",
        )
    what_vi, what_en = [], []
    if submission.phieu_a is not None:
        existing = Screening.objects.filter(entry=entry).first()
        same = (
            existing is not None
            and existing.answers == submission.phieu_a
            and existing.screened_on == submission.surveyed_on
        )
        screening = existing
        if not same:
            screening = screening_record(
                entry=entry,
                answers=submission.phieu_a,
                screened_on=submission.surveyed_on,
                interviewer=submission.interviewer,
            )
        out = screening is not None and screening.screened_out
        what_vi.append("Phiếu A: bị loại" if out else "Phiếu A: qua")
        what_en.append("Phiếu A: screened out" if out else "Phiếu A: passed")
    if submission.phieu_b is not None:
        result = survey_record(
            entry=entry,
            data=submission.phieu_b,
            surveyed_on=submission.surveyed_on,
            interviewer=submission.interviewer,
            respondent=submission.respondent,
            note=submission.note,
        )
        vi, en = STATUS_WORDS.get(result.status, (result.status, result.status))
        what_vi.append(f"Phiếu B: {vi}")
        what_en.append(f"Phiếu B: {en}")
    return Outcome(
        submission.row,
        household.code,
        household.head_name,
        submission.forms,
        "; ".join(what_vi),
        "; ".join(what_en),
    )


def _imported_before(
    table: Table, submission: Submission, previous: ImportedSubmission, review_round: ReviewRound
) -> Problem:
    """The submission's id was imported before, with other answers or into another round."""
    where_vi = f"tệp {previous.file_name}, dòng {previous.row}"
    where_en = f"file {previous.file_name}, row {previous.row}"
    if previous.review_round_id != review_round.pk:
        other = _round_label(previous.review_round)
        return table.problem(
            submission.row,
            table.column("instance_id"),
            f"bản gửi {submission.instance_id} đã được nhập vào đợt rà soát {other} ({where_vi})",
            f"submission {submission.instance_id} was already imported into the round {other} ({where_en})",
            "bỏ dòng này, hoặc nhập tệp vào đúng đợt rà soát (--year, --month)",
            "drop this row, or import the file into the right round (--year, --month)",
        )
    return table.problem(
        submission.row,
        table.column("instance_id"),
        f"bản gửi {submission.instance_id} đã được nhập ({where_vi}) với nội dung khác",
        f"submission {submission.instance_id} was already imported ({where_en}) with other content",
        "sửa bản gửi trên ODK Central / Kobo (bản sửa có mã mới) rồi xuất lại tệp",
        "edit the submission on ODK Central / Kobo (an edit has a new id), export again",
    )


def submissions_import(
    *,
    path: str | Path,
    unit: Unit,
    year: int,
    month: int | None = None,
    dry_run: bool = False,
    sheet: str | None = None,
    display_name: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> SubmissionReport:
    """Read an ODK / Kobo submissions export into ``unit``'s open round of ``year``: every submission or
    none (``InputError`` listing each row's problems). ``unit`` is the commune, or a village of it (then
    every household must be of that village). ``progress`` is told the number of submissions once, then
    called with 1 after each."""
    commune = commune_of(unit)
    review_round = open_round(commune=commune, year=year, month=month)
    standard = get_standard(review_round.standard_id)
    table, submissions, rejected, problems = read_submissions(
        path, standard=standard, sheet=sheet, display_name=display_name
    )
    report = SubmissionReport(
        file=table.file,
        commune=commune.display_name,
        year=year,
        round_label=f"{commune.display_name} — {_round_label(review_round)}",
        dry_run=dry_run,
        rows=len(submissions) + rejected,
        rejected=rejected,
    )
    entries = {
        entry.household.code: entry
        for entry in RoundHousehold.objects.filter(
            review_round=review_round, household__code__in={s.household_code for s in submissions}
        ).select_related("household", "household__village")
    }
    known = {
        row.instance_id: row
        for row in ImportedSubmission.objects.filter(
            instance_id__in=[s.instance_id for s in submissions]
        ).select_related("review_round")
    }
    code_column = table.column("household_code")
    try:
        with transaction.atomic():
            if progress is not None:
                progress(len(submissions))
            for submission in sorted(submissions, key=lambda s: (s.started_at, s.row)):
                if progress is not None:
                    progress(1)
                digest = submission.content_hash()
                previous = known.get(submission.instance_id)
                if previous is not None:
                    if previous.content_hash == digest and previous.review_round_id == review_round.pk:
                        report.already += 1
                        continue
                    problems.append(_imported_before(table, submission, previous, review_round))
                    continue
                entry = entries.get(submission.household_code)
                if entry is None:
                    problems.append(
                        table.problem(
                            submission.row,
                            code_column,
                            f"hộ {submission.household_code} không có trong danh sách đợt rà soát "
                            f"{_round_label(review_round)} của {commune.display_name}",
                            f"household {submission.household_code} is not on the list of the round "
                            f"{_round_label(review_round)} of {commune.display_name}",
                            "kiểm tra mã hộ; thêm hộ vào đợt rà soát trên trang rà soát rồi nhập lại",
                            "check the code; add the household to the round on the review page, then import",
                        )
                    )
                    continue
                if unit.pk != commune.pk and entry.household.village_id != unit.pk:
                    problems.append(
                        table.problem(
                            submission.row,
                            code_column,
                            f"hộ {submission.household_code} thuộc {entry.household.village.display_name}, "
                            f"không thuộc {unit.display_name}",
                            f"household {submission.household_code} is in "
                            f"{entry.household.village.display_name}, "
                            f"not in {unit.display_name}",
                            "nhập tệp cho cả xã (--unit là xã) hoặc bỏ dòng này",
                            "import the file for the whole commune (--unit the commune) or drop this row",
                        )
                    )
                    continue
                try:
                    with transaction.atomic():
                        outcome = _apply(submission, entry, review_round, table)
                        ImportedSubmission.objects.create(
                            instance_id=submission.instance_id,
                            review_round=review_round,
                            entry=entry,
                            content_hash=digest,
                            forms=submission.forms,
                            file_name=table.file[:300],
                            row=submission.row,
                        )
                except InputError as error:
                    problems.extend(_located(error, table, submission.row, None))
                    continue
                report.outcomes.append(outcome)
                report.phieu_a += "A" in outcome.forms
                report.phieu_b += "B" in outcome.forms
            if problems:
                raise InputError(sorted(problems, key=lambda p: p.row or 0))
            if dry_run:
                raise _DryRun()
    except _DryRun:
        pass
    report.outcomes.sort(key=lambda o: o.row)
    return report
