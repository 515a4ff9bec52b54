"""A partner institution's user works through the API only: on the web it reaches its token page, the
lookups page and logging out — never the register, reviews or reports its province's scope would show."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from giamngheo.accounts.models import Role

ALLOWED_PREFIXES = ("/api/", "/dang-xuat/", "/dang-nhap/", "/i18n/", "/static/", "/favicon")


class PartnersUseTheApiOnly:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "role", "") == Role.PARTNER
            and not request.path.startswith(ALLOWED_PREFIXES)
        ):
            if request.path == "/":  # where the login lands: the partner's own page instead
                return redirect("api_tokens")
            raise PermissionDenied
        return self.get_response(request)
