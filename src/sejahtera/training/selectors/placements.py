"""Placement tracking: completed trainees who started a job (a career-center ``Placement``)
between the batch's first day and ``PLACEMENT_MONTHS`` months after its last day.

A job that starts during the training counts (employers recruit from BLK batches); a job
started before the batch does not. Months are calendar months, the day kept and clamped to the
month's end (31 August + 6 months = 28/29 February), the same in Python, PostgreSQL and SQLite.
"""

import calendar
import datetime

from django.db.models import DateField, Exists, F, Func, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from sejahtera.careers.models import Placement
from sejahtera.training.models import Trainee, TrainingBatch
from sejahtera.training.selectors.lists import trainees

PLACEMENT_MONTHS = 6


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class AddMonths(Func):
    """``date + n months`` in SQL, clamped to the month's end like PostgreSQL's interval arithmetic."""

    output_field = DateField()

    def __init__(self, expression, months: int):
        self.months = int(months)
        super().__init__(expression)

    def as_postgresql(self, compiler, connection):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST({sql} + make_interval(months => {self.months}) AS date)", params

    def as_sqlite(self, compiler, connection):
        sql, params = compiler.compile(self.source_expressions[0])
        n = self.months
        # The month's last day, or the same day of the month when the month has it.
        last = f"date({sql}, 'start of month', '{n:+d} months', '+1 month', '-1 day')"
        day = f"CAST(strftime('%%d', {sql}) AS integer)"
        same = f"date({sql}, 'start of month', '{n:+d} months', '+' || ({day} - 1) || ' days')"
        return f"MIN({last}, {same})", [*params, *params, *params]

    def as_sql(self, compiler, connection, **extra):
        raise NotImplementedError(f"AddMonths is not written for {connection.vendor}")


def placements_in_window(months: int = PLACEMENT_MONTHS) -> QuerySet[Placement]:
    """Placements of the outer trainee's person that started within its batch's follow-up window."""
    return Placement.objects.filter(person_id=OuterRef("person_id"), start_date__gte=OuterRef("batch__starts_on"),
                                    start_date__lte=AddMonths(OuterRef("batch__ends_on"), months))


def placed_q(months: int = PLACEMENT_MONTHS):
    """Condition on trainees: completed, and placed within the window."""
    return Q(status=Trainee.Status.COMPLETED) & Q(Exists(placements_in_window(months)))


def batch_placements(user, batch: TrainingBatch, months: int = PLACEMENT_MONTHS) -> QuerySet[Trainee]:
    """The batch's completed trainees (in the user's scope) placed within ``months`` of its end,
    with their first such job: ``placement_start``, ``placement_employer``, ``placement_position``."""
    until = add_months(batch.ends_on, months)
    window = Placement.objects.filter(person_id=OuterRef("person_id"), start_date__gte=batch.starts_on,
                                      start_date__lte=until).order_by("start_date", "id")
    return (trainees(user, batch, Trainee.Status.COMPLETED)
            .filter(Exists(window))
            .annotate(placement_start=Subquery(window.values("start_date")[:1]),
                      placement_position=Subquery(window.values("position")[:1]),
                      placement_employer=Subquery(window.annotate(label=Coalesce(
                          F("employer__name"), NullIf(F("employer_name"), Value("")))).values("label")[:1])))
