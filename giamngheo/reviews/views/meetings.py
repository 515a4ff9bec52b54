"""Pages of the village meeting: recording it, and its minutes (PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from giamngheo.accounts.http import AuthenticatedRequest
from giamngheo.common.web import add_problems
from giamngheo.errors import InputError
from giamngheo.reviews import documents
from giamngheo.reviews.forms import MeetingForm
from giamngheo.reviews.models import Step
from giamngheo.reviews.procedure import meeting_agreement
from giamngheo.reviews.selectors import meeting_get, village_entries
from giamngheo.reviews.services import village_meeting_record
from giamngheo.reviews.views.common import (
    _read_only,
    _refuse_if_locked,
    _require,
    _round_context,
    _round_or_404,
    _standard,
    _village_or_404,
)

# --- village meeting ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: AuthenticatedRequest, pk: int, village_code: str) -> HttpResponse:
    review_round = _round_or_404(request, pk)
    village = _village_or_404(request, review_round, village_code)
    _require(request, "reviews.record_village", village)
    rows = village_entries(user=request.user, review_round=review_round, village=village, step=Step.SURVEYED)
    waiting = [row.entry for row in rows if row.entry is not None]  # a step given: every row has its entry
    results = {row.entry.pk: row.result for row in rows if row.entry is not None}
    head = village.users.filter(role="village_head", is_active=True).first()
    initial = {"held_on": timezone.localdate(), "chair_name": head.display() if head else ""}
    if refused := _refuse_if_locked(request, review_round):
        return refused
    form = _read_only(MeetingForm(request.POST or None, initial=initial, entries=waiting), review_round)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = village_meeting_record(
                review_round=review_round,
                village=village,
                held_on=data["held_on"],
                chair_name=data["chair_name"],
                front_supervisor_name=data["front_supervisor_name"],
                secretary_name=data["secretary_name"],
                attendees=data["attendees"],
                votes=form.votes(),
                place=data["place"],
                notes=data["notes"],
                attendance=form.attendance(),
                actor=request.user,
            )
        except InputError as error:
            add_problems(form, error)
        else:
            back = meeting.votes.filter(agreed=False).count()
            messages.success(
                request,
                _("The meeting is recorded: %(agreed)s agreed, %(back)s sent back to the survey.")
                % {"agreed": meeting.votes.count() - back, "back": back},
            )
            return redirect("reviews:round_village", pk=review_round.pk, village_code=village.code)
    agreement = meeting_agreement(_standard(review_round))
    context = {
        **_round_context(request, review_round),
        "village": village,
        "form": form,
        "vote_rows": [(entry, field, results.get(entry.pk)) for entry, field in form.vote_fields()],
        "agreement": agreement,
    }
    return render(request, "reviews/meeting_form.html", context)


@login_required
def meeting_minutes(request: AuthenticatedRequest, pk: int, meeting_pk: int) -> HttpResponse:
    review_round = _round_or_404(request, pk)
    _require(request, "reviews.view_round", review_round)
    meeting = meeting_get(user=request.user, review_round=review_round, pk=meeting_pk)
    if meeting is None:
        raise Http404
    pdf = documents.meeting_minutes_pdf(meeting=meeting)
    return documents.pdf_response(
        pdf, f"bien-ban-hop-dan-{meeting.village.code}-{meeting.held_on:%Y%m%d}.pdf"
    )
