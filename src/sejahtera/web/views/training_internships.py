"""Internship (magang) pages: slots at verified employers, and the interns of a slot from matching
to completion or a job (``training.services`` ``slot_create`` and ``internship_*``)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from sejahtera.careers.access import disnaker_q
from sejahtera.careers.models import Employer, Placement
from sejahtera.registry.selectors import person_lookup
from sejahtera.training import selectors, services
from sejahtera.training.models import Internship
from sejahtera.web.forms import DateInput, DesaChoiceField
from sejahtera.web.views.careers_staff import disnaker_page, show_service_error
from sejahtera.web.views.careers_staff_seekers import desa_for_counter
from sejahtera.web.views.training import form_error

INTERN_STEPS = ("start", "complete", "drop", "convert")


class SlotForm(forms.Form):
    employer = forms.ModelChoiceField(label=gettext_lazy("Employer"), queryset=None)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=150)
    kbji_code = forms.CharField(label=gettext_lazy("KBJI 2014 occupation code"), max_length=10, required=False)
    openings = forms.IntegerField(label=gettext_lazy("Openings"), min_value=1)
    months = forms.IntegerField(label=gettext_lazy("Duration (months)"), min_value=1)
    stipend = forms.IntegerField(label=gettext_lazy("Stipend (Rp/month)"), min_value=0, initial=0)
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), widget=DateInput())
    desa = DesaChoiceField(label=gettext_lazy("Workplace (village)"), queryset=None)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.filter(disnaker_q(user), status=Employer.Status.VERIFIED)
        self.fields["desa"].queryset = desa_for_counter(user)


def slot_get(user, pk: int):
    return get_object_or_404(selectors.slot_list(user), pk=pk)


def intern_get(user, pk: int) -> Internship:
    return get_object_or_404(selectors.interns(user), pk=pk)


@disnaker_page
@require_GET
def slot_list(request):
    slots = selectors.slot_list(request.user, status=request.GET.get("status", "")).order_by("-starts_on", "id")
    return render(request, "web/training/slot_list.html", {"slots": slots})


@disnaker_page
def slot_create(request):
    form = SlotForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            slot = services.slot_create(actor=request.user, employer=data["employer"], title=data["title"],
                                        openings=data["openings"], months=data["months"],
                                        starts_on=data["starts_on"], desa_code=data["desa"].code,
                                        stipend=data["stipend"] or 0, kbji_code=data["kbji_code"])
        except (ValidationError, PermissionDenied) as error:
            form_error(form, error, {"desa_code": "desa"})
        else:
            messages.success(request, _("The internship slot is created."))
            return redirect("web:training_slot_detail", pk=slot.pk)
    return render(request, "web/form_page.html", {"form": form, "title": _("New internship slot"),
                                                  "cancel_url": reverse("web:training_slot_list")})


@disnaker_page
@require_GET
def slot_detail(request, pk: int):
    slot = slot_get(request.user, pk)
    return render(request, "web/training/slot_detail.html", {
        "slot": slot, "interns": selectors.interns(request.user, slot), "today": timezone.localdate(),
        "contract_types": Placement.ContractType.choices})


@disnaker_page
@require_POST
def intern_assign(request, pk: int):
    slot = slot_get(request.user, pk)
    person = person_lookup(request.user, request.POST.get("nik", ""))
    if person is None:
        messages.error(request, _("No person with this NIK was found in your area."))
        return redirect("web:training_slot_detail", pk=pk)
    try:
        services.internship_assign(actor=request.user, slot=slot, person=person)
    except (ValidationError, PermissionDenied) as error:
        show_service_error(request, error)
    else:
        messages.success(request, _("%(name)s is matched to the slot.") % {"name": person.name})
    return redirect("web:training_slot_detail", pk=pk)


def date_field(request, name: str):
    return forms.DateField().clean(request.POST.get(name) or None)


def int_or_none(value: str):
    return forms.IntegerField(required=False, min_value=0).clean(value or None)


@disnaker_page
@require_POST
def intern_step(request, pk: int, step: str):
    """Start, complete, drop, or convert an internship into a job (the job is a career-center placement)."""
    if step not in INTERN_STEPS:
        raise Http404
    user, internship = request.user, intern_get(request.user, pk)
    try:
        if step == "start":
            services.internship_start(actor=user, internship=internship, started_on=date_field(request, "date"))
        elif step == "complete":
            services.internship_complete(actor=user, internship=internship, ended_on=date_field(request, "date"))
        elif step == "drop":
            services.internship_drop(actor=user, internship=internship, reason=request.POST.get("reason", ""))
        else:
            services.internship_convert(actor=user, internship=internship, position=request.POST.get("position", ""),
                                        contract_type=request.POST.get("contract_type", ""),
                                        start_date=date_field(request, "date"),
                                        wage=int_or_none(request.POST.get("wage", "")))
    except (ValidationError, PermissionDenied) as error:
        show_service_error(request, error)
    else:
        messages.success(request, _("The internship of %(name)s is updated.") % {"name": internship.person.name})
    return redirect("web:training_slot_detail", pk=internship.slot_id)
