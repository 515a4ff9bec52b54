from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from giamngheo.accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def locked_out(request: HttpRequest, response: HttpResponse | None = None, credentials: dict | None = None):
    """AXES_LOCKOUT_CALLABLE: the login page again, saying why it refuses (429), on every login path."""
    page = TemplateResponse(
        request,
        "accounts/login.html",
        {
            "form": LoginForm(request),
            "locked_out_minutes": max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60),
            "next": request.POST.get("next", ""),
        },
        status=429,
    )
    return page.render()
