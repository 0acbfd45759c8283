"""What the monitoring dashboards show, gathered from precomputed data only.

The regency, a kecamatan or a desa: the scorecard of the year (``monitoring.selectors.scorecard``,
with the chosen plan period's targets), the trends with their target lines, the welfare
distribution by desil (``DesilSummary``), the programme coverage by desil and per child region
(``monitoring.coverage``, written by the monitoring refresh), the career-center indicators, and the
child regions with their key figures. No page counts the registry: at full scale the regency page
reads a few thousand summary rows.

Every number carries the address of what it counts, only where the user's role may open it:
family lists and targeting lists only when the user reads every family counted
(``welfare``/``targeting``'s rule), the career statistics only for Disnaker staff and planners,
otherwise the aggregate page (targeting, welfare distribution) or nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from sejahtera.core.scoping import region_prefix_q
from sejahtera.monitoring import coverage, selectors
from sejahtera.monitoring.achievement import achievement, light, thresholds_for, year_value
from sejahtera.monitoring.models import Indicator, PlanPeriod, Realisation, Target
from sejahtera.programs import analytics
from sejahtera.regions.models import Region
from sejahtera.web.views.careers_statistics import may_see_statistics
from sejahtera.web.views.welfare import DESIL_COLOURS
from sejahtera.welfare import selectors as welfare_selectors
from sejahtera.welfare.models import DesilSummary

CAREER_AGENCY = "disnaker"
KEY_COMPUTATIONS = ("placements", "trainees", "granted", "enrolled")  # shown per child region


@dataclass
class Link:
    value: object
    url: str = ""


@dataclass
class Dashboard:
    region: Region
    level: str  # "regency", "kecamatan", "desa"
    parents: list[Region]
    year: int
    years: list[int]
    period: PlanPeriod | None
    periods: list[PlanPeriod]
    thresholds: object
    scorecard: list = field(default_factory=list)
    career: list = field(default_factory=list)
    chart: dict = field(default_factory=dict)
    desil_rows: list = field(default_factory=list)
    coverage_total: object = None
    coverage_links: dict = field(default_factory=dict)
    children: list = field(default_factory=list)
    child_columns: list = field(default_factory=list)
    families_url: str = ""
    targeting_url: str = ""
    welfare_url: str = ""
    counted_at: datetime.datetime | None = None


# -- what may be linked --------------------------------------------------------------------------

def reads_all(user, code: str) -> bool:
    """Does the user read every family counted for region ``code``?"""
    return analytics.user_reads_all_of(user, welfare_selectors.aggregate_scopes(user), code)


def family_list_url(code: str, **filters) -> str:
    query = {}
    if len(code) >= 6:
        query["kecamatan"] = code[:6]
    if len(code) == 10:
        query["desa"] = code
    query.update(filters)
    return f"{reverse('web:family_list')}?{urlencode(query)}" if query else reverse("web:family_list")


def targeting_page_url(code: str, programme: str = "") -> str:
    """The aggregate targeting page of a region (the regency's or a kecamatan's)."""
    url = reverse("web:targeting_kecamatan", args=[code[:6]]) if len(code) >= 6 else reverse("web:targeting_overview")
    return f"{url}?{urlencode({'programme': programme})}" if programme else url


def targeting_list_url(figure: str, code: str, programme: str = "") -> str:
    query = {"figure": figure, "region": code}
    if programme:
        query["programme"] = programme
    return f"{reverse('web:targeting_list')}?{urlencode(query)}"


def dashboard_url(code: str) -> str:
    if len(code) == 10:
        return reverse("web:monitoring_desa", args=[code])
    if len(code) == 6:
        return reverse("web:monitoring_kecamatan", args=[code])
    return reverse("web:monitoring_overview")


def realisation_url(user, indicator: Indicator, code: str, year: int, personal: bool, careers: bool) -> str:
    """Where the realisation of a computed indicator is counted, as far as the user may go."""
    name, _sep, argument = indicator.computation.partition(":")
    if name in ("placements", "trainees"):
        return f"{reverse('web:staff_statistics')}?{urlencode({'year': year})}" if careers else ""
    if name in ("granted", "enrolled"):
        return targeting_page_url(code, argument)
    if name == "poor_uncovered":
        return targeting_list_url("excluded", code) if personal else targeting_page_url(code)
    if name == "poor_covered":
        return targeting_page_url(code)
    return ""


# -- the scorecard -------------------------------------------------------------------------------

def _period_targets(user, period: PlanPeriod, year: int, code: str) -> dict[int, Target]:
    if not selectors.user_scopes(user):
        return {}
    return {t.indicator_id: t for t in Target.objects.filter(plan_period=period, year=year, region_code=code,
                                                              indicator__regency_code=period.regency_code)}


def scorecard_rows(user, *, year: int, code: str, period: PlanPeriod | None, thresholds) -> list:
    """The selector's scorecard of ``code``, with the targets of ``period`` (when one is chosen)
    and achievement and light recomputed from them the way ``monitoring.achievement`` does."""
    rows = selectors.scorecard(user, year=year, region=code)
    if period is not None:
        targets = _period_targets(user, period, year, code)
        for row in rows:
            target = targets.get(row.indicator.pk)
            row.target = target.value if target else None
            row.target_source = target.source if target else ""
            row.achievement = achievement(row.target, row.realisation, row.indicator.polarity)
            row.light = light(row.achievement, thresholds)
    personal, careers = reads_all(user, code), may_see_statistics(user)
    evidence = _evidence(rows, code, year)
    for row in rows:
        row.url = ""
        if row.realisation is not None and row.computed:
            row.url = realisation_url(user, row.indicator, code, year, personal, careers)
        row.evidence = evidence.get(row.indicator.pk)
    return rows


def _evidence(rows, code: str, year: int) -> dict[int, Realisation]:
    """The latest hand-entered realisation with an evidence file of each indicator (one query)."""
    found = {}
    ids = [row.indicator.pk for row in rows if not row.computed and row.realisation is not None]
    if not ids:
        return found
    for realisation in (Realisation.objects.filter(indicator__in=ids, region_code=code, computed=False,
                                                   period_start__year=year).exclude(evidence="")
                        .order_by("period_start")):
        found[realisation.indicator_id] = realisation
    return found


# -- trends --------------------------------------------------------------------------------------

def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def trend_chart(user, rows: list, code: str) -> dict:
    """Target and realisation per year of every indicator on the scorecard, for the charts: what
    ``monitoring.selectors.trend`` gives per indicator, read for all of them in two queries (the
    region is already checked against the user's scopes, and the rows are those shown at it)."""
    indicators = [row.indicator for row in rows]
    per_year_target = defaultdict(dict)  # a year in two plan periods: the later period's target
    for target in (Target.objects.filter(indicator__in=indicators, region_code=code)
                   .order_by("plan_period__start_year").only("indicator_id", "year", "value")):
        per_year_target[target.indicator_id][target.year] = target.value
    realised = defaultdict(lambda: defaultdict(list))
    for row in (Realisation.objects.filter(indicator__in=indicators, region_code=code)
                .only("indicator_id", "period_kind", "period_start", "value")):
        realised[row.indicator_id][row.period_start.year].append(row)
    series = []
    for indicator in indicators:
        targets, values = per_year_target.get(indicator.pk, {}), realised.get(indicator.pk, {})
        years = sorted(set(targets) | set(values))
        if not years:
            continue
        series.append({
            "code": indicator.code, "name": indicator.name, "unit": indicator.get_unit_display(), "years": years,
            "target": [_number(targets.get(year)) for year in years],
            "realisation": [_number(year_value(values.get(year, []), indicator.accumulation)) for year in years],
        })
    return {"series": series, "text": {"target": _("Target"), "realisation": _("Realisation"),
                                       "year": _("Year")}}


# -- welfare and coverage by desil ----------------------------------------------------------------

@dataclass
class DesilRow:
    desil: int
    families: Link
    receiving: Link
    rate: float | None
    colour: str


def desil_rows(user, code: str, counts, by_desil: list) -> list[DesilRow]:
    personal = reads_all(user, code)
    rows = []
    for d in range(1, 11):
        scored = counts.families[d - 1] if counts else 0
        cov = by_desil[d - 1]
        rows.append(DesilRow(
            d, Link(scored, family_list_url(code, desil=d) if personal and scored else ""),
            Link(cov.receiving, ""), cov.rate, DESIL_COLOURS[d - 1]))
    return rows


# -- welfare counts (the desil summary, read as plain rows) ----------------------------------------

@dataclass
class AreaCounts:
    code: str
    name: str
    families: list[int] = field(default_factory=lambda: [0] * 10)  # index 0: desil 1
    poor_families: int = 0

    @property
    def total_families(self) -> int:
        return sum(self.families)


def welfare_counts(scopes: list[str], length: int) -> dict[str, AreaCounts]:
    """Scored families per desil and poor families, per region code prefix of ``length`` digits,
    from the desil summary each scoring run writes (as ``welfare.selectors`` reads it)."""
    q = region_prefix_q("desa_code", scopes)
    if q is None:
        return {}
    areas: dict[str, AreaCounts] = {}
    rows = DesilSummary.objects.filter(q, regency_code=welfare_selectors.regency_code())
    for desa, desil, poor, n in rows.values_list("desa_code", "desil", "is_poor", "families").iterator(2000):
        area = areas.setdefault(desa[:length], AreaCounts(desa[:length], ""))
        area.families[desil - 1] += n
        area.poor_families += n if poor else 0
    return areas


def child_regions(region: Region, scopes: list[str]) -> list[Region]:
    level = Region.Level.KECAMATAN if len(region.code) == 4 else Region.Level.DESA
    return [child for child in Region.objects.filter(parent=region, level=level, is_current=True).order_by("name")
            if welfare_selectors._within(scopes, child.code)]


# -- child regions --------------------------------------------------------------------------------

def _key_indicators(rows: list, child_length: int) -> list[Indicator]:
    return [row.indicator for row in rows if row.indicator.is_computed
            and row.indicator.computation.partition(":")[0] in KEY_COMPUTATIONS
            and selectors.shown_at(row.indicator, "0" * child_length)]


def _child_values(indicators: list[Indicator], codes: list[str], year: int) -> dict[tuple[int, str], Decimal]:
    """The year value of each key indicator in each child region: one query."""
    found = defaultdict(list)
    rows = Realisation.objects.filter(indicator__in=indicators, region_code__in=codes,
                                      period_start__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    for row in rows.only("indicator_id", "region_code", "period_kind", "period_start", "value"):
        found[(row.indicator_id, row.region_code)].append(row)
    by_id = {i.pk: i for i in indicators}
    return {key: year_value(parts, by_id[key[0]].accumulation) for key, parts in found.items()}


@dataclass
class ChildRow:
    code: str
    name: str
    url: str
    families: Link
    poor: Link
    coverage: Link
    coverage_rate: float | None
    excluded: Link
    values: list


def child_rows(user, regions: list[Region], counted: dict[str, AreaCounts], figures: dict,
               indicators: list[Indicator], year: int) -> list[ChildRow]:
    values = _child_values(indicators, [region.code for region in regions], year)
    children = []
    for region in regions:
        code = region.code
        counts = counted.get(code) or AreaCounts(code, region.name)
        counts.name = region.name
        personal = reads_all(user, code)
        fig = figures.get(code) or analytics.AreaFigures(code, counts.name)
        children.append(ChildRow(
            code, counts.name, dashboard_url(code),
            Link(counts.total_families, family_list_url(code, welfare="scored") if personal and counts.total_families
                 else ""),
            Link(counts.poor_families, family_list_url(code, welfare="poor") if personal and counts.poor_families
                 else ""),
            Link(fig.covered, targeting_list_url("covered", code) if personal and fig.covered
                 else targeting_page_url(code)),
            fig.coverage_rate,
            Link(fig.excluded, targeting_list_url("excluded", code) if personal and fig.excluded
                 else targeting_page_url(code)),
            [values.get((indicator.pk, code)) for indicator in indicators],
        ))
    return children


# -- the whole page -------------------------------------------------------------------------------

def plan_periods(regency: str) -> list[PlanPeriod]:
    return list(PlanPeriod.objects.filter(regency_code=regency).order_by("start_year"))


def choose(periods: list[PlanPeriod], year_asked: str, period_asked: str, today: datetime.date):
    """The plan period and year shown: the period asked for (else the latest covering the year, else
    the latest), and the year asked for (else this year, kept inside the chosen period)."""
    period = next((p for p in periods if str(p.pk) == period_asked), None)
    try:
        year = int(year_asked)
    except (TypeError, ValueError):
        year = None
    if year is not None and not 2000 <= year <= today.year + 10:
        year = None
    if period is None:
        covering = [p for p in periods if p.covers(year or today.year)]
        period = covering[-1] if covering else (periods[-1] if periods else None)
    if year is None or (period is not None and not period.covers(year)):
        year = today.year if period is None or period.covers(today.year) else min(period.end_year, today.year)
        if period is not None and not period.covers(year):
            year = period.start_year
    years = list(range(period.start_year, period.end_year + 1)) if period else [year]
    return period, year, years


def build(user, code: str, *, year_asked: str = "", period_asked: str = "", today=None) -> Dashboard:
    """The dashboard of region ``code`` (already checked to lie in the user's scopes)."""
    today = today or datetime.date.today()
    regency = welfare_selectors.regency_code()
    region = Region.objects.select_related("parent", "parent__parent").get(code=code)
    level = {4: "regency", 6: "kecamatan", 10: "desa"}[len(code)]
    parents = [p for p in (region.parent.parent if level == "desa" else None,
                           region.parent if level != "regency" else None) if p is not None]
    periods = plan_periods(regency)
    period, year, years = choose(periods, year_asked, period_asked, today)
    thresholds = thresholds_for(regency)
    board = Dashboard(region, level, parents, year, years, period, periods, thresholds)

    rows = scorecard_rows(user, year=year, code=code, period=period, thresholds=thresholds)
    board.scorecard = rows
    board.career = [row for row in rows if row.indicator.agency.code == CAREER_AGENCY]
    board.chart = trend_chart(user, rows, code)

    scopes = welfare_selectors._within(welfare_selectors.aggregate_scopes(user), code)
    # Counted once per child region (per desa on a desa's page), the region's total summed from them.
    child_length = {"regency": 6, "kecamatan": 10, "desa": 10}[level]
    counted = welfare_counts(scopes, child_length)
    figures = coverage.coverage_figures(scopes, child_length)
    counts, totals = AreaCounts(code, region.name), analytics.AreaFigures(code, region.name)
    for area in counted.values():
        counts.families = [a + b for a, b in zip(counts.families, area.families, strict=True)]
        counts.poor_families += area.poor_families
    for area in figures.values():
        totals.add(area)
    board.desil_rows = desil_rows(user, code, counts, coverage.coverage_by_desil(scopes))
    board.counted_at = coverage.counted_at(scopes)
    board.coverage_total = totals
    personal = reads_all(user, code)
    board.coverage_links = {
        figure: (targeting_list_url(figure, code) if personal and getattr(totals, figure)
                 else targeting_page_url(code))
        for figure in ("covered", "uncovered", "excluded", "included")
    }
    board.targeting_url = targeting_page_url(code)
    board.welfare_url = (reverse("web:welfare_kecamatan", args=[code[:6]]) if level != "regency"
                         else reverse("web:welfare_distribution"))
    if level != "desa":
        indicators = _key_indicators(rows, child_length)
        board.child_columns = indicators
        board.children = child_rows(user, child_regions(region, scopes), counted, figures, indicators, year)
    elif personal:
        board.families_url = family_list_url(code)
    return board
