"""Reads of courses, batches, trainees and attendance. Every function takes the user.

Courses and batches carry no personal data: a user sees those of the regencies of their
memberships. Trainees name persons, so lists of them follow the user's personal-data scopes on
the person's desa (``region_prefix_q``, as ``Person.objects.for_user`` does); planners see none.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from sejahtera.core.scoping import region_prefix_q
from sejahtera.training.models import Attendance, Course, Trainee, TrainingBatch


def regencies(user) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    return sorted({m.region_id[:4] for m in user.active_memberships})


def personal_q(user, field: str = "person__desa__pk") -> Q | None:
    """``Q`` for trainees whose person lives inside the user's personal-data scopes (None: none)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return region_prefix_q(field, user.personal_data_scopes)


def course_list(user, *, active_only: bool = False) -> QuerySet[Course]:
    courses = Course.objects.filter(regency_code__in=regencies(user))
    return courses.filter(is_active=True) if active_only else courses


def batch_list(user, *, course: Course | None = None, status: str = "", year: int | None = None
               ) -> QuerySet[TrainingBatch]:
    batches = TrainingBatch.objects.filter(course__regency_code__in=regencies(user)).select_related("course")
    if course is not None:
        batches = batches.filter(course=course)
    if status:
        batches = batches.filter(status=status)
    if year is not None:
        batches = batches.filter(starts_on__year=year)
    return batches


def batch_get(user, pk: int) -> TrainingBatch:
    """One batch of the user's regencies; 404 otherwise."""
    return get_object_or_404(batch_list(user), pk=pk)


def trainees(user, batch: TrainingBatch, status: str = "") -> QuerySet[Trainee]:
    """The batch's trainees whose person lives in the user's scope, in priority order."""
    q = personal_q(user)
    if q is None:
        return Trainee.objects.none()
    rows = Trainee.objects.filter(batch=batch).filter(q)
    if status:
        rows = rows.filter(status=status)
    return rows.select_related("person").order_by(F("priority").asc(nulls_last=True), "applied_at", "id")


@dataclass
class SheetRow:
    trainee: Trainee
    marks: list[bool | None]  # one per day of the sheet: present, absent, or not recorded
    present: int = 0

    def percent(self, days: int) -> int | None:
        return self.present * 100 // days if days else None


@dataclass
class AttendanceSheet:
    batch: TrainingBatch
    days: list[datetime.date] = field(default_factory=list)
    rows: list[SheetRow] = field(default_factory=list)

    def percent(self, row: SheetRow) -> int | None:
        return row.percent(len(self.days))


def attendance_sheet(user, batch: TrainingBatch) -> AttendanceSheet:
    """Trainees (in the user's scope) × the days attendance was taken for the batch."""
    days = list(Attendance.objects.filter(trainee__batch=batch).order_by("day").values_list("day", flat=True)
                .distinct())
    recorded = Attendance.objects.filter(trainee_id=OuterRef("pk"))
    rows = [SheetRow(trainee=t, marks=[None] * len(days))
            for t in trainees(user, batch).filter(Q(status__in=(Trainee.Status.ATTENDING, Trainee.Status.COMPLETED))
                                                  | Q(Exists(recorded)))]
    by_id = {row.trainee.pk: row for row in rows}
    position = {day: i for i, day in enumerate(days)}
    for trainee_id, day, present in Attendance.objects.filter(trainee_id__in=list(by_id)).values_list(
            "trainee_id", "day", "present"):
        row = by_id[trainee_id]
        row.marks[position[day]] = present
        row.present += bool(present)
    return AttendanceSheet(batch=batch, days=days, rows=rows)
