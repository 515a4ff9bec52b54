"""Phiếu A and Phiếu B as an XLSForm (ODK Collect, ODK Central, KoboToolbox), built from the data.

The questions of Phiếu A and its screening threshold come from ``reviews.procedure.phieu_a`` (the standard's
own list, else ``reviews/data/phieu_a.json``); the B2 indicators, their labels and the areas from the
standard's data file. Nothing here knows a question, an indicator or a threshold: a new standard file gives
a new form. ``form_fields`` is the one description of the data columns, used to write the form and to read
its submissions back (``odk.submissions``).

Labels are Vietnamese (the default language) with English as the second language column
(``label::English (en)``), as ODK Collect and Kobo show a language switch for them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from giamngheo.errors import InputError
from giamngheo.reviews.procedure import PhieuA
from giamngheo.standards.model import Standard, Text

VI = "Tiếng Việt (vi)"
EN = "English (en)"
LANGUAGES = {"vi": VI, "en": EN}

# Groups of the form: a submissions export names a field by its groups and its name (``phieu_b/b2/waste``
# in Kobo, ``phieu_b-b2-waste`` in ODK Central).
HOUSEHOLD = "household"
PHIEU_A = "phieu_a"
PHIEU_B = "phieu_b"
B2 = "b2"

# The answers a field takes: yes/no questions, deprived or not.
YES, NO = "yes", "no"
B1_MAX = 1000  # the Phiếu B page's bounds (reviews.forms.PhieuBForm)
INCOME_MAX = 1_000_000_000


@dataclass(frozen=True)
class FormField:
    """One answer column of a submission: its name, the groups above it and what it holds."""

    name: str
    groups: tuple[str, ...]
    kind: str  # text, integer, date, datetime, yes_no, deprived, choice, constant

    @property
    def path(self) -> str:
        return "/".join((*self.groups, self.name))


@dataclass(frozen=True)
class Row:
    """A row of the ``survey`` sheet."""

    type: str
    name: str = ""
    label: Text | None = None
    hint: Text | None = None
    columns: Mapping[str, str] = field(default_factory=dict)  # required, relevant, constraint, calculation …
    messages: Mapping[str, Text] = field(default_factory=dict)  # required_message, constraint_message


def _t(vi: str, en: str) -> Text:
    return Text(vi=vi, en=en)


CHOICES: dict[str, tuple[tuple[str, Text], ...]] = {
    "yes_no": ((YES, _t("Có", "Yes")), (NO, _t("Không", "No"))),
    "deprived": ((YES, _t("Thiếu hụt", "Deprived")), (NO, _t("Không thiếu hụt", "Not deprived"))),
}
REQUIRED = {"required_message": _t("Cần trả lời câu này", "This question needs an answer")}


def form_id(standard: Standard) -> str:
    return "giamngheo_phieu_ab_" + re.sub(r"[^a-z0-9]+", "_", standard.id.lower()).strip("_")


def form_version(standard: Standard, questions: PhieuA) -> str:
    return f"{standard.id}-{standard.version}-{questions.version}"


def _limits(standard: Standard, questions: PhieuA) -> dict[str, int]:
    """The Phiếu A screening threshold of each area, as ``procedure.screening_outcome`` reads it."""
    table = questions.screen_out_when_yes_at_least
    return {area: table.get(area) or max(table.values()) for area in standard.areas}


def _clashes(standard: Standard, questions: PhieuA) -> list[str]:
    names = [*BASE_NAMES, *questions.codes, *standard.indicator_codes]
    return sorted({name for name in names if names.count(name) > 1})


BASE_NAMES = (
    "household_code",
    "head_name",
    "area",
    "surveyed_on",
    "interviewer",
    "respondent",
    "phieu_a_needed",
    "a_yes",
    "a_limit",
    "screened_out",
    "b1_score",
    "income_per_capita",
    "note",
    "standard",
)


def form_fields(standard: Standard, questions: PhieuA) -> list[FormField]:
    """The data columns of a submission of this form, in the form's order (metadata first)."""
    fields = [
        FormField("start", (), "datetime"),
        FormField("end", (), "datetime"),
        FormField("household_code", (HOUSEHOLD,), "text"),
        FormField("head_name", (HOUSEHOLD,), "text"),
    ]
    if len(set(_limits(standard, questions).values())) > 1:
        fields.append(FormField("area", (HOUSEHOLD,), "choice"))
    fields += [
        FormField("surveyed_on", (HOUSEHOLD,), "date"),
        FormField("interviewer", (HOUSEHOLD,), "text"),
        FormField("respondent", (HOUSEHOLD,), "text"),
        FormField("phieu_a_needed", (), "yes_no"),
        *(FormField(code, (PHIEU_A,), "yes_no") for code in questions.codes),
        FormField("b1_score", (PHIEU_B,), "integer"),
        FormField("income_per_capita", (PHIEU_B,), "integer"),
        *(FormField(code, (PHIEU_B, B2), "deprived") for code in standard.indicator_codes),
        FormField("note", (PHIEU_B,), "text"),
        FormField("standard", (), "constant"),
    ]
    return fields


def survey_rows(standard: Standard, questions: PhieuA) -> list[Row]:
    """The ``survey`` sheet: household, Phiếu A (when the household asked to be reviewed), Phiếu B."""
    clashes = _clashes(standard, questions)
    if clashes:
        raise InputError.single(
            f"Mã câu hỏi Phiếu A hoặc chỉ số trùng nhau: {', '.join(clashes)}",
            f"Phiếu A question codes or indicator codes clash: {', '.join(clashes)}",
            file=standard.source,
            fix_vi="Đổi mã trong tệp dữ liệu chuẩn nghèo hoặc Phiếu A",
            fix_en="Rename the code in the standard's or Phiếu A's data file",
        )
    limits = _limits(standard, questions)
    required = {"required": "yes"}
    rows = [
        Row("start", "start"),
        Row("end", "end"),
        Row(
            "begin group",
            HOUSEHOLD,
            _t("Hộ gia đình", "Household"),
            columns={"appearance": "field-list"},
        ),
        Row(
            "text",
            "household_code",
            _t("Mã hộ", "Household code"),
            _t(
                "Mã hộ như trong danh sách rà soát của xã",
                "The household's code as on the commune's review list",
            ),
            columns=required,
            messages=REQUIRED,
        ),
        Row("text", "head_name", _t("Họ và tên chủ hộ", "Head of household")),
    ]
    if len(set(limits.values())) > 1:
        rows.append(
            Row("select_one area", "area", _t("Khu vực", "Area"), columns=required, messages=REQUIRED)
        )
    rows += [
        Row(
            "date",
            "surveyed_on",
            _t("Ngày khảo sát", "Surveyed on"),
            columns={**required, "default": "today()", "constraint": ". <= today()"},
            messages={
                **REQUIRED,
                "constraint_message": _t("Ngày khảo sát không được sau hôm nay", "Not after today"),
            },
        ),
        Row("text", "interviewer", _t("Người phỏng vấn", "Interviewer")),
        Row("text", "respondent", _t("Người trả lời", "Respondent")),
        Row("end group", HOUSEHOLD),
        Row(
            "select_one yes_no",
            "phieu_a_needed",
            _t(
                "Hộ đề nghị được rà soát (Mẫu số 01): khảo sát Phiếu A trước?",
                "The household asked to be reviewed (form 01): fill Phiếu A first?",
            ),
            _t(
                "Hộ đang trong danh sách hộ nghèo, cận nghèo thì chọn Không và khảo sát thẳng Phiếu B",
                "A household on the current poor or near-poor list: choose No and go straight to Phiếu B",
            ),
            columns=required,
            messages=REQUIRED,
        ),
        Row(
            "begin group",
            PHIEU_A,
            _t("Phiếu A — nhận diện nhanh đặc điểm hộ", "Phiếu A — quick identification"),
            columns={"relevant": "${phieu_a_needed} = 'yes'"},
        ),
    ]
    if questions.provisional is not None:
        rows.append(Row("note", "phieu_a_provisional", questions.provisional))
    rows += [
        Row("select_one yes_no", q.code, q.text, columns=required, messages=REQUIRED)
        for q in questions.questions
    ]
    yes_sum = " + ".join(f"if(${{{code}}} = 'yes', 1, 0)" for code in questions.codes) or "0"
    rows += [
        Row("calculate", "a_yes", columns={"calculation": yes_sum}),
        Row("calculate", "a_limit", columns={"calculation": _limit_expression(limits)}),
        Row(
            "calculate",
            "screened_out",
            columns={"calculation": "if(${a_yes} >= ${a_limit}, 'yes', 'no')"},
        ),
        Row(
            "note",
            "screened_out_note",
            _t(
                "Hộ có ${a_yes} dấu hiệu không nghèo: bị loại ở Phiếu A, không khảo sát Phiếu B",
                "${a_yes} signs the household is not poor: screened out by Phiếu A, no Phiếu B",
            ),
            columns={"relevant": "${screened_out} = 'yes'"},
        ),
        Row("end group", PHIEU_A),
        Row(
            "begin group",
            PHIEU_B,
            _t(f"Phiếu B — {standard.name.vi}", f"Phiếu B — {standard.name.en}"),
            columns={"relevant": "${phieu_a_needed} = 'no' or ${screened_out} = 'no'"},
        ),
        Row(
            "integer",
            "b1_score",
            _t("Tổng điểm B1", "B1 score (total)"),
            _t(
                "Ghi điểm B1 hoặc thu nhập bình quân (hoặc cả hai)",
                "Enter the B1 score or the income, or both",
            ),
            columns={"required": "${income_per_capita} = ''", "constraint": f". >= 0 and . <= {B1_MAX}"},
            messages={
                "required_message": _t(
                    "Ghi điểm B1 hoặc thu nhập bình quân", "Enter the B1 score or the income per person"
                ),
                "constraint_message": _t(f"Từ 0 đến {B1_MAX}", f"From 0 to {B1_MAX}"),
            },
        ),
        Row(
            "integer",
            "income_per_capita",
            _t("Thu nhập bình quân người/tháng (đồng)", "Income per person per month (VND)"),
            columns={"required": "${b1_score} = ''", "constraint": f". >= 0 and . <= {INCOME_MAX}"},
            messages={
                "required_message": _t(
                    "Ghi điểm B1 hoặc thu nhập bình quân", "Enter the B1 score or the income per person"
                ),
                "constraint_message": _t("Không âm", "Not negative"),
            },
        ),
        Row(
            "begin group",
            B2,
            _t("B2 — Mức độ thiếu hụt dịch vụ xã hội cơ bản", "B2 — Deprivation of basic social services"),
        ),
        *(
            Row(
                "select_one deprived",
                ind.code,
                ind.name,
                ind.deprived_when,
                columns=required,
                messages=REQUIRED,
            )
            for ind in standard.indicators
        ),
        Row("end group", B2),
        Row("text", "note", _t("Ghi chú", "Note")),
        Row("end group", PHIEU_B),
        Row("calculate", "standard", columns={"calculation": f"'{standard.id}'"}),
    ]
    return rows


def _limit_expression(limits: Mapping[str, int]) -> str:
    values = sorted(set(limits.values()))
    if len(values) == 1:
        return str(values[0])
    *tests, (_last_area, last) = list(limits.items())
    expression = str(last)
    for area, limit in reversed(tests):
        expression = f"if(${{area}} = '{area}', {limit}, {expression})"
    return expression


def choice_rows(standard: Standard, questions: PhieuA) -> Iterator[tuple[str, str, Text]]:
    for list_name, choices in CHOICES.items():
        for name, label in choices:
            yield list_name, name, label
    if len(set(_limits(standard, questions).values())) > 1:
        for area, label in standard.areas.items():
            yield "area", area, label


def settings_row(standard: Standard, questions: PhieuA) -> dict[str, str]:
    return {
        "form_title": f"Phiếu A, B rà soát hộ nghèo, cận nghèo — {standard.id}",
        "form_id": form_id(standard),
        "version": form_version(standard, questions),
        "default_language": VI,
        "instance_name": "concat(${household_code}, ' ', ${head_name})",
    }


SURVEY_COLUMNS = ("type", "name", "label", "hint", "required", "required_message", "relevant")
SURVEY_COLUMNS_2 = ("constraint", "constraint_message", "calculation", "default", "appearance")
TRANSLATED = {"label", "hint", "required_message", "constraint_message"}


def _headings() -> list[tuple[str, str | None]]:
    """(sheet heading, language code or None) of the survey sheet's columns."""
    headings: list[tuple[str, str | None]] = []
    for column in (*SURVEY_COLUMNS, *SURVEY_COLUMNS_2):
        if column in TRANSLATED:
            headings += [(f"{column}::{name}", code) for code, name in LANGUAGES.items()]
        else:
            headings.append((column, None))
    return headings


def _cell(row: Row, heading: str, language: str | None) -> str:
    column = heading.split("::")[0]
    if column == "type":
        return row.type
    if column == "name":
        return row.name
    text = {"label": row.label, "hint": row.hint}.get(column) or row.messages.get(column)
    if language is not None:
        return getattr(text, language) if text is not None else ""
    return row.columns.get(column, "")


def xlsform_bytes(standard: Standard, questions: PhieuA) -> bytes:
    """The XLSForm workbook (survey, choices, settings)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    headings = _headings()
    survey.append([heading for heading, _language in headings])
    for row in survey_rows(standard, questions):
        survey.append([_cell(row, heading, language) for heading, language in headings])

    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", *(f"label::{name}" for name in LANGUAGES.values())])
    for list_name, name, label in choice_rows(standard, questions):
        choices.append([list_name, name, label.vi, label.en])

    settings = workbook.create_sheet("settings")
    values = settings_row(standard, questions)
    settings.append(list(values))
    settings.append(list(values.values()))

    for sheet in (survey, choices, settings):
        sheet.freeze_panes = "A2"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def xlsform_write(output: str | Path, standard: Standard, questions: PhieuA) -> Path:
    """Write the form to ``output`` (all or nothing: a temporary file renamed at the end)."""
    from giamngheo.documents.output import write_atomically

    if Path(output).suffix.lower() != ".xlsx":
        raise InputError.single(
            "Biểu mẫu XLSForm là tệp .xlsx",
            "An XLSForm is an .xlsx file",
            file=str(output),
            column="--output",
            fix_vi="Đặt tên tệp kết quả kết thúc bằng .xlsx",
            fix_en="Give the output file a name ending in .xlsx",
        )
    return write_atomically(output, xlsform_bytes(standard, questions))
