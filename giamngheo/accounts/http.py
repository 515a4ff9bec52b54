"""The request of a page behind ``login_required``: its user is a ``User``, typed so (nothing changes at run
time; the views' ``request.user`` needs no ``# type: ignore``)."""

from __future__ import annotations

from django.http import HttpRequest

from giamngheo.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    user: User  # narrower than HttpRequest's User | AnonymousUser, on purpose
