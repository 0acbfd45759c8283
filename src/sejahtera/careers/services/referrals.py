"""Offering training or an internship to an unplaced seeker, and recording the answer.

Disnaker staff for the seeker's region make the offer and record the answer. Accepting applies
the person to the batch through ``training.services.trainee_apply`` or assigns the slot through
``internship_assign``, in the same transaction, so their own checks (batch open, no overlapping
batch, openings left) decide: when they refuse, nothing is recorded.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.careers.access import require_disnaker
from sejahtera.careers.models import JobSeeker, Referral
from sejahtera.core.audit import audit_record, diff, snapshot
from sejahtera.core.models import AuditEvent

REFERRAL_FIELDS = ["seeker", "kind", "batch", "slot", "outcome", "trainee", "internship"]


@transaction.atomic
def referral_offer(*, actor, seeker: JobSeeker, batch=None, slot=None) -> Referral:
    """Offer ``seeker`` one open training batch or one open internship slot."""
    from sejahtera.training.models import InternshipSlot, TrainingBatch

    seeker = JobSeeker.objects.select_for_update().get(pk=seeker.pk)
    require_disnaker(actor, seeker.desa_code)
    if (batch is None) == (slot is None):
        raise ValidationError(_("Offer either a training batch or an internship slot."))
    if batch is not None:
        batch = TrainingBatch.objects.get(pk=batch.pk)
        if batch.status != TrainingBatch.Status.OPEN:
            raise ValidationError(_("%(batch)s is not open for registration.") % {"batch": batch})
        duplicate = Referral.objects.filter(seeker=seeker, batch=batch)
    else:
        slot = InternshipSlot.objects.get(pk=slot.pk)
        if slot.status != InternshipSlot.Status.OPEN:
            raise ValidationError(_("The slot %(slot)s is closed.") % {"slot": slot})
        duplicate = Referral.objects.filter(seeker=seeker, slot=slot)
    if duplicate.exists():
        raise ValidationError(_("This offer was already made to the job seeker."))
    referral = Referral.objects.create(
        seeker=seeker, kind=Referral.Kind.TRAINING if batch is not None else Referral.Kind.INTERNSHIP,
        batch=batch, slot=slot, offered_by=actor, offered_at=timezone.now())
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=referral, region_code=seeker.desa_code,
                 changes=diff({}, snapshot(referral, REFERRAL_FIELDS)), summary=f"offer {batch or slot}")
    return referral


def _decide(actor, referral: Referral) -> tuple[Referral, dict]:
    referral = Referral.objects.select_for_update().select_related("seeker__person").get(pk=referral.pk)
    require_disnaker(actor, referral.seeker.desa_code)
    if referral.outcome != Referral.Outcome.OFFERED:
        raise ValidationError(_("This offer was already answered."))
    return referral, snapshot(referral, REFERRAL_FIELDS)


@transaction.atomic
def referral_accept(*, actor, referral: Referral) -> Referral:
    """The seeker accepts: applied to the batch, or assigned to the slot, and the offer closed."""
    from sejahtera.training.services import internship_assign, trainee_apply

    referral, before = _decide(actor, referral)
    person = referral.seeker.person
    if referral.kind == Referral.Kind.TRAINING:
        referral.trainee = trainee_apply(actor=actor, batch=referral.batch, person=person)
    else:
        referral.internship = internship_assign(actor=actor, slot=referral.slot, person=person)
    referral.outcome, referral.decided_at, referral.decided_by = Referral.Outcome.ACCEPTED, timezone.now(), actor
    referral.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=referral,
                 region_code=referral.seeker.desa_code, changes=diff(before, snapshot(referral, REFERRAL_FIELDS)),
                 summary="referral accepted")
    return referral


@transaction.atomic
def referral_decline(*, actor, referral: Referral) -> Referral:
    """The seeker declines the offer."""
    referral, before = _decide(actor, referral)
    referral.outcome, referral.decided_at, referral.decided_by = Referral.Outcome.DECLINED, timezone.now(), actor
    referral.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=referral,
                 region_code=referral.seeker.desa_code, changes=diff(before, snapshot(referral, REFERRAL_FIELDS)),
                 summary="referral declined")
    return referral
