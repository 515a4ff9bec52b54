"""The review's documents as Word files (DOCX), editable by the commune: the decision with its articles and
annexed lists, the posting notice, the request form (Mẫu số 01), the summary report upward and the
certificates — the same texts as their PDFs (``reviews.documents``), in the layout of Decree 30/2020/NĐ-CP
(``documents.docx``: A4, Times New Roman 13, the heading and signature blocks). Always in Vietnamese.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from giamngheo.accounts.models import User
from giamngheo.documents.docx import (
    LANDSCAPE_MM,
    PORTRAIT_MM,
    add_paragraph,
    add_run,
    heading_block,
    merged_header_table,
    new_document,
    signature_block,
)
from giamngheo.documents.heading import Heading, Signature, official_heading, official_signature
from giamngheo.documents.xlsx import HeaderCell
from giamngheo.reviews.documents import (
    DECISION_LISTS,
    Header,
    OfficialListDocument,
    _header,
    certificate_address,
    certificate_numbers,
    decision_day,
    governed_period,
    official_list_document,
    posting_notice_rows,
)
from giamngheo.reviews.models import ReviewResult, ReviewRound, Status
from giamngheo.reviews.selectors import SummaryRow, certificate_results
from giamngheo.standards.formatting import number_vi, percent_vi
from giamngheo.standards.loader import get_standard

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _save(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _heading(header: Header, number: str, day: Any) -> Heading:
    return official_heading(body=header.commune_upper, place=header.commune_name, number=number, day=day)


def _page_break(document: Any) -> None:
    from docx.enum.text import WD_BREAK

    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _chair_signature(name: str, recipients: Sequence[str] = ()) -> Signature:
    return official_signature(recipients=recipients, name=name)


def _list_table(document: Any, doc: OfficialListDocument, *, width_mm: float = PORTRAIT_MM) -> None:
    header = [
        [
            HeaderCell(_("No.")),
            HeaderCell(_("Household code")),
            HeaderCell(_("Head of household")),
            HeaderCell(_("Members")),
            HeaderCell(_("Village")),
            HeaderCell(doc.column_label),
        ]
    ]
    rows = [
        [str(row.number), row.code, row.head_name, number_vi(row.members), row.village, doc.label(row)]
        for row in doc.rows
    ]
    total = _("Total: %(n)s households") % {"n": number_vi(len(doc.rows))}
    rows.append([total, "", "", number_vi(doc.people), "", ""])
    table = merged_header_table(
        document, header, rows, numeric_from=3, bold_rows=[len(rows) - 1], font_pt=11, width_mm=width_mm
    )
    # The numbers column is the only numeric one: the village and the classification are text.
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for row in table.rows[1:]:
        for cell in row.cells[4:]:
            for paragraph in cell.paragraphs:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT


# --- the decision ------------------------------------------------------------------------------------------


def decision_docx(*, user: User, review_round: ReviewRound) -> bytes:
    """The chair's decision: heading and number, title, legal bases, the four articles with the counts, the
    recipients and the signature, then Annexes I–IV (the lists). An open round is a draft: the number and
    date prepared by the officer if any, else left blank, and "DỰ THẢO" above the title."""
    annexes = [
        official_list_document(user=user, review_round=review_round, kind=kind) for kind in DECISION_LISTS
    ]
    counts = {doc.kind: number_vi(len(doc.rows)) for doc in annexes}
    decided = review_round.is_decided
    number = review_round.decision_number if decided else review_round.prepared_number
    day = decision_day(review_round)
    with translation.override("vi"):
        period, review_note = governed_period(review_round)
        header = _header(review_round.commune, day)
        standard = get_standard(review_round.standard_id)
        document = new_document()
        number_line = _("No.: %(number)s") % {"number": number} if number else _("No.: …/QĐ-UBND")
        heading_block(document, _heading(header, number_line, day))
        if not decided:
            add_paragraph(document, _("DRAFT"), align="center", bold=True, size=12)
        add_paragraph(document, _("DECISION"), align="center", bold=True, size=14, space_after=0)
        add_paragraph(
            document,
            _("Recognising the poor and near-poor households of %(period)s in %(commune)s")
            % {"period": period, "commune": header.commune_phrase},
            align="center",
            bold=True,
            space_after=0,
        )
        add_paragraph(document, review_note, align="center", italic=True)
        add_paragraph(
            document,
            _("THE CHAIR OF THE PEOPLE'S COMMITTEE OF %(commune)s") % {"commune": header.commune_upper},
            align="center",
            bold=True,
            space_after=6,
        )
        bases = [
            _("Pursuant to the Law on the Organisation of Local Government;"),
            *(_("Pursuant to %(text)s;") % {"text": basis.vi} for basis in standard.legal_basis),
            _(
                "Pursuant to Decision 24/2021/QĐ-TTg of the Prime Minister on the procedure of reviewing "
                "poor and near-poor households;"
            ),
            _(
                "At the proposal of the commune officer in charge of poverty reduction, after the village "
                "meetings and the public posting of the results,"
            ),
        ]
        for basis in bases:
            add_paragraph(document, basis, italic=True, align="justify", first_indent_cm=1)
        add_paragraph(document, _("DECIDES:"), align="center", bold=True, space_after=6)
        articles = [
            (
                _("Article 1."),
                _(
                    "To recognise %(poor)s poor households and %(near)s near-poor households of %(period)s "
                    "(Annexes I and II)."
                )
                % {"poor": counts["poor"], "near": counts["near_poor"], "period": period},
            ),
            (
                _("Article 2."),
                _(
                    "To recognise %(escaped)s households that escaped poverty and %(escaped_near)s "
                    "households that escaped near-poverty (Annexes III and IV)."
                )
                % {"escaped": counts["escaped_poverty"], "escaped_near": counts["escaped_near_poverty"]},
            ),
            (
                _("Article 3."),
                _(
                    "The households are classified under the %(name)s. Poor and near-poor households receive "
                    "the certificates and the supports of the programme from the date of this decision."
                )
                % {"name": standard.name.vi},
            ),
            (
                _("Article 4."),
                _(
                    "This decision takes effect from the date of signing. The office of the People's "
                    "Committee, the officer in charge of poverty reduction, the village heads and the "
                    "households named are responsible for carrying it out."
                ),
            ),
        ]
        for title, text in articles:
            paragraph = add_paragraph(document, align="justify", first_indent_cm=1)
            add_run(paragraph, title + " ", bold=True)
            add_run(paragraph, text)
        recipients = [
            "- " + _("As in Article 4;"),
            "- " + _("The provincial Department of Agriculture and Environment (report);"),
        ]
        signer = review_round.decision_signer if decided else ""
        signature_block(document, _chair_signature(signer, recipients))
        annex_titles = (_("ANNEX I"), _("ANNEX II"), _("ANNEX III"), _("ANNEX IV"))
        for annex, doc in zip(annex_titles, annexes, strict=True):
            _page_break(document)
            add_paragraph(document, annex, align="center", bold=True, space_after=0)
            add_paragraph(document, doc.title, align="center", bold=True, space_after=0)
            add_paragraph(document, doc.review_note, align="center", bold=True, space_after=0)
            add_paragraph(document, doc.subtitle, align="center", italic=True, size=12)
            _list_table(document, doc)
        return _save(document)


# --- the posting notice ------------------------------------------------------------------------------------


def posting_notice_docx(*, posting: Any) -> bytes:
    """The notice of a village's public posting (thông báo niêm yết): the period and place, how to complain,
    the households as posted with the classification the village meeting agreed, the signatures."""
    review_round = posting.review_round
    with translation.override("vi"):
        rows = posting_notice_rows(posting)
        period, review_note = governed_period(review_round)
        header = _header(review_round.commune, posting.starts_on)
        village = f"{posting.village.level.name_vi} {posting.village.name}"
        document = new_document()
        heading_block(document, _heading(header, _("No.: …/TB-UBND"), posting.starts_on))
        add_paragraph(document, _("NOTICE"), align="center", bold=True, size=14, space_after=0)
        add_paragraph(
            document,
            _("Public posting of the results of the review of poor and near-poor households in %(village)s")
            % {"village": village},
            align="center",
            bold=True,
            space_after=0,
        )
        add_paragraph(document, f"{period} {review_note}", align="center", italic=True)
        period_text = _(
            "The results agreed by the village meeting are posted from %(start)s to %(end)s "
            "(%(days)s working days)"
        ) % {
            "start": posting.starts_on.strftime("%d/%m/%Y"),
            "end": posting.ends_on.strftime("%d/%m/%Y"),
            "days": posting.working_days,
        }
        if posting.place:
            period_text += " " + _("at %(place)s") % {"place": posting.place}
        add_paragraph(document, period_text + ".", align="justify", first_indent_cm=1)
        add_paragraph(
            document,
            _(
                "Anyone who disagrees with a result may send a complaint to the village head or the People's "
                "Committee of %(commune)s during the posting; each complaint is re-checked before the "
                "decision."
            )
            % {"commune": header.commune_phrase},
            align="justify",
            first_indent_cm=1,
        )
        table_rows = [[str(n), code, name, status] for n, (code, name, status) in enumerate(rows, start=1)]
        table_rows.append(
            [_("Total: %(n)s households") % {"n": number_vi(posting.household_count)}, "", "", ""]
        )
        header_row = [
            [
                HeaderCell(_("No.")),
                HeaderCell(_("Household code")),
                HeaderCell(_("Head of household")),
                HeaderCell(_("Proposed classification")),
            ]
        ]
        merged_header_table(
            document, header_row, table_rows, numeric_from=4, bold_rows=[len(table_rows) - 1], font_pt=11
        )
        signature_block(
            document,
            Signature(
                recipients=(_("VILLAGE HEAD"), _("(Signature, full name)")),
                authority=(_("ON BEHALF OF THE PEOPLE'S COMMITTEE"), _("CHAIR")),
                hint=_("(Signature, full name and seal)"),
            ),
        )
        return _save(document)


# --- the request form (Mẫu số 01) --------------------------------------------------------------------------


def request_form_docx(*, review_round: ReviewRound, household: Any = None) -> bytes:
    """Mẫu số 01, blank or with a household's name, code, address and size filled in: dotted lines to write
    on, the four boxes of what the household asks for, the two signatures."""
    dots = "." * 70
    with translation.override("vi"):
        header = _header(review_round.commune, None)
        document = new_document()
        add_paragraph(document, _("Form No. 01 (Circular 07/2021/TT-BLĐTBXH)"), align="right", italic=True)
        add_paragraph(
            document, _("SOCIALIST REPUBLIC OF VIETNAM"), align="center", bold=True, size=12, space_after=0
        )
        add_paragraph(
            document, _("Independence - Freedom - Happiness"), align="center", bold=True, underline=True
        )
        add_paragraph(document, _("REQUEST"), align="center", bold=True, size=14, space_after=0)
        add_paragraph(
            document,
            _("for a review of poor and near-poor households, year %(year)s") % {"year": review_round.year},
            align="center",
            bold=True,
        )
        add_paragraph(
            document,
            _("To: the People's Committee of %(commune)s") % {"commune": header.commune_phrase},
            align="center",
        )
        address = certificate_address(household, header) if household is not None else ""
        lines = [
            (_("Full name of the head of household:"), household.head_name if household else ""),
            (_("Household code (if any):"), household.code if household else ""),
            (_("Citizen ID number:"), ""),
            (_("Place of residence:"), address),
            (_("Number of members:"), str(household.size) if household and household.size else ""),
        ]
        for label, value in lines:
            paragraph = add_paragraph(document, space_after=6)
            add_run(paragraph, label + " ")
            add_run(paragraph, value if value else dots, bold=bool(value))
        add_paragraph(document, _("The household asks to be reviewed for:"), space_after=4)
        for choice in (
            _("the poor list"),
            _("the near-poor list"),
            _("leaving poverty"),
            _("leaving near-poverty"),
        ):
            add_paragraph(document, f"[   ]  {choice}", first_indent_cm=1, space_after=2)
        add_paragraph(document, _("Reason:") + " " + dots, space_after=6)
        add_paragraph(document, dots + dots[:20], space_after=6)
        add_paragraph(
            document, _("I declare that the information above is true and I take responsibility for it.")
        )
        add_paragraph(
            document,
            _("......, day ..... month ..... year ......."),
            align="right",
            italic=True,
            space_after=0,
        )
        signature_block(
            document,
            Signature(
                recipients=(_("RECEIVED BY THE COMMUNE"), _("(Date received, signature, full name)")),
                authority=(_("THE APPLICANT"),),
                hint=_("(Signature or fingerprint, full name)"),
            ),
        )
        return _save(document)


# --- the summary report upward -----------------------------------------------------------------------------


def _summary_cells(name: str, row: SummaryRow) -> list[str]:
    return [
        name,
        number_vi(row.households),
        number_vi(row.poor_start),
        number_vi(row.near_poor_start),
        number_vi(row.escaped_poverty),
        number_vi(row.escaped_near_poverty),
        number_vi(row.fell_back),
        number_vi(row.newly_poor),
        number_vi(row.newly_near_poor),
        number_vi(row.poor_end),
        percent_vi(row.poor_rate),
        number_vi(row.near_poor_end),
        percent_vi(row.near_poor_rate),
        number_vi(row.poor_end_ethnic),
        number_vi(row.near_poor_end_ethnic),
    ]


def summary_docx(*, review_round: ReviewRound, rows: list[SummaryRow], total: SummaryRow) -> bytes:
    """The summary of the round's results by village (tổng hợp kết quả rà soát), A4 landscape: households in
    the register, the lists at the start, the movements, the lists and rates at the end, and the
    ethnic-minority households among them; the commune's total last."""
    with translation.override("vi"):
        period, review_note = governed_period(review_round)
        day = review_round.decision_date if review_round.is_decided else None
        header = _header(review_round.commune, day)
        document = new_document(landscape=True)
        heading_block(document, _heading(header, _("No.: …/BC-UBND"), day), width_mm=LANDSCAPE_MM)
        if not review_round.is_decided:
            add_paragraph(document, _("DRAFT"), align="center", bold=True, size=12)
        title = _("Summary of the review results, %(period)s") % {"period": period}
        add_paragraph(document, title.upper(), align="center", bold=True, size=14, space_after=0)
        add_paragraph(document, review_note, align="center", bold=True, space_after=0)
        add_paragraph(
            document,
            _("Standard: %(name)s") % {"name": get_standard(review_round.standard_id).name.vi},
            align="center",
            italic=True,
        )
        header_rows = [
            [
                HeaderCell(_("Village"), rowspan=2),
                HeaderCell(_("Households in the register"), rowspan=2),
                HeaderCell(_("At the start"), colspan=2),
                HeaderCell(_("Movements in this review"), colspan=5),
                HeaderCell(_("At the end"), colspan=4),
                HeaderCell(_("Of which ethnic minority"), colspan=2),
            ],
            [
                HeaderCell(_("Poor")),
                HeaderCell(_("Near-poor")),
                HeaderCell(_("Escaped poverty")),
                HeaderCell(_("Escaped near-poverty")),
                HeaderCell(_("Fell back")),
                HeaderCell(_("Newly poor")),
                HeaderCell(_("Newly near-poor")),
                HeaderCell(_("Poor")),
                HeaderCell(_("Poverty rate")),
                HeaderCell(_("Near-poor")),
                HeaderCell(_("Near-poverty rate")),
                HeaderCell(_("Poor")),
                HeaderCell(_("Near-poor")),
            ],
        ]
        body = [_summary_cells(row.name, row) for row in rows]
        body.append(_summary_cells(_("Whole commune"), total))
        merged_header_table(
            document, header_rows, body, numeric_from=1, bold_rows=[len(body) - 1], width_mm=LANDSCAPE_MM
        )
        signature_block(
            document,
            Signature(
                recipients=(_("PREPARED BY"), _("(Signature, full name)")),
                authority=(_("ON BEHALF OF THE PEOPLE'S COMMITTEE"), _("CHAIR")),
                hint=_("(Signature, full name and seal)"),
                name=review_round.decision_signer if review_round.is_decided else "",
            ),
            width_mm=LANDSCAPE_MM,
        )
        return _save(document)


# --- certificates ------------------------------------------------------------------------------------------


def certificates_docx(
    *, user: User, review_round: ReviewRound, village: Any = None, household_id: int | None = None
) -> bytes | None:
    """The certificates as Word pages, one per poor or near-poor household, numbered as the PDF's. None:
    nobody (a household that holds no certificate)."""
    results = certificate_results(
        user=user, review_round=review_round, village=village, household_id=household_id
    )
    if household_id is not None and not results:
        return None
    numbers = certificate_numbers(review_round)
    with translation.override("vi"):
        header = _header(review_round.commune, review_round.decision_date)
        document = new_document()
        for index, result in enumerate(results):
            if index:
                _page_break(document)
            _certificate(document, review_round, result, numbers.get(result.household_id, 0), header)
        if not results:
            add_paragraph(document, _("No poor or near-poor household."))
        return _save(document)


def _certificate(
    document: Any, review_round: ReviewRound, result: ReviewResult, number: int, header: Header
) -> None:
    household = result.household
    year = str(review_round.governed_year)
    # The place and date are printed above the signature, not in the heading (as on the PDF).
    number_line = _("No. %(number)s/GCN-%(year)s") % {"number": f"{number:03d}", "year": year}
    heading_block(document, replace(header.heading, number=number_line))
    poor = result.status == Status.POOR
    title = _("CERTIFICATE OF A POOR HOUSEHOLD") if poor else _("CERTIFICATE OF A NEAR-POOR HOUSEHOLD")
    add_paragraph(document, title, align="center", bold=True, size=16, space_after=0)
    add_paragraph(
        document,
        f"{_('Year %(year)s') % {'year': year}} {governed_period(review_round)[1]}",
        align="center",
        italic=True,
        space_after=0,
    )
    add_paragraph(document, get_standard(review_round.standard_id).name.vi, align="center", italic=True)
    add_paragraph(
        document,
        _("The Chair of the People's Committee of %(commune)s certifies that:")
        % {"commune": header.commune_phrase},
    )
    for label, value in (
        (_("Head of household:"), household.head_name),
        (_("Household code:"), household.code),
        (_("Address:"), certificate_address(household, header)),
        (_("Number of members:"), number_vi(result.members)),
    ):
        paragraph = add_paragraph(document, space_after=2)
        add_run(paragraph, label + " ")
        add_run(paragraph, value, bold=label == _("Head of household:"))
    recognised = {
        "number": review_round.decision_number,
        "date": review_round.decision_date.strftime("%d/%m/%Y") if review_round.decision_date else "",
        "commune": header.commune_phrase,
    }
    if poor:
        text = _(
            "is a poor household, recognised by Decision No. %(number)s of %(date)s of the Chair of the "
            "People's Committee of %(commune)s."
        )
    else:
        text = _(
            "is a near-poor household, recognised by Decision No. %(number)s of %(date)s of the Chair of the "
            "People's Committee of %(commune)s."
        )
    add_paragraph(document, text % recognised, align="justify")
    add_paragraph(
        document,
        _("This certificate is valid until the decision recognising the results of the next review."),
    )
    members = list(household.members.all())
    if members:
        rows = [
            [
                str(n),
                m.full_name,
                str(m.birth_date.year) if m.birth_date else "",
                str(m.get_relation_display()),
            ]
            for n, m in enumerate(members, start=1)
        ]
        head = [
            [
                HeaderCell(_("No.")),
                HeaderCell(_("Full name")),
                HeaderCell(_("Year of birth")),
                HeaderCell(_("Relation to the head")),
            ]
        ]
        table = merged_header_table(document, head, rows, numeric_from=4, font_pt=11)
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        for row in table.rows[1:]:
            for cell in (row.cells[0], row.cells[2]):
                for paragraph in cell.paragraphs:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_paragraph(document, header.place_date, align="right", italic=True, space_after=0)
    signature_block(
        document,
        Signature(
            recipients=(),
            authority=(_("CHAIR"),),
            hint=_("(Signature, full name and seal)"),
            name=review_round.decision_signer,
        ),
    )
