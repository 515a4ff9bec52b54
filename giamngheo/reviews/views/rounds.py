"""Pages of a round: the list of rounds and opening one, the round's page and its standard, its list of
households (seeding, adding, a village's list, leaving a household for a later round) and the request to
be listed (Mẫu số 01)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from giamngheo.accounts.http import AuthenticatedRequest
from giamngheo.common.web import add_problems, is_english
from giamngheo.errors import InputError
from giamngheo.households.models import Household
from giamngheo.reviews import documents, word
from giamngheo.reviews.forms import EntryAddForm, OpenRoundForm, StandardForm
from giamngheo.reviews.labels import LIST_TITLES
from giamngheo.reviews.models import ListReason, ReviewRound, Step
from giamngheo.reviews.procedure import StandardChoice, review_window
from giamngheo.reviews.selectors import (
    LIST_KINDS,
    STEPS,
    entries_visible_to,
    round_overview,
    rounds_visible_to,
    village_entries,
    village_meetings,
    village_postings,
)
from giamngheo.reviews.services import (
    review_round_open,
    review_round_standard_set,
    round_household_add,
    round_household_defer,
    round_households_seed,
    round_standard_choice,
)
from giamngheo.reviews.templatetags.reviews_tags import local
from giamngheo.reviews.views.common import (
    _entry_or_404,
    _locked_message,
    _read_only,
    _refuse_if_locked,
    _require,
    _round_context,
    _round_or_404,
    _standard,
    _village_or_404,
)
from giamngheo.standards.ages import add_months
from giamngheo.standards.transitions import Transition
from giamngheo.units.models import Unit
from giamngheo.units.selectors import units_visible_to

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
