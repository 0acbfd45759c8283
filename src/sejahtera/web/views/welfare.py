"""Welfare ranking pages: desil distributions per region, the PMT models, and plotly.js.

The distributions are aggregates, open to every logged-in role within their membership regions;
a count links to the family list only where the user may read the families behind it. plotly.js
is served from the plotly wheel installed with the package: no page loads anything from outside.
"""

from __future__ import annotations

import gzip
import importlib.util
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import etag, require_GET, require_POST

from sejahtera.regions.models import Region
from sejahtera.welfare import selectors, services
from sejahtera.welfare.explain import variable_label
from sejahtera.welfare.pmt import VARIABLES
from sejahtera.welfare.selectors import AreaCounts, Distribution

# Desil 1 (poorest) to 10: warm to cool.
DESIL_COLOURS = ["#8c2d04", "#cc4c02", "#ec7014", "#fe9929", "#fec44f",
                 "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8"]


# -- plotly.js -----------------------------------------------------------------------------------

def plotly_path() -> Path:
    spec = importlib.util.find_spec("plotly")  # located, not imported: the Python side is not needed
    return Path(spec.submodule_search_locations[0]) / "package_data" / "plotly.min.js"


@cache
def plotly_version() -> str:
    return version("plotly")


@cache
def _plotly_gzipped() -> bytes:
    return gzip.compress(plotly_path().read_bytes(), compresslevel=6)


def plotly_url() -> str:
    """The script's address; the version in it lets browsers keep the file for a year."""
    return f"{reverse('web:plotly_js')}?v={plotly_version()}"


@require_GET
@etag(lambda request: plotly_version())
def plotly_js(request):
    if re.search(r"\bgzip\b", request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(_plotly_gzipped(), content_type="text/javascript; charset=utf-8")
        response["Content-Encoding"] = "gzip"
    else:
        response = FileResponse(plotly_path().open("rb"), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Vary"] = "Accept-Encoding"
    return response


# -- distributions -------------------------------------------------------------------------------

@dataclass
class Cell:
    value: int
    url: str = ""


@dataclass
class Row:
    code: str
    name: str
    drill_url: str
    families: list[Cell]  # desil 1..10, then total, poor, extremely poor
    persons: list[int]


def _covered(user, distribution: Distribution, code: str) -> bool:
    """Does the family list show the user every family counted for region ``code``?"""
    personal = user.personal_data_scopes
    counted = selectors._within(distribution.scopes, code)
    return bool(counted) and all(any(part.startswith(scope) for scope in personal) for part in counted)


def _list_url(code: str, **filters) -> str:
    query = {}
    if len(code) >= 6:
        query["kecamatan"] = code[:6]
    if len(code) == 10:
        query["desa"] = code
    query.update(filters)
    return f"{reverse('web:family_list')}?{urlencode(query)}"


def _row(user, distribution: Distribution, counts: AreaCounts, *, drill: bool) -> Row:
    linked = _covered(user, distribution, counts.code)

    def cell(value: int, **filters) -> Cell:
        return Cell(value, _list_url(counts.code, **filters) if linked and value else "")

    families = [cell(n, desil=d) for d, n in enumerate(counts.families, start=1)]
    families += [cell(counts.total_families, welfare="scored"), cell(counts.poor_families, welfare="poor"),
                 cell(counts.extreme_families, welfare="extreme")]
    persons = [*counts.persons, counts.total_persons, counts.poor_persons, counts.extreme_persons]
    drill_url = reverse("web:welfare_kecamatan", args=[counts.code]) if drill else ""
    return Row(counts.code, counts.name, drill_url, families, persons)


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _chart_data(distribution: Distribution) -> dict:
    rows = distribution.rows
    return {
        "areas": [row.name for row in rows],
        "families": [[row.families[d] for row in rows] for d in range(10)],
        "colours": DESIL_COLOURS,
        "poor": [_share(row.poor_families, row.total_families) for row in rows],
        "extreme": [_share(row.extreme_families, row.total_families) for row in rows],
        "text": {
            "desil": _("Desil %(desil)s") % {"desil": "{d}"},
            "shareAxis": _("Share of the scored families (%)"),
            "poor": _("Below the poverty line"),
            "extreme": _("Below the extreme-poverty line"),
            "families": _("families"),
        },
    }


def _render_distribution(request, distribution: Distribution):
    user = request.user
    drill = distribution.kecamatan is None
    rows = [_row(user, distribution, counts, drill=drill) for counts in distribution.rows]
    total = _row(user, distribution, distribution.total, drill=False)
    scope_names = dict(Region.objects.filter(code__in=distribution.scopes).values_list("code", "name"))
    return render(request, "web/welfare/distribution.html", {
        "distribution": distribution,
        "rows": rows,
        "total": total,
        "desil_range": range(1, 11),
        "area_label": _("Village") if distribution.kecamatan else _("District"),
        "scope_names": [scope_names.get(code, code) for code in distribution.scopes],
        "whole_area": distribution.scopes == [(distribution.kecamatan or distribution.regency).code],
        "chart_data": _chart_data(distribution),
        "plotly_url": plotly_url(),
    })


@never_cache
@login_required
@require_GET
def welfare_distribution(request):
    if not selectors.aggregate_scopes(request.user):
        raise PermissionDenied
    return _render_distribution(request, selectors.welfare_distribution(request.user))


@never_cache
@login_required
@require_GET
def welfare_kecamatan(request, code: str):
    if not selectors.aggregate_scopes(request.user):
        raise PermissionDenied
    return _render_distribution(request, selectors.welfare_distribution(request.user, code))


# -- PMT models ----------------------------------------------------------------------------------

@dataclass
class ReportRow:
    label: str
    train: str
    held_out: str


def _number(value, digits: int = 0) -> str:
    """Rounded (``number_format`` alone cuts digits off) and grouped the local way."""
    if value is None or value == "":
        return "—"
    return number_format(round(value, digits), digits, force_grouping=True)


def _percent(value) -> str:
    return "—" if value is None else f"{_number(100 * value, 1)} %"


def calibration_report(calibration: dict) -> dict:
    """The calibration report as rows to show. Older models carry only ``n``, ``r2``, ``rmse_log``
    of their fitting sample: those fill the training column."""
    calibration = calibration or {}
    sample, split = calibration.get("sample") or {}, calibration.get("split") or {}
    train = calibration.get("train") or {key: calibration[key] for key in ("r2", "rmse_log") if key in calibration}
    held = calibration.get("held_out") or {}
    train_n = split.get("train", calibration.get("n"))
    rows = [
        ReportRow(_("Families"), _number(train_n), _number(held.get("n", split.get("held_out")))),
        ReportRow(_("R² (log consumption)"), _number(train.get("r2"), 3), _number(held.get("r2"), 3)),
        ReportRow(_("RMSE (log consumption)"), _number(train.get("rmse_log"), 3), _number(held.get("rmse_log"), 3)),
    ]
    targeting = []
    if any(key in held for key in ("inclusion_error", "exclusion_error", "cutoff_share")):
        targeting = [
            (_("Cut-off: poorest share ranked poor"), _percent(held.get("cutoff_share"))),
            (_("Inclusion error (ranked poor, not poor)"), _percent(held.get("inclusion_error"))),
            (_("Exclusion error (poor, not ranked poor)"), _percent(held.get("exclusion_error"))),
        ]
    about = [(label, value) for label, value in ((_("Source"), calibration.get("source")),
                                                 (_("Method"), calibration.get("method"))) if value]
    facts = [(label, value) for label, value in (
        (_("Sample file"), sample.get("file")),
        (_("Sample rows"), _number(sample.get("rows")) if sample.get("rows") is not None else None),
        (_("Held-out share"), _percent(split["held_out_share"]) if "held_out_share" in split else None),
        (_("Random seed of the split"), split.get("seed")),
    ) if value not in (None, "")]
    return {"about": about, "facts": facts, "rows": rows, "targeting": targeting, "has_held_out": bool(held),
            "has_means": bool(calibration.get("means"))}


@dataclass
class CoefficientRow:
    variable: str
    label: str
    value: float
    effect: str  # per unit, on predicted consumption
    reference: str


def coefficient_rows(model) -> list[CoefficientRow]:
    means = (model.calibration or {}).get("means") or {}
    order = {name: position for position, name in enumerate(VARIABLES)}
    rows = []
    for coefficient in sorted(model.coefficients.all(), key=lambda c: (order.get(c.variable, len(order)), c.variable)):
        effect = 100 * (math.exp(coefficient.value) - 1)
        rows.append(CoefficientRow(
            coefficient.variable, variable_label(coefficient.variable), coefficient.value,
            f"{'+' if effect >= 0 else '−'}{_number(abs(effect), 1)} %",
            _number(means[coefficient.variable], 3) if coefficient.variable in means else "—",
        ))
    return rows


@never_cache
@login_required
@require_GET
def pmt_model_list(request):
    models = list(selectors.pmt_model_list(request.user))
    for model in models:
        model.source = (model.calibration or {}).get("source", "")
    return render(request, "web/welfare/model_list.html", {"models": models})


@never_cache
@login_required
@require_GET
def pmt_model_detail(request, pk: int):
    model = selectors.pmt_model_get(request.user, pk)
    return render(request, "web/welfare/model_detail.html", {
        "model": model,
        "report": calibration_report(model.calibration),
        "coefficients": coefficient_rows(model),
        "can_activate": not model.is_active and services.can_activate(request.user, model),
    })


@login_required
@require_POST
def pmt_model_activate(request, pk: int):
    model = selectors.pmt_model_get(request.user, pk)
    services.pmt_model_activate(actor=request.user, model=model)
    messages.success(request, _("PMT model version %(version)s is now active. The next scoring run ranks every "
                                "family with it.") % {"version": model.version})
    return redirect("web:pmt_model_detail", pk=model.pk)
