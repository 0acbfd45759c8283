"""The page of one BLK batch: applicants and trainees by status, selection by priority, adding an
applicant by NIK, the attendance sheet of a day, completion with a certificate, dropping, and the
trainees placed in a job within six months.

Trainees are read through ``training.selectors`` (the user's personal-data scope on the person's
desa); writes go through ``training.services`` and come back as messages.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sejahtera.registry.selectors import person_lookup
from sejahtera.training import selectors, services
from sejahtera.training.models import Attendance, Trainee, TrainingBatch
from sejahtera.web.views.careers_staff import disnaker_page, show_service_error


def trainee_get(user, pk: int) -> Trainee:
    """A trainee of a batch of the user's regencies, whose person is in the user's scope; 404 otherwise."""
    trainee = get_object_or_404(Trainee.objects.only("batch_id"), pk=pk)
    batch = selectors.batch_get(user, trainee.batch_id)
    return get_object_or_404(selectors.trainees(user, batch).select_related("batch"), pk=pk)


def batch_url(batch_id: int) -> str:
    return reverse("web:training_batch_detail", args=[batch_id])


@disnaker_page
@require_GET
def batch_detail(request, pk: int):
    user = request.user
    batch = selectors.batch_get(user, pk)
    rows = list(selectors.trainees(user, batch))
    groups = [(value, label, [t for t in rows if t.status == value]) for value, label in Trainee.Status.choices]
    holding = sum(1 for t in rows if t.status in Trainee.HOLDING)
    return render(request, "web/training/batch_detail.html", {
        "batch": batch, "course": batch.course, "groups": groups, "holding": holding, "total": len(rows),
        "pending": sum(1 for t in rows if t.status in (Trainee.Status.APPLIED, Trainee.Status.WAITLISTED)),
        "can_select": batch.status in (TrainingBatch.Status.OPEN, TrainingBatch.Status.RUNNING),
        "min_percent": services.ATTENDANCE_MIN_PERCENT,
    })


@disnaker_page
@require_POST
def batch_select(request, pk: int):
    batch = selectors.batch_get(request.user, pk)
    try:
        result = services.batch_select(actor=request.user, batch=batch)
    except (ValidationError, PermissionDenied) as error:
        show_service_error(request, error)
    else:
        messages.success(request, _("%(places)d free places: %(accepted)d accepted by priority, %(waitlisted)d "
                                    "on the waiting list.") % {"places": result.places, "accepted": result.accepted,
                                                               "waitlisted": result.waitlisted})
    return redirect(batch_url(pk))


@disnaker_page
@require_POST
def trainee_add(request, pk: int):
    """Add an applicant found by NIK in the registry (searched within the user's scope, logged)."""
    batch = selectors.batch_get(request.user, pk)
    nik = request.POST.get("nik", "").strip()
    person = person_lookup(request.user, nik)
    if person is None:
        messages.error(request, _("No person with this NIK was found in your area."))
        return redirect(batch_url(pk))
    try:
        services.trainee_apply(actor=request.user, batch=batch, person=person)
    except (ValidationError, PermissionDenied) as error:
        show_service_error(request, error)
    else:
        messages.success(request, _("%(name)s applied to %(batch)s.") % {"name": person.name, "batch": batch})
    return redirect(batch_url(pk))


@disnaker_page
@require_POST
def trainee_complete(request, pk: int):
    trainee = trainee_get(request.user, pk)
    try:
        trainee = services.trainee_complete(actor=request.user, trainee=trainee,
                                            competent=request.POST.get("competent") == "yes")
    except (ValidationError, PermissionDenied) as error:
        show_service_error(request, error)
    else:
        if trainee.certificate_number:
            messages.success(request, _("%(name)s completed the course; certificate number %(number)s.")
                             % {"name": trainee.person.name, "number": trainee.certificate_number})
        else:
            messages.success(request, _("%(name)s completed the course, not yet competent: no certificate.")
                             % {"name": trainee.person.name})
    return redirect(batch_url(trainee.batch_id))


@disnaker_page
@require_POST
def trainee_drop(request, pk: int):
    trainee = trainee_get(request.user, pk)
    try:
        services.trainee_drop(actor=request.user, trainee=trainee, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as error:
        show_service_error(request, error)
    else:
        messages.success(request, _("%(name)s is dropped.") % {"name": trainee.person.name})
    return redirect(batch_url(trainee.batch_id))


# -- attendance -----------------------------------------------------------------------------------

def sheet_day(batch: TrainingBatch, value: str | None) -> datetime.date:
    """The day asked for, or today kept within the batch's dates."""
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return min(max(timezone.localdate(), batch.starts_on), batch.ends_on)


@disnaker_page
def attendance(request, pk: int):
    """GET: the sheet of a day, one checkbox per attending trainee. POST: record that day."""
    user = request.user
    batch = selectors.batch_get(user, pk)
    if request.method == "POST":
        day = sheet_day(batch, request.POST.get("day"))
        try:
            present = services.attendance_record(actor=user, batch=batch, day=day,
                                                 present_ids=request.POST.getlist("present"))
        except (ValidationError, PermissionDenied) as error:
            show_service_error(request, error)
        except ValueError:
            messages.error(request, _("The attendance sheet was not understood; reload it and try again."))
        else:
            messages.success(request, _("Attendance of %(day)s recorded: %(present)d present.")
                             % {"day": day.isoformat(), "present": present})
        return redirect(f"{reverse('web:training_attendance', args=[pk])}?day={day.isoformat()}")
    day = sheet_day(batch, request.GET.get("day"))
    attending = list(selectors.trainees(user, batch, Trainee.Status.ATTENDING))
    marks = dict(Attendance.objects.filter(trainee__in=attending, day=day).values_list("trainee_id", "present"))
    for trainee in attending:
        trainee.mark = marks.get(trainee.pk)
    sheet = selectors.attendance_sheet(user, batch)
    return render(request, "web/training/attendance.html", {
        "batch": batch, "course": batch.course, "day": day, "attending": attending, "recorded": bool(marks),
        "present_count": sum(1 for v in marks.values() if v), "sheet": sheet,
        "sheet_rows": [(row, sheet.percent(row)) for row in sheet.rows],
        "min_percent": services.ATTENDANCE_MIN_PERCENT,
        "can_record": batch.status in (TrainingBatch.Status.RUNNING, TrainingBatch.Status.FINISHED),
    })


@disnaker_page
@require_GET
def batch_placements(request, pk: int):
    batch = selectors.batch_get(request.user, pk)
    return render(request, "web/training/batch_placements.html", {
        "batch": batch, "course": batch.course, "months": selectors.PLACEMENT_MONTHS,
        "until": selectors.add_months(batch.ends_on, selectors.PLACEMENT_MONTHS),
        "placed": selectors.batch_placements(request.user, batch),
        "completed": selectors.trainees(request.user, batch, Trainee.Status.COMPLETED).count(),
    })
