"""Writes of monitoring: hand-entered realisations, targets and the scorecard thresholds.

Who may write (active memberships whose region covers the region written):

- a **realisation**: officers and heads of the indicator's owner agency (they report their
  programme's figures), and planners (Bappedalitbang gathers and corrects the figures of all
  agencies, e.g. the BPS rates). Verifiers and desa operators do not report plan figures.
- a **target**: planners only — targets are the plan's (RPJMD), which Bappedalitbang drafts.
- the **thresholds**: planners of the whole regency.

A realisation entered by hand replaces the computed one of the same indicator, region and period,
and refreshes never overwrite it (see ``monitoring.computations``). Every write is audited.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.accounts.roles import Role
from sejahtera.core.audit import audit_record, diff, snapshot
from sejahtera.core.models import AuditEvent
from sejahtera.monitoring.models import (
    LEVEL_CODE_LENGTH,
    Indicator,
    PlanPeriod,
    Realisation,
    ScorecardThreshold,
    Target,
)
from sejahtera.regions.models import Region

REPORTING_ROLES = (Role.AGENCY_OFFICER, Role.AGENCY_HEAD)
QUARTER_MONTHS = (1, 4, 7, 10)
REALISATION_FIELDS = ["value", "source", "computed", "entered_by"]


def _covering(actor, region_code: str):
    return [m for m in getattr(actor, "active_memberships", []) if region_code.startswith(m.region_id)]


def may_enter_realisation(actor, indicator: Indicator, region_code: str) -> bool:
    return any(m.role == Role.PLANNER or (m.role in REPORTING_ROLES and m.agency_id == indicator.agency_id)
               for m in _covering(actor, region_code))


def may_set_target(actor, region_code: str) -> bool:
    return any(m.role == Role.PLANNER for m in _covering(actor, region_code))


def check_region(indicator: Indicator, region_code: str) -> str:
    """The region code, if it is a region of the indicator's regency at a level it is measured at."""
    code = (region_code or "").replace(".", "").strip()
    if not code.startswith(indicator.regency_code) or len(code) not in (4, 6, 10):
        raise ValidationError({"region_code": _("The region is not the regency, one of its districts or villages.")})
    if len(code) > LEVEL_CODE_LENGTH[indicator.level]:
        raise ValidationError({"region_code": _("This indicator is not measured at that level.")})
    if not Region.objects.filter(code=code).exists():
        raise ValidationError({"region_code": _("Unknown region code.")})
    return code


def period_start_for(kind: str, start: datetime.date) -> datetime.date:
    """The first day of the month, quarter or year ``start`` falls in must be ``start`` itself."""
    if kind == Realisation.PeriodKind.YEAR:
        first = start.replace(month=1, day=1)
    elif kind == Realisation.PeriodKind.QUARTER:
        first = start.replace(month=start.month - (start.month - 1) % 3, day=1)
    elif kind == Realisation.PeriodKind.MONTH:
        first = start.replace(day=1)
    else:
        raise ValidationError({"period_kind": _("The period is a month, a quarter or a year.")})
    if first != start:
        raise ValidationError({"period_start": _("A period starts on the first day of its month, quarter or year.")})
    return first


def _value(value) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"value": _("Enter a number.")}) from None
    if not number.is_finite() or number < 0:
        raise ValidationError({"value": _("Enter a number of zero or more.")})
    return number


@transaction.atomic
def realisation_enter(*, actor, indicator: Indicator, region_code: str, period_kind: str,
                      period_start: datetime.date, value, source: str, evidence=None) -> Realisation:
    """Record (or correct) the realisation of a period, with its source and an optional evidence file."""
    code = check_region(indicator, region_code)
    if not may_enter_realisation(actor, indicator, code):
        raise PermissionDenied(_("Only the owner agency's officers and heads, or planners, report this figure."))
    start = period_start_for(period_kind, period_start)
    number = _value(value)
    source = (source or "").strip()
    if not source:
        raise ValidationError({"source": _("Name the source of the figure.")})
    if start > timezone.localdate():
        raise ValidationError({"period_start": _("The period has not begun yet.")})
    row = (Realisation.objects.select_for_update()
           .filter(indicator=indicator, region_code=code, period_kind=period_kind, period_start=start).first())
    before = snapshot(row, REALISATION_FIELDS) if row else {}
    if row is None:
        row = Realisation(indicator=indicator, region_code=code, period_kind=period_kind, period_start=start)
    row.value, row.source, row.computed = number, source, False
    row.entered_by, row.entered_at = actor, timezone.now()
    if evidence is not None:
        row.evidence.save(evidence.name, evidence, save=False)
    row.save()
    changes = diff(before, snapshot(row, REALISATION_FIELDS))
    if evidence is not None:
        changes["evidence"] = [None, row.evidence.name]
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE,
                 instance=row, region_code=code, changes=changes,
                 summary=f"Realisation {indicator.code} {code} {period_kind} {start}: {number}")
    return row


@transaction.atomic
def target_set(*, actor, indicator: Indicator, plan_period: PlanPeriod, year: int, region_code: str, value,
               source: str = "") -> Target:
    """Set the target of a year of a plan period, for the regency or one of its regions."""
    code = check_region(indicator, region_code)
    if not may_set_target(actor, code):
        raise PermissionDenied(_("Only planners set the plan's targets."))
    if plan_period.regency_code != indicator.regency_code or not plan_period.covers(year):
        raise ValidationError({"year": _("The year is outside the plan period.")})
    target, created = Target.objects.select_for_update().get_or_create(
        indicator=indicator, plan_period=plan_period, year=year, region_code=code,
        defaults={"value": _value(value), "source": source.strip(), "set_by": actor})
    before = {} if created else snapshot(target, ["value", "source", "set_by"])
    if not created:
        target.value, target.source, target.set_by = _value(value), source.strip(), actor
        target.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
                 instance=target, region_code=code, changes=diff(before, snapshot(target, ["value", "source", "set_by"])),
                 summary=f"Target {indicator.code} {plan_period} {year} {code}: {target.value}")
    return target


@transaction.atomic
def thresholds_set(*, actor, regency_code: str, green_from, yellow_from) -> ScorecardThreshold:
    if not may_set_target(actor, regency_code) or not any(m.region_id == regency_code
                                                          for m in _covering(actor, regency_code)):
        raise PermissionDenied(_("Only planners of the whole regency set the scorecard's thresholds."))
    green, yellow = _value(green_from), _value(yellow_from)
    if green <= yellow:
        raise ValidationError({"green_from": _("Green must start above yellow.")})
    row, _created = ScorecardThreshold.objects.select_for_update().get_or_create(regency_code=regency_code)
    before = snapshot(row, ["green_from", "yellow_from"])
    row.green_from, row.yellow_from = green, yellow
    row.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=row, region_code=regency_code,
                 changes=diff(before, snapshot(row, ["green_from", "yellow_from"])),
                 summary=f"Scorecard thresholds {regency_code}: {green} / {yellow}")
    return row
