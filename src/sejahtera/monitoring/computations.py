"""Computed indicators: realisations counted from the system's own data, set-based.

Each computation is one grouped query per desa (``GROUP BY`` desa code, and month for the flows),
written with ``INSERT … SELECT``; the kecamatan and regency rows are then summed from the desa rows
in SQL (every computed figure is a count, so it adds up), and the year rows from the month rows.
No loop runs over regions or families: a refresh is a handful of statements per indicator.

Two kinds:

- **flows** (events dated in a month: placements by the job's start date, BLK trainees by the
  batch's start, programme grants by the cycle's start): month rows for the whole year, and a year
  row that is their sum. Any year can be recomputed.
- **stocks** (a state now: persons enrolled, poor families covered): a row for the current month
  (a snapshot: earlier months keep theirs), and the year row equal to it. Only the current year is
  recomputed, as they read the current welfare scores.

"Receiving" is the targeting analytics' definition (``programs.analytics``): an enrolment in a
holding status (approved, active, completed, graduated); a family receives when any enrolment of
it (or of a member) does. Poor families are those below the poverty line by their current score.

A hand-entered realisation is never overwritten, and no computed row is written beside one for the
same indicator, region and period (e.g. the published figures of the years before the system).

Computation keys: ``placements``, ``trainees``, ``granted:<programme code>``,
``enrolled:<programme code>``, ``poor_covered``, ``poor_uncovered``.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, F, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from sejahtera.careers.models import Placement
from sejahtera.monitoring import coverage
from sejahtera.monitoring.models import Indicator, Realisation
from sejahtera.programs import analytics
from sejahtera.programs.models import Programme
from sejahtera.training.models import Trainee
from sejahtera.welfare.selectors import regency_code

FLOW, STOCK = "flow", "stock"
TABLE = Realisation._meta.db_table
COLUMNS = "indicator_id, region_code, period_kind, period_start, value, source, evidence, computed, entered_at"
MONTH, YEAR = Realisation.PeriodKind.MONTH, Realisation.PeriodKind.YEAR


@dataclass(frozen=True)
class Computation:
    kind: str
    # (regency code, first day, last day, argument) -> rows annotated with ``area`` (desa code) and,
    # for flows, ``day`` (the date that places the row in a month).
    rows: Callable[[str, datetime.date, datetime.date, str], QuerySet]
    counted: str = "pk"  # what is counted (distinct)


def _programme(code: str) -> Programme | None:
    return Programme.objects.filter(code=code).first()


def _placements(regency, first, last, _arg) -> QuerySet:
    return (Placement.objects.filter(seeker__desa_code__startswith=regency, start_date__range=(first, last))
            .annotate(area=F("seeker__desa_code"), day=F("start_date")))


def _trainees(regency, first, last, _arg) -> QuerySet:
    return (Trainee.objects.filter(status__in=Trainee.HOLDING, desa_code__startswith=regency,
                                   batch__starts_on__range=(first, last))
            .annotate(area=F("desa_code"), day=F("batch__starts_on")))


def _granted(regency, first, last, code) -> QuerySet:
    programme = _programme(code)
    if programme is None:
        return analytics.receiving().none()
    return (analytics.receiving(programme).filter(desa_code__startswith=regency,
                                                  cycle__starts_on__range=(first, last))
            .annotate(area=F("desa_code"), day=F("cycle__starts_on")))


def _enrolled(regency, first, last, code) -> QuerySet:
    """Receiving person enrolments in a cycle running at some time between ``first`` and ``last``."""
    programme = _programme(code)
    if programme is None:
        return analytics.receiving().none()
    return (analytics.receiving(programme).filter(person__isnull=False, desa_code__startswith=regency,
                                                  cycle__starts_on__lte=last, cycle__ends_on__gte=first)
            .annotate(area=F("desa_code")))


def _poor(receiving: bool):
    def rows(regency, _first, _last, _arg) -> QuerySet:
        scores = analytics.current_scores([regency]).filter(is_poor=True)
        receives = analytics.receives()
        return scores.filter(receives if receiving else ~receives).annotate(area=F("desa_code"))

    return rows


COMPUTATIONS = {
    "placements": Computation(FLOW, _placements),
    "trainees": Computation(FLOW, _trainees),
    "granted": Computation(FLOW, _granted),
    "enrolled": Computation(STOCK, _enrolled, counted="person"),
    "poor_covered": Computation(STOCK, _poor(True)),
    "poor_uncovered": Computation(STOCK, _poor(False)),
}


def computation_for(key: str) -> tuple[Computation, str]:
    """The computation of a key (``granted:beasiswa-s1`` → ``granted`` and its argument)."""
    name, _, argument = key.partition(":")
    if name not in COMPUTATIONS:
        raise KeyError(f"Unknown computation {key!r}")
    return COMPUTATIONS[name], argument


def grouped_rows(indicator: Indicator, first: datetime.date, last: datetime.date) -> QuerySet:
    """The indicator's counts per desa (and month, for a flow) between ``first`` and ``last``:
    one grouped query, rows ``(area, [period,] n)``."""
    computation, argument = computation_for(indicator.computation)
    rows = computation.rows(indicator.regency_code, first, last, argument)
    count = Count(computation.counted, distinct=computation.counted != "pk")
    if computation.kind == FLOW:
        return rows.annotate(period=TruncMonth("day")).order_by().values("area", "period").annotate(n=count)
    return rows.order_by().values("area").annotate(n=count)


# -- writing -------------------------------------------------------------------------------------

def _execute(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


NO_HAND_ENTERED = f"""NOT EXISTS (SELECT 1 FROM {TABLE} h WHERE h.indicator_id = %s AND h.region_code = {{region}}
    AND h.period_kind = %s AND h.period_start = {{period}})"""


def _insert_desa(indicator: Indicator, grouped: QuerySet, *, period: datetime.date | None, now) -> int:
    """The desa rows of a month (``period``) or of every month of a flow (``g.period``)."""
    inner, inner_params = grouped.query.sql_with_params()
    period_sql = "g.period" if period is None else "%s"
    period_params = [] if period is None else [period]
    guard = NO_HAND_ENTERED.format(region="g.area", period=period_sql)
    sql = (f"INSERT INTO {TABLE} ({COLUMNS}) SELECT %s, g.area, %s, {period_sql}, g.n, %s, '', %s, %s "
           f"FROM ({inner}) g WHERE {guard}")
    params = [indicator.pk, MONTH, *period_params, indicator.source, True, now, *inner_params,
              indicator.pk, MONTH, *period_params]
    return _execute(sql, params)


def _roll_up(indicator: Indicator, first: datetime.date, last: datetime.date, *, now) -> int:
    """Kecamatan and regency month rows: the sums of the desa month rows between ``first`` and ``last``."""
    written = 0
    for length in (6, 4):
        region = f"SUBSTR(d.region_code, 1, {length})"
        guard = NO_HAND_ENTERED.format(region=region, period="d.period_start")
        written += _execute(
            f"INSERT INTO {TABLE} ({COLUMNS}) SELECT %s, {region}, %s, d.period_start, SUM(d.value), %s, '', %s, %s "
            f"FROM {TABLE} d WHERE d.indicator_id = %s AND d.period_kind = %s AND LENGTH(d.region_code) = 10 "
            f"AND d.period_start BETWEEN %s AND %s AND {guard} GROUP BY {region}, d.period_start",
            [indicator.pk, MONTH, indicator.source, True, now, indicator.pk, MONTH, first, last, indicator.pk, MONTH])
    return written


def _year_rows(indicator: Indicator, year: int, months: tuple[datetime.date, datetime.date], *, now) -> int:
    """Year rows of every region: the sum of its month rows between ``months`` (a flow: the whole
    year; a stock: only the current month, so its value)."""
    start = datetime.date(year, 1, 1)
    guard = NO_HAND_ENTERED.format(region="m.region_code", period="%s")
    return _execute(
        f"INSERT INTO {TABLE} ({COLUMNS}) SELECT %s, m.region_code, %s, %s, SUM(m.value), %s, '', %s, %s "
        f"FROM {TABLE} m WHERE m.indicator_id = %s AND m.period_kind = %s AND m.period_start BETWEEN %s AND %s "
        f"AND {guard} GROUP BY m.region_code",
        [indicator.pk, YEAR, start, indicator.source, True, now, indicator.pk, MONTH, *months,
         indicator.pk, YEAR, start])


def _clear(indicator: Indicator, *, months: tuple[datetime.date, datetime.date], year: int) -> None:
    computed = Realisation.objects.filter(indicator=indicator, computed=True)
    computed.filter(period_kind=MONTH, period_start__range=months).delete()
    computed.filter(period_kind=YEAR, period_start=datetime.date(year, 1, 1)).delete()


def refresh_indicator(indicator: Indicator, *, year: int, today: datetime.date) -> bool:
    """Recompute one indicator's rows of ``year``; False when there is nothing to recompute (a
    stock in a year other than the current one)."""
    computation, _ = computation_for(indicator.computation)
    now = timezone.now()
    if computation.kind == FLOW:
        months = (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        period = None
        grouped = grouped_rows(indicator, *months)
    elif year == today.year:
        first = today.replace(day=1)
        months = (first, first)
        period = first
        grouped = grouped_rows(indicator, first, today.replace(day=calendar.monthrange(year, today.month)[1]))
    else:
        return False
    _clear(indicator, months=months, year=year)
    _insert_desa(indicator, grouped, period=period, now=now)
    _roll_up(indicator, *months, now=now)
    _year_rows(indicator, year, months, now=now)
    return True


def refresh_aggregates(year: int | None = None, *, today: datetime.date | None = None,
                       codes: list[str] | None = None) -> list[str]:
    """Recompute the computed realisations of ``year`` (default: this year) for every region of the
    regency, in one transaction; the codes of the indicators refreshed."""
    today = today or timezone.localdate()
    year = year or today.year
    indicators = Indicator.objects.filter(kind=Indicator.Kind.COMPUTED, is_active=True,
                                          regency_code=regency_code())
    if codes is not None:
        indicators = indicators.filter(code__in=codes)
    done = []
    with transaction.atomic():
        for indicator in indicators.order_by("order", "code"):
            if refresh_indicator(indicator, year=year, today=today):
                done.append(indicator.code)
        if codes is None:  # the programme coverage the dashboards read (current scores, any year asked)
            coverage.coverage_refresh(regency_code())
    return done
