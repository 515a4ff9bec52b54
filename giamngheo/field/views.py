"""The offline field app's pages (issue 13). They carry no personal data and need no login: the service worker
keeps them for work without signal; the data come from the API into the phone's IndexedDB (``static/field``).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

# The app shell: every static file a field page loads (the pages themselves are listed by URL name).
SHELL_STATIC = (
    "css/fonts.css",
    "css/app.css",
    "field/field.css",
    "field/scoring.js",
    "field/store.js",
    "field/field.js",
    "field/icons/icon-192.png",
    "field/icons/icon-512.png",
    "img/favicon.svg",
) + tuple(
    f"vendor/fonts/be-vietnam-pro/be-vietnam-pro-{subset}-{weight}-normal.woff2"
    for subset in ("vietnamese", "latin-ext", "latin")
    for weight in (400, 600, 700)
)
PAGES = ("field:home", "field:form_a", "field:form_b", "field:outbox", "field:manifest")
THEME = "#b3261e"
TEMPLATES = Path(__file__).parent / "templates" / "field"


def _texts() -> dict[str, str]:
    """The words the scripts show, in the page's language (the pages carry them as a JSON block)."""
    return {
        "poor": _("Poor"),
        "near_poor": _("Near-poor"),
        "average": _("Average living standard"),
        "not_poor": _("Not poor"),
        "screened_out": _("Screened out: not surveyed with Phiếu B"),
        "screened_in": _("Passes Phiếu A: survey with Phiếu B"),
        "yes_count": _("“Yes” answers"),
        "deprivations": _("Deprivations"),
        "b2_score": _("B2 score"),
        "need_income": _("Enter the B1 score or the income per person (or both)."),
        "need_answers": _("Answer every question."),
        "saved": _("Saved on this phone; it will be sent at the next sync."),
        "downloading": _("Downloading…"),
        "downloaded": _("Downloaded"),
        "households": _("households"),
        "no_assignment": _("Nothing downloaded yet: connect, log in and download your assignment."),
        "expired": _("The downloaded data expired and was deleted from this phone: download again."),
        "expires": _("Kept on this phone until"),
        "login": _("Log in first (your session ended), then try again."),
        "offline": _("No connection: the surveys wait here until the phone is online."),
        "state_draft": _("Draft"),
        "state_queued": _("Waiting to be sent"),
        "state_accepted": _("Accepted"),
        "state_conflict": _("Conflict"),
        "state_refused": _("Refused"),
        "last_sync": _("Last successful sync"),
        "never": _("never"),
        "syncing": _("Sending…"),
        "sync_done": _("Sync finished"),
        "nothing_to_send": _("Nothing to send."),
        "form_a": _("Phiếu A"),
        "form_b": _("Phiếu B"),
        "not_found": _("This household is not in your downloaded assignment."),
        "other_user": _("The data of another user were deleted from this phone."),
    }


def _page(request: HttpRequest, template: str, **context: Any) -> HttpResponse:
    return render(
        request,
        template,
        {
            "texts": _texts(),
            "theme": THEME,
            "urls": {
                "assignment": "/api/field/assignment",
                "households": "/api/field/assignment/households",
                "surveys": "/api/surveys",
                "surveys_batch": "/api/surveys/batch",
                "home": reverse("field:home"),
                "form_a": reverse("field:form_a"),
                "form_b": reverse("field:form_b"),
                "outbox": reverse("field:outbox"),
                "sw": reverse("field:sw"),
                "login": reverse("accounts:login"),
            },
            **context,
        },
    )


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return _page(request, "field/home.html", page="home")


@require_GET
def form_a(request: HttpRequest) -> HttpResponse:
    return _page(request, "field/form_a.html", page="form_a")


@require_GET
def form_b(request: HttpRequest) -> HttpResponse:
    return _page(request, "field/form_b.html", page="form_b")


@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    return _page(request, "field/outbox.html", page="outbox")


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    home_url = reverse("field:home")
    data = {
        "name": "giamngheo — Rà soát thực địa / Field review",
        "short_name": "Rà soát",
        "description": _("Phiếu A and Phiếu B at the household's door, with or without signal."),
        "lang": "vi",
        "start_url": home_url,
        "scope": home_url,
        "id": home_url,
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME,
        "background_color": "#f6f7f9",
        "icons": [
            {"src": static("field/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("field/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("field/icons/icon-512-maskable.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


@lru_cache(maxsize=1)
def _shell_version() -> str:
    """A digest of the shell's files: a new release changes it, so phones fetch the new shell."""
    digest = hashlib.sha256(settings.STATIC_URL.encode())
    for name in SHELL_STATIC:
        found = finders.find(name)
        if found:
            digest.update(Path(found).read_bytes())
    for template in sorted(TEMPLATES.glob("*")):
        digest.update(template.read_bytes())
    return digest.hexdigest()[:16]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The hand-written service worker (``templates/field/sw.js``), with this release's shell list."""
    shell = [reverse(name) for name in PAGES] + [static(name) for name in SHELL_STATIC]
    body = render(
        request,
        "field/sw.js",
        {
            "version": json.dumps(_shell_version()),
            "shell": json.dumps(shell),
            "scope": json.dumps(reverse("field:home")),
        },
        content_type="text/javascript; charset=utf-8",
    )
    body["Cache-Control"] = "no-cache"
    return body
