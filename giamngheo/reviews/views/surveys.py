"""Pages of Phiếu B: the form prefilled from the saved survey or the register, and the engine's verdict while
it is filled in (htmx)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Field
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from giamngheo.accounts.http import AuthenticatedRequest
from giamngheo.common.web import add_problems, is_english
from giamngheo.errors import InputError
from giamngheo.households.models import Household
from giamngheo.reviews.forms import PhieuBForm
from giamngheo.reviews.models import ReviewRound, RoundHousehold, Step
from giamngheo.reviews.selectors import last_b1_region
from giamngheo.reviews.services import register_changes, survey_classify, survey_record
from giamngheo.reviews.views.common import (
    _one,
    _read_only,
    _recordable_entry,
    _refuse_if_locked,
    _round_context,
    _standard,
)
from giamngheo.standards.b1 import region_for, score_b1
from giamngheo.standards.model import Standard

# --- Phiếu B -----------------------------------------------------------------------------------------------


def _prefill_b(
    review_round: ReviewRound, entry: RoundHousehold, standard: Standard, user: Any
) -> dict[str, Any]:
    """Initial values: the saved survey if any, else the register's facts as the engine reads them."""
    household = entry.household
    survey = _one(entry, "survey")
    initial: dict[str, Any] = {"household_version": household.version}
    if survey is not None:
        initial.update(
            surveyed_on=survey.surveyed_on,
            interviewer=survey.interviewer,
            respondent=survey.respondent,
            # a score computed from the items is shown by the items, not as a typed total
            b1_score=None if survey.b1_items else survey.b1_score,
            b1_region=survey.b1_region,
            income_per_capita=survey.income_per_capita,
            note=survey.note,
        )
        initial.update({f"ind_{code}": "1" if value else "0" for code, value in survey.answers.items()})
        initial.update({f"b1_{code}": answer for code, answer in survey.b1_items.items()})
        return initial
    from giamngheo.households.facts import household_facts
    from giamngheo.standards.indicators import evaluate

    facts = household_facts(household, list(household.members.all()))
    for evaluation in evaluate(facts, standard, review_round.review_date):
        if evaluation.from_facts is not None:
            initial[f"ind_{evaluation.code}"] = "1" if evaluation.from_facts else "0"
    initial.update(
        surveyed_on=timezone.localdate(),
        interviewer=user.display(),
        income_per_capita=household.income_per_capita,
    )
    if standard.b1_table is not None:  # the commune's region, as its last Phiếu B scored it
        regions = [r.code for r in standard.b1_table.regions_of(household.area)]
        region = regions[0] if len(regions) == 1 else None
        initial["b1_region"] = region or last_b1_region(commune=household.commune, regions=regions) or ""
    return initial


def _b1_progress(form: PhieuBForm, standard: Standard, area: str) -> dict[str, Any] | None:
    """The B1 items answered so far and their points, while the score cannot be complete yet."""
    items, region = form.partial_b1()
    if not items or not form.b1_codes:
        return None
    progress: dict[str, Any] = {"answered": len(items), "of": len(form.b1_codes)}
    try:
        progress["subtotal"] = score_b1(standard, region_for(standard, area, region), items).subtotal
    except InputError as error:
        problem = error.problems[0]
        progress["problem"] = problem.message_en if is_english() else problem.message_vi
    return progress


def _region_name(standard: Standard, result: Any) -> Any:
    if result.b1_items is None or standard.b1_table is None:
        return None
    region = standard.b1_table.region(result.b1_items.region)
    return region.name if region is not None else None


def _live_b_context(
    review_round: ReviewRound, entry: RoundHousehold, form: PhieuBForm, standard: Standard
) -> dict[str, Any]:
    data = form.partial_input()
    progress = _b1_progress(form, standard, entry.household.area)
    if data is None:
        return {"live": None, "b1_progress": progress}
    try:
        result = survey_classify(review_round=review_round, household=entry.household, data=data)
    except InputError as error:
        problem = error.problems[0]
        return {
            "live": None,
            "live_error": problem.message_en if is_english() else problem.message_vi,
            "b1_progress": progress,
        }
    changes = register_changes(household=entry.household, standard_codes=standard.indicator_codes, data=data)
    return {
        "live": result,
        "b1_progress": progress if data.b1_items is None else None,
        "b1_region_name": _region_name(standard, result),
        "deprived_names": [standard.indicator(code).short for code in result.deprived],
        "unknown_names": [standard.indicator(code).short for code in result.unknown],
        "discrepancy_names": [standard.indicator(d.code).short for d in result.discrepancies],
        "provisional_notes": [
            standard.provisional[key] for key in result.provisional if key in standard.provisional
        ],
        "register_changes": [
            str(cast(Field, Household._meta.get_field(name)).verbose_name) for name in sorted(changes)
        ],
        "standard": standard,
    }


@login_required
@require_http_methods(["GET", "POST"])
def phieu_b_form(request: AuthenticatedRequest, pk: int, entry_pk: int) -> HttpResponse:
    review_round, entry = _recordable_entry(request, pk, entry_pk)
    standard = _standard(review_round)
    if refused := _refuse_if_locked(request, review_round):
        return refused
    initial = _prefill_b(review_round, entry, standard, request.user)
    screened_out = entry.step == Step.SCREENED_OUT
    area = entry.household.area
    form = _read_only(
        PhieuBForm(request.POST or None, initial=initial, standard=standard, area=area),
        review_round,
        also=screened_out,
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = survey_record(
                entry=entry,
                data=form.survey_input(),
                surveyed_on=form.cleaned_data["surveyed_on"],
                interviewer=form.cleaned_data["interviewer"],
                respondent=form.cleaned_data["respondent"],
                note=form.cleaned_data["note"],
                update_register=form.cleaned_data["update_register"],
                household_version=form.cleaned_data.get("household_version"),
                actor=request.user,
            )
        except InputError as error:
            add_problems(form, error)
        else:
            messages.success(
                request,
                _("Phiếu B of household %(code)s is saved: %(status)s.")
                % {"code": entry.household.code, "status": result.get_status_display()},
            )
            return redirect(
                "reviews:round_village", pk=review_round.pk, village_code=entry.household.village.code
            )
    shown = form if form.is_bound else PhieuBForm(initial, standard=standard, area=area)
    context = {
        **_round_context(request, review_round),
        "entry": entry,
        "form": form,
        "standard": standard,
        # Screened out at Phiếu A: not surveyed, so no live result (issue 17 E).
        "screened_out": screened_out,
        **({"live": None} if screened_out else _live_b_context(review_round, entry, shown, standard)),
    }
    return render(request, "reviews/phieu_b.html", context)


@login_required
@require_POST
def phieu_b_live(request: AuthenticatedRequest, pk: int, entry_pk: int) -> HttpResponse:
    """The engine's verdict on the form as it stands (htmx): status, scores and the explanation sentence."""
    review_round, entry = _recordable_entry(request, pk, entry_pk)
    if entry.step == Step.SCREENED_OUT or review_round.is_decided:
        return render(request, "reviews/_phieu_b_live.html", {"live": None, "screened_out": True})
    standard = _standard(review_round)
    form = PhieuBForm(request.POST, standard=standard, area=entry.household.area)
    return render(request, "reviews/_phieu_b_live.html", _live_b_context(review_round, entry, form, standard))
