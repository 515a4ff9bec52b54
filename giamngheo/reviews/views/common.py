"""What the review's pages share: the round, village and entry found through scoped selectors (404 outside
the user's reach), the permission check (403), the round's context, and the read-only forms of a decided
round."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from giamngheo.accounts.http import AuthenticatedRequest
from giamngheo.reviews.models import ReviewRound, RoundHousehold
from giamngheo.reviews.rules import is_commune_chairman
from giamngheo.reviews.selectors import entry_get, round_get, villages_of_round
from giamngheo.standards.loader import get_standard
from giamngheo.standards.model import Standard
from giamngheo.units.models import Unit

# --- helpers -----------------------------------------------------------------------------------------------


def _round_or_404(request: AuthenticatedRequest, pk: int) -> ReviewRound:
    review_round = round_get(user=request.user, pk=pk)
    if review_round is None:
        raise Http404
    return review_round


def _require(request: AuthenticatedRequest, perm: str, obj: Any) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _village_or_404(request: AuthenticatedRequest, review_round: ReviewRound, code: str) -> Unit:
    for village in villages_of_round(user=request.user, review_round=review_round):
        if village.code == code:
            return village
    raise Http404


def _entry_or_404(request: AuthenticatedRequest, review_round: ReviewRound, entry_pk: int) -> RoundHousehold:
    entry = entry_get(user=request.user, review_round=review_round, pk=entry_pk)
    if entry is None:
        raise Http404
    return entry


def _one(obj: Any, name: str) -> Any:
    """A reverse one-to-one (Phiếu A or B of an entry), or None when there is none yet."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def _standard(review_round: ReviewRound) -> Standard:
    return get_standard(review_round.standard_id)


def _locked_message(request: AuthenticatedRequest, review_round: ReviewRound) -> None:
    messages.error(
        request,
        _("The results of this round were decided by the commune chair and are locked. Nothing was changed."),
    )


def _round_context(request: AuthenticatedRequest, review_round: ReviewRound) -> dict[str, Any]:
    return {
        "review_round": review_round,
        "may_run": request.user.has_perm("reviews.run_round", review_round),
        "may_decide": request.user.has_perm("reviews.prepare_decision", review_round)
        or is_commune_chairman(request.user, review_round),
        # A decided round's forms are shown read-only, without a Save button (issue 17 E).
        "locked": review_round.is_decided,
    }


def _read_only(form: Any, review_round: ReviewRound, *, also: bool = False) -> Any:
    """Disable every field of a form of a decided (locked) round, or when ``also`` holds."""
    if review_round.is_decided or also:
        for field in form.fields.values():
            field.disabled = True
    return form


def _refuse_if_locked(request: AuthenticatedRequest, review_round: ReviewRound) -> HttpResponse | None:
    """A POST to a decided round's form changes nothing: say so and go back to the round."""
    if request.method == "POST" and review_round.is_decided:
        _locked_message(request, review_round)
        return redirect("reviews:round_detail", pk=review_round.pk)
    return None


def _recordable_entry(
    request: AuthenticatedRequest, pk: int, entry_pk: int
) -> tuple[ReviewRound, RoundHousehold]:
    review_round = _round_or_404(request, pk)
    entry = _entry_or_404(request, review_round, entry_pk)
    _require(request, "reviews.record_village", entry.household.village)
    return review_round, entry
