"""Reads of monitoring: indicators, targets, realisations, the scorecard and trends.

Figures are aggregates (no personal data): every logged-in role sees them, planners included,
but only for the regions of their memberships (``welfare.selectors.aggregate_scopes``) and the
regions inside them. A kecamatan verifier sees their kecamatan and its desa, not the regency: a
region outside the user's scopes answers 404. An indicator appears for a region only down to the
level it is measured at (the BPS rates only for the regency).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404

from sejahtera.core.scoping import region_prefix_q
from sejahtera.monitoring.achievement import achievement, light, thresholds_for, year_value
from sejahtera.monitoring.models import LEVEL_CODE_LENGTH, Indicator, Realisation, Target
from sejahtera.regions.models import Region
from sejahtera.welfare.selectors import aggregate_scopes, regency_code


def user_scopes(user) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    return aggregate_scopes(user)


def regions_for(user, region: str | None = None) -> list[str]:
    """The region asked for (404 outside the user's scopes), or else the user's scopes."""
    scopes = user_scopes(user)
    if not region:
        return scopes
    code = region.replace(".", "").strip()
    if not any(code.startswith(scope) for scope in scopes) or not Region.objects.filter(code=code).exists():
        raise Http404
    return [code]


def indicator_list(user, *, active_only: bool = True) -> QuerySet[Indicator]:
    """The indicators of the regency served, for any user with a membership in it."""
    if not user_scopes(user):
        return Indicator.objects.none()
    indicators = Indicator.objects.filter(regency_code=regency_code()).select_related("agency")
    return indicators.filter(is_active=True) if active_only else indicators


def indicator_get(user, code: str) -> Indicator:
    indicator = indicator_list(user, active_only=False).filter(code=code).first()
    if indicator is None:
        raise Http404
    return indicator


def _in_scopes(rows: QuerySet, user) -> QuerySet:
    q = region_prefix_q("region_code", user_scopes(user))
    return rows.filter(q) if q is not None else rows.none()


def target_list(user, indicator: Indicator, *, region: str | None = None, year: int | None = None) -> QuerySet[Target]:
    rows = _in_scopes(indicator.targets.select_related("plan_period"), user)
    if region:
        rows = rows.filter(region_code__in=regions_for(user, region))
    if year:
        rows = rows.filter(year=year)
    return rows.order_by("year", "region_code", "plan_period__start_year")


def realisation_list(user, indicator: Indicator, *, region: str | None = None,
                     year: int | None = None) -> QuerySet[Realisation]:
    rows = _in_scopes(indicator.realisations.all(), user)
    if region:
        rows = rows.filter(region_code__in=regions_for(user, region))
    if year:
        rows = rows.filter(period_start__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    return rows.order_by("period_start", "period_kind", "region_code")


def shown_at(indicator: Indicator, region_code: str) -> bool:
    return len(region_code) <= LEVEL_CODE_LENGTH[indicator.level]


# -- the scorecard -------------------------------------------------------------------------------

@dataclass
class ScorecardRow:
    indicator: Indicator
    region_code: str
    region_name: str
    year: int
    target: Decimal | None
    target_source: str
    realisation: Decimal | None
    realisation_source: str
    computed: bool  # the realisation comes from Sejahtera's data
    as_of: datetime.date | None  # start of the latest period the realisation includes
    achievement: Decimal | None  # None: no data
    light: str


def _latest_targets(targets) -> dict[tuple[int, str], Target]:
    """One target per (indicator, region): of the latest plan period covering the year."""
    chosen = {}
    for target in sorted(targets, key=lambda t: t.plan_period.start_year):
        chosen[(target.indicator_id, target.region_code)] = target
    return chosen


def _row(indicator, code, name, year, target, rows, thresholds) -> ScorecardRow:
    value = year_value(rows, indicator.accumulation)
    latest = max(rows, key=lambda r: (r.period_kind == Realisation.PeriodKind.YEAR, r.period_start), default=None)
    percent = achievement(target.value if target else None, value, indicator.polarity)
    return ScorecardRow(
        indicator=indicator, region_code=code, region_name=name, year=year,
        target=target.value if target else None, target_source=target.source if target else "",
        realisation=value, realisation_source=latest.source if latest else "",
        computed=bool(latest and latest.computed), as_of=latest.period_start if latest else None,
        achievement=percent, light=light(percent, thresholds))


def scorecard(user, *, year: int, region: str | None = None) -> list[ScorecardRow]:
    """Target, realisation, achievement and light of every indicator for ``region`` (default: each of
    the user's scope regions) in ``year``. Four queries, whatever the number of indicators."""
    codes = regions_for(user, region)
    if not codes:
        return []
    indicators = list(indicator_list(user))
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    targets = _latest_targets(Target.objects.filter(indicator__in=indicators, region_code__in=codes, year=year)
                              .select_related("plan_period"))
    realised = defaultdict(list)
    for row in Realisation.objects.filter(indicator__in=indicators, region_code__in=codes,
                                          period_start__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31))):
        realised[(row.indicator_id, row.region_code)].append(row)
    thresholds = thresholds_for(regency_code())
    return [
        _row(indicator, code, names.get(code, code), year, targets.get((indicator.pk, code)),
             realised[(indicator.pk, code)], thresholds)
        for code in codes for indicator in indicators if shown_at(indicator, code)
    ]


# -- trends --------------------------------------------------------------------------------------

@dataclass
class TrendPoint:
    year: int
    target: Decimal | None
    realisation: Decimal | None
    achievement: Decimal | None
    light: str


def trend(user, indicator: Indicator, *, region: str | None = None) -> list[TrendPoint]:
    """Target and realisation per year, for the charts: every year that has either."""
    scopes = regions_for(user, region)
    if not scopes:
        return []
    code = region.replace(".", "").strip() if region else scopes[0]
    if not shown_at(indicator, code):
        return []
    per_year_target = {}  # a year in two plan periods: the later period's target
    for target in sorted(indicator.targets.filter(region_code=code).select_related("plan_period"),
                         key=lambda t: t.plan_period.start_year):
        per_year_target[target.year] = target.value
    realised = defaultdict(list)
    for row in indicator.realisations.filter(region_code=code):
        realised[row.period_start.year].append(row)
    thresholds = thresholds_for(regency_code())
    points = []
    for year in sorted(set(per_year_target) | set(realised)):
        value = year_value(realised.get(year, []), indicator.accumulation)
        percent = achievement(per_year_target.get(year), value, indicator.polarity)
        points.append(TrendPoint(year, per_year_target.get(year), value, percent, light(percent, thresholds)))
    return points
