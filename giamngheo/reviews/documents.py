"""Official documents of a round: the lists (XLSX and PDF), the certificates and the meeting minutes (PDF).

They are Vietnamese administrative documents, so they are always rendered in Vietnamese whatever the page's
language (the strings are still translatable message ids, like every other text). An open round's lists are
printed as a draft (for the public posting); certificates exist only for a decided round.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, replace
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from giamngheo.accounts.models import User
from giamngheo.documents.heading import Heading, official_heading
from giamngheo.documents.pdf import FONT_DIR, render_pdf
from giamngheo.documents.xlsx import print_setup
from giamngheo.reviews.labels import LIST_TITLES, MOVEMENT_LABELS
from giamngheo.reviews.models import MeetingVote, ReviewResult, ReviewRound, RoundKind, Status, VillageMeeting
from giamngheo.reviews.selectors import (
    LIST_KINDS,
    ListRow,
    certificate_results,
    official_list,
    results_visible_to,
    round_get,
    villages_of_round,
)
from giamngheo.standards.formatting import percent, percent_vi
from giamngheo.standards.loader import get_standard
from giamngheo.tabular.writer import protect_workbook
from giamngheo.units.models import Unit

FILE_SLUGS = {
    "poor": "ho-ngheo",
    "near_poor": "ho-can-ngheo",
    "escaped_poverty": "ho-thoat-ngheo",
    "escaped_near_poverty": "ho-thoat-can-ngheo",
    "newly": "ho-phat-sinh-moi",
    "fell_back": "ho-tai-ngheo-tai-can-ngheo",
}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _province(commune: Unit) -> Unit | None:
    """The province above the commune (a legacy district in between is skipped)."""
    unit = commune.parent
    while unit is not None and unit.level.code != "province":
        unit = unit.parent
    return unit


@dataclass(frozen=True)
class Header:
    """The administrative header and the place-and-date line of a commune's document."""

    commune_name: str  # "Sơn Trung"
    commune_upper: str  # "XÃ SƠN TRUNG"
    commune_phrase: str  # "xã Sơn Trung", as written inside a sentence
    province_phrase: str  # "tỉnh Hà Tĩnh"
    place_date: str  # "Sơn Trung, ngày 20 tháng 12 năm 2023" (dots when the date is not known yet)

    @property
    def heading(self) -> Heading:
        """The heading block (the place and date are printed above the signature instead)."""
        heading = official_heading(body=self.commune_upper, place=self.commune_name, number="")
        return replace(heading, place_date="")


def _header(commune: Unit, day: datetime.date | None) -> Header:
    province = _province(commune)
    word = commune.level.name_vi
    if day is None:
        when = _("%(place)s, day ..... month ..... year .......") % {"place": commune.name}
    else:
        when = _("%(place)s, day %(d)s month %(m)s year %(y)s") % {
            "place": commune.name,
            "d": f"{day.day:02d}",
            "m": f"{day.month:02d}",
            "y": day.year,
        }
    return Header(
        commune_name=commune.name,
        commune_upper=f"{word} {commune.name}".upper(),
        commune_phrase=f"{word} {commune.name}",
        province_phrase=f"{province.level.name_vi} {province.name}" if province else "",
        place_date=when,
    )


# --- official lists ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficialListDocument:
    review_round: ReviewRound
    kind: str
    title: str  # names the year the list governs: "DANH SÁCH HỘ NGHÈO NĂM 2027"
    review_note: str  # and which review decided it: "(Kết quả rà soát năm 2026)"
    subtitle: str
    standard_name: str
    village: Unit | None
    rows: list[ListRow]
    header: Header
    draft: bool
    column_label: str  # "Phân loại" for status lists, "Biến động" for movement lists
    signer: str

    @property
    def people(self) -> int:
        return sum(row.members for row in self.rows)

    def label(self, row: ListRow) -> str:
        if "transition" in LIST_KINDS[self.kind]:
            return str(MOVEMENT_LABELS.get(row.movement, ""))
        return str(Status(row.status).label)


def governed_period(review_round: ReviewRound) -> tuple[str, str]:
    """(the period a round's lists govern, which review decided them), in the active language: a regular
    review of 2026 → ("year 2027", "(Results of the review of 2026)") (spec §1); a monthly review of 05/2026
    → ("month 05/2026", "(Results of the monthly review, lists of 2026)")."""
    if review_round.kind == RoundKind.ADHOC:
        return (
            _("month %(period)s") % {"period": review_round.period},
            _("(Results of the monthly review, lists of %(year)s)") % {"year": review_round.governed_year},
        )
    return (
        _("year %(year)s") % {"year": review_round.governed_year},
        _("(Results of the review of %(year)s)") % {"year": review_round.year},
    )


def official_list_document(
    *, user: User, review_round: ReviewRound, kind: str, village: Unit | None = None
) -> OfficialListDocument:
    rows = official_list(user=user, review_round=review_round, kind=kind, village=village)
    with translation.override("vi"):
        period, review_note = governed_period(review_round)
        title = f"{LIST_TITLES[kind]} {period}".upper()
        if review_round.is_decided and review_round.decision_date:
            subtitle = _(
                "(Attached to Decision No. %(number)s of %(date)s of the Chair of the People's Committee of "
                "%(commune)s)"
            ) % {
                "number": review_round.decision_number,
                "date": review_round.decision_date.strftime("%d/%m/%Y"),
                "commune": f"{review_round.commune.level.name_vi} {review_round.commune.name}",
            }
        else:
            subtitle = _("(Draft for the public posting: not yet recognised by the commune chair's decision)")
        column = _("Movement") if "transition" in LIST_KINDS[kind] else _("Classification")
        document = OfficialListDocument(
            review_round=review_round,
            kind=kind,
            title=title,
            review_note=review_note,
            subtitle=subtitle,
            standard_name=get_standard(review_round.standard_id).name.vi,
            village=village,
            rows=rows,
            header=_header(
                review_round.commune, review_round.decision_date if review_round.is_decided else None
            ),
            draft=not review_round.is_decided,
            column_label=column,
            signer=review_round.decision_signer,
        )
    return document


def list_file_name(document: OfficialListDocument) -> str:
    parts = ["danh-sach", FILE_SLUGS[document.kind], document.review_round.period.replace("/", "-")]
    parts.append(document.village.code if document.village else document.review_round.commune.code)
    if document.draft:
        parts.append("du-thao")
    return "-".join(parts)


_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_FONT = "Times New Roman"  # what commune offices print official forms in


def _merge(
    ws: Any,
    row: int,
    first: int,
    last: int,
    value: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: int = 12,
    underline: bool = False,
    align: Alignment = _CENTER,
) -> None:
    ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = ws.cell(row=row, column=first, value=value)
    cell.font = Font(
        name=_FONT, bold=bold, italic=italic, size=size, underline="single" if underline else None
    )
    cell.alignment = align


def official_list_xlsx(document: OfficialListDocument) -> bytes:
    """The list in the official layout: administrative header, title, numbered columns, total, signatures."""
    with translation.override("vi"):
        wb = Workbook()
        ws = wb.active
        ws.title = FILE_SLUGS[document.kind][:31]
        widths = [6, 14, 32, 9, 18, 30]
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        header = document.header
        _merge(ws, 1, 1, 3, _("PEOPLE'S COMMITTEE"), bold=False)
        _merge(ws, 2, 1, 3, header.commune_upper, bold=True, underline=True)
        _merge(ws, 1, 4, 6, _("SOCIALIST REPUBLIC OF VIETNAM"), bold=True)
        _merge(ws, 2, 4, 6, _("Independence - Freedom - Happiness"), bold=True, underline=True)
        _merge(ws, 4, 1, 6, document.title, bold=True, size=14)
        _merge(ws, 5, 1, 6, document.review_note, bold=True, size=12)
        _merge(ws, 6, 1, 6, document.subtitle, italic=True)
        ws.row_dimensions[4].height = 22
        ws.row_dimensions[6].height = 32  # the decision reference wraps onto a second line
        _merge(ws, 7, 1, 6, _("Standard: %(name)s") % {"name": document.standard_name}, italic=True, size=11)
        if document.village is not None:
            _merge(ws, 8, 1, 6, _("Village: %(name)s") % {"name": document.village.name}, bold=True, size=12)
        head_row = 9
        titles = [
            _("No."),
            _("Household code"),
            _("Head of household"),
            _("Members"),
            _("Village"),
            document.column_label,
        ]
        for column, text in enumerate(titles, start=1):
            cell = ws.cell(row=head_row, column=column, value=text)
            cell.font = Font(name=_FONT, bold=True, size=12)
            cell.alignment = _CENTER
            cell.border = _BOX
            cell.fill = PatternFill("solid", fgColor="F2F2F2")
            number = ws.cell(row=head_row + 1, column=column, value=f"({column})")
            number.font = Font(name=_FONT, italic=True, size=10)
            number.alignment = _CENTER
            number.border = _BOX
        row = head_row + 2
        for item in document.rows:
            values = [
                item.number,
                item.code,
                item.head_name,
                item.members,
                item.village,
                document.label(item),
            ]
            for column, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=column, value=value)
                cell.font = Font(name=_FONT, size=12)
                cell.border = _BOX
                cell.alignment = _CENTER if column in (1, 2, 4) else _LEFT
            row += 1
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        total = ws.cell(row=row, column=1, value=_("Total: %(n)s households") % {"n": len(document.rows)})
        ws.cell(row=row, column=4, value=document.people)
        for column in range(1, 7):
            cell = ws.cell(row=row, column=column)
            cell.font = Font(name=_FONT, bold=True, size=12)
            cell.border = _BOX
            cell.alignment = _CENTER if column != 1 else _LEFT
        total.alignment = _LEFT
        row += 2
        _merge(ws, row, 4, 6, header.place_date, italic=True)
        _merge(ws, row + 1, 1, 3, _("PREPARED BY"), bold=True)
        _merge(ws, row + 1, 4, 6, _("ON BEHALF OF THE PEOPLE'S COMMITTEE"), bold=True)
        _merge(ws, row + 2, 4, 6, _("CHAIR"), bold=True)
        _merge(ws, row + 3, 4, 6, _("(Signature, full name and seal)"), italic=True, size=10)
        if document.signer:
            _merge(ws, row + 7, 4, 6, document.signer, bold=True)
        print_setup(ws, repeat_rows=(head_row, head_row + 1))
        ws.freeze_panes = ws.cell(row=head_row + 2, column=1)
        protect_workbook(wb)
        buffer = io.BytesIO()
        wb.save(buffer)
    return buffer.getvalue()


def _official_list_context(document: OfficialListDocument) -> dict[str, Any]:
    rows = [(row, document.label(row)) for row in document.rows]
    cut = max(len(rows) - ROWS_WITH_THE_SIGNATURES, 0)
    return {"doc": document, "rows": rows, "body_rows": rows[:cut], "closing_rows": rows[cut:]}


def official_list_pdf(document: OfficialListDocument) -> bytes:
    with translation.override("vi"):
        return render_pdf("reviews/pdf/official_list.html", _official_list_context(document))


def official_list_html(document: OfficialListDocument) -> str:
    """The HTML the PDF is made of (tests lay it out page by page)."""
    with translation.override("vi"):
        context = {**_official_list_context(document), "font_dir": FONT_DIR.as_uri()}
        return render_to_string("reviews/pdf/official_list.html", context)


# The last rows of a printed list stay on the page of the total and the signatures (issue 17 E).
ROWS_WITH_THE_SIGNATURES = 3


# --- certificates ------------------------------------------------------------------------------------------


def certificates_pdf(
    *, user: User, review_round: ReviewRound, village: Unit | None = None, household_id: int | None = None
) -> bytes | None:
    """One page per poor or near-poor household (of the village, or the one household). None: nobody."""
    results = certificate_results(
        user=user, review_round=review_round, village=village, household_id=household_id
    )
    if household_id is not None and not results:
        return None
    with translation.override("vi"):
        return render_pdf(
            "reviews/pdf/certificates.html", _certificates_context(review_round, results, village)
        )


def certificates_html(*, user: User, review_round: ReviewRound, village: Unit | None = None) -> str:
    """The HTML the certificates' PDF is made of (tests lay it out page by page)."""
    results = certificate_results(user=user, review_round=review_round, village=village)
    with translation.override("vi"):
        context = {**_certificates_context(review_round, results, village), "font_dir": FONT_DIR.as_uri()}
        return render_to_string("reviews/pdf/certificates.html", context)


def _certificates_context(
    review_round: ReviewRound, results: list[ReviewResult], village: Unit | None
) -> dict[str, Any]:
    numbers = certificate_numbers(review_round)
    header = _header(review_round.commune, review_round.decision_date)
    return {
        "review_round": review_round,
        "certificates": [
            (result, numbers.get(result.household_id, 0), certificate_address(result.household, header))
            for result in results
        ],
        "results": results,
        "village": village,
        "header": header,
        "standard": get_standard(review_round.standard_id),
        "review_note": governed_period(review_round)[1],
        "poor": Status.POOR,
    }


def certificate_numbers(review_round: ReviewRound) -> dict[int, int]:
    """Each certificate's number in the round (household id → 1, 2, …): poor and near-poor households of the
    whole commune in the villages' order, then by household code — the same number whether one household's,
    one village's or every certificate is printed, and whoever prints it (only ids are read)."""
    ids = (
        ReviewResult.objects.filter(review_round=review_round, status__in=[Status.POOR, Status.NEAR_POOR])
        .order_by("household__village__sort_order", "household__village__name", "household__code")
        .values_list("household_id", flat=True)
    )
    return {household_id: number for number, household_id in enumerate(ids, start=1)}


def certificate_address(household: Any, header: Header) -> str:
    """The household's address, then the village, commune and province — each only when the address does not
    already name it ("Thôn Mai Hà, xã Sơn Trung" is not followed by "thôn Mai Hà, xã Sơn Trung" again)."""
    village = household.village
    parts = [household.address.strip()] if household.address and household.address.strip() else []
    written = " ".join(parts).casefold()
    for phrase, name in (
        (f"{village.level.name_vi} {village.name}", village.name),
        (header.commune_phrase, header.commune_name),
        (header.province_phrase, header.province_phrase.split(" ", 1)[-1]),
    ):
        if phrase and name.casefold() not in written:
            parts.append(phrase)
    return ", ".join(parts)


# A certificate is a page that WeasyPrint lays out in ~70 ms of CPU (more on a busy server): a village with
# more certificates than this is prepared in the background (bench/RESULTS-reviews.md).
CERTIFICATES_IN_REQUEST = 20


def certificate_count(*, user: User, review_round: ReviewRound, village: Unit | None = None) -> int:
    """How many certificates (pages) ``certificates_pdf`` would print."""
    results = results_visible_to(user).filter(
        review_round=review_round, status__in=[Status.POOR, Status.NEAR_POOR]
    )
    if village is not None:
        results = results.filter(unit_path=village.path)
    return results.count()


def certificates_for_job(user: User, params: dict[str, Any]) -> bytes:
    """A ``DocumentJob``'s renderer (``reports.services``): a village's certificates as ``user`` sees them."""
    from giamngheo.errors import InputError

    review_round = round_get(user=user, pk=params["round"])
    village = None
    if review_round is not None:
        village = next(
            (
                v
                for v in villages_of_round(user=user, review_round=review_round)
                if v.code == params["village"]
            ),
            None,
        )
    if review_round is None or village is None or not review_round.is_decided:
        raise InputError.single(
            "Không còn cấp được giấy chứng nhận của thôn này",
            "The certificates of this village can no longer be issued",
            column="village",
        )
    return certificates_pdf(user=user, review_round=review_round, village=village) or b""


# --- meeting minutes ---------------------------------------------------------------------------------------


def meeting_minutes_pdf(*, meeting: VillageMeeting) -> bytes:
    votes = sorted(meeting.votes.all(), key=lambda v: v.entry.household.code)
    rows = [(vote, percent_vi(percent(vote.votes_for, meeting.attendees))) for vote in votes]
    with translation.override("vi"):
        context = {
            "meeting": meeting,
            "village_phrase": f"{meeting.village.level.name_vi} {meeting.village.name}",
            "rows": rows,
            "header": _header(meeting.review_round.commune, meeting.held_on),
            "agreed": sum(1 for v in votes if v.agreed),
            "back": sum(1 for v in votes if not v.agreed),
        }
        return render_pdf("reviews/pdf/meeting_minutes.html", context)


# --- the summary report upward -----------------------------------------------------------------------------


def summary_pdf(*, review_round: ReviewRound, rows: list[Any], total: Any) -> bytes:
    """The summary of the round's results by village (tổng hợp kết quả rà soát), A4 landscape."""
    with translation.override("vi"):
        period, review_note = governed_period(review_round)
        context = {
            "review_round": review_round,
            "rows": rows,
            "total": total,
            "header": _header(review_round.commune, review_round.decision_date),
            "title": _("Summary of the review results, %(period)s") % {"period": period},
            "review_note": review_note,
            "standard": get_standard(review_round.standard_id),
        }
        return render_pdf("reviews/pdf/summary.html", context)


# --- the decision itself -----------------------------------------------------------------------------------

# The lists the decision recognises, in its articles' order, each annexed (Decision 24/2021/QĐ-TTg, Art. 4).
DECISION_LISTS = ("poor", "near_poor", "escaped_poverty", "escaped_near_poverty")


def decision_day(review_round: ReviewRound) -> datetime.date | None:
    """The decision's date as printed: the decision's, or on a draft the date the officer prepared."""
    return review_round.decision_date if review_round.is_decided else review_round.prepared_date


def decision_pdf(*, user: User, review_round: ReviewRound) -> bytes:
    """The chair's decision recognising the lists: heading, legal bases, articles with the counts, the
    signature, then each list as an annex. An open round prints as a draft (the number and date the officer
    prepared, else left blank)."""
    commune = review_round.commune
    annexes = [
        official_list_document(user=user, review_round=review_round, kind=kind) for kind in DECISION_LISTS
    ]
    with translation.override("vi"):
        period, review_note = governed_period(review_round)
        context = {
            "review_round": review_round,
            # A draft carries the number and date the officer prepared, if any (issue 17 D).
            "header": _header(commune, decision_day(review_round)),
            "number": review_round.decision_number
            if review_round.is_decided
            else review_round.prepared_number,
            "period": period,
            "review_note": review_note,
            "standard": get_standard(review_round.standard_id),
            "counts": {doc.kind: len(doc.rows) for doc in annexes},
            "annexes": [(doc, [(row, doc.label(row)) for row in doc.rows]) for doc in annexes],
            "draft": not review_round.is_decided,
        }
        return render_pdf("reviews/pdf/decision.html", context)


# --- the posting notice and the request form (Mẫu số 01) ---------------------------------------------------


def posting_notice_rows(posting: Any) -> list[tuple[str, str, str]]:
    """The households as posted (the posting's own record): (code, head of household, the classification the
    village meeting agreed), in the active language."""
    votes = {
        code: (name, status)
        for code, name, status in MeetingVote.objects.filter(
            meeting__review_round=posting.review_round,
            agreed=True,
            entry__household__code__in=posting.household_codes,
        )
        .order_by("meeting__held_on", "pk")
        .values_list("entry__household__code", "entry__household__head_name", "proposed_status")
    }
    return [
        (code, votes.get(code, ("", ""))[0], str(Status(votes[code][1]).label) if code in votes else "")
        for code in posting.household_codes
    ]


def posting_notice_pdf(*, posting: Any) -> bytes:
    """The notice of a village's public posting: period, place, how to complain, and the households as
    posted (the posting's own record, with the classification the village meeting agreed)."""
    review_round = posting.review_round
    with translation.override("vi"):
        rows = posting_notice_rows(posting)
        period, review_note = governed_period(review_round)
        context = {
            "posting": posting,
            "rows": rows,
            "header": _header(review_round.commune, posting.starts_on),
            "village_phrase": f"{posting.village.level.name_vi} {posting.village.name}",
            "period_line": f"{period} {review_note}",
        }
        return render_pdf("reviews/pdf/posting_notice.html", context)


def request_form_pdf(*, review_round: ReviewRound, household: Any = None) -> bytes:
    """The request form (Mẫu số 01), blank or with a household's name, code and address filled in."""
    with translation.override("vi"):
        header = _header(review_round.commune, None)
        context = {
            "header": header,
            "household": household,
            "address": certificate_address(household, header) if household is not None else "",
            "year": review_round.year,
        }
        return render_pdf("reviews/pdf/mau_01.html", context)
