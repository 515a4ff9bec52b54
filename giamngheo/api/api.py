"""The REST API: django-ninja at ``/api/``, OpenAPI 3 at ``/api/openapi.json``, docs at ``/api/docs``."""

from __future__ import annotations

from pathlib import Path

from csp.decorators import csp_update
from ninja import NinjaAPI, Swagger

from giamngheo.api import errors
from giamngheo.api.endpoints import field, households, partner, plans, reviews, standards, surveys, units
from giamngheo.api.security import STAFF_AUTH, PerTokenThrottle

DESCRIPTION = """\
API của giamngheo — the giamngheo API.

* **Auth**: `Authorization: Bearer <token>` (get one with `giamngheo api token create --user NAME`, or on
  your page `/api/trang/ma-truy-cap/`), or the browser's session (writes need the `X-CSRFToken` header).
  A token acts with its user's role and unit: the same data as the web pages.
* **Pages**: lists answer `next_cursor`; pass it back as `cursor` for the next page (null: the last page).
* **Errors**: one shape, `{status, code, message_vi, message_en, problems: [{field, message_vi, …}]}`.
* **Limits**: too many requests per token answer 429 with `Retry-After` (seconds).
"""


class VendoredSwagger(Swagger):
    """Swagger UI from our own static files (``static/vendor/swagger-ui``, ``static/js/api-docs.js``).

    django-ninja renders its CDN page when ``ninja`` is not an installed app; both names point at our page,
    so no setting can make the docs load anything from the internet."""

    template = "api/docs.html"
    template_cdn = str(Path(__file__).parent / "templates" / template)  # a file path, as ninja reads it


api = NinjaAPI(
    title="giamngheo API",
    version="1",
    description=DESCRIPTION,
    auth=STAFF_AUTH,
    throttle=[PerTokenThrottle()],
    urls_namespace="api",
    # The docs page loads only our vendored Swagger UI; no online validator.
    docs=VendoredSwagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    # Swagger UI's stylesheet draws its icons as data: images; scripts stay 'self' only.
    docs_decorator=csp_update({"img-src": ["data:"]}),
)
errors.install(api)

for module in (units, households, reviews, surveys, field, plans, standards, partner):
    api.add_router("", module.router)
