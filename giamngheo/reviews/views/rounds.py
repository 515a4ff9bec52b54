"""Pages of the annual review. Thin: each finds the round through a scoped selector (404 outside the user's
reach), checks the permission for the action (403), then calls one service or selector."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Field
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from giamngheo.accounts.http import AuthenticatedRequest
from giamngheo.common.replicas import reads_from_replica
from giamngheo.common.web import add_problems, is_english
from giamngheo.documents.models import DocumentKind
from giamngheo.documents.services import document_job_request
from giamngheo.errors import InputError
from giamngheo.households.models import Household
from giamngheo.reviews import documents, word
from giamngheo.reviews.forms import (
    ComplaintForm,
    DecisionForm,
    EntryAddForm,
    IssueForm,
    MeetingForm,
    OpenRoundForm,
    PhieuAForm,
    PhieuBForm,
    PostingForm,
    RecheckForm,
    StandardForm,
)
from giamngheo.reviews.labels import LIST_TITLES
from giamngheo.reviews.models import ListReason, ReviewRound, RoundHousehold, Step
from giamngheo.reviews.procedure import (
    StandardChoice,
    meeting_agreement,
    phieu_a,
    review_window,
    screening_outcome,
)
from giamngheo.reviews.rules import is_commune_chairman
from giamngheo.reviews.selectors import (
    LIST_KINDS,
    STEPS,
    complaint_get,
    entries_visible_to,
    entry_get,
    last_b1_region,
    meeting_get,
    posting_get,
    round_complaints,
    round_get,
    round_overview,
    round_summary,
    rounds_visible_to,
    village_entries,
    village_meetings,
    village_postings,
    villages_of_round,
)
from giamngheo.reviews.services import (
    complaint_record,
    complaint_resolve,
    decision_issue,
    decision_prepare,
    posting_record,
    register_changes,
    review_round_open,
    review_round_standard_set,
    round_household_add,
    round_household_defer,
    round_households_seed,
    round_standard_choice,
    screening_record,
    survey_classify,
    survey_record,
    village_meeting_record,
)
from giamngheo.reviews.templatetags.reviews_tags import local
from giamngheo.standards.ages import add_months
from giamngheo.standards.b1 import region_for, score_b1
from giamngheo.standards.loader import get_standard
from giamngheo.standards.model import Standard
from giamngheo.standards.transitions import Transition
from giamngheo.units.models import Unit
from giamngheo.units.selectors import units_visible_to

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


# --- rounds ------------------------------------------------------------------------------------------------


def _communes_user_runs(request: AuthenticatedRequest) -> list[Unit]:
    user = request.user
    if not user.can_edit:
        return []
    communes = units_visible_to(user).filter(level__code="commune").order_by("sort_order", "name")
    return [c for c in communes if user.has_perm("reviews.run_round", ReviewRound(commune=c))]


@login_required
@require_http_methods(["GET", "POST"])
def round_list(request: AuthenticatedRequest) -> HttpResponse:
    communes = _communes_user_runs(request)
    form = None
    if communes:
        form = OpenRoundForm(request.POST or None, communes=communes, initial={"commune": communes[0]})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                review_round = review_round_open(
                    commune=data["commune"],
                    year=data["year"],
                    kind=data["kind"],
                    month=data.get("month"),
                    actor=request.user,
                )
                added = 0
                if not review_round.is_decided:
                    added = round_households_seed(review_round=review_round, actor=request.user)
            except InputError as error:
                add_problems(form, error)
            else:
                messages.success(
                    request,
                    _("Round %(round)s is open; %(n)s households of the current lists were put on its list.")
                    % {"round": review_round, "n": added},
                )
                if warning := _window_warning(review_round):
                    messages.warning(request, warning)
                return redirect("reviews:round_detail", pk=review_round.pk)
    elif request.method == "POST":
        raise PermissionDenied
    rounds = list(rounds_visible_to(request.user).order_by("-year", "kind", "-month", "commune__name"))
    return render(request, "reviews/round_list.html", {"rounds": rounds, "form": form})


def _window_warning(review_round: ReviewRound) -> str:
    """A warning when today is outside the period in which a round of this kind and year is held (a "2027"
    regular round opened on 07/12/2026); empty otherwise."""
    start, end = review_window(kind=review_round.kind, year=review_round.year, month=review_round.month)
    today = timezone.localdate()
    if start <= today <= end:
        return ""
    return _(
        "Round %(period)s is held from %(start)s to %(end)s, and today is %(today)s: check that the year is "
        "the one you meant."
    ) % {
        "period": review_round.period,
        "start": start.strftime("%d/%m/%Y"),
        "end": end.strftime("%d/%m/%Y"),
        "today": today.strftime("%d/%m/%Y"),
    }


def _standard_history(review_round: ReviewRound) -> list[Any]:
    """The changes of the round's standard, oldest first (the history rows where it changed)."""
    changes, previous = [], None
    for record in review_round.history.order_by("history_date", "history_id").select_related("history_user"):
        if previous is not None and record.standard_id != previous:
            changes.append(record)
        previous = record.standard_id
    return changes


def _standard_choices(choice: StandardChoice) -> list[tuple[str, str]]:
    return [(s.id, f"{local(s.name)} ({s.id})") for s in (choice.default, *choice.alternatives)]


def _standard_context(
    request: AuthenticatedRequest, review_round: ReviewRound, form: Any = None
) -> dict[str, Any]:
    choice = round_standard_choice(kind=review_round.kind, year=review_round.year)
    may_choose = (
        choice.transition
        and request.user.has_perm("reviews.run_round", review_round)
        and not review_round.is_decided
    )
    if may_choose and form is None:
        form = StandardForm(
            initial={"standard": review_round.standard_id, "reason": review_round.standard_reason},
            choices=_standard_choices(choice),
        )
    return {
        "choice": choice,
        "standard_form": form if may_choose else None,
        "standard_history": _standard_history(review_round),
        "window_warning": "" if review_round.is_decided else _window_warning(review_round),
    }


@login_required
def round_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review_round = _round_or_404(request, pk)
    _require(request, "reviews.view_round", review_round)
    return _round_detail(request, review_round)


def _round_detail(
    request: AuthenticatedRequest, review_round: ReviewRound, standard_form: Any = None
) -> HttpResponse:
    overview = round_overview(user=request.user, review_round=review_round)
    standard = _standard(review_round)
    context = {
        **_round_context(request, review_round),
        **_standard_context(request, review_round, standard_form),
        "overview": overview,
        "steps": [(step.value, step.label) for step in STEPS],
        "standard": standard,
        "list_kinds": [(kind, LIST_TITLES[kind]) for kind in LIST_KINDS],
    }
    return render(request, "reviews/round_detail.html", context)


@login_required
@require_POST
def round_standard(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record the standard the round uses (transition years only), with the reason."""
    review_round = _round_or_404(request, pk)
    _require(request, "reviews.run_round", review_round)
    choice = round_standard_choice(kind=review_round.kind, year=review_round.year)
    form = StandardForm(request.POST, choices=_standard_choices(choice))
    if form.is_valid():
        try:
            review_round_standard_set(
                review_round=review_round,
                standard_id=form.cleaned_data["standard"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except InputError as error:
            add_problems(form, error)
        else:
            messages.success(request, _("The round's standard is recorded."))
            return redirect("reviews:round_detail", pk=review_round.pk)
    return _round_detail(request, review_round, form)


@login_required
@require_POST
def round_seed(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review_round = _round_or_404(request, pk)
    _require(request, "reviews.run_round", review_round)
    try:
        added = round_households_seed(review_round=review_round, actor=request.user)
    except InputError:
        _locked_message(request, review_round)
    else:
        messages.success(request, _("%(n)s households of the current lists were added.") % {"n": added})
    return redirect("reviews:round_detail", pk=review_round.pk)


@login_required
@require_http_methods(["GET", "POST"])
def entry_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review_round = _round_or_404(request, pk)
    _require(request, "reviews.run_round", review_round)
    if refused := _refuse_if_locked(request, review_round):
        return refused
    form = _read_only(
        EntryAddForm(request.POST or None, initial={"reason": ListReason.REQUESTED}), review_round
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = Household.objects.filter(
            commune=review_round.commune, code=data["household_code"].strip()
        ).first()
        if household is None:
            form.add_error("household_code", _("No household of this commune has that code."))
        else:
            try:
                round_household_add(
                    review_round=review_round,
                    household=household,
                    reason=data["reason"],
                    request_date=data.get("request_date"),
                    note=data.get("note", ""),
                    actor=request.user,
                )
            except InputError as error:
                add_problems(form, error)
            else:
                messages.success(
                    request, _("Household %(code)s was added to the list.") % {"code": household.code}
                )
                return redirect(
                    "reviews:round_village", pk=review_round.pk, village_code=household.village.code
                )
    return render(request, "reviews/entry_add.html", {**_round_context(request, review_round), "form": form})


@login_required
def round_village(request: AuthenticatedRequest, pk: int, village_code: str) -> HttpResponse:
    review_round = _round_or_404(request, pk)
    _require(request, "reviews.view_round", review_round)
    village = _village_or_404(request, review_round, village_code)
    step = request.GET.get("step")
    step_filter = int(step) if step and step.isdigit() and int(step) in Step.values else None
    rows = village_entries(user=request.user, review_round=review_round, village=village, step=step_filter)
    context = {
        **_round_context(request, review_round),
        "village": village,
        "rows": rows,
        "steps": [(s.value, s.label) for s in STEPS],
        "step_filter": step_filter,
        "may_record": request.user.has_perm("reviews.record_village", village)
        and not review_round.is_decided,
        "meetings": village_meetings(user=request.user, review_round=review_round, village=village),
        "postings": village_postings(user=request.user, review_round=review_round, village=village),
        **_newly_escaped(review_round),
    }
    return render(request, "reviews/round_village.html", context)


def _newly_escaped(review_round: ReviewRound) -> dict[str, Any]:
    """Which movements leave a "newly escaped" household (spec §5) and until when it keeps its policy rights —
    both from the standard's ``transitions`` data."""
    rules = _standard(review_round).transitions
    kinds = {
        Transition.ESCAPED_POVERTY.value: "poor",
        Transition.ESCAPED_NEAR_POVERTY.value: "near_poor",
    }
    return {
        "newly_escaped_movements": [m for m, left in kinds.items() if left in rules.newly_escaped_from],
        "newly_escaped_until": add_months(review_round.review_date, 12 * rules.newly_escaped_years),
    }


@login_required
@require_POST
def entry_defer(request: AuthenticatedRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Leave a household for a later round (the decision page's way out for a household not through the
    steps), with the reason."""
    review_round = _round_or_404(request, pk)
    _require(request, "reviews.run_round", review_round)
    entry = _entry_or_404(request, review_round, entry_pk)
    try:
        round_household_defer(entry=entry, reason=request.POST.get("reason", ""), actor=request.user)
    except InputError as error:
        problem = error.problems[0]
        messages.error(request, problem.message_en if is_english() else problem.message_vi)
    else:
        messages.success(
            request,
            _("Household %(code)s is left for a later round: the next round brings it in.")
            % {"code": entry.household.code},
        )
    return redirect("reviews:round_village", pk=review_round.pk, village_code=entry.household.village.code)


# --- Phiếu A -----------------------------------------------------------------------------------------------


def _recordable_entry(
    request: AuthenticatedRequest, pk: int, entry_pk: int
) -> tuple[ReviewRound, RoundHousehold]:
    review_round = _round_or_404(request, pk)
    entry = _entry_or_404(request, review_round, entry_pk)
    _require(request, "reviews.record_village", entry.household.village)
    return review_round, entry


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
def request_form(request: AuthenticatedRequest, pk: int, fmt: str = "pdf") -> HttpResponse:
    """Mẫu số 01, printable: blank, or for one household of the round's commune (``?ho=CODE``)."""
    review_round = _round_or_404(request, pk)
    _require(request, "reviews.view_round", review_round)
    household = None
    if code := request.GET.get("ho"):
        entry = entries_visible_to(request.user, review_round).filter(household__code=code).first()
        if entry is None:
            raise Http404
        household = entry.household
    name = f"mau-01-{code or 'trong'}"
    if fmt == "docx":
        data = word.request_form_docx(review_round=review_round, household=household)
        return word.docx_response(data, f"{name}.docx")
    pdf = documents.request_form_pdf(review_round=review_round, household=household)
    return documents.pdf_response(pdf, f"{name}.pdf")


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
