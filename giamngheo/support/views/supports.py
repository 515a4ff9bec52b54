"""Pages of supports: the tracker's overview, one household's panel, recording and editing a support.
Thin: read through selectors (scoped: out of scope = 404), check the permission explicitly, call a service,
show its ``InputError`` on the form (nothing written)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
from giamngheo.households.models import Household
from giamngheo.support import forms, permissions, selectors, services
from giamngheo.support.kinds import SupportKind, SupportStatus
from giamngheo.support.views.common import FORMS_JSON, _year, user_unit
from giamngheo.text import fold
from giamngheo.units.selectors import scope_q

# --- supports -----------------------------------------------------------------------------------------------


@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    unit = user_unit(request)
    year = _year(request, unit)
    kind = request.GET.get("kind") or None
    status = request.GET.get("status") or None
    query = request.GET.get("q", "").strip()
    supports = selectors.support_list(
        user=request.user,
        unit=unit,
        kind=kind if kind in SupportKind.values else None,
        status=status if status in SupportStatus.values else None,
        year=year,
        query=query,
    )
    page = Paginator(supports, 50).get_page(request.GET.get("page"))
    households = []
    if query:
        words = fold(query).split()
        found = Household.objects.filter(scope_q(request.user, "unit_path"), unit_path__startswith=unit.path)
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


def _household_or_404(request: AuthenticatedRequest, pk: int) -> Household:
    household = selectors.household_for(request.user, pk)
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
    request: AuthenticatedRequest, household: Household, members: list[Any] | None = None
) -> HouseholdChoices:
    user: User = request.user
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
    request: AuthenticatedRequest, household: Household, *, form: Any = None, status: int = 200
) -> HttpResponse:
    panel = selectors.support_panel_for_household(request.user, household)
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
def household(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _household_page(request, _household_or_404(request, pk))


@login_required
@require_POST
def support_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = _household_or_404(request, pk)
    if not permissions.can_record_for_household(request.user, household):
        raise PermissionDenied(_("You may not record supports for this household."))
    choices = _choices(request, household)
    form = _support_form(choices, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.support_record(
                actor=request.user,
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
            add_problems(form, error)
        else:
            messages.success(request, _("The support was recorded."))
            return redirect("support:household", pk=household.pk)
    return _household_page(request, household, form=form, status=400)


@login_required
def support_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    support = selectors.support_for(request.user, pk)
    if support is None:
        raise Http404(_("No such support in your unit."))
    if not permissions.can_record_for_household(request.user, support.household):
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
                actor=request.user,
                support=support,
                expected_version=data["version"],
                status=data["status"],
                date=data["date"],
                amount=data["amount"] or 0,
                valid_to=data["valid_to"],
                note=data["note"],
            )
        except InputError as error:
            add_problems(form, error)
        else:
            messages.success(request, _("The support was updated."))
            return redirect("support:household", pk=support.household_id)
    return render(
        request,
        "support/support_edit.html",
        {"support": support, "form": form},
        status=400 if request.method == "POST" else 200,
    )
