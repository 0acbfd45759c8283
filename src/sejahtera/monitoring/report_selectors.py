"""Reads of the reports: who may read them, and what the quarterly and the regency report show.

**Who reads.** The reports are the regency's: only regency-wide memberships read them (a kecamatan
verifier sees the aggregates of their kecamatan, not the regency's report).

- an agency's quarterly report: the agency's officers and heads, planners (Bappedalitbang gathers
  every agency's report) and system administrators;
- the regency report of all indicators: every regency-wide membership (its figures are the
  scorecard's, which they all see).

**Figures of the quarterly report** (quarter ``q`` of ``year``, region = the regency), for every
active indicator the agency owns (``Indicator.agency``):

- *target*: the year's target (of the latest plan period covering the year);
- *realisation in the quarter*: the rows starting inside the quarter, without the year rows, made
  one value by ``achievement.year_value`` (months added up, or the latest, by the indicator's
  accumulation; a quarter row when there are no months);
- *realisation up to the quarter's end*: the same over the rows from 1 January to the quarter's end,
  year rows included (a yearly figure such as the BPS rate stands for the year in each quarter);
- *achievement* and *light*: of the year-to-date realisation against the year's target
  (``achievement.achievement``, the e-Monev convention, with the regency's thresholds).

**Budget** of each active programme of the agency, in Rupiah:

- *budget for the year* (pagu): the budgets of the programme's opened cycles overlapping the year;
  a cycle without a budget counts with its approved amount (what was committed in it);
- *used* (realisasi anggaran): the programme's payments marked **paid** by the bank's
  reconciliation, by the day they were paid: in the quarter, and from 1 January to the quarter's
  end. Only cash that went through Sejahtera's payment batches is counted: premiums paid to BPJS
  by transfer, fee waivers and training have no payments here, so their agency enters the figure.
- *entered by hand*: a ``QuarterlyBudgetLine`` of the report replaces the year's budget and/or the
  year-to-date use (the quarter's use is then not shown, as it would not add up).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.http import Http404
from django.utils import timezone

from sejahtera.accounts.models import Agency
from sejahtera.accounts.roles import Role
from sejahtera.monitoring.achievement import achievement, light, thresholds_for, year_value
from sejahtera.monitoring.models import Indicator, Realisation, Target
from sejahtera.monitoring.report_models import QuarterlyReport
from sejahtera.monitoring.selectors import ScorecardRow, _latest_targets, _row
from sejahtera.programs.models import Cycle, Payment, Programme
from sejahtera.regions.models import Region
from sejahtera.welfare.selectors import regency_code

AGENCY_STAFF = (Role.AGENCY_OFFICER, Role.AGENCY_HEAD)
READ_ALL = (Role.PLANNER, Role.SYSTEM_ADMIN)
QUARTERS = (1, 2, 3, 4)


# -- who ------------------------------------------------------------------------------------------

def regency_memberships(user) -> list:
    if not getattr(user, "is_authenticated", False):
        return []
    code = regency_code()
    return [m for m in user.active_memberships if m.region_id == code]


def reads_all_reports(user) -> bool:
    return any(m.role in READ_ALL for m in regency_memberships(user))


def report_agencies(user) -> list[Agency]:
    """The agencies whose quarterly reports the user reads."""
    if reads_all_reports(user):
        return list(Agency.objects.all())
    ids = {m.agency_id for m in regency_memberships(user) if m.role in AGENCY_STAFF and m.agency_id}
    return list(Agency.objects.filter(pk__in=ids))


def may_read_quarterly(user, agency: Agency) -> bool:
    return any(m.role in READ_ALL or (m.role in AGENCY_STAFF and m.agency_id == agency.pk)
               for m in regency_memberships(user))


def may_edit_quarterly(user, agency: Agency) -> bool:
    return any(m.role in AGENCY_STAFF and m.agency_id == agency.pk for m in regency_memberships(user))


def may_submit_quarterly(user, agency: Agency) -> bool:
    return any(m.role == Role.AGENCY_HEAD and m.agency_id == agency.pk for m in regency_memberships(user))


def may_read_regency_report(user) -> bool:
    return bool(regency_memberships(user))


# -- periods --------------------------------------------------------------------------------------

def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    if quarter not in QUARTERS:
        raise ValueError(quarter)
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = (datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)) \
        - datetime.timedelta(days=1)
    return start, end


def quarter_has_begun(year: int, quarter: int, today: datetime.date | None = None) -> bool:
    return quarter_bounds(year, quarter)[0] <= (today or timezone.localdate())


# -- what the reports show ------------------------------------------------------------------------

@dataclass
class IndicatorLine:
    indicator: Indicator
    target: Decimal | None
    target_source: str
    quarter_value: Decimal | None
    ytd_value: Decimal | None
    achievement: Decimal | None
    light: str
    source: str  # of the latest realisation, or the indicator's own
    computed: bool


@dataclass
class BudgetLine:
    programme: Programme
    planned: int | None
    used_quarter: int | None
    used_ytd: int | None
    planned_by_hand: bool = False
    used_by_hand: bool = False
    note: str = ""

    @property
    def absorption(self) -> Decimal | None:
        """Share of the year's budget used so far, in %."""
        if not self.planned or self.used_ytd is None:
            return None
        return (Decimal(self.used_ytd) * 100 / Decimal(self.planned)).quantize(Decimal("0.01"))


@dataclass
class QuarterlyReportData:
    regency_code: str
    regency_name: str
    agency: Agency
    year: int
    quarter: int
    starts_on: datetime.date
    ends_on: datetime.date
    report: QuarterlyReport  # unsaved (empty texts) when nobody wrote one yet
    indicators: list[IndicatorLine]
    budget: list[BudgetLine]
    made_at: datetime.datetime = field(default_factory=timezone.now)

    @property
    def budget_planned(self) -> int:
        return sum(line.planned or 0 for line in self.budget)

    @property
    def budget_used(self) -> int:
        return sum(line.used_ytd or 0 for line in self.budget)

    @property
    def budget_absorption(self) -> Decimal | None:
        return BudgetLine(None, self.budget_planned, None, self.budget_used).absorption


@dataclass
class RegencyReportData:
    regency_code: str
    regency_name: str
    year: int
    regency: list[ScorecardRow]  # every active indicator, for the regency
    kecamatan: list[ScorecardRow]  # indicators measured per kecamatan or desa, for each kecamatan
    made_at: datetime.datetime = field(default_factory=timezone.now)


def region_name(code: str) -> str:
    return Region.objects.filter(code=code).values_list("name", flat=True).first() or code


def _source(rows, indicator: Indicator) -> tuple[str, bool]:
    latest = max(rows, key=lambda r: (r.period_kind == Realisation.PeriodKind.YEAR, r.period_start), default=None)
    if latest is None:
        return indicator.source, False
    return latest.source or indicator.source, latest.computed


def indicator_lines(agency: Agency, year: int, quarter: int) -> list[IndicatorLine]:
    """The agency's indicators for the regency in the quarter: three queries."""
    code = regency_code()
    starts, ends = quarter_bounds(year, quarter)
    indicators = list(Indicator.objects.filter(regency_code=code, agency=agency, is_active=True))
    targets = _latest_targets(Target.objects.filter(indicator__in=indicators, region_code=code, year=year)
                              .select_related("plan_period"))
    rows = defaultdict(list)
    for row in Realisation.objects.filter(indicator__in=indicators, region_code=code,
                                          period_start__range=(datetime.date(year, 1, 1), ends)):
        rows[row.indicator_id].append(row)
    thresholds = thresholds_for(code)
    lines = []
    for indicator in indicators:
        mine = rows[indicator.pk]
        in_quarter = [r for r in mine if r.period_kind != Realisation.PeriodKind.YEAR and r.period_start >= starts]
        quarter_value = year_value(in_quarter, indicator.accumulation)
        ytd = year_value(mine, indicator.accumulation)
        target = targets.get((indicator.pk, code))
        percent = achievement(target.value if target else None, ytd, indicator.polarity)
        source, computed = _source(mine, indicator)
        lines.append(IndicatorLine(
            indicator=indicator, target=target.value if target else None,
            target_source=target.source if target else "", quarter_value=quarter_value, ytd_value=ytd,
            achievement=percent, light=light(percent, thresholds), source=source, computed=computed))
    return lines


def budget_lines(agency: Agency, year: int, quarter: int, report: QuarterlyReport | None) -> list[BudgetLine]:
    """The budget of each active programme of the agency: three queries (see the module's notes)."""
    code = regency_code()
    starts, ends = quarter_bounds(year, quarter)
    programmes = list(Programme.objects.filter(regency_code=code, agency=agency, is_active=True).order_by("name"))
    planned = defaultdict(int)
    has_cycle = set()
    for cycle in Cycle.objects.filter(programme__in=programmes, starts_on__lte=datetime.date(year, 12, 31),
                                      ends_on__gte=datetime.date(year, 1, 1)).exclude(status=Cycle.Status.DRAFT):
        planned[cycle.programme_id] += cycle.budget if cycle.budget is not None else cycle.approved_amount
        has_cycle.add(cycle.programme_id)
    paid = {
        row["batch__cycle__programme"]: row
        for row in Payment.objects.filter(status=Payment.Status.PAID, batch__cycle__programme__in=programmes,
                                          paid_on__range=(datetime.date(year, 1, 1), ends))
        .values("batch__cycle__programme")
        .annotate(ytd=Sum("amount"), quarter=Sum("amount", filter=Q(paid_on__gte=starts)))
    }
    by_hand = {line.programme_id: line for line in report.budget_lines.all()} if report and report.pk else {}
    lines = []
    for programme in programmes:
        sums = paid.get(programme.pk, {})
        line = BudgetLine(programme=programme, planned=planned[programme.pk] if programme.pk in has_cycle else None,
                          used_quarter=sums.get("quarter") or 0, used_ytd=sums.get("ytd") or 0)
        manual = by_hand.get(programme.pk)
        if manual is not None:
            line.note = manual.note
            if manual.planned is not None:
                line.planned, line.planned_by_hand = manual.planned, True
            if manual.used is not None:
                line.used_ytd, line.used_quarter, line.used_by_hand = manual.used, None, True
        lines.append(line)
    return lines


def quarterly_report_find(agency: Agency, year: int, quarter: int) -> QuarterlyReport | None:
    return (QuarterlyReport.objects.filter(regency_code=regency_code(), agency=agency, year=year, quarter=quarter)
            .select_related("agency", "submitted_by", "updated_by").first())


def quarterly_report_data(user, *, agency: Agency, year: int, quarter: int) -> QuarterlyReportData:
    """Everything the quarterly report shows; 404 for a user who may not read it."""
    if quarter not in QUARTERS or not may_read_quarterly(user, agency):
        raise Http404
    code = regency_code()
    report = quarterly_report_find(agency, year, quarter) or QuarterlyReport(
        regency_code=code, agency=agency, year=year, quarter=quarter)
    starts, ends = quarter_bounds(year, quarter)
    return QuarterlyReportData(
        regency_code=code, regency_name=region_name(code), agency=agency, year=year, quarter=quarter,
        starts_on=starts, ends_on=ends, report=report, indicators=indicator_lines(agency, year, quarter),
        budget=budget_lines(agency, year, quarter, report))


def quarterly_report_list(user, *, year: int | None = None) -> list[QuarterlyReport]:
    """The saved reports of the agencies the user reads, newest first."""
    agencies = report_agencies(user)
    rows = QuarterlyReport.objects.filter(regency_code=regency_code(), agency__in=agencies).select_related(
        "agency", "submitted_by", "updated_by")
    if year:
        rows = rows.filter(year=year)
    return list(rows)


def regency_report_data(user, *, year: int) -> RegencyReportData:
    """Target, realisation, achievement and source of every active indicator for the regency, and of
    those measured per kecamatan (or desa) for every kecamatan; 404 for a user who may not read it.
    Five queries, whatever the number of indicators and kecamatan."""
    if not may_read_regency_report(user):
        raise Http404
    code = regency_code()
    indicators = list(Indicator.objects.filter(regency_code=code, is_active=True).select_related("agency"))
    per_kecamatan = [i for i in indicators if i.level != Indicator.Level.REGENCY]
    kecamatan = list(Region.objects.filter(code__startswith=code, level=Region.Level.KECAMATAN)
                     .order_by("code").values_list("code", "name")) if per_kecamatan else []
    codes = [code, *(c for c, _n in kecamatan)]
    names = {code: region_name(code), **dict(kecamatan)}
    targets = _latest_targets(Target.objects.filter(indicator__in=indicators, region_code__in=codes, year=year)
                              .select_related("plan_period"))
    realised = defaultdict(list)
    for row in Realisation.objects.filter(indicator__in=indicators, region_code__in=codes,
                                          period_start__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31))):
        realised[(row.indicator_id, row.region_code)].append(row)
    thresholds = thresholds_for(code)

    def row(indicator, region):
        line = _row(indicator, region, names[region], year, targets.get((indicator.pk, region)),
                    realised[(indicator.pk, region)], thresholds)
        line.realisation_source = line.realisation_source or indicator.source
        return line

    return RegencyReportData(
        regency_code=code, regency_name=names[code], year=year,
        regency=[row(indicator, code) for indicator in indicators],
        kecamatan=[row(indicator, region) for indicator in per_kecamatan for region, _n in kecamatan])
