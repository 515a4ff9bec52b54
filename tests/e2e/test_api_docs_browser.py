"""The API's interactive docs in a real browser: rendered from this site's files only.

Kept out of ``giamngheo/api/tests``: a live server needs a transactional database, which must not run while
that package's shared demo register holds its outer transaction (PostgreSQL would wait on it for ever)."""

from __future__ import annotations

import pytest


@pytest.mark.browser
def test_the_docs_page_renders_in_a_browser_without_the_internet(page, live_server):
    # The ``page`` fixture fails the test on any request to another host.
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "giamngheo API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-tag")
