"""Internships (magang): slots at verified employers, interns assigned within the openings, the
internship started, completed, dropped, or converted into a job.

Disnaker staff do all of it, within their region: a slot needs a scope covering its workplace,
an intern a scope covering the person's desa. Assigning holds the slot row locked while it counts
the openings taken, so two assignments at once cannot pass them together. Conversion records
the job through the career center's ``placement_record`` (the person must be a registered job
seeker), which also marks the seeker placed and the registry person working.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.careers import kbji
from sejahtera.careers.models import Employer, JobSeeker
from sejahtera.careers.services.placements import placement_record
from sejahtera.core.audit import audit_record, diff, snapshot
from sejahtera.core.models import AuditEvent
from sejahtera.registry.models import Person
from sejahtera.training.models import Internship, InternshipSlot
from sejahtera.training.services.access import require_disnaker_staff

SLOT_FIELDS = ["employer", "title", "kbji_code", "openings", "months", "stipend", "starts_on", "desa_code", "status"]
INTERNSHIP_FIELDS = ["status", "started_on", "ended_on", "placement", "dropped_reason"]


@transaction.atomic
def slot_create(*, actor, employer: Employer, title: str, openings: int, months: int, starts_on: datetime.date,
                desa_code: str, stipend: int = 0, kbji_code: str = "") -> InternshipSlot:
    require_disnaker_staff(actor, desa_code)
    title = title.strip()
    kbji_code = kbji.normalize_code(kbji_code) if kbji_code else ""
    errors = {}
    if not employer.is_verified:
        errors["employer"] = _("%(employer)s is not verified by Disnaker.") % {"employer": employer}
    if not title:
        errors["title"] = _("This field is required.")
    if kbji_code and not kbji.is_valid_code(kbji_code):
        errors["kbji_code"] = _("%(code)s is not a KBJI 2014 occupation code.") % {"code": kbji_code}
    if openings is None or openings <= 0:
        errors["openings"] = _("A slot has at least one opening.")
    if months is None or months <= 0:
        errors["months"] = _("An internship lasts at least one month.")
    if stipend is None or stipend < 0:
        errors["stipend"] = _("The stipend cannot be negative.")
    if errors:
        raise ValidationError(errors)
    slot = InternshipSlot.objects.create(employer=employer, title=title, kbji_code=kbji_code, openings=openings,
                                         months=months, stipend=stipend, starts_on=starts_on, desa_code=desa_code)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=slot, region_code=desa_code,
                 changes=diff({}, snapshot(slot, SLOT_FIELDS)), summary=str(slot))
    return slot


@transaction.atomic
def internship_assign(*, actor, slot: InternshipSlot, person: Person) -> Internship:
    """Match ``person`` to an open slot, within its openings."""
    slot = InternshipSlot.objects.select_for_update().get(pk=slot.pk)
    person = Person.objects.get(pk=person.pk)
    require_disnaker_staff(actor, person.desa_id)
    if person.merged_into_id:
        raise ValidationError(_("This person's record was merged into another."))
    if slot.status != InternshipSlot.Status.OPEN:
        raise ValidationError(_("The slot %(slot)s is closed.") % {"slot": slot})
    if slot.internships.filter(person=person).exists():
        raise ValidationError(_("%(name)s is already matched to this slot.") % {"name": person.name})
    if Internship.objects.filter(person=person, status__in=(Internship.Status.MATCHED, Internship.Status.ACTIVE)
                                 ).exists():
        raise ValidationError(_("%(name)s already has an internship in progress.") % {"name": person.name})
    taken = slot.internships.filter(status__in=Internship.HOLDING).count()
    if taken >= slot.openings:
        raise ValidationError(_("All %(openings)d openings of %(slot)s are taken.")
                              % {"openings": slot.openings, "slot": slot}, code="full")
    internship = Internship.objects.create(slot=slot, person=person, desa_code=person.desa_id,
                                           matched_at=timezone.now())
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=internship, region_code=person.desa_id,
                 changes=diff({}, snapshot(internship, INTERNSHIP_FIELDS)), summary=f"assign {slot}")
    return internship


def move(actor, internship: Internship, sources: tuple, target: str, summary: str, **values) -> Internship:
    internship = Internship.objects.select_for_update(of=("self",)).select_related("slot__employer", "person").get(
        pk=internship.pk)
    require_disnaker_staff(actor, internship.person.desa_id)
    if internship.status not in sources:
        raise ValidationError(_("The internship of %(name)s is %(status)s.")
                              % {"name": internship.person.name, "status": internship.get_status_display()},
                              code="wrong_status")
    before = snapshot(internship, INTERNSHIP_FIELDS)
    internship.status = target
    for name, value in values.items():
        setattr(internship, name, value)
    if internship.ended_on and internship.started_on and internship.ended_on < internship.started_on:
        raise ValidationError({"ended_on": _("The internship cannot end before it started.")})
    internship.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=internship, region_code=internship.desa_code,
                 changes=diff(before, snapshot(internship, INTERNSHIP_FIELDS)), summary=summary)
    return internship


@transaction.atomic
def internship_start(*, actor, internship: Internship, started_on: datetime.date) -> Internship:
    return move(actor, internship, (Internship.Status.MATCHED,), Internship.Status.ACTIVE, "start",
                started_on=started_on)


@transaction.atomic
def internship_complete(*, actor, internship: Internship, ended_on: datetime.date) -> Internship:
    return move(actor, internship, (Internship.Status.ACTIVE,), Internship.Status.COMPLETED, "complete",
                ended_on=ended_on)


@transaction.atomic
def internship_drop(*, actor, internship: Internship, reason: str, ended_on: datetime.date | None = None
                    ) -> Internship:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the internship is dropped.")})
    return move(actor, internship, (Internship.Status.MATCHED, Internship.Status.ACTIVE), Internship.Status.DROPPED,
                "drop", dropped_reason=reason[:200], ended_on=ended_on)


@transaction.atomic
def internship_convert(*, actor, internship: Internship, position: str, contract_type: str,
                       start_date: datetime.date, wage: int | None = None) -> Internship:
    """The employer hires the intern: the job is recorded as a placement with the slot's employer."""
    current = Internship.objects.select_related("slot__employer", "person").get(pk=internship.pk)
    seeker = JobSeeker.objects.filter(person_id=current.person_id).first()
    if seeker is None:
        raise ValidationError(_("%(name)s is not registered as a job seeker; register them at the career center "
                                "before recording the job.") % {"name": current.person.name}, code="no_seeker")
    # Hired during the internship: it ends the day before the job starts (not before it started).
    ended_on = current.ended_on or max(current.started_on, start_date - datetime.timedelta(days=1))
    converted = move(actor, current, (Internship.Status.ACTIVE, Internship.Status.COMPLETED),
                     Internship.Status.CONVERTED, "convert", ended_on=ended_on)
    placement = placement_record(actor=actor, seeker=seeker, employer=current.slot.employer, position=position,
                                 contract_type=contract_type, start_date=start_date, kbji_code=current.slot.kbji_code,
                                 wage=wage)
    Internship.objects.filter(pk=converted.pk).update(placement=placement)
    converted.placement = placement
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=converted, region_code=converted.desa_code,
                 changes={"placement": [None, placement.pk]}, summary="convert: placement recorded")
    return converted
