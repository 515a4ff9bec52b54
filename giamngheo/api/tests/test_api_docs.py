"""The schema and the interactive docs: served from our own static files, nothing from another host."""

from __future__ import annotations

import re
from urllib.parse import urlparse


def test_the_openapi_schema_is_served_and_documents_every_error_status(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403", "404", "422", "429"} <= codes, (method, path)
            assert codes & {"200", "201"}, (method, path)


def test_the_docs_page_loads_its_assets_from_this_site_only(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("vendor/swagger-ui/swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert not urlparse(asset).netloc, asset
        assert client.get(asset).status_code == 200, asset
    # Swagger UI would otherwise fetch a validity badge from validator.swagger.io.
    assert '"validatorUrl": null' in html
    # No inline script (the site's CSP allows scripts from 'self' only): only the JSON settings block.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [' type="application/json" id="swagger-settings"']
    policy = page["Content-Security-Policy"]
    assert "script-src 'self';" in policy + ";" and "data:" in policy  # the icons of Swagger UI's stylesheet


def test_the_docs_never_fall_back_to_a_cdn_page(client, settings):
    """django-ninja renders a CDN page when it is not an installed app: ours is the same vendored page."""
    settings.INSTALLED_APPS = [app for app in settings.INSTALLED_APPS if app != "ninja"]
    html = client.get("/api/docs").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("vendor/swagger-ui/swagger-ui-bundle.js") for a in assets)
    assert all(not urlparse(asset).netloc for asset in assets), assets
