"""What the support tracker's pages share: the user's unit, the year a page opens on, posting a form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.http import AuthenticatedRequest
from giamngheo.accounts.models import User
from giamngheo.common.web import write_with_messages
from giamngheo.support.kinds import FORMS_OF
from giamngheo.support.models import (
    EscapePlan,
)
from giamngheo.units.models import Unit
from giamngheo.units.selectors import scope_q

T = TypeVar("T")

# For the support form: which forms each kind offers (the page hides the others).
FORMS_JSON = {str(kind): [str(f) for f in forms_] for kind, forms_ in FORMS_OF.items()}


def user_unit(request: AuthenticatedRequest) -> Unit:
    user: User = request.user
    if user.unit is None:
        raise PermissionDenied(_("Your account is not attached to an administrative unit yet."))
    return user.unit


def default_year(user: User, unit: Unit) -> int:
    """The year the tracker opens on: the latest year with escape plans in the unit, else this year."""
    today = timezone.localdate()
    latest = EscapePlan.objects.filter(scope_q(user, "unit_path"), unit_path__startswith=unit.path).aggregate(
        year=Max("year")
    )["year"]
    return min(latest, today.year) if latest else today.year


def _year(request: AuthenticatedRequest, unit: Unit) -> int:
    try:
        year = int(request.GET.get("year", ""))
        if 1990 <= year <= timezone.localdate().year + 1:
            return year
    except ValueError:
        pass
    return default_year(request.user, unit)


def _submit(
    request: AuthenticatedRequest,
    form: Any,
    write: Callable[[dict[str, Any]], T],
    *,
    success: str,
    invalid: str,
) -> T | None:
    """``_write`` for a bound form: a form that does not validate says ``invalid`` and writes nothing."""
    if not form.is_valid():
        messages.error(request, invalid)
        return None
    return write_with_messages(request, lambda: write(form.cleaned_data), success=success)
