"""Pages of organisations and their members (thin: scoped reads, explicit permission, a service)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from giamngheo.accounts.http import AuthenticatedRequest
from giamngheo.accounts.models import User
from giamngheo.common.web import add_problems
from giamngheo.errors import InputError
from giamngheo.support import forms, permissions, selectors, services
from giamngheo.support.models import (
    OrganisationMember,
)
from giamngheo.support.views.common import _submit, _year, user_unit
from giamngheo.units.models import Unit
from giamngheo.units.selectors import scope_q, unit_children

# --- organisations ------------------------------------------------------------------------------------------


@login_required
def organisations(request: AuthenticatedRequest) -> HttpResponse:
    unit = user_unit(request)
    user: User = request.user
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
                add_problems(form, error)
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
def organisation_member_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user: User = request.user
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
def organisation_member_toggle(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user: User = request.user
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
