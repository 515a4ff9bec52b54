"""Pages of communication activities (thin: scoped reads, explicit permission, a service)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.http import AuthenticatedRequest
from giamngheo.accounts.models import User
from giamngheo.common.web import add_problems
from giamngheo.errors import InputError
from giamngheo.support import forms, permissions, selectors, services
from giamngheo.support.views.common import _year, user_unit
from giamngheo.units.selectors import unit_children

# --- communication ------------------------------------------------------------------------------------------


@login_required
def activities(request: AuthenticatedRequest) -> HttpResponse:
    unit = user_unit(request)
    user: User = request.user
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
                add_problems(form, error)
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
