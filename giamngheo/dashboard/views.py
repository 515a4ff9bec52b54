from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.http import AuthenticatedRequest
from giamngheo.common.replicas import reads_from_replica
from giamngheo.dashboard.selectors import home_overview
from giamngheo.units.models import Unit
from giamngheo.units.selectors import scope_q


def _year(request: AuthenticatedRequest) -> int | None:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return None
    return year if 2000 <= year <= timezone.localdate().year else None


@login_required
@reads_from_replica
def home(request: AuthenticatedRequest) -> HttpResponse:
    unit = None
    code = request.GET.get("unit")
    if code:  # a unit below the user's own (the per-unit table links here); out of scope: not found
        unit = Unit.objects.filter(scope_q(request.user), code=code).select_related("level").first()
        if unit is None:
            raise Http404(_("No such unit in your scope."))
    overview = home_overview(user=request.user, unit=unit, year=_year(request))
    years = list(range(timezone.localdate().year, 2021, -1))
    # Breadcrumb links for the units above the one shown that the user may open.
    own_path = request.user.unit.path if request.user.unit else None
    linkable = {a.code for a in overview.ancestors if own_path and a.path.startswith(own_path)}
    return render(
        request, "dashboard/home.html", {"overview": overview, "years": years, "linkable": linkable}
    )
