"""Pages of the public posting (its form and notice) and of the complaints and their re-check."""

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
from giamngheo.common.web import add_problems
from giamngheo.errors import InputError
from giamngheo.reviews import documents, word
from giamngheo.reviews.forms import ComplaintForm, PostingForm, RecheckForm
from giamngheo.reviews.models import Step
from giamngheo.reviews.selectors import (
    complaint_get,
    entries_visible_to,
    posting_get,
    round_complaints,
    village_entries,
)
from giamngheo.reviews.services import complaint_record, complaint_resolve, posting_record
from giamngheo.reviews.views.common import (
    _read_only,
    _refuse_if_locked,
    _require,
    _round_context,
    _round_or_404,
    _standard,
    _village_or_404,
)

# --- posting and complaints --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def posting_new(request: AuthenticatedRequest, pk: int, village_code: str) -> HttpResponse:
    review_round = _round_or_404(request, pk)
    village = _village_or_404(request, review_round, village_code)
    _require(request, "reviews.run_round", review_round)
    if refused := _refuse_if_locked(request, review_round):
        return refused
    form = _read_only(
        PostingForm(request.POST or None, initial={"starts_on": timezone.localdate()}), review_round
    )
    if request.method == "POST" and form.is_valid():
        try:
            posting = posting_record(
                review_round=review_round,
                village=village,
                starts_on=form.cleaned_data["starts_on"],
                place=form.cleaned_data["place"],
                actor=request.user,
            )
        except InputError as error:
            add_problems(form, error)
        else:
            messages.success(
                request,
                _("The results of %(village)s are posted from %(start)s to %(end)s.")
                % {
                    "village": village.name,
                    "start": posting.starts_on.strftime("%d/%m/%Y"),
                    "end": posting.ends_on.strftime("%d/%m/%Y"),
                },
            )
            return redirect("reviews:round_village", pk=review_round.pk, village_code=village.code)
    standard = _standard(review_round)
    waiting = village_entries(user=request.user, review_round=review_round, village=village, step=Step.AGREED)
    context = {
        **_round_context(request, review_round),
        "village": village,
        "form": form,
        "waiting": waiting,
        "days": standard.posting_working_days,
        "days_notes": [
            note for _key, note in standard.provisional_notes("review_procedure.posting_working_days")
        ],
    }
    return render(request, "reviews/posting_form.html", context)


@login_required
def posting_notice(request: AuthenticatedRequest, pk: int, posting_pk: int, fmt: str = "pdf") -> HttpResponse:
    review_round = _round_or_404(request, pk)
    _require(request, "reviews.view_round", review_round)
    posting = posting_get(user=request.user, review_round=review_round, pk=posting_pk)
    if posting is None:
        raise Http404
    name = f"thong-bao-niem-yet-{posting.village.code}-{posting.starts_on:%Y%m%d}"
    if fmt == "docx":
        return word.docx_response(word.posting_notice_docx(posting=posting), f"{name}.docx")
    return documents.pdf_response(documents.posting_notice_pdf(posting=posting), f"{name}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def complaints(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review_round = _round_or_404(request, pk)
    _require(request, "reviews.view_round", review_round)
    may_run = request.user.has_perm("reviews.run_round", review_round)
    entries = (
        entries_visible_to(request.user, review_round).select_related("household").order_by("household__code")
    )
    form = ComplaintForm(request.POST or None, entries=entries, initial={"received_on": timezone.localdate()})
    if request.method == "POST":
        if not may_run:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                complaint_record(
                    entry=data["entry"],
                    complainant=data["complainant"],
                    content=data["content"],
                    received_on=data["received_on"],
                    actor=request.user,
                )
            except InputError as error:
                add_problems(form, error)
            else:
                messages.success(request, _("The complaint is recorded. Re-check it before the decision."))
                return redirect("reviews:complaints", pk=review_round.pk)
    context = {
        **_round_context(request, review_round),
        "complaints": round_complaints(user=request.user, review_round=review_round),
        "form": form if may_run and not review_round.is_decided else None,
    }
    return render(request, "reviews/complaints.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def complaint_recheck(request: AuthenticatedRequest, pk: int, complaint_pk: int) -> HttpResponse:
    review_round = _round_or_404(request, pk)
    _require(request, "reviews.run_round", review_round)
    complaint = complaint_get(user=request.user, review_round=review_round, pk=complaint_pk)
    if complaint is None:
        raise Http404
    if refused := _refuse_if_locked(request, review_round):
        return refused
    form = _read_only(
        RecheckForm(request.POST or None, initial={"rechecked_on": timezone.localdate()}), review_round
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint_resolve(
                complaint=complaint,
                rechecked_on=data["rechecked_on"],
                finding=data["finding"],
                resurvey=data["outcome"] == "resurvey",
                actor=request.user,
            )
        except InputError as error:
            add_problems(form, error)
        else:
            if data["outcome"] == "resurvey":
                messages.warning(
                    request,
                    _(
                        "The re-check is recorded. Household %(code)s goes back to Phiếu B, then to the "
                        "village meeting and the posting; its status changes only through that survey."
                    )
                    % {"code": complaint.entry.household.code},
                )
            else:
                messages.success(request, _("The re-check is recorded."))
            return redirect("reviews:complaints", pk=review_round.pk)
    context = {**_round_context(request, review_round), "complaint": complaint, "form": form}
    return render(request, "reviews/complaint_recheck.html", context)
