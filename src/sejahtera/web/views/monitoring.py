"""Monitoring dashboards: the regency overview and the drill-down to a kecamatan and a desa.

Figures only (``web.views.monitoring_dashboard`` gathers them from precomputed data), open to every
logged-in role within its membership regions: a region outside them answers 404
(``monitoring.selectors.regions_for``, on ``welfare.selectors.aggregate_scopes``). A user whose
regions are smaller than the regency is sent from the overview to their own region's page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sejahtera.monitoring import selectors
from sejahtera.regions.models import Region
from sejahtera.web.views import monitoring_dashboard as dashboards
from sejahtera.web.views.monitoring_entry import may_enter_any, may_plan
from sejahtera.web.views.welfare import plotly_url
from sejahtera.welfare.selectors import regency_code


def _render(request, code: str):
    board = dashboards.build(request.user, code, year_asked=request.GET.get("year", ""),
                             period_asked=request.GET.get("period", ""))
    return render(request, "web/monitoring/dashboard.html", {
        "board": board, "plotly_url": plotly_url(), "desil_range": range(1, 11),
        "can_enter": may_enter_any(request.user), "can_plan": may_plan(request.user),
    })


def _checked(user, code: str, length: int) -> str:
    """The region code if it is of the asked level and within the user's scopes; 404 otherwise."""
    code = code.replace(".", "").strip()
    if len(code) != length or not code.isdigit():
        raise Http404
    return selectors.regions_for(user, code)[0]


@never_cache
@login_required
@require_GET
def monitoring_overview(request):
    scopes = selectors.user_scopes(request.user)
    if not scopes:
        raise PermissionDenied
    regency = regency_code()
    if regency in scopes:
        return _render(request, regency)
    if len(scopes) == 1:
        return redirect(dashboards.dashboard_url(scopes[0]))
    regions = Region.objects.filter(code__in=scopes).order_by("code")
    return render(request, "web/monitoring/scopes.html", {
        "regions": [(region, dashboards.dashboard_url(region.code)) for region in regions]})


@never_cache
@login_required
@require_GET
def monitoring_kecamatan(request, code: str):
    return _render(request, _checked(request.user, code, 6))


@never_cache
@login_required
@require_GET
def monitoring_desa(request, code: str):
    return _render(request, _checked(request.user, code, 10))
