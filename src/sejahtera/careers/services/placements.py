"""Placements: recording a seeker's new job, and confirming it after three months."""

import calendar
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.careers import matching_log
from sejahtera.careers.access import is_disnaker_for, is_employer_member, require_disnaker
from sejahtera.careers.models import Application, Employer, JobSeeker, Placement, Vacancy
from sejahtera.careers.services import registry_link
from sejahtera.core.audit import audit_record, diff, snapshot
from sejahtera.core.models import AuditEvent

CONFIRMATION_MONTHS = 3
PLACEMENT_FIELDS = ["person", "seeker", "employer", "employer_name", "vacancy", "application", "position",
                    "kbji_code", "contract_type", "wage", "start_date", "confirmed_at"]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved ``months`` later, on the last day of the month when it has fewer days (31 Jan -> 30 Apr)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def confirmable_from(placement: Placement) -> datetime.date:
    return add_months(placement.start_date, CONFIRMATION_MONTHS)


def _require_recorder(actor, seeker: JobSeeker, employer: Employer | None) -> None:
    if is_disnaker_for(actor, seeker.desa_code):
        return
    if employer is not None and is_employer_member(actor, employer):
        return
    raise PermissionDenied(_("Only Disnaker staff or the hiring employer may record a placement."))


@transaction.atomic
def placement_record(*, actor, seeker: JobSeeker, position: str, contract_type: str,
                     start_date: datetime.date, employer: Employer | None = None, employer_name: str = "",
                     vacancy: Vacancy | None = None, application: Application | None = None, kbji_code: str = "",
                     wage: int | None = None) -> Placement:
    """Record that ``seeker`` started a job; the seeker becomes placed and the registry person working.

    Without ``employer`` the job is with an employer outside the portal, named by ``employer_name``
    (then only Disnaker records it).
    """
    _require_recorder(actor, seeker, employer)
    if application is not None and Placement.objects.filter(application=application).exists():
        raise ValidationError(_("This application already has a placement."))
    placement = Placement(person=seeker.person, seeker=seeker, employer=employer,
                          employer_name="" if employer else employer_name.strip(), vacancy=vacancy,
                          application=application, position=position.strip(), kbji_code=kbji_code.strip(),
                          contract_type=contract_type, wage=wage, start_date=start_date, recorded_by=actor)
    if employer is None and not placement.employer_name:
        raise ValidationError({"employer_name": [_("Name the employer.")]})
    placement.full_clean(exclude=["person", "seeker", "employer", "vacancy", "application", "recorded_by"])
    placement.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=placement, region_code=seeker.desa_code,
                 changes=diff({}, snapshot(placement, PLACEMENT_FIELDS)))
    if seeker.status != JobSeeker.Status.PLACED:
        seeker.status = JobSeeker.Status.PLACED
        seeker.save(update_fields=["status", "updated_at"])
        matching_log.seekers_changed([seeker.pk])  # placed: out of the active candidates
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=seeker, region_code=seeker.desa_code,
                     changes={"status": [JobSeeker.Status.ACTIVE.value, JobSeeker.Status.PLACED.value]})
    registry_link.person_set_employment(actor=actor, person=seeker.person, occupation=placement.position)
    return placement


@transaction.atomic
def placement_confirm(*, actor, placement: Placement) -> Placement:
    """Disnaker confirms the person still works there, no earlier than 3 months after the start."""
    require_disnaker(actor, placement.seeker.desa_code)
    if placement.confirmed_at is not None:
        raise ValidationError(_("This placement is already confirmed."))
    earliest = confirmable_from(placement)
    if timezone.localdate() < earliest:
        raise ValidationError(_("A placement can be confirmed from %(date)s, three months after the start.")
                              % {"date": earliest.isoformat()})
    placement.confirmed_at = timezone.now()
    placement.save(update_fields=["confirmed_at"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=placement,
                 region_code=placement.seeker.desa_code,
                 changes={"confirmed_at": [None, placement.confirmed_at.isoformat()]})
    return placement
