"""Attendance: one statement records a day for every attending trainee of a batch.

``attendance_record`` writes (or corrects) one row per attending trainee and day with an
``INSERT … SELECT … ON CONFLICT DO UPDATE`` (PostgreSQL and SQLite alike): present when the
trainee's id is in ``present_ids``, absent otherwise.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.core.audit import audit_record
from sejahtera.core.models import AuditEvent
from sejahtera.registry.importing.sql import execute
from sejahtera.training.models import Attendance, Trainee, TrainingBatch
from sejahtera.training.services.access import require_disnaker_staff
from sejahtera.training.services.courses import lock_batch


@transaction.atomic
def attendance_record(*, actor, batch: TrainingBatch, day: datetime.date, present_ids: Iterable[int]) -> int:
    """Record ``day`` for the batch's attending trainees; returns how many were present."""
    batch = lock_batch(batch)
    require_disnaker_staff(actor, batch.course.regency_code)
    if batch.status not in (TrainingBatch.Status.RUNNING, TrainingBatch.Status.FINISHED):
        raise ValidationError(_("Attendance is taken once %(batch)s has started.") % {"batch": batch})
    if not batch.starts_on <= day <= batch.ends_on:
        raise ValidationError({"day": _("%(day)s is outside the batch's dates.") % {"day": day}})
    present = sorted({int(i) for i in present_ids})
    attending = Trainee.objects.filter(batch=batch, status=Trainee.Status.ATTENDING)
    if present:
        unknown = set(present) - set(attending.filter(pk__in=present).values_list("pk", flat=True))
        if unknown:
            raise ValidationError(_("Not attending trainees of %(batch)s: %(ids)s.")
                                  % {"batch": batch, "ids": ", ".join(map(str, sorted(unknown)))})
    now = timezone.now()
    is_present = f"t.id IN ({', '.join(['%s'] * len(present))})" if present else "1 = 0"
    execute(f"""
        INSERT INTO {Attendance._meta.db_table} (trainee_id, day, present, recorded_at, recorded_by_id)
        SELECT t.id, %s, CASE WHEN {is_present} THEN %s ELSE %s END, %s, %s
        FROM {Trainee._meta.db_table} t WHERE t.batch_id = %s AND t.status = %s
        ON CONFLICT (trainee_id, day) DO UPDATE SET present = excluded.present,
            recorded_at = excluded.recorded_at, recorded_by_id = excluded.recorded_by_id""",
            [connection.ops.adapt_datefield_value(day), *present, True, False,
             connection.ops.adapt_datetimefield_value(now), actor.pk, batch.pk, Trainee.Status.ATTENDING])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=batch, region_code=batch.desa_code,
                 changes={"attendance": [None, {"day": str(day), "present": present}]},
                 summary=f"attendance {batch} {day}: {len(present)} present")
    return len(present)
