"""BLK training pages: the course list, course forms, and the batches of a course.

Like the career-center staff pages, only Disnaker staff and system administrators reach them
(``disnaker_page``). Lists come from ``training.selectors`` (courses and batches of the user's
regencies); every write goes through ``training.services``, which check the Disnaker scope again
and whose refusals are shown as form errors or messages. The batch page, attendance and
internships are in ``training_batch`` and ``training_internships``.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from sejahtera.programs.models import Cycle
from sejahtera.regions.models import Region
from sejahtera.training import selectors, services
from sejahtera.training.models import Course, Trainee, TrainingBatch
from sejahtera.web.forms import DateInput, DesaChoiceField, ParseOnlyModelForm
from sejahtera.web.views.careers_staff import disnaker_page, show_service_error

BATCH_STEPS = {"open": services.batch_open, "start": services.batch_start, "finish": services.batch_finish}


def form_error(form, error: Exception, renamed: dict | None = None) -> None:
    """Show what a service refused next to its field (``renamed``: service name -> form field), or above the form."""
    if not isinstance(error, ValidationError):
        form.add_error(None, str(error) or _("Your role does not allow this action."))
    elif not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
    else:
        for name, field_messages in error.message_dict.items():
            name = (renamed or {}).get(name, name)
            form.add_error(name if name in form.fields else None, field_messages)


def course_get(user, pk: int) -> Course:
    return get_object_or_404(selectors.course_list(user), pk=pk)


# -- courses ------------------------------------------------------------------------------------

class CourseForm(ParseOnlyModelForm):
    class Meta:
        model = Course
        fields = ["code", "name", "vocation", "kbji_code", "hours", "description", "is_active"]


@disnaker_page
@require_GET
def course_list(request):
    courses = selectors.course_list(request.user).annotate(
        batch_count=Count("batches"),
        open_count=Count("batches", filter=Q(batches__status__in=(TrainingBatch.Status.OPEN,
                                                                   TrainingBatch.Status.RUNNING))))
    return render(request, "web/training/course_list.html", {"courses": courses.order_by("-is_active", "name")})


def save_course(request, form, course: Course | None):
    data = {k: v for k, v in form.cleaned_data.items()}
    try:
        if course is None:
            data.pop("is_active", None)
            return services.course_create(actor=request.user, regency_code=settings.SEJAHTERA_REGENCY, **data)
        data.pop("code", None)
        return services.course_update(actor=request.user, course=course, **data)
    except (ValidationError, PermissionDenied) as error:
        form_error(form, error)
        return None


@disnaker_page
def course_create(request):
    form = CourseForm(request.POST or None)
    del form.fields["is_active"]
    if request.method == "POST" and form.is_valid() and (course := save_course(request, form, None)):
        messages.success(request, _("The course %(name)s is created.") % {"name": course.name})
        return redirect("web:training_course_detail", pk=course.pk)
    return render(request, "web/form_page.html", {"form": form, "title": _("New course"),
                                                  "cancel_url": reverse("web:training_course_list")})


@disnaker_page
def course_edit(request, pk: int):
    course = course_get(request.user, pk)
    form = CourseForm(request.POST or None, instance=course)
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid() and save_course(request, form, course):
        messages.success(request, _("The course is saved."))
        return redirect("web:training_course_detail", pk=course.pk)
    return render(request, "web/form_page.html", {"form": form, "title": course.name,
                                                  "cancel_url": reverse("web:training_course_detail", args=[pk])})


@disnaker_page
@require_GET
def course_detail(request, pk: int):
    """The course and its batches, newest first, with how many trainees hold a place."""
    course = course_get(request.user, pk)
    batches = selectors.batch_list(request.user, course=course).annotate(
        holding=Count("trainees", filter=Q(trainees__status__in=Trainee.HOLDING)),
        applicants=Count("trainees"))
    return render(request, "web/training/course_detail.html", {"course": course, "batches": batches})


# -- batches ------------------------------------------------------------------------------------

class BatchForm(forms.Form):
    label = forms.CharField(label=gettext_lazy("Label"), max_length=40, help_text=gettext_lazy("e.g. 2026-1"))
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=gettext_lazy("Ends on"), widget=DateInput())
    capacity = forms.IntegerField(label=gettext_lazy("Capacity"), min_value=1)
    instructor = forms.CharField(label=gettext_lazy("Instructor"), max_length=120, required=False)
    desa = DesaChoiceField(label=gettext_lazy("Training place (village)"), queryset=None)
    cycle = forms.ModelChoiceField(label=gettext_lazy("Programme cycle"), queryset=None, required=False,
                                   help_text=gettext_lazy("An open cycle of the BLK training programme, if any."))

    def __init__(self, course: Course, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desa"].queryset = (Region.objects.filter(code__startswith=course.regency_code,
                                                              level=Region.Level.DESA, is_current=True)
                                        .select_related("parent").order_by("parent__name", "name"))
        self.fields["cycle"].queryset = Cycle.objects.filter(
            programme__code=services.PROGRAMME_CODE, programme__regency_code=course.regency_code,
            status=Cycle.Status.OPEN).order_by("-starts_on")


@disnaker_page
def batch_create(request, pk: int):
    course = course_get(request.user, pk)
    form = BatchForm(course, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.batch_create(actor=request.user, course=course, label=data["label"],
                                          starts_on=data["starts_on"], ends_on=data["ends_on"],
                                          capacity=data["capacity"], desa_code=data["desa"].code,
                                          instructor=data["instructor"], cycle=data["cycle"])
        except (ValidationError, PermissionDenied) as error:
            form_error(form, error, {"desa_code": "desa"})
        else:
            messages.success(request, _("The batch %(batch)s is created.") % {"batch": batch})
            return redirect("web:training_batch_detail", pk=batch.pk)
    return render(request, "web/form_page.html", {
        "form": form, "title": _("New batch of %(course)s") % {"course": course.name},
        "cancel_url": reverse("web:training_course_detail", args=[course.pk])})


@disnaker_page
@require_POST
def batch_step(request, pk: int, step: str):
    """Open registration, start the training, or finish it."""
    batch = selectors.batch_get(request.user, pk)
    if step not in BATCH_STEPS:
        raise PermissionDenied
    try:
        batch = BATCH_STEPS[step](actor=request.user, batch=batch)
    except (ValidationError, PermissionDenied) as error:
        show_service_error(request, error)
    else:
        messages.success(request, _("%(batch)s is now: %(status)s.") % {"batch": batch,
                                                                      "status": batch.get_status_display()})
    return redirect("web:training_batch_detail", pk=pk)
