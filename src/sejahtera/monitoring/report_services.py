"""Writes of the quarterly reports: the agency writes its texts and budget figures, its head submits.

- ``quarterly_report_save``: the agency's officers and heads (regency-wide memberships) write the
  texts and, per programme, the budget figures entered by hand, while the report is a draft. The
  first save creates the report (one per agency, year and quarter); a quarter is reported once it
  has begun.
- ``quarterly_report_submit``: the agency's head submits it; it is then read-only.
- ``quarterly_report_reopen``: the agency's head takes a submitted report back to draft, to correct it.

Planners read every agency's report but write none of them. Every write is audited; every
download is logged by the views (``report_download_record``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.accounts.models import Agency
from sejahtera.core.audit import audit_record, diff, snapshot
from sejahtera.core.models import AuditEvent
from sejahtera.monitoring.report_models import QuarterlyBudgetLine, QuarterlyReport
from sejahtera.monitoring.report_selectors import (
    QUARTERS,
    may_edit_quarterly,
    may_submit_quarterly,
    quarter_has_begun,
)
from sejahtera.programs.models import Programme
from sejahtera.welfare.selectors import regency_code

TEXT_FIELDS = ["problems", "drivers", "obstacles", "follow_up"]
STATUS_FIELDS = ["status", "submitted_by", "submitted_at"]
MAX_TEXT = 20_000


def _check_period(year: int, quarter: int) -> None:
    if quarter not in QUARTERS:
        raise ValidationError({"quarter": _("A quarter is 1, 2, 3 or 4.")})
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
    if not quarter_has_begun(year, quarter):
        raise ValidationError({"quarter": _("The quarter has not begun yet.")})


def _rupiah(value, field: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(str(value).replace(".", "").replace("Rp", "").strip())
    except ValueError:
        raise ValidationError({field: _("Enter an amount in whole Rupiah.")}) from None
    if number < 0:
        raise ValidationError({field: _("Enter an amount of zero or more.")})
    return number


def _lock(agency: Agency, year: int, quarter: int) -> QuarterlyReport | None:
    return QuarterlyReport.objects.select_for_update().filter(
        regency_code=regency_code(), agency=agency, year=year, quarter=quarter).first()


@transaction.atomic
def quarterly_report_save(*, actor, agency: Agency, year: int, quarter: int, problems: str = "",
                          drivers: str = "", obstacles: str = "", follow_up: str = "",
                          budget: dict | None = None) -> QuarterlyReport:
    """Write the report's texts and, with ``budget`` (``{programme id: {"planned": …, "used": …,
    "note": …}}``), the budget figures entered by hand (empty: keep the derived figure)."""
    if not may_edit_quarterly(actor, agency):
        raise PermissionDenied(_("Only the agency's officers and heads write its quarterly report."))
    _check_period(year, quarter)
    texts = {"problems": problems, "drivers": drivers, "obstacles": obstacles, "follow_up": follow_up}
    texts = {name: (value or "").strip() for name, value in texts.items()}
    for name, value in texts.items():
        if len(value) > MAX_TEXT:
            raise ValidationError({name: _("Keep the text under %(n)s characters.") % {"n": MAX_TEXT}})
    report = _lock(agency, year, quarter)
    created = report is None
    if created:
        report = QuarterlyReport(regency_code=regency_code(), agency=agency, year=year, quarter=quarter)
    elif report.is_submitted:
        raise ValidationError(_("The report has been submitted; its head reopens it to correct it."))
    before = {} if created else snapshot(report, TEXT_FIELDS)
    for name, value in texts.items():
        setattr(report, name, value)
    report.updated_by = actor
    report.save()
    changes = diff(before, snapshot(report, TEXT_FIELDS))
    if budget:
        changes.update(_save_budget(report, agency, budget))
    audit_record(actor=actor, action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
                 instance=report, region_code=report.regency_code, changes=changes,
                 summary=f"Quarterly report {agency.code} {year} Q{quarter} saved")
    return report


def _save_budget(report: QuarterlyReport, agency: Agency, budget: dict) -> dict:
    programmes = {p.pk: p for p in Programme.objects.filter(agency=agency, regency_code=report.regency_code)}
    existing = {line.programme_id: line for line in report.budget_lines.select_for_update()}
    changes = {}
    for key, values in budget.items():
        programme = programmes.get(int(key))
        if programme is None:
            raise ValidationError(_("The programme is not one of the agency's."))
        planned = _rupiah(values.get("planned"), "planned")
        used = _rupiah(values.get("used"), "used")
        note = (values.get("note") or "").strip()[:200]
        line = existing.get(programme.pk)
        before = snapshot(line, ["planned", "used", "note"]) if line else {}
        if planned is None and used is None and not note:
            if line:
                line.delete()
                changes[f"budget:{programme.code}"] = [before, None]
            continue
        line = line or QuarterlyBudgetLine(report=report, programme=programme)
        line.planned, line.used, line.note = planned, used, note
        line.save()
        after = snapshot(line, ["planned", "used", "note"])
        if after != before:
            changes[f"budget:{programme.code}"] = [before or None, after]
    return changes


@transaction.atomic
def quarterly_report_submit(*, actor, report: QuarterlyReport) -> QuarterlyReport:
    report = QuarterlyReport.objects.select_for_update().select_related("agency").get(pk=report.pk)
    if not may_submit_quarterly(actor, report.agency):
        raise PermissionDenied(_("Only the agency's head submits its quarterly report."))
    if report.is_submitted:
        raise ValidationError(_("The report has been submitted already."))
    before = snapshot(report, STATUS_FIELDS)
    report.status, report.submitted_by, report.submitted_at = QuarterlyReport.Status.SUBMITTED, actor, timezone.now()
    report.save(update_fields=STATUS_FIELDS)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=report, region_code=report.regency_code,
                 changes=diff(before, snapshot(report, STATUS_FIELDS)),
                 summary=f"Quarterly report {report.agency.code} {report.year} Q{report.quarter} submitted")
    return report


@transaction.atomic
def quarterly_report_reopen(*, actor, report: QuarterlyReport) -> QuarterlyReport:
    report = QuarterlyReport.objects.select_for_update().select_related("agency").get(pk=report.pk)
    if not may_submit_quarterly(actor, report.agency):
        raise PermissionDenied(_("Only the agency's head reopens its quarterly report."))
    if not report.is_submitted:
        raise ValidationError(_("The report is a draft already."))
    before = snapshot(report, STATUS_FIELDS)
    report.status, report.submitted_by, report.submitted_at = QuarterlyReport.Status.DRAFT, None, None
    report.save(update_fields=STATUS_FIELDS)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=report, region_code=report.regency_code,
                 changes=diff(before, snapshot(report, STATUS_FIELDS)),
                 summary=f"Quarterly report {report.agency.code} {report.year} Q{report.quarter} reopened")
    return report


def report_download_record(*, actor, instance, fmt: str, summary: str) -> AuditEvent:
    """Log a download of a report (an export), as the registry's exports are logged."""
    return audit_record(actor=actor, action=AuditEvent.Action.EXPORT, instance=instance,
                        region_code=regency_code(), changes={"format": fmt}, summary=summary)
