"""The two web pages of the API: a user's own tokens (create, list, revoke) and partners' lookups of the
people of the user's area."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from giamngheo.accounts.http import AuthenticatedRequest
from giamngheo.accounts.models import User
from giamngheo.api.models import ApiToken
from giamngheo.api.selectors import lookups_visible_to
from giamngheo.api.tokens import token_create, token_revoke, tokens_of
from giamngheo.errors import InputError

LOOKUPS_SHOWN = 200


@login_required
def token_page(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    new_secret = None
    error = None
    if request.method == "POST":
        if "revoke" in request.POST:
            pk = request.POST.get("revoke", "")
            token = tokens_of(user).filter(pk=int(pk)).first() if pk.isdigit() else None
            if token is None:
                raise Http404(_("No such token"))
            token_revoke(token=token)
        else:
            days_text = request.POST.get("days", "").strip()
            try:
                days = int(days_text) if days_text else 90
                new_secret = token_create(user=user, name=request.POST.get("name", ""), days=days).secret
            except ValueError:
                error = _("The number of days must be a whole number.")
            except InputError as problem:
                error = f"{problem.problems[0].message_vi} / {problem.problems[0].message_en}"
    context = {"tokens": list(tokens_of(user)), "new_secret": new_secret, "error": error}
    return render(request, "api/tokens.html", context, status=400 if error else 200)


@login_required
def lookup_page(request: AuthenticatedRequest) -> HttpResponse:
    rows = list(lookups_visible_to(request.user).order_by("-at", "-pk")[:LOOKUPS_SHOWN])
    return render(request, "api/lookups.html", {"rows": rows, "shown": LOOKUPS_SHOWN})


__all__ = ["ApiToken", "lookup_page", "token_page"]
