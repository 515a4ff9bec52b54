"""Pages of the resource ledger: fund sources, entries, reversals (thin: scoped reads, a service)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
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
from giamngheo.support.views.common import _submit, user_unit


class _SourceRow(selectors.Balances):
    spent: int  # set below: the money spent, as a positive amount


class _EntryRow(TypedDict):
    running_balance: int  # set below: the balance after the entry


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from giamngheo.support.models import FundSource, LedgerEntry

    _SourceRows = list[WithAnnotations[FundSource, _SourceRow]]
    _EntryRows = list[WithAnnotations[LedgerEntry, _EntryRow]]

# --- resources ----------------------------------------------------------------------------------------------


@login_required
def sources(request: AuthenticatedRequest) -> HttpResponse:
    unit = user_unit(request)
    user: User = request.user
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
                add_problems(form, error)
            else:
                messages.success(request, _("The source was added."))
                return redirect("support:sources")
    rows = cast("_SourceRows", selectors.sources_with_balances(user=user, unit=unit))
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
def source(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user: User = request.user
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
                add_problems(form, error)
            else:
                messages.success(request, _("The entry was recorded."))
                return redirect("support:source", pk=pk)
    entries = cast("_EntryRows", list(selectors.ledger_for_source(user, fund)))
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
def ledger_reverse(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user: User = request.user
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
