"""Trainees: applying to an open batch, selection by priority, completion with a certificate, dropping.

Selection (``batch_select``) is one ``UPDATE … FROM`` over a ranked ``SELECT``: the pending
applications (applied or waitlisted) are numbered with ``row_number()`` by

1. members of poor families first: the current welfare score of the person's family is in
   desil 1-4 (``POOR_DESIL``);
2. then the unemployed (``employment_status`` "unemployed, looking for work");
3. then application order (``applied_at``, then id).

The first ones up to the free places (capacity less the trainees holding a place) are accepted,
the others waitlisted, each with its rank, the desil it was ranked with and the reason in plain
words. A person accepted in another batch whose dates overlap is never accepted and is ranked
last; the applicants' person rows are locked during the selection so that two overlapping batches
selected at once cannot both accept someone. Run again after a drop, selection fills the freed
places from the waitlist.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Subquery, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.core.audit import audit_record, diff, snapshot
from sejahtera.core.models import AuditEvent
from sejahtera.programs.services.sqlparts import audit_insert, json_changes
from sejahtera.registry.choices import EmploymentStatus
from sejahtera.registry.importing.sql import execute
from sejahtera.registry.models import Person
from sejahtera.training.models import Trainee, TrainingBatch
from sejahtera.training.services.access import require_disnaker_staff
from sejahtera.training.services.completion import check_attendance, next_certificate_number
from sejahtera.training.services.courses import lock_batch
from sejahtera.welfare.models import WelfareScore

POOR_DESIL = 4  # desil 1-4: members of poor families come first
TRAINEE_FIELDS = ["status", "priority", "priority_reason", "accepted_at", "completed_at", "competent",
                  "certificate_number", "dropped_at", "dropped_reason"]
PENDING = (Trainee.Status.APPLIED, Trainee.Status.WAITLISTED)
DROPPABLE = (Trainee.Status.APPLIED, Trainee.Status.ACCEPTED, Trainee.Status.WAITLISTED, Trainee.Status.ATTENDING)


@dataclass(frozen=True)
class SelectionResult:
    places: int  # free places before the selection
    accepted: int
    waitlisted: int


def overlapping_busy(batch: TrainingBatch):
    """Places held by the same person in another batch whose dates overlap ``batch``'s."""
    return Trainee.objects.filter(status__in=Trainee.BUSY, batch__starts_on__lte=batch.ends_on,
                                  batch__ends_on__gte=batch.starts_on).exclude(batch_id=batch.pk)


@transaction.atomic
def trainee_apply(*, actor, batch: TrainingBatch, person: Person) -> Trainee:
    """Register ``person`` (a resident of the course's regency) for an open batch."""
    batch = TrainingBatch.objects.select_related("course").get(pk=batch.pk)
    # The person row stays locked to the commit, as in ``batch_select``: the overlap check holds.
    person = Person.objects.select_for_update().get(pk=person.pk)
    regency = batch.course.regency_code
    if not person.desa_id.startswith(regency) or person.merged_into_id:
        raise ValidationError(_("Only residents registered in the regency may apply."))
    require_disnaker_staff(actor, person.desa_id)
    if batch.status != TrainingBatch.Status.OPEN:
        raise ValidationError(_("%(batch)s is not open for registration.") % {"batch": batch})
    if Trainee.objects.filter(batch=batch, person=person).exists():
        raise ValidationError(_("%(name)s has already applied to %(batch)s.") % {"name": person.name, "batch": batch})
    clash = overlapping_busy(batch).filter(person=person).select_related("batch__course").first()
    if clash is not None:
        raise ValidationError(_("%(name)s is already accepted in %(batch)s, whose dates overlap this batch.")
                              % {"name": person.name, "batch": clash.batch}, code="overlap")
    trainee = Trainee.objects.create(batch=batch, person=person, desa_code=person.desa_id,
                                     applied_at=timezone.now())
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=trainee, region_code=trainee.desa_code,
                 changes=diff({}, snapshot(trainee, ["status"])), summary=f"apply {batch}")
    return trainee


def ranked_pending(batch: TrainingBatch):
    """The batch's pending applications with their rank ``n`` and the flags it was ranked by."""
    current_desil = Subquery(WelfareScore.objects.filter(family_id=OuterRef("person__family_id"), is_current=True)
                             .values("desil")[:1], output_field=IntegerField())
    flag = {"default": Value(0), "output_field": IntegerField()}
    busy = overlapping_busy(batch).filter(person_id=OuterRef("person_id"))
    return (Trainee.objects.filter(batch_id=batch.pk, status__in=PENDING)
            .annotate(cur_desil=current_desil)
            .annotate(conflict=Case(When(Exists(busy), then=Value(1)), **flag),
                      poor=Case(When(cur_desil__lte=POOR_DESIL, then=Value(1)), **flag),
                      unemployed=Case(When(person__employment_status=EmploymentStatus.UNEMPLOYED,
                                           then=Value(1)), **flag))
            .annotate(n=Window(RowNumber(), order_by=[F("conflict").asc(), F("poor").desc(),
                                                      F("unemployed").desc(), F("applied_at").asc(),
                                                      F("id").asc()]))
            .order_by().values("id", "cur_desil", "conflict", "poor", "unemployed", "n"))


@transaction.atomic
def batch_select(*, actor, batch: TrainingBatch) -> SelectionResult:
    """Accept pending applications up to the free places by priority; waitlist the rest."""
    batch = lock_batch(batch)
    require_disnaker_staff(actor, batch.course.regency_code)
    if batch.status not in (TrainingBatch.Status.OPEN, TrainingBatch.Status.RUNNING):
        raise ValidationError(_("Trainees are selected while %(batch)s is open or running.") % {"batch": batch})
    # Lock the applicants' person rows (in id order): a selection of an overlapping batch, or an
    # application, running at the same time waits, so nobody is accepted in two overlapping batches.
    list(Person.objects.select_for_update().filter(
        pk__in=Trainee.objects.filter(batch=batch, status__in=PENDING).values("person_id")).order_by("pk")
        .values_list("pk", flat=True))
    holding = Trainee.objects.filter(batch=batch, status__in=Trainee.HOLDING).count()
    places = max(batch.capacity - holding, 0)
    now = timezone.now()
    raw_now = connection.ops.adapt_datetimefield_value(now)  # as the ORM writes it, for comparisons below
    inner, inner_params = ranked_pending(batch).query.sql_with_params()
    table = Trainee._meta.db_table
    accept = "r.conflict = 0 AND r.n <= %s"
    reasons = [_("Already accepted in a batch with overlapping dates"),
               _("Member of a poor family (desil 1-4) and unemployed"),
               _("Member of a poor family (desil 1-4)"),
               _("Unemployed, looking for work"),
               _("Application order")]
    execute(f"""
        UPDATE {table} SET
            status = CASE WHEN {accept} THEN %s ELSE %s END,
            accepted_at = CASE WHEN {accept} THEN %s ELSE NULL END,
            priority = r.n,
            desil = r.cur_desil,
            priority_reason = CASE WHEN r.conflict = 1 THEN %s WHEN r.poor = 1 AND r.unemployed = 1 THEN %s
                                   WHEN r.poor = 1 THEN %s WHEN r.unemployed = 1 THEN %s ELSE %s END
        FROM ({inner}) r
        WHERE {table}.id = r.id""",
            [places, Trainee.Status.ACCEPTED, Trainee.Status.WAITLISTED, places, raw_now, *reasons, *inner_params])
    # One audit row per trainee ranked now (written from the rows themselves), and one for the batch.
    execute(*audit_insert(
        actor=actor, now=now, action=AuditEvent.Action.UPDATE, object_type="training.trainee", object_id="t.id",
        region="t.desa_code", summary=f"select {batch}",
        changes=json_changes([("status", "NULL", "t.status"), ("priority", "NULL", "t.priority")]),
        select_from=f"FROM {table} t WHERE t.batch_id = %s "
                    f"AND (t.status = %s OR (t.status = %s AND t.accepted_at = %s))",
        select_params=[batch.pk, Trainee.Status.WAITLISTED, Trainee.Status.ACCEPTED, raw_now]))
    accepted = Trainee.objects.filter(batch=batch, status=Trainee.Status.ACCEPTED, accepted_at=now).count()
    waitlisted = Trainee.objects.filter(batch=batch, status=Trainee.Status.WAITLISTED).count()
    result = SelectionResult(places=places, accepted=accepted, waitlisted=waitlisted)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=batch, region_code=batch.desa_code,
                 summary=f"select {batch}: {places} places, {accepted} accepted, {waitlisted} waitlisted")
    return result


def lock_trainee(trainee: Trainee) -> Trainee:
    return Trainee.objects.select_for_update(of=("self",)).select_related("batch__course", "person").get(
        pk=trainee.pk)


@transaction.atomic
def trainee_complete(*, actor, trainee: Trainee, competent: bool) -> Trainee:
    """Complete an attending trainee whose attendance meets the rule; a competent one gets a
    certificate number (``BLK-<regency>-<year>-<serial>``)."""
    trainee = lock_trainee(trainee)
    batch = trainee.batch
    require_disnaker_staff(actor, trainee.person.desa_id)
    if batch.status not in (TrainingBatch.Status.RUNNING, TrainingBatch.Status.FINISHED):
        raise ValidationError(_("%(batch)s has not started.") % {"batch": batch})
    if trainee.status != Trainee.Status.ATTENDING:
        raise ValidationError(_("Only an attending trainee can complete; %(name)s is %(status)s.")
                              % {"name": trainee.person.name, "status": trainee.get_status_display()})
    check_attendance(trainee)
    before = snapshot(trainee, TRAINEE_FIELDS)
    now = timezone.now()
    trainee.status = Trainee.Status.COMPLETED
    trainee.completed_at = now
    trainee.competent = bool(competent)
    if trainee.competent:
        trainee.certificate_number = next_certificate_number(batch.course.regency_code, timezone.localdate(now).year)
    trainee.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=trainee, region_code=trainee.desa_code,
                 changes=diff(before, snapshot(trainee, TRAINEE_FIELDS)), summary=f"complete {batch}")
    return trainee


@transaction.atomic
def trainee_drop(*, actor, trainee: Trainee, reason: str) -> Trainee:
    """Withdraw an application or a trainee (with the reason); the place can be refilled by selecting again."""
    trainee = lock_trainee(trainee)
    require_disnaker_staff(actor, trainee.person.desa_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the trainee is dropped.")})
    if trainee.status not in DROPPABLE:
        raise ValidationError(_("%(name)s is %(status)s and cannot be dropped.")
                              % {"name": trainee.person.name, "status": trainee.get_status_display()})
    before = snapshot(trainee, TRAINEE_FIELDS)
    trainee.status = Trainee.Status.DROPPED
    trainee.dropped_at = timezone.now()
    trainee.dropped_reason = reason[:200]
    trainee.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=trainee, region_code=trainee.desa_code,
                 changes=diff(before, snapshot(trainee, TRAINEE_FIELDS)), summary=f"drop {trainee.batch}")
    return trainee
