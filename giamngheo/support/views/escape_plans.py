"""Pages of escape plans and their milestones (thin: scoped reads, explicit permission, a service)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giamngheo.accounts.http import AuthenticatedRequest
from giamngheo.accounts.models import User
from giamngheo.common.web import add_problems
from giamngheo.errors import InputError
from giamngheo.support import forms, permissions, selectors, services
from giamngheo.support.models import (
    EscapePlan,
    Milestone,
    PlanStatus,
)
from giamngheo.support.views.common import _submit, _year, user_unit
from giamngheo.support.views.supports import _choices, _household_or_404, _plan_form
from giamngheo.units.selectors import scope_q

# --- escape plans -------------------------------------------------------------------------------------------


@login_required
@require_POST
def plan_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = _household_or_404(request, pk)
    if not permissions.can_manage_plans(request.user, household):
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
            actor=request.user,
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
def plans(request: AuthenticatedRequest) -> HttpResponse:
    unit = user_unit(request)
    year = _year(request, unit)
    user: User = request.user
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
def plan(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user: User = request.user
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
            add_problems(progress_form if "progress" in request.POST else manage_form, error)
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
def milestone_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user: User = request.user
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
def milestone_done(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user: User = request.user
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
