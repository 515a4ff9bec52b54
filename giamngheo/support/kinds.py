"""The kinds of support, the form each can take and the details each records (spec §7).

One ``Support`` table holds every kind (see ``models``); what differs between kinds is *which form* the
support takes (the programme of a loan, who pays a health-insurance card, repair or new build…) and a few
descriptive details (card number, school, dossier status…). This module is the single description of both,
so the form, the service's validation and the page all read the same list. Details are never aggregated or
joined; anything a report sums or filters on is a real column of ``Support``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from giamngheo.errors import InputError, Problem


class SupportKind(models.TextChoices):
    LOAN = "loan", _("Preferential loan")
    HEALTH_INSURANCE = "health_insurance", _("Health-insurance card")
    SCHOOLING = "schooling", _("Schooling support")
    HOUSING = "housing", _("Housing support")
    JOB = "job", _("Job support")
    PRODUCTION = "production", _("Production support")
    INCOME_SUPPORT = "income_support", _("Income support")
    DONATION = "donation", _("Donation or gift")


class SupportStatus(models.TextChoices):
    NEEDED = "needed", _("Needed, not yet met")
    IN_PROGRESS = "in_progress", _("In progress")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class SupportForm(models.TextChoices):
    """Every form of every kind, in one list so the column has one set of choices."""

    # loans: the programme of the Vietnam Bank for Social Policies
    LOAN_POOR = "loan_poor", _("Loan for poor households")
    LOAN_NEAR_POOR = "loan_near_poor", _("Loan for near-poor households")
    LOAN_NEWLY_ESCAPED = "loan_newly_escaped", _("Loan for newly-escaped households")
    LOAN_JOB_CREATION = "loan_job_creation", _("Job-creation loan")
    LOAN_STUDENT = "loan_student", _("Student loan")
    LOAN_WATER_SANITATION = "loan_water_sanitation", _("Clean water and sanitation loan")
    LOAN_HOUSING = "loan_housing", _("Housing loan")
    # health insurance: who pays the premium
    HI_STATE_FULL = "hi_state_full", _("The state pays the whole premium")
    HI_STATE_PARTIAL = "hi_state_partial", _("The state pays part of the premium")
    HI_OTHER_PAYER = "hi_other_payer", _("A donor or the household pays")
    # schooling
    SCHOOL_FEES = "school_fees", _("Tuition exemption or reduction")
    SCHOOL_ALLOWANCE = "school_allowance", _("Study-cost allowance")
    SCHOOL_SUPPLIES = "school_supplies", _("Books, uniforms and supplies")
    SCHOOL_SCHOLARSHIP = "school_scholarship", _("Scholarship")
    # housing
    HOUSING_SURVEY = "housing_survey", _("House condition survey")
    HOUSING_REPAIR = "housing_repair", _("House repair")
    HOUSING_NEW_BUILD = "housing_new_build", _("New house")
    # jobs
    JOB_COUNSELLING = "job_counselling", _("Job counselling")
    JOB_REFERRAL = "job_referral", _("Job referral")
    JOB_TRAINING = "job_training", _("Vocational training")
    JOB_LABOUR_EXPORT = "job_labour_export", _("Working abroad under contract")
    # production
    PRODUCTION_LIVESTOCK = "production_livestock", _("Livestock")
    PRODUCTION_SEEDS = "production_seeds", _("Seeds and seedlings")
    PRODUCTION_EQUIPMENT = "production_equipment", _("Tools and equipment")
    PRODUCTION_EXTENSION = "production_extension", _("Farming or forestry extension training")
    # income support
    INCOME_PROVINCIAL = "income_provincial", _("Provincial income support")
    INCOME_RELATIVES = "income_relatives", _("Support mobilised from relatives")
    # donations and gifts
    DONATION_CASH = "donation_cash", _("Cash")
    DONATION_IN_KIND = "donation_in_kind", _("In kind")
    OTHER = "other", _("Other")


class DossierStatus(models.TextChoices):
    PREPARING = "preparing", _("Dossier being prepared")
    SUBMITTED = "submitted", _("Dossier submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class SchoolLevel(models.TextChoices):
    PRESCHOOL = "preschool", _("Preschool")
    PRIMARY = "primary", _("Primary school")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    VOCATIONAL = "vocational", _("Vocational school")
    HIGHER = "higher", _("College or university")


FORMS_OF: dict[str, tuple[str, ...]] = {
    SupportKind.LOAN: (
        SupportForm.LOAN_POOR,
        SupportForm.LOAN_NEAR_POOR,
        SupportForm.LOAN_NEWLY_ESCAPED,
        SupportForm.LOAN_JOB_CREATION,
        SupportForm.LOAN_STUDENT,
        SupportForm.LOAN_WATER_SANITATION,
        SupportForm.LOAN_HOUSING,
        SupportForm.OTHER,
    ),
    SupportKind.HEALTH_INSURANCE: (
        SupportForm.HI_STATE_FULL,
        SupportForm.HI_STATE_PARTIAL,
        SupportForm.HI_OTHER_PAYER,
    ),
    SupportKind.SCHOOLING: (
        SupportForm.SCHOOL_FEES,
        SupportForm.SCHOOL_ALLOWANCE,
        SupportForm.SCHOOL_SUPPLIES,
        SupportForm.SCHOOL_SCHOLARSHIP,
        SupportForm.OTHER,
    ),
    SupportKind.HOUSING: (
        SupportForm.HOUSING_SURVEY,
        SupportForm.HOUSING_REPAIR,
        SupportForm.HOUSING_NEW_BUILD,
    ),
    SupportKind.JOB: (
        SupportForm.JOB_COUNSELLING,
        SupportForm.JOB_REFERRAL,
        SupportForm.JOB_TRAINING,
        SupportForm.JOB_LABOUR_EXPORT,
    ),
    SupportKind.PRODUCTION: (
        SupportForm.PRODUCTION_LIVESTOCK,
        SupportForm.PRODUCTION_SEEDS,
        SupportForm.PRODUCTION_EQUIPMENT,
        SupportForm.PRODUCTION_EXTENSION,
        SupportForm.OTHER,
    ),
    SupportKind.INCOME_SUPPORT: (SupportForm.INCOME_PROVINCIAL, SupportForm.INCOME_RELATIVES),
    SupportKind.DONATION: (SupportForm.DONATION_CASH, SupportForm.DONATION_IN_KIND),
}

# Kinds that go to one person: the member is required (a card, a pupil, a trainee).
PERSON_KINDS = frozenset({SupportKind.HEALTH_INSURANCE, SupportKind.SCHOOLING, SupportKind.JOB})


@dataclass(frozen=True)
class DetailField:
    name: str
    label: Any  # lazy translation
    type: str  # "text", "int" (whole VND or a count, ≥ 0), "date", "choice"
    choices: tuple[tuple[str, Any], ...] = ()
    vi: str = ""  # Vietnamese name used in error messages (errors are bilingual, not catalogued)


DETAILS: dict[str, tuple[DetailField, ...]] = {
    SupportKind.LOAN: (
        DetailField("term_months", _("Term (months)"), "int", vi="thời hạn (tháng)"),
        DetailField("outstanding", _("Outstanding (VND)"), "int", vi="dư nợ (đồng)"),
        DetailField("lender", _("Lender"), "text", vi="nơi cho vay"),
    ),
    SupportKind.HEALTH_INSURANCE: (DetailField("card_number", _("Card number"), "text", vi="số thẻ"),),
    SupportKind.SCHOOLING: (
        DetailField("school", _("School"), "text", vi="trường"),
        DetailField("level", _("School level"), "choice", tuple(SchoolLevel.choices), vi="cấp học"),
    ),
    SupportKind.HOUSING: (
        DetailField("condition", _("Condition found by the survey"), "text", vi="hiện trạng nhà"),
        DetailField("completed_on", _("Completed on"), "date", vi="ngày hoàn thành"),
    ),
    SupportKind.JOB: (
        DetailField("place", _("Employer, training centre or destination"), "text", vi="nơi làm việc/học"),
    ),
    SupportKind.PRODUCTION: (DetailField("description", _("What was given"), "text", vi="nội dung"),),
    SupportKind.INCOME_SUPPORT: (
        DetailField(
            "dossier_status",
            _("Dossier status"),
            "choice",
            tuple(DossierStatus.choices),
            vi="tình trạng hồ sơ",
        ),
        DetailField("monthly_amount", _("Monthly amount (VND)"), "int", vi="mức hằng tháng (đồng)"),
    ),
    SupportKind.DONATION: (
        DetailField("donor", _("Donor"), "text", vi="người/đơn vị tặng"),
        DetailField("items", _("Items given (in kind)"), "text", vi="hiện vật"),
    ),
}


def all_detail_fields() -> list[DetailField]:
    seen: dict[str, DetailField] = {}
    for fields in DETAILS.values():
        for field in fields:
            seen.setdefault(field.name, field)
    return list(seen.values())


def parse_vnd(value: object, *, column: str, column_vi: str | None = None) -> int:
    """Whole VND from what a person types: ``1.500.000``, ``1,500,000``, ``1 500 000`` or ``1500000``.

    Negative numbers, fractions and text are refused with a message naming the column.
    """
    name_vi = column_vi or column
    if isinstance(value, bool):
        value = None
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip().replace("\u00a0", " ")
        for suffix in ("đồng", "VND", "vnd", "đ"):
            text = text.removesuffix(suffix).strip()
        compact = text.replace(" ", "")
        grouped = compact.replace(".", "").replace(",", "")
        thousands_ok = all(len(part) == 3 for part in compact.replace(",", ".").split(".")[1:])
        if compact.startswith("-"):
            raise InputError.single(
                f"{name_vi}: số tiền không được âm ({text})",
                f"{column}: the amount cannot be negative ({text})",
                column=column,
                fix_vi="Nhập số tiền ≥ 0; để điều chỉnh một khoản đã ghi, dùng bút toán đảo",
                fix_en="Enter an amount ≥ 0; to correct a recorded entry, use a reversal",
            )
        if not grouped.isdigit() or not thousands_ok:
            raise InputError.single(
                f"{name_vi}: “{text}” không phải là số tiền nguyên (đồng)",
                f"{column}: “{text}” is not a whole amount of VND",
                column=column,
                fix_vi="Nhập số nguyên, ví dụ 1.500.000",
                fix_en="Enter a whole number, e.g. 1,500,000",
            )
        number = int(grouped)
    if number < 0:
        raise InputError.single(
            f"{name_vi}: số tiền không được âm ({number})",
            f"{column}: the amount cannot be negative ({number})",
            column=column,
            fix_vi="Nhập số tiền ≥ 0; để điều chỉnh một khoản đã ghi, dùng bút toán đảo",
            fix_en="Enter an amount ≥ 0; to correct a recorded entry, use a reversal",
        )
    return number


def clean_details(kind: str, raw: dict[str, Any] | None) -> dict[str, Any]:
    """The details of ``kind`` from ``raw`` (form or API values): unknown keys dropped, empty values omitted,
    numbers and dates parsed. Several bad values are reported together."""
    raw = raw or {}
    cleaned: dict[str, Any] = {}
    problems: list[Problem] = []
    for field in DETAILS.get(kind, ()):
        value = raw.get(field.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            cleaned[field.name] = _clean_value(field, value)
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return cleaned


def _clean_value(field: DetailField, value: Any) -> Any:
    if field.type == "int":
        return parse_vnd(value, column=field.name, column_vi=field.vi)
    if field.type == "date":
        if isinstance(value, datetime.date):
            return value.isoformat()
        try:
            return datetime.date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise InputError.single(
                f"{field.vi}: “{value}” không phải là ngày",
                f"{field.name}: “{value}” is not a date",
                column=field.name,
                fix_vi="Nhập ngày dạng yyyy-mm-dd",
                fix_en="Enter a date as yyyy-mm-dd",
            ) from None
    if field.type == "choice":
        allowed = [code for code, _label in field.choices]
        if value not in allowed:
            raise InputError.single(
                f"{field.vi}: giá trị “{value}” không hợp lệ",
                f"{field.name}: “{value}” is not one of {', '.join(allowed)}",
                column=field.name,
                fix_vi=f"Chọn một trong: {', '.join(allowed)}",
                fix_en=f"Choose one of: {', '.join(allowed)}",
            )
        return value
    return str(value).strip()[:300]
