"""Pages of Phiếu A: the form, and the screening outcome while it is filled in (htmx)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from giamngheo.accounts.http import AuthenticatedRequest
from giamngheo.common.web import add_problems
from giamngheo.errors import InputError
from giamngheo.reviews.forms import PhieuAForm
from giamngheo.reviews.procedure import phieu_a, screening_outcome
from giamngheo.reviews.services import screening_record
from giamngheo.reviews.views.common import (
    _one,
    _read_only,
    _recordable_entry,
    _refuse_if_locked,
    _round_context,
    _standard,
)

# --- Phiếu A -----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def phieu_a_form(request: AuthenticatedRequest, pk: int, entry_pk: int) -> HttpResponse:
    review_round, entry = _recordable_entry(request, pk, entry_pk)
    questions = phieu_a(_standard(review_round))
    screening = _one(entry, "screening")
    initial: dict[str, Any] = {"screened_on": timezone.localdate(), "interviewer": request.user.display()}
    if screening is not None:
        initial = {"screened_on": screening.screened_on, "interviewer": screening.interviewer}
        initial.update({f"q_{code}": "1" if value else "0" for code, value in screening.answers.items()})
    if refused := _refuse_if_locked(request, review_round):
        return refused
    form = _read_only(PhieuAForm(request.POST or None, initial=initial, questions=questions), review_round)
    if request.method == "POST" and form.is_valid():
        try:
            result = screening_record(
                entry=entry,
                answers=form.answers(),
                screened_on=form.cleaned_data["screened_on"],
                interviewer=form.cleaned_data["interviewer"],
                actor=request.user,
            )
        except InputError as error:
            add_problems(form, error)
        else:
            if result.screened_out:
                messages.warning(
                    request,
                    _("Household %(code)s is screened out by Phiếu A: it is not surveyed with Phiếu B.")
                    % {"code": entry.household.code},
                )
            else:
                messages.success(
                    request,
                    _("Household %(code)s passes Phiếu A: survey it with Phiếu B.")
                    % {"code": entry.household.code},
                )
            return redirect(
                "reviews:round_village", pk=review_round.pk, village_code=entry.household.village.code
            )
    yes, out = screening_outcome(
        form.partial_answers()
        if form.is_bound
        else {k[2:]: v == "1" for k, v in initial.items() if k.startswith("q_")},
        area=entry.household.area,
        questions=questions,
    )
    context = {
        **_round_context(request, review_round),
        "entry": entry,
        "form": form,
        "questions": questions,
        "live": {
            "yes": yes,
            "screened_out": out,
            "limit": questions.screen_out_when_yes_at_least.get(entry.household.area),
        },
    }
    return render(request, "reviews/phieu_a.html", context)


@login_required
@require_POST
def phieu_a_live(request: AuthenticatedRequest, pk: int, entry_pk: int) -> HttpResponse:
    review_round, entry = _recordable_entry(request, pk, entry_pk)
    questions = phieu_a(_standard(review_round))
    form = PhieuAForm(request.POST, questions=questions)
    yes, out = screening_outcome(form.partial_answers(), area=entry.household.area, questions=questions)
    live = {
        "yes": yes,
        "screened_out": out,
        "limit": questions.screen_out_when_yes_at_least.get(entry.household.area),
    }
    return render(request, "reviews/_phieu_a_live.html", {"live": live})
