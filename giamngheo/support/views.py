"""Pages of the support tracker. Thin: read through selectors (scoped: out of scope = 404), check the
permission explicitly, call a service, show its ``InputError`` on the form (nothing written)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giamngheo.accounts.models import User
from giamngheo.errors import InputError, Problem
from giamngheo.households.models import Household
from giamngheo.reports import progress as progress_report
from giamngheo.support import forms, permissions, selectors, services
from giamngheo.support.kinds import FORMS_OF, SupportKind, SupportStatus
from giamngheo.support.models import (
    EscapePlan,
    Milestone,
    OrganisationMember,
    PlanStatus,
    ProgressReport,
    ReportState,
)
from giamngheo.support.periods import parse_period, periods_of_year
from giamngheo.text import fold
from giamngheo.units.models import Unit
from giamngheo.units.selectors import scope_q, unit_children

T = TypeVar("T")

# For the support form: which forms each kind offers (the page hides the others).
FORMS_JSON = {str(kind): [str(f) for f in forms_] for kind, forms_ in FORMS_OF.items()}


def _unit(request: HttpRequest) -> Unit:
    user: User = request.user  # type: ignore[assignment]
    if user.unit is None:
        raise PermissionDenied(_("Your account is not attached to an administrative unit yet."))
    return user.unit


def default_year(user: User, unit: Unit) -> int:
    """The year the tracker opens on: the latest year with escape plans in the unit, else this year."""
    today = timezone.localdate()
    latest = EscapePlan.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path).aggregate(
        year=Max("year")
    )["year"]
    return min(latest, today.year) if latest else today.year


def _year(request: HttpRequest, unit: Unit) -> int:
    try:
        year = int(request.GET.get("year", ""))
        if 1990 <= year <= timezone.localdate().year + 1:
            return year
    except ValueError:
        pass
    return default_year(request.user, unit)  # type: ignore[arg-type]


def _lang() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def _problem_text(problem: Problem) -> str:
    return problem.message_en if _lang() == "en" else problem.message_vi


def _write(request: HttpRequest, write: Callable[[], T], *, success: str) -> T | None:
    """Run a service for a form posted and redirected (no page to re-render): its problems become error
    messages and nothing was written (None), else the success message and the service's result."""
    try:
        result = write()
    except InputError as error:
        for problem in error.problems:
            messages.error(request, _problem_text(problem))
        return None
    messages.success(request, success)
    return result


def _submit(
    request: HttpRequest,
    form: Any,
    write: Callable[[dict[str, Any]], T],
    *,
    success: str,
    invalid: str,
) -> T | None:
    """``_write`` for a bound form: a form that does not validate says ``invalid`` and writes nothing."""
    if not form.is_valid():
        messages.error(request, invalid)
        return None
    return _write(request, lambda: write(form.cleaned_data), success=success)


# --- supports -----------------------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    year = _year(request, unit)
    kind = request.GET.get("kind") or None
    status = request.GET.get("status") or None
    query = request.GET.get("q", "").strip()
    supports = selectors.support_list(
        user=request.user,
        unit=unit,
        kind=kind if kind in SupportKind.values else None,  # type: ignore[arg-type]
        status=status if status in SupportStatus.values else None,
        year=year,
        query=query,
    )
    page = Paginator(supports, 50).get_page(request.GET.get("page"))
    households = []
    if query:
        words = fold(query).split()
        found = Household.objects.filter(scope_q(request.user, "unit_path"), unit_path__startswith=unit.path)  # type: ignore[arg-type]
        for word in words:
            found = found.filter(search_text__contains=word)
        households = list(found.select_related("village").order_by("unit_path", "code")[:20])
    return render(
        request,
        "support/index.html",
        {
            "unit": unit,
            "year": year,
            "page": page,
            "kinds": SupportKind.choices,
            "statuses": SupportStatus.choices,
            "kind": kind,
            "status": status,
            "query": query,
            "households": households,
        },
    )


def _household_or_404(request: HttpRequest, pk: int) -> Household:
    household = selectors.household_for(request.user, pk)  # type: ignore[arg-type]
    if household is None:
        raise Http404(_("No such household in your unit."))
    return household


@dataclass
class HouseholdChoices:
    """What the household page's forms offer, read once for both forms."""

    members: list[Any]
    sources: list[Any]
    organisations: list[Any]
    helpers: list[Any]


def _choices(
    request: HttpRequest, household: Household, members: list[Any] | None = None
) -> HouseholdChoices:
    user: User = request.user  # type: ignore[assignment]
    return HouseholdChoices(
        members=members if members is not None else list(household.members.order_by("id")),
        # Only the sources this user may spend from (a village head cannot pay from the commune's funds).
        sources=[
            s
            for s in selectors.sources_for_household(user, household)
            if permissions.can_manage_unit(user, s.unit)
        ],
        organisations=list(selectors.organisations_for_household(user, household)),
        helpers=list(selectors.members_for_plans(user, household)),
    )


def _support_form(choices: HouseholdChoices, data: Any = None) -> forms.SupportRecordForm:
    return forms.SupportRecordForm(
        data,
        members=choices.members,
        sources=choices.sources,
        organisations=choices.organisations,
        initial={"date": timezone.localdate()},
    )


def _plan_form(choices: HouseholdChoices, data: Any = None) -> forms.EscapePlanForm:
    return forms.EscapePlanForm(data, organisations=choices.organisations, helpers=choices.helpers)


def _household_page(
    request: HttpRequest, household: Household, *, form: Any = None, status: int = 200
) -> HttpResponse:
    panel = selectors.support_panel_for_household(request.user, household)  # type: ignore[arg-type]
    year = timezone.localdate().year
    context: dict[str, Any] = {"household": household, "panel": panel, "year": year, "forms_of": FORMS_JSON}
    if panel and (panel.can_record or panel.can_plan):
        choices = _choices(request, household, panel.members)
        if panel.can_record:
            context["form"] = form or _support_form(choices)
        if panel.can_plan:
            context["plan_form"] = _plan_form(choices)
            context["plan_years"] = [year - 1, year]
    return render(request, "support/household.html", context, status=status)


@login_required
def household(request: HttpRequest, pk: int) -> HttpResponse:
    return _household_page(request, _household_or_404(request, pk))


@login_required
@require_POST
def support_record(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household_or_404(request, pk)
    if not permissions.can_record_for_household(request.user, household):  # type: ignore[arg-type]
        raise PermissionDenied(_("You may not record supports for this household."))
    choices = _choices(request, household)
    form = _support_form(choices, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.support_record(
                actor=request.user,  # type: ignore[arg-type]
                household=household,
                kind=data["kind"],
                form=data["form"],
                status=data["status"],
                date=data["date"],
                amount=data["amount"] or 0,
                member=next((m for m in choices.members if m.pk == data["member"]), None),
                source=next((x for x in choices.sources if x.pk == data["source"]), None),
                provider=data["provider"],
                organisation=next((o for o in choices.organisations if o.pk == data["organisation"]), None),
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                details=form.details(),
                note=data["note"],
            )
        except InputError as error:
            forms.apply_input_error(form, error)
        else:
            messages.success(request, _("The support was recorded."))
            return redirect("support:household", pk=household.pk)
    return _household_page(request, household, form=form, status=400)


@login_required
def support_edit(request: HttpRequest, pk: int) -> HttpResponse:
    support = selectors.support_for(request.user, pk)  # type: ignore[arg-type]
    if support is None:
        raise Http404(_("No such support in your unit."))
    if not permissions.can_record_for_household(request.user, support.household):  # type: ignore[arg-type]
        raise PermissionDenied(_("You may not change this support."))
    initial = {
        "status": support.status,
        "date": support.date,
        "amount": support.amount,
        "valid_to": support.valid_to,
        "note": support.note,
        "version": support.version,
    }
    form = forms.SupportUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.support_update(
                actor=request.user,  # type: ignore[arg-type]
                support=support,
                expected_version=data["version"],
                status=data["status"],
                date=data["date"],
                amount=data["amount"] or 0,
                valid_to=data["valid_to"],
                note=data["note"],
            )
        except InputError as error:
            forms.apply_input_error(form, error)
        else:
            messages.success(request, _("The support was updated."))
            return redirect("support:household", pk=support.household_id)
    return render(
        request,
        "support/support_edit.html",
        {"support": support, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- escape plans -------------------------------------------------------------------------------------------


@login_required
@require_POST
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household_or_404(request, pk)
    if not permissions.can_manage_plans(request.user, household):  # type: ignore[arg-type]
        raise PermissionDenied(_("You may not make escape plans."))
    choices = _choices(request, household)
    form = _plan_form(choices, request.POST)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    plan = _submit(
        request,
        form,
        lambda data: services.escape_plan_create(
            actor=request.user,  # type: ignore[arg-type]
            household=household,
            year=year,
            group=data["group"],
            solutions=data["solutions"],
            organisation=next((o for o in choices.organisations if o.pk == data["organisation"]), None),
            helper=next((m for m in choices.helpers if m.pk == data["helper"]), None),
            notes=data["notes"],
        ),
        success=_("The escape plan was created."),
        invalid=_("Check the plan's fields."),
    )
    if plan is not None:
        return redirect("support:plan", pk=plan.pk)
    return redirect("support:household", pk=household.pk)


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    year = _year(request, unit)
    user: User = request.user  # type: ignore[assignment]
    try:
        organisation_id = int(request.GET.get("organisation", "") or 0) or None
    except ValueError:
        organisation_id = None
    status = request.GET.get("status") if request.GET.get("status") in PlanStatus.values else None
    plan_list = selectors.plan_list(
        user=user, unit=unit, year=year, organisation_id=organisation_id, status=status
    )
    page = Paginator(plan_list, 50).get_page(request.GET.get("page"))
    organisations = selectors.organisation_list(user=user, unit=unit, year=year)
    return render(
        request,
        "support/plans.html",
        {
            "unit": unit,
            "year": year,
            "page": page,
            "organisations": organisations,
            "organisation_id": organisation_id,
            "status": status,
            "statuses": PlanStatus.choices,
        },
    )


def _plan_or_404(user: User, pk: int) -> EscapePlan:
    escape_plan = selectors.plan_for(user, pk)
    if escape_plan is None:
        raise Http404(_("No such plan in your unit."))
    return escape_plan


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    escape_plan = _plan_or_404(user, pk)
    can_progress = permissions.can_record_plan_progress(user, escape_plan)
    can_manage = permissions.can_manage_plans(user, escape_plan.household)
    progress_form = forms.PlanProgressForm(
        request.POST if request.method == "POST" and "progress" in request.POST else None,
        initial={"status": escape_plan.status, "notes": escape_plan.notes, "version": escape_plan.version},
    )
    choices = _choices(request, escape_plan.household, members=[]) if can_manage else None
    manage_form = (
        _plan_form(choices, request.POST if request.method == "POST" and "manage" in request.POST else None)
        if choices
        else None
    )
    if request.method == "GET" and manage_form is not None:
        manage_form.initial = {
            "group": escape_plan.group,
            "solutions": escape_plan.solutions,
            "organisation": escape_plan.organisation_id,
            "helper": escape_plan.helper_id,
            "notes": escape_plan.notes,
        }
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if "progress" in request.POST:
                if not can_progress:
                    raise PermissionDenied(_("You may not update this plan."))
                if progress_form.is_valid():
                    data = progress_form.cleaned_data
                    services.escape_plan_update(
                        actor=user,
                        plan=escape_plan,
                        expected_version=data["version"],
                        status=data["status"],
                        notes=data["notes"],
                    )
                    messages.success(request, _("The plan was updated."))
                    return redirect("support:plan", pk=pk)
            elif "manage" in request.POST:
                if not can_manage:
                    raise PermissionDenied(_("You may not change this plan."))
                assert manage_form is not None and choices is not None
                if manage_form.is_valid():
                    data = manage_form.cleaned_data
                    services.escape_plan_update(
                        actor=user,
                        plan=escape_plan,
                        expected_version=int(request.POST.get("version", 0)),
                        group=data["group"],
                        solutions=data["solutions"],
                        organisation=next(
                            (o for o in choices.organisations if o.pk == data["organisation"]), None
                        ),
                        helper=next((m for m in choices.helpers if m.pk == data["helper"]), None),
                        notes=data["notes"],
                    )
                    messages.success(request, _("The plan was updated."))
                    return redirect("support:plan", pk=pk)
        except InputError as error:
            forms.apply_input_error(progress_form if "progress" in request.POST else manage_form, error)
    return render(
        request,
        "support/plan.html",
        {
            "plan": escape_plan,
            "progress_form": progress_form,
            "manage_form": manage_form,
            "milestone_form": forms.MilestoneForm(),
            "can_progress": can_progress,
            "can_manage": can_manage,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    escape_plan = _plan_or_404(user, pk)
    if not permissions.can_record_plan_progress(user, escape_plan):
        raise PermissionDenied(_("You may not update this plan."))
    _submit(
        request,
        forms.MilestoneForm(request.POST),
        lambda data: services.milestone_add(
            actor=user, plan=escape_plan, title=data["title"], due_date=data["due_date"]
        ),
        success=_("The milestone was added."),
        invalid=_("Give the milestone a title and a due date."),
    )
    return redirect("support:plan", pk=pk)


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    milestone = (
        Milestone.objects.filter(scope_q(user, "plan__unit_path"), pk=pk).select_related("plan").first()
    )
    if milestone is None:
        raise Http404(_("No such milestone in your unit."))
    if not permissions.can_record_plan_progress(user, milestone.plan):
        raise PermissionDenied(_("You may not update this plan."))
    _submit(
        request,
        forms.MilestoneDoneForm(request.POST),
        lambda data: services.milestone_done(actor=user, milestone=milestone, done_on=data["done_on"]),
        success=_("The milestone was marked done."),
        invalid=_("Give the date it was done."),
    )
    return redirect("support:plan", pk=milestone.plan_id)


# --- organisations ------------------------------------------------------------------------------------------


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    user: User = request.user  # type: ignore[assignment]
    year = _year(request, unit)
    can_manage = permissions.can_manage_unit(user, unit) and unit.level.code == "commune"
    form = forms.OrganisationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("You may not manage the organisations of this unit."))
        status = 400
        if form.is_valid():
            try:
                services.organisation_create(actor=user, unit=unit, **form.cleaned_data)
            except InputError as error:
                forms.apply_input_error(form, error)
            else:
                messages.success(request, _("The organisation was added."))
                return redirect("support:organisations")
    organisation_list = selectors.organisation_list(user=user, unit=unit, year=year)
    villages = list(unit_children(user=user, unit=unit)) if unit.level.code == "commune" else []
    users = list(User.objects.filter(unit__path__startswith=unit.path, is_active=True).order_by("username"))
    return render(
        request,
        "support/organisations.html",
        {
            "unit": unit,
            "year": year,
            "organisations": organisation_list,
            "form": form,
            "can_manage": can_manage,
            "member_form": forms.OrganisationMemberForm(villages=villages, users=users),
        },
        status=status,
    )


@login_required
@require_POST
def organisation_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    organisation = selectors.organisation_for(user, pk)
    if organisation is None:
        raise Http404(_("No such organisation in your unit."))
    if not permissions.can_manage_unit(user, organisation.unit):
        raise PermissionDenied(_("You may not manage this organisation."))
    villages = list(Unit.objects.filter(parent=organisation.unit))
    users = list(User.objects.filter(unit__path__startswith=organisation.unit_path, is_active=True))
    _submit(
        request,
        forms.OrganisationMemberForm(request.POST, villages=villages, users=users),
        lambda data: services.organisation_member_add(
            actor=user,
            organisation=organisation,
            full_name=data["full_name"],
            position=data["position"],
            phone=data["phone"],
            assignment=data["assignment"],
            village=next((v for v in villages if v.pk == data["village"]), None),
            user=next((u for u in users if u.pk == data["user"]), None),
        ),
        success=_("The member was added."),
        invalid=_("Check the member's fields."),
    )
    return redirect("support:organisations")


@login_required
@require_POST
def organisation_member_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    member = (
        OrganisationMember.objects.filter(scope_q(user, "organisation__unit_path"), pk=pk)
        .select_related("organisation__unit")
        .first()
    )
    if member is None:
        raise Http404(_("No such member in your unit."))
    try:
        services.organisation_member_update(actor=user, member=member, active=not member.active)
    except InputError as error:
        raise PermissionDenied(str(error)) from error
    return redirect("support:organisations")


# --- resources ----------------------------------------------------------------------------------------------


@login_required
def sources(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    user: User = request.user  # type: ignore[assignment]
    can_manage = permissions.can_manage_unit(user, unit) and unit.level.code != "village"
    form = forms.SourceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("You may not manage the funds of this unit."))
        status = 400
        if form.is_valid():
            try:
                services.source_create(actor=user, unit=unit, **form.cleaned_data)
            except InputError as error:
                forms.apply_input_error(form, error)
            else:
                messages.success(request, _("The source was added."))
                return redirect("support:sources")
    rows = selectors.sources_with_balances(user=user, unit=unit)
    for row in rows:
        row.spent = -(row.spent_signed or 0)
    totals = {
        "received": sum(r.received or 0 for r in rows),
        "spent": sum(r.spent for r in rows),
        "balance": sum(r.balance or 0 for r in rows),
    }
    return render(
        request,
        "support/sources.html",
        {"unit": unit, "sources": rows, "totals": totals, "form": form, "can_manage": can_manage},
        status=status,
    )


@login_required
def source(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    fund = selectors.source_for(user, pk)
    if fund is None:
        raise Http404(_("No such source in your unit."))
    can_manage = permissions.can_manage_unit(user, fund.unit)
    form = forms.LedgerEntryForm(request.POST or None, initial={"date": timezone.localdate()})
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("You may not write to this ledger."))
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            write = services.ledger_allocate if data["entry_type"] == "allocation" else services.ledger_spend
            try:
                write(
                    actor=user,
                    source=fund,
                    amount=data["amount"],
                    date=data["date"],
                    description=data["description"],
                )
            except InputError as error:
                forms.apply_input_error(form, error)
            else:
                messages.success(request, _("The entry was recorded."))
                return redirect("support:source", pk=pk)
    entries = list(selectors.ledger_for_source(user, fund))
    balance = 0
    for entry in entries:
        balance += entry.signed_amount
        entry.running_balance = balance
    return render(
        request,
        "support/source.html",
        {
            "source": fund,
            "entries": entries,
            "balance": balance,
            "form": form,
            "can_manage": can_manage,
            "reversal_form": forms.ReversalForm(),
        },
        status=status,
    )


@login_required
@require_POST
def ledger_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    entry = selectors.ledger_entry_for(user, pk)
    if entry is None:
        raise Http404(_("No such entry in your unit."))
    if not permissions.can_manage_unit(user, entry.source.unit):
        raise PermissionDenied(_("You may not write to this ledger."))
    _submit(
        request,
        forms.ReversalForm(request.POST),
        lambda data: services.ledger_reverse(actor=user, entry=entry, reason=data["reason"]),
        success=_("The entry was reversed."),
        invalid=_("Give the reason for the correction."),
    )
    return redirect("support:source", pk=entry.source_id)


# --- communication ------------------------------------------------------------------------------------------


@login_required
def activities(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    user: User = request.user  # type: ignore[assignment]
    year = _year(request, unit)
    units = [unit, *unit_children(user=user, unit=unit)]
    organisations = list(selectors.organisations_visible_to(user).filter(unit_path__startswith=unit.path))
    if not user.can_edit:
        mine = permissions.organisation_ids_of(user)
        organisations = [o for o in organisations if o.pk in mine]
    can_record = user.can_edit or bool(organisations)
    form = forms.ActivityForm(
        request.POST or None, units=units, organisations=organisations, initial={"date": timezone.localdate()}
    )
    status = 200
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied(_("You may not record activities."))
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.activity_record(
                    actor=user,
                    unit=next(u for u in units if u.pk == data["unit"]),
                    kind=data["kind"],
                    title=data["title"],
                    date=data["date"],
                    place=data["place"],
                    reach=data["reach"] or 0,
                    organisation=next((o for o in organisations if o.pk == data["organisation"]), None),
                    note=data["note"],
                )
            except InputError as error:
                forms.apply_input_error(form, error)
            else:
                messages.success(request, _("The activity was recorded."))
                return redirect(f"{request.path}?year={data['date'].year}")
    activity_list = selectors.activity_list(user=user, unit=unit, year=year)
    return render(
        request,
        "support/activities.html",
        {
            "unit": unit,
            "year": year,
            "activities": activity_list,
            "form": form,
            "can_record": can_record,
            "total_reach": sum(a.reach for a in activity_list),
        },
        status=status,
    )


# --- progress reports ---------------------------------------------------------------------------------------


def _report_unit(request: HttpRequest) -> Unit:
    user: User = request.user  # type: ignore[assignment]
    code = request.GET.get("unit") or request.POST.get("unit")
    if code:
        unit = Unit.objects.filter(scope_q(user), code=code).select_related("level").first()
        if unit is None:
            raise Http404(_("No such unit in your scope."))
        return unit
    return _unit(request)


def _period(request: HttpRequest, unit: Unit) -> str:
    period = request.GET.get("period") or request.POST.get("period")
    if period:
        return period
    return str(default_year(request.user, unit))  # type: ignore[arg-type]


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    unit = _report_unit(request)
    period_text = _period(request, unit)
    context: dict[str, Any] = {
        "unit": unit,
        "units": selectors.units_for_picker(user),
        "period_text": period_text,
        "awaiting": selectors.reports_awaiting(user=user),
        "can_submit": permissions.can_submit_report(user, unit),
        "submit_form": forms.ReportSubmitForm(),
    }
    try:
        period = parse_period(period_text)
    except InputError as error:
        context["error"] = _problem_text(error.problems[0])
        return render(request, "support/reports.html", context, status=400)
    built = progress_report.build_progress(user=user, unit=unit, period=period)
    versions = list(selectors.reports_for_unit(user=user, unit=unit, period=period.code))
    context.update(
        {
            "period": period,
            "periods": periods_of_year(period.year),
            "years": list(range(timezone.localdate().year, 2021, -1)),
            "progress": built.data,
            # A large unit's PDF takes seconds to render: it is prepared in the background instead.
            "pdf_in_background": len(built.data["children"]) > progress_report.PDF_UNITS_IN_FULL,
            "as_of": datetime.date.fromisoformat(built.data["period"]["as_of"]),
            "tables": progress_report.document_tables(built, _lang()),
            "charts": _chart_data(built, _lang()),
            "versions": versions,
            "approved": any(v.state == ReportState.APPROVED for v in versions),
            "pending": any(v.state == ReportState.SUBMITTED for v in versions),
        }
    )
    return render(request, "support/reports.html", context)


def _chart_data(built: progress_report.Progress, language: str) -> dict[str, Any]:
    rows = built.data["children"] or [built.data["total"]]
    items = built.data["indicator_targets"]
    return {
        "labels": [r["name"] for r in rows],
        "poor": [float(r["poor_rate"]) for r in rows],
        "near_poor": [float(r["near_poor_rate"]) for r in rows],
        "poor_target": [float(r["poor_target_rate"]) if r["poor_target_rate"] else None for r in rows],
        "indicator_labels": [progress_report.indicator_label(i["code"], language) for i in items],
        "indicator_actual": [float(i["actual"]) if i["actual"] else None for i in items],
        "indicator_target": [float(i["target"]) if i["target"] else None for i in items],
        "label_poor": _("Poor"),
        "label_near_poor": _("Near-poor"),
        "label_target": _("Target"),
        "label_actual": _("Actual"),
    }


def _file_response(content: bytes, fmt: str, name: str) -> HttpResponse:
    content_type = progress_report.FORMATS[fmt][0]
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def report_download(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    unit = _report_unit(request)
    fmt = request.GET.get("format", "pdf")
    if fmt not in progress_report.FORMATS:
        raise Http404(_("Unknown format."))
    try:
        period = parse_period(_period(request, unit))
    except InputError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    built = progress_report.build_progress(user=user, unit=unit, period=period)
    content = progress_report.render(built, fmt, _lang())
    return _file_response(content, fmt, f"bao-cao-tien-do-{unit.code}-{period.code}")


@login_required
@require_POST
def report_submit(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    unit = _report_unit(request)
    if not permissions.can_submit_report(user, unit):
        raise PermissionDenied(_("Only an officer of this unit may submit its report."))
    form = forms.ReportSubmitForm(request.POST)
    form.is_valid()
    report = _write(
        request,
        lambda: services.progress_report_submit(
            actor=user,
            unit=unit,
            period=request.POST.get("period", ""),
            reason=form.cleaned_data.get("reason", ""),
        ),
        success=_("The report was submitted to the level above."),
    )
    if report is None:
        return redirect(f"{_reports_url()}?unit={unit.code}&period={request.POST.get('period', '')}")
    return redirect("support:report", pk=report.pk)


def _reports_url() -> str:
    from django.urls import reverse

    return reverse("support:reports")


def _report_or_404(user: User, pk: int) -> ProgressReport:
    stored = selectors.report_for(user, pk)
    if stored is None:
        raise Http404(_("No such report in your scope."))
    return stored


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    stored = _report_or_404(user, pk)
    built = progress_report.Progress.from_json(stored.data)
    others = selectors.reports_for_unit(user=user, unit=stored.unit, period=stored.period)
    return render(
        request,
        "support/report.html",
        {
            "report": stored,
            "progress": built.data,
            "tables": progress_report.document_tables(built, _lang()),
            "charts": _chart_data(built, _lang()),
            "versions": others,
            "can_decide": permissions.can_decide_report(user, stored)
            and stored.state == ReportState.SUBMITTED,
            "decision_form": forms.ReportDecisionForm(),
        },
    )


@login_required
def report_version_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    stored = selectors.report_for(user, pk)
    if stored is None or fmt not in progress_report.FORMATS:
        raise Http404(_("No such report in your scope."))
    content = progress_report.render(progress_report.Progress.from_json(stored.data), fmt, _lang())
    return _file_response(
        content, fmt, f"bao-cao-tien-do-{stored.unit.code}-{stored.period}-v{stored.version}"
    )


@login_required
@require_POST
def report_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    stored = _report_or_404(user, pk)
    if not permissions.can_decide_report(user, stored):
        raise PermissionDenied(_("Only the level above may approve or return this report."))
    form = forms.ReportDecisionForm(request.POST)
    if form.is_valid():
        _write(
            request,
            lambda: services.progress_report_decide(
                actor=user,
                report=stored,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            ),
            success=_("The decision was recorded."),
        )
    return redirect("support:report", pk=pk)
