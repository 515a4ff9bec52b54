"""The API against its own OpenAPI schema (schemathesis, in-process through the WSGI app, no network): no
server error, no answer outside the schema, no undocumented status, and credentials enforced."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from giamngheo.testing.api import bearer

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI handler closes the database connection after each request (``close_old_connections``), which
    would end the test's transaction on PostgreSQL; Django's test ``Client`` disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def headers(officer, partner, demo_register):  # type: ignore[no-untyped-def]
    # The offline app's assignment is gzip'd for clients that accept it; the in-process WSGI client would not
    # decompress it, so it asks for the plain body.
    plain = {"Accept-Encoding": "identity"}
    return {"staff": {**bearer(officer), **plain}, "partner": {**bearer(partner), **plain}}


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@override_settings(API_RATE_LIMIT="100000/60")
def test_the_api_keeps_to_its_schema(case, headers):
    who = "partner" if case.path.startswith("/api/partner/") else "staff"
    case.call_and_validate(
        headers=headers[who],
        # "Schema-valid data is accepted" cannot hold for an opaque cursor (only the API issues valid ones)
        # or a period that has not started yet: those answer 422 with the field named, by design.
        excluded_checks=[positive_data_acceptance],
        # Sent again without the token, every operation must answer 401 (on top of the default checks:
        # no server error, status codes, content types, bodies and headers as documented).
        additional_checks=[ignored_auth],
    )
