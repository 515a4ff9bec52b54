"""Pages of the decision (prepared by the officer, issued by the commune chairman) and of what follows it:
certificates, the summary of results, the decision document and the official lists."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from giamngheo.accounts.http import AuthenticatedRequest
from giamngheo.common.replicas import reads_from_replica
from giamngheo.common.web import add_problems
from giamngheo.documents.models import DocumentKind
from giamngheo.documents.services import document_job_request
from giamngheo.errors import InputError
from giamngheo.reviews import documents, word
from giamngheo.reviews.forms import DecisionForm, IssueForm
from giamngheo.reviews.labels import LIST_TITLES
from giamngheo.reviews.rules import is_commune_chairman
from giamngheo.reviews.selectors import LIST_KINDS, round_summary, villages_of_round
from giamngheo.reviews.services import decision_issue, decision_prepare
from giamngheo.reviews.views.common import (
    _read_only,
    _refuse_if_locked,
    _require,
    _round_context,
    _round_or_404,
    _village_or_404,
)

# --- decision, certificates, official lists ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def decision(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The officer prepares the decision (number, date: the draft), the chairman of the commune People's
    Committee issues it (issue 17 D): ``action=prepare`` or ``action=issue``."""
    review_round = _round_or_404(request, pk)
    may_prepare = request.user.has_perm("reviews.prepare_decision", review_round)
    may_issue = is_commune_chairman(request.user, review_round)  # a superuser too follows this rule
    if not (may_prepare or may_issue):
        raise PermissionDenied
    if refused := _refuse_if_locked(request, review_round):
        return refused
    action = request.POST.get("action", "prepare") if request.method == "POST" else ""
    initial = {
        "decision_number": review_round.prepared_number,
        "decision_date": review_round.prepared_date or timezone.localdate(),
    }
    form = _read_only(
        DecisionForm(request.POST if action == "prepare" else None, initial=initial), review_round
    )
    issue_form = IssueForm(request.POST if action == "issue" else None)
    if action == "prepare" and form.is_valid():
        if not may_prepare:
            raise PermissionDenied
        try:
            decision_prepare(
                review_round=review_round,
                decision_number=form.cleaned_data["decision_number"],
                decision_date=form.cleaned_data["decision_date"],
                actor=request.user,
            )
        except InputError as error:
            add_problems(form, error)
        else:
            messages.success(
                request,
                _("The decision is prepared. The commune chairman issues it; until then the round is open."),
            )
            return redirect("reviews:decision", pk=review_round.pk)
    if action == "issue" and issue_form.is_valid():
        try:
            decision_issue(review_round=review_round, actor=request.user)
        except InputError as error:
            add_problems(issue_form, error)
        else:
            messages.success(request, _("The decision is issued: the results are official and locked."))
            return redirect("reviews:round_detail", pk=review_round.pk)
    context = {
        **_round_context(request, review_round),
        "form": form,
        "issue_form": issue_form,
        "may_prepare": may_prepare,
        "may_issue": may_issue,
    }
    return render(request, "reviews/decision_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def certificates(request: AuthenticatedRequest, pk: int, village_code: str) -> HttpResponse:
    """A village's certificates as one PDF; a village with many is prepared in the background (GET explains,
    POST queues it and opens the document's page)."""
    review_round = _round_or_404(request, pk)
    _require(request, "reviews.view_round", review_round)
    village = _village_or_404(request, review_round, village_code)
    if not review_round.is_decided:
        messages.error(request, _("Certificates are issued only after the commune chair's decision."))
        return redirect("reviews:round_village", pk=review_round.pk, village_code=village.code)
    file_name = f"giay-chung-nhan-{village.code}-{review_round.period.replace('/', '-')}.pdf"
    pages = documents.certificate_count(user=request.user, review_round=review_round, village=village)
    if pages > documents.CERTIFICATES_IN_REQUEST:
        if request.method == "POST":
            job = document_job_request(
                actor=request.user,
                kind=DocumentKind.CERTIFICATES,
                params={"round": review_round.pk, "village": village.code},
                title=_("Certificates of %(village)s, review %(period)s")
                % {"village": village.name, "period": review_round.period},
                file_name=file_name,
                content_type="application/pdf",
            )
            return redirect("reports:document_job", pk=job.pk)
        context = {**_round_context(request, review_round), "village": village, "pages": pages}
        return render(request, "reviews/certificates_background.html", context)
    pdf = documents.certificates_pdf(user=request.user, review_round=review_round, village=village)
    assert pdf is not None  # None only for one household without a certificate; a village always has a PDF
    return documents.pdf_response(pdf, file_name)


@login_required
def certificates_docx(request: AuthenticatedRequest, pk: int, village_code: str) -> HttpResponse:
    """A village's certificates as one Word file (no layout to compute: never in the background)."""
    review_round = _round_or_404(request, pk)
    _require(request, "reviews.view_round", review_round)
    village = _village_or_404(request, review_round, village_code)
    if not review_round.is_decided:
        messages.error(request, _("Certificates are issued only after the commune chair's decision."))
        return redirect("reviews:round_village", pk=review_round.pk, village_code=village.code)
    data = word.certificates_docx(user=request.user, review_round=review_round, village=village) or b""
    name = f"giay-chung-nhan-{village.code}-{review_round.period.replace('/', '-')}.docx"
    return word.docx_response(data, name)


@login_required
def certificate_one(
    request: AuthenticatedRequest, pk: int, household_pk: int, fmt: str = "pdf"
) -> HttpResponse:
    review_round = _round_or_404(request, pk)
    _require(request, "reviews.view_round", review_round)
    if not review_round.is_decided:
        messages.error(request, _("Certificates are issued only after the commune chair's decision."))
        return redirect("reviews:round_detail", pk=review_round.pk)
    make = word.certificates_docx if fmt == "docx" else documents.certificates_pdf
    data = make(user=request.user, review_round=review_round, household_id=household_pk)
    if data is None:
        raise Http404
    if fmt == "docx":
        return word.docx_response(data, f"giay-chung-nhan-{household_pk}.docx")
    return documents.pdf_response(data, f"giay-chung-nhan-{household_pk}.pdf")


@login_required
def summary(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The summary of the round's results by village (tổng hợp kết quả rà soát), for the steering committee
    and the report upward: page, or PDF with ``?format=pdf``. Every user who sees the round reads it."""
    review_round = _round_or_404(request, pk)
    _require(request, "reviews.view_round", review_round)
    rows, total = round_summary(user=request.user, review_round=review_round)
    name = f"tong-hop-ket-qua-ra-soat-{review_round.period.replace('/', '-')}"
    if request.GET.get("format") == "pdf":
        pdf = documents.summary_pdf(review_round=review_round, rows=rows, total=total)
        return documents.pdf_response(pdf, f"{name}.pdf")
    if request.GET.get("format") == "docx":
        data = word.summary_docx(review_round=review_round, rows=rows, total=total)
        return word.docx_response(data, f"{name}.docx")
    context = {**_round_context(request, review_round), "rows": rows, "total": total}
    return render(request, "reviews/summary.html", context)


@login_required
def decision_document(request: AuthenticatedRequest, pk: int, fmt: str = "pdf") -> HttpResponse:
    """The decision recognising the lists, with its articles and the annexed lists (a draft before it)."""
    review_round = _round_or_404(request, pk)
    _require(request, "reviews.view_round", review_round)
    draft = "" if review_round.is_decided else "-du-thao"
    name = f"quyet-dinh-cong-nhan-{review_round.period.replace('/', '-')}{draft}"
    if fmt == "docx":
        data = word.decision_docx(user=request.user, review_round=review_round)
        return word.docx_response(data, f"{name}.docx")
    pdf = documents.decision_pdf(user=request.user, review_round=review_round)
    return documents.pdf_response(pdf, f"{name}.pdf")


@login_required
def lists(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review_round = _round_or_404(request, pk)
    _require(request, "reviews.view_round", review_round)
    villages = villages_of_round(user=request.user, review_round=review_round)
    wanted = request.GET.get("thon", "")
    context = {
        **_round_context(request, review_round),
        "villages": villages,
        "selected": wanted if any(v.code == wanted for v in villages) else "",
        "list_kinds": [(kind, LIST_TITLES[kind]) for kind in LIST_KINDS],
    }
    return render(request, "reviews/lists.html", context)


@login_required
@reads_from_replica
def list_download(request: AuthenticatedRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    review_round = _round_or_404(request, pk)
    _require(request, "reviews.view_round", review_round)
    if kind not in LIST_KINDS or fmt not in ("xlsx", "pdf"):
        raise Http404
    village = None
    if code := request.GET.get("thon"):
        village = _village_or_404(request, review_round, code)
    elif (
        request.user.unit is not None
        and request.user.unit.path != review_round.commune.path
        and not (review_round.commune.path.startswith(request.user.unit.path))
    ):
        # A village head's whole-commune list would be their village only: name it so.
        village = _village_or_404(request, review_round, request.user.unit.code)
    document = documents.official_list_document(
        user=request.user, review_round=review_round, kind=kind, village=village
    )
    name = documents.list_file_name(document)
    if fmt == "xlsx":
        return documents.xlsx_response(documents.official_list_xlsx(document), f"{name}.xlsx")
    return documents.pdf_response(documents.official_list_pdf(document), f"{name}.pdf")
