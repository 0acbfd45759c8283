"""Targeting pages: coverage, exclusion, inclusion and persons over the rules, per kecamatan and
desa, for all programmes or one; the lists behind the figures, and their exports.

The figures are aggregates (``programs.analytics``), open to every logged-in role within its
membership regions. A figure links to its list only where the user may read every record
behind it. The lists are personal data: planners get the "aggregates only" page, NIK and
No. KK are masked by role, every page shown and every export is written to the audit log.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sejahtera.core.models import AuditEvent
from sejahtera.programs import analytics
from sejahtera.programs.analytics import AreaFigures, Targeting
from sejahtera.programs.selectors import programme_list
from sejahtera.regions.models import Region
from sejahtera.registry import exports
from sejahtera.registry.models import Person
from sejahtera.web.pagination import CappedPaginator
from sejahtera.web.presenters import attach_member_counts
from sejahtera.web.views.exports import export_file_response
from sejahtera.web.views.welfare import plotly_url
from sejahtera.welfare import selectors as welfare_selectors
from sejahtera.welfare.models import WelfareScore

PAGE_SIZE = 50
REGION_CODE = re.compile(r"^\d{4}(\d{2}(\d{4})?)?$")


# -- the figures ---------------------------------------------------------------------------------

@dataclass
class Cell:
    value: int
    url: str = ""


@dataclass
class Row:
    code: str
    name: str
    drill_url: str
    figures: AreaFigures
    cells: dict[str, Cell]  # per figure of analytics.FIGURES


def list_url(figure: str, region: str, programme=None) -> str:
    query = {"figure": figure, "region": region}
    if programme is not None:
        query["programme"] = programme.code
    return f"{reverse('web:targeting_list')}?{urlencode(query)}"


def _row(user, result: Targeting, figures: AreaFigures, *, drill: bool) -> Row:
    linked = analytics.user_reads_all_of(user, result.scopes, figures.code)
    cells = {}
    for figure in analytics.FIGURES:
        value = getattr(figures, figure)
        cells[figure] = Cell(value, list_url(figure, figures.code, result.programme) if linked and value else "")
    drill_url = ""
    if drill:
        drill_url = reverse("web:targeting_kecamatan", args=[figures.code])
        if result.programme is not None:
            drill_url += f"?{urlencode({'programme': result.programme.code})}"
    return Row(figures.code, figures.name, drill_url, figures, cells)


def _chart_data(rows: list[Row]) -> dict:
    def rate(row: Row, name: str) -> float:
        return getattr(row.figures, name) or 0.0

    return {
        "areas": [row.name for row in rows],
        "series": [
            {"name": _("Coverage of desil 1-4"), "colour": "#1d91c0", "figure": "covered",
             "rates": [rate(row, "coverage_rate") for row in rows], "urls": [row.cells["covered"].url for row in rows]},
            {"name": _("Exclusion of the poor"), "colour": "#cc4c02", "figure": "excluded",
             "rates": [rate(row, "exclusion_rate") for row in rows],
             "urls": [row.cells["excluded"].url for row in rows]},
            {"name": _("Inclusion of desil 7-10"), "colour": "#7fcdbb", "figure": "included",
             "rates": [rate(row, "inclusion_rate") for row in rows],
             "urls": [row.cells["included"].url for row in rows]},
        ],
        "text": {"axis": _("Share (%)")},
    }


def _render_targeting(request, kecamatan_code: str = ""):
    user = request.user
    if not welfare_selectors.aggregate_scopes(user):
        raise PermissionDenied
    programme = analytics.programme_get(user, request.GET.get("programme", ""))
    result = analytics.targeting(user, programme=programme, kecamatan_code=kecamatan_code)
    drill = result.kecamatan is None
    rows = [_row(user, result, figures, drill=drill) for figures in result.rows]
    return render(request, "web/targeting/overview.html", {
        "result": result,
        "rows": rows,
        "total": _row(user, result, result.total, drill=False),
        "programmes": programme_list(user),
        "area_label": _("Village") if result.kecamatan else _("District"),
        "chart_data": _chart_data(rows),
        "plotly_url": plotly_url(),
    })


@never_cache
@login_required
@require_GET
def targeting_overview(request):
    return _render_targeting(request)


@never_cache
@login_required
@require_GET
def targeting_kecamatan(request, code: str):
    return _render_targeting(request, code)


# -- the lists -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ListRequest:
    """What a list or an export shows; also what the audit log records of it."""

    figure: str
    region: str
    programme: str


def _parse(request) -> tuple[ListRequest, object]:
    """The figure, region and programme of the query string; 404 when one is not valid."""
    figure = request.GET.get("figure", "")
    region = request.GET.get("region", "") or welfare_selectors.regency_code()
    if figure not in analytics.FIGURES or not REGION_CODE.match(region) \
            or not region.startswith(welfare_selectors.regency_code()):
        raise Http404
    programme = analytics.programme_get(request.user, request.GET.get("programme", ""))
    return ListRequest(figure, region, programme.code if programme else ""), programme


def _records(user, chosen: ListRequest, programme):
    if chosen.figure == "multi":
        return analytics.person_list(user, region=chosen.region, programme=programme)
    return analytics.family_list(user, chosen.figure, region=chosen.region, programme=programme)


def _attach_programmes(persons: list[Person], programme) -> None:
    """Set ``programmes`` (names of the receiving enrolments) on each person of a page: one query."""
    held = defaultdict(set)
    rows = analytics.receiving(programme).filter(person__in=[p.pk for p in persons])
    for person_id, name in rows.values_list("person_id", "programme__name"):
        held[person_id].add(name)
    for person in persons:
        person.programmes = sorted(held[person.pk])


def _log_read(user, chosen: ListRequest, records: list, object_type: str) -> None:
    AuditEvent.objects.create(
        actor=user, action=AuditEvent.Action.VIEW, object_type=object_type, object_id="",
        region_code=chosen.region, channel="web",
        summary=f"targeting {chosen.figure} {chosen.region} {chosen.programme or '-'}: {len(records)} shown"[:255],
        changes={"figure": chosen.figure, "region": chosen.region, "programme": chosen.programme,
                 "ids": [record.pk for record in records]},
    )


FIGURE_TITLES = {
    "covered": pgettext_lazy("targeting list", "Families in desil 1-4 receiving"),
    "uncovered": pgettext_lazy("targeting list", "Families in desil 1-4 receiving nothing"),
    "excluded": pgettext_lazy("targeting list", "Poor families receiving nothing"),
    "included": pgettext_lazy("targeting list", "Families in desil 7-10 receiving"),
    "multi": pgettext_lazy("targeting list", "Persons in more programmes than the rules allow"),
}


@never_cache
@login_required
@require_GET
def targeting_list(request):
    user = request.user
    chosen, programme = _parse(request)
    if not user.personal_data_scopes:
        return render(request, "web/aggregates_only.html")
    paginator = CappedPaginator(_records(user, chosen, programme), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    records = list(page.object_list)
    if chosen.figure == "multi":
        _attach_programmes(records, programme)
        _log_read(user, chosen, records, "registry.person")
    else:
        attach_member_counts(records)
        welfare_selectors.attach_desil(records)
        _log_read(user, chosen, records, "registry.family")
    region = Region.objects.filter(code=chosen.region).first()
    return render(request, "web/targeting/list.html", {
        "chosen": chosen, "programme": programme, "region": region, "title": FIGURE_TITLES[chosen.figure],
        "page": page, "paginator": paginator, "records": records,
        "back_url": _back_url(chosen),
    })


def _back_url(chosen: ListRequest) -> str:
    query = f"?{urlencode({'programme': chosen.programme})}" if chosen.programme else ""
    if len(chosen.region) >= 6:
        return reverse("web:targeting_kecamatan", args=[chosen.region[:6]]) + query
    return reverse("web:targeting_overview") + query


# -- exports -------------------------------------------------------------------------------------

FAMILY_HEADER = [
    pgettext_lazy("export column", "No. KK"),
    pgettext_lazy("export column", "Head of family"),
    pgettext_lazy("export column", "NIK of the head"),
    pgettext_lazy("export column", "Members"),
    pgettext_lazy("export column", "Desil"),
    pgettext_lazy("export column", "Village code"),
    pgettext_lazy("export column", "Village"),
    pgettext_lazy("export column", "District"),
    pgettext_lazy("export column", "Address"),
    pgettext_lazy("export column", "RT"),
    pgettext_lazy("export column", "RW"),
]
PERSON_HEADER = [
    pgettext_lazy("export column", "NIK"),
    pgettext_lazy("export column", "Name"),
    pgettext_lazy("export column", "Date of birth"),
    pgettext_lazy("export column", "No. KK"),
    pgettext_lazy("export column", "JKN status"),
    pgettext_lazy("export column", "Village code"),
    pgettext_lazy("export column", "Village"),
    pgettext_lazy("export column", "District"),
]


def _family_rows(user, families) -> Iterator[list]:
    heads = Person.objects.filter(family=OuterRef("pk"), relationship=1, merged_into__isnull=True).order_by("id")
    members = (Person.objects.filter(family=OuterRef("pk"), merged_into__isnull=True).order_by()
               .values("family").annotate(n=Count("pk")).values("n"))
    desil = WelfareScore.objects.filter(family=OuterRef("pk"), is_current=True).values("desil")
    rows = (families.select_related(None).prefetch_related(None)
            .annotate(head_name=Subquery(heads.values("name")[:1]), head_nik=Subquery(heads.values("nik")[:1]),
                      member_count=Coalesce(Subquery(members, output_field=IntegerField()), Value(0)),
                      desil=Subquery(desil[:1]))
            .values_list("no_kk", "head_name", "head_nik", "member_count", "desil", "desa_id", "desa__name",
                         "desa__parent__name", "address", "rt", "rw"))
    nik = exports._NikRule(user)
    for no_kk, head, head_nik, count, desil_value, desa, *rest in rows.iterator(chunk_size=exports.CHUNK_SIZE):
        yield [nik(desa, no_kk), head or "", nik(desa, head_nik), count, desil_value, desa, *rest]


def _person_rows(user, persons) -> Iterator[list]:
    rows = persons.select_related(None).values_list("nik", "name", "birth_date", "family__no_kk", "jkn_status",
                                                    "desa_id", "desa__name", "desa__parent__name")
    nik = exports._NikRule(user)
    for person_nik, name, born, no_kk, jkn, desa, *rest in rows.iterator(chunk_size=exports.CHUNK_SIZE):
        yield [nik(desa, person_nik), name, born, nik(desa, no_kk), jkn, desa, *rest]


def build_export(user, chosen: ListRequest, programme) -> exports.Export:
    """The list behind a figure as an export of the registry's export machinery."""
    records = _records(user, chosen, programme)
    with translation.override("id"):
        if chosen.figure == "multi":
            return exports.Export("persons", f"sasaran-{chosen.figure}", pgettext("export sheet", "Persons"),
                                  [str(text) for text in PERSON_HEADER], _person_rows(user, records),
                                  frozenset({0, 3, 5}), frozenset({2}), chosen.region, chosen, "registry.person")
        return exports.Export("families", f"sasaran-{chosen.figure}", pgettext("export sheet", "Families"),
                              [str(text) for text in FAMILY_HEADER], _family_rows(user, records),
                              frozenset({0, 2, 5, 9, 10}), frozenset(), chosen.region, chosen, "registry.family")


@never_cache
@login_required
@require_GET
def targeting_export(request, fmt: str):
    if fmt not in exports.FORMATS:
        raise Http404
    user = request.user
    chosen, programme = _parse(request)
    if not user.personal_data_scopes:
        raise PermissionDenied
    return export_file_response(user, build_export(user, chosen, programme), fmt)
