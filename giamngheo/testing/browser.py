"""Browser tests: Playwright driving Debian's chromium (`make test` installs it when missing).

Playwright's own browser download cannot work here (no internet), so the system chromium is launched by
path. One session-wide Playwright for every browser test: two sync Playwright instances cannot run at once.
The live server runs in a thread of the test process; Playwright's sync API runs an event loop in this
thread too, hence DJANGO_ALLOW_ASYNC_UNSAFE for the ORM calls the fixtures make.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    # Any request to another host is a failure: every asset must be vendored.
    outside: list[str] = []
    context.on(
        "request",
        lambda request: outside.append(request.url) if not request.url.startswith(live_server.url) else None,
    )
    tab = context.new_page()
    yield tab
    context.close()
    # ORM calls made while Playwright's event loop ran may hold connections of their own: close them here.
    from django.db import connections

    connections.close_all()
    assert not outside, f"requests to outside hosts: {outside}"
