"""Courses and batches: created and moved through their states by Disnaker staff, audited.

A batch may be linked to an open cycle of the ``pelatihan-blk`` programme. The link is kept
sound in the simplest way: when a batch is linked, the capacities of all batches of the cycle
together may not pass the cycle's quota (checked with the cycle row locked, so two batches
created at once cannot both pass). Acceptance never exceeds a batch's capacity, so the trainees
accepted under a cycle never exceed its quota. Trainees are not programme enrolments: the
cycle's own ``approved_count`` counts only what the programme engine approves.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.careers import kbji
from sejahtera.core.audit import audit_record, diff, snapshot
from sejahtera.core.models import AuditEvent
from sejahtera.programs.models import Cycle
from sejahtera.programs.services.sqlparts import audit_insert, json_changes, text_param
from sejahtera.regions.models import Region
from sejahtera.registry.importing.sql import execute
from sejahtera.training.models import Course, Trainee, TrainingBatch
from sejahtera.training.services.access import require_disnaker_staff

PROGRAMME_CODE = "pelatihan-blk"
COURSE_FIELDS = ["code", "name", "vocation", "kbji_code", "hours", "description", "is_active"]
BATCH_FIELDS = ["label", "starts_on", "ends_on", "capacity", "instructor", "desa_code", "status", "cycle"]


def clean_course(values: dict) -> dict:
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    errors = {}
    for name in ("code", "name", "vocation"):
        if name in values and not values[name]:
            errors[name] = _("This field is required.")
    if values.get("kbji_code"):
        values["kbji_code"] = kbji.normalize_code(values["kbji_code"])
    if values.get("kbji_code") and not kbji.is_valid_code(values["kbji_code"]):
        errors["kbji_code"] = _("%(code)s is not a KBJI 2014 occupation code.") % {"code": values["kbji_code"]}
    if "hours" in values and (values["hours"] is None or int(values["hours"]) <= 0):
        errors["hours"] = _("A course has at least one hour of training.")
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def course_create(*, actor, regency_code: str, code: str, name: str, vocation: str, hours: int,
                  kbji_code: str = "", description: str = "") -> Course:
    require_disnaker_staff(actor, regency_code)
    values = clean_course(dict(code=code, name=name, vocation=vocation, hours=hours, kbji_code=kbji_code,
                               description=description))
    if Course.objects.filter(regency_code=regency_code, code=values["code"]).exists():
        raise ValidationError({"code": _("A course with the code %(code)s exists already.") % values})
    course = Course.objects.create(regency_code=regency_code, **values)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=course, region_code=regency_code,
                 changes=diff({}, snapshot(course, COURSE_FIELDS)), summary=str(course))
    return course


@transaction.atomic
def course_update(*, actor, course: Course, **changes) -> Course:
    """Change any of ``COURSE_FIELDS`` but the code."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    require_disnaker_staff(actor, course.regency_code)
    unknown = set(changes) - (set(COURSE_FIELDS) - {"code"})
    if unknown:
        raise ValueError(f"not a course field: {', '.join(sorted(unknown))}")
    values = clean_course(changes)
    before = snapshot(course, COURSE_FIELDS)
    for name, value in values.items():
        setattr(course, name, value)
    course.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=course, region_code=course.regency_code,
                 changes=diff(before, snapshot(course, COURSE_FIELDS)), summary=str(course))
    return course


def check_cycle(cycle: Cycle, course: Course, starts_on: datetime.date, capacity: int,
                batch: TrainingBatch | None = None) -> None:
    """The cycle may take this batch: the BLK programme of the course's regency, open, dated
    around the batch's start, and with room in its quota for the batch's capacity."""
    cycle = Cycle.objects.select_for_update(of=("self",)).select_related("programme").get(pk=cycle.pk)
    programme = cycle.programme
    if programme.code != PROGRAMME_CODE or programme.regency_code != course.regency_code:
        raise ValidationError({"cycle": _("A batch can belong only to a cycle of the BLK training programme.")})
    if cycle.status != Cycle.Status.OPEN:
        raise ValidationError({"cycle": _("The cycle %(cycle)s is not open.") % {"cycle": cycle}})
    if not cycle.starts_on <= starts_on <= cycle.ends_on:
        raise ValidationError({"cycle": _("The batch must start within the cycle's dates.")})
    if cycle.quota is not None:
        others = TrainingBatch.objects.filter(cycle=cycle)
        if batch is not None:
            others = others.exclude(pk=batch.pk)
        taken = others.aggregate(total=Sum("capacity"))["total"] or 0
        if taken + capacity > cycle.quota:
            raise ValidationError({"capacity": _(
                "The cycle %(cycle)s has a quota of %(quota)d; its batches already take %(taken)d places.")
                % {"cycle": cycle, "quota": cycle.quota, "taken": taken}})


@transaction.atomic
def batch_create(*, actor, course: Course, label: str, starts_on: datetime.date, ends_on: datetime.date,
                 capacity: int, desa_code: str, instructor: str = "", cycle: Cycle | None = None) -> TrainingBatch:
    require_disnaker_staff(actor, course.regency_code)
    label = label.strip()
    errors = {}
    if not label:
        errors["label"] = _("Give the batch a label, e.g. 2026-1.")
    elif course.batches.filter(label=label).exists():
        errors["label"] = _("%(course)s already has a batch %(label)s.") % {"course": course, "label": label}
    if ends_on < starts_on:
        errors["ends_on"] = _("The batch must end on or after the day it starts.")
    if capacity is None or capacity <= 0:
        errors["capacity"] = _("The capacity must be at least one trainee.")
    if not (desa_code.startswith(course.regency_code)
            and Region.objects.filter(code=desa_code, level=Region.Level.DESA).exists()):
        errors["desa_code"] = _("The place must be a village of the course's regency.")
    if not course.is_active:
        errors["course"] = _("%(course)s is not active.") % {"course": course}
    if errors:
        raise ValidationError(errors)
    if cycle is not None:
        check_cycle(cycle, course, starts_on, capacity)
    batch = TrainingBatch.objects.create(course=course, label=label, starts_on=starts_on, ends_on=ends_on,
                                         capacity=capacity, desa_code=desa_code, instructor=instructor.strip(),
                                         cycle=cycle)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=batch, region_code=desa_code,
                 changes=diff({}, snapshot(batch, BATCH_FIELDS)), summary=str(batch))
    return batch


def lock_batch(batch: TrainingBatch | int) -> TrainingBatch:
    """The batch row, locked until the transaction ends, with its course."""
    return TrainingBatch.objects.select_for_update(of=("self",)).select_related("course").get(
        pk=getattr(batch, "pk", batch))


def move_batch(actor, batch: TrainingBatch, source: str, target: str) -> TrainingBatch:
    batch = lock_batch(batch)
    require_disnaker_staff(actor, batch.course.regency_code)
    if batch.status != source:
        raise ValidationError(_("%(batch)s is %(status)s; this step needs a batch that is %(source)s.")
                              % {"batch": batch, "status": batch.get_status_display(),
                                 "source": TrainingBatch.Status(source).label})
    before = snapshot(batch, BATCH_FIELDS)
    batch.status = target
    batch.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=batch, region_code=batch.desa_code,
                 changes=diff(before, snapshot(batch, BATCH_FIELDS)), summary=f"{target} {batch}")
    return batch


@transaction.atomic
def batch_open(*, actor, batch: TrainingBatch) -> TrainingBatch:
    """Open registration: persons may apply from now on."""
    return move_batch(actor, batch, TrainingBatch.Status.PLANNED, TrainingBatch.Status.OPEN)


@transaction.atomic
def batch_start(*, actor, batch: TrainingBatch) -> TrainingBatch:
    """Training begins: the accepted trainees are attending (one ``UPDATE``); the waitlist stays."""
    batch = move_batch(actor, batch, TrainingBatch.Status.OPEN, TrainingBatch.Status.RUNNING)
    table = Trainee._meta.db_table
    execute(*audit_insert(
        actor=actor, now=timezone.now(), action=AuditEvent.Action.UPDATE, object_type="training.trainee",
        object_id="t.id", region="t.desa_code", summary=f"start {batch}",
        changes=json_changes([("status", text_param(), text_param())]),
        changes_params=[Trainee.Status.ACCEPTED, Trainee.Status.ATTENDING],
        select_from=f"FROM {table} t WHERE t.batch_id = %s AND t.status = %s",
        select_params=[batch.pk, Trainee.Status.ACCEPTED]))
    Trainee.objects.filter(batch=batch, status=Trainee.Status.ACCEPTED).update(status=Trainee.Status.ATTENDING)
    return batch


@transaction.atomic
def batch_finish(*, actor, batch: TrainingBatch) -> TrainingBatch:
    """Training is over; the attending trainees are then completed or dropped one by one."""
    return move_batch(actor, batch, TrainingBatch.Status.RUNNING, TrainingBatch.Status.FINISHED)
