"""The API against its own OpenAPI schema (schemathesis, in-process through the WSGI app, no network): no
server error, no answer outside the schema, no undocumented status, and credentials enforced."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from giamngheo.api.tests.conftest import bearer

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def headers(officer, partner, demo_register):  # type: ignore[no-untyped-def]
    return {"staff": bearer(officer), "partner": bearer(partner)}


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
