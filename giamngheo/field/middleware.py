"""Logging out empties the offline app's storage in that browser (issue 13, part 6).

The logout answer carries ``Clear-Site-Data: "cache", "storage"``: the browser itself deletes this site's
IndexedDB (the downloaded households and the outbox), its Cache Storage and its service worker, even if no
page of the app is open. Nothing of a user stays on a shared phone after the logout.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

CLEAR_SITE_DATA = '"cache", "storage"'


class ClearDeviceOnLogout:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.logout_path = ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not self.logout_path:
            self.logout_path = reverse("accounts:logout")
        if request.method == "POST" and request.path == self.logout_path and response.status_code < 400:
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
