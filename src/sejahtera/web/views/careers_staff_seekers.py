"""Disnaker staff pages for job seekers: the filtered list, one seeker's page, and registration at
the counter on a resident's behalf.

The list and the page read through ``careers.selectors`` (``seeker_list`` scoped to the staff
member's Disnaker regions; ``seeker_get`` logs the read). NIK are shown as the user's role allows
(``display_nik``: masked for agency officers and heads). Registration calls
``careers.services.seeker_register`` with the staff member as ``actor``; the service validates
the NIK and writes nothing when it refuses.
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from sejahtera.careers import selectors, services
from sejahtera.careers.access import disnaker_scopes
from sejahtera.careers.models import JobSeeker
from sejahtera.regions.models import Region
from sejahtera.registry.choices import Education, Sex
from sejahtera.web.forms import DateInput, DesaChoiceField, ParseOnlyModelForm
from sejahtera.web.pagination import CappedPaginator
from sejahtera.web.regions import desa_in_scope, kecamatan_in_scope
from sejahtera.web.views.careers_staff import PAGE_SIZE, disnaker_page, month_bounds

ALL = [("", gettext_lazy("All"))]


class SeekerFilterForm(forms.Form):
    """The GET filters of the seeker list. Invalid values are dropped, not reported."""

    kecamatan = forms.ChoiceField(label=gettext_lazy("District (kecamatan)"), required=False)
    desa = forms.ChoiceField(label=gettext_lazy("Village (desa/kelurahan)"), required=False)
    education = forms.TypedChoiceField(label=gettext_lazy("Education (at least)"), required=False, coerce=int,
                                       empty_value=None, choices=ALL + list(Education.choices))
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False, choices=ALL + list(JobSeeker.Status.choices))
    month = forms.CharField(label=gettext_lazy("Registered in (month)"), required=False,
                            widget=forms.TextInput(attrs={"type": "month"}))
    q = forms.CharField(label=gettext_lazy("Name or AK/1 number"), required=False, max_length=100)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kecamatan = list(kecamatan_in_scope(user))
        self.fields["kecamatan"].choices = [("", gettext_lazy("All districts"))] + [(k.code, k.name) for k in kecamatan]
        chosen = self.data.get("kecamatan", "")
        if chosen not in {k.code for k in kecamatan}:
            chosen = kecamatan[0].code if len(kecamatan) == 1 else ""
        self.fields["desa"].choices = [("", gettext_lazy("All villages"))] + [
            (d.code, d.name) for d in desa_in_scope(user, chosen)]
        self.show_kecamatan = len(kecamatan) > 1

    def filters(self) -> selectors.SeekerFilters:
        self.is_valid()
        data = self.cleaned_data
        return selectors.SeekerFilters(q=data.get("q", "").strip(), kecamatan=data.get("kecamatan", ""),
                                       desa=data.get("desa", ""), status=data.get("status", ""),
                                       education=data.get("education"))

    def registered_in(self) -> tuple[datetime.datetime, datetime.datetime] | None:
        """The registration month as [start, end) moments in the current time zone."""
        bounds = month_bounds(self.cleaned_data.get("month", ""))
        if bounds is None:
            return None
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(bounds[0], datetime.time.min, tzinfo=zone)
        end = datetime.datetime.combine(bounds[1] + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        return start, end


@disnaker_page
@require_GET
def seeker_list(request):
    form = SeekerFilterForm(request.user, request.GET)
    seekers = selectors.seeker_list(request.user, form.filters())
    if (month := form.registered_in()) is not None:
        seekers = seekers.filter(created_at__gte=month[0], created_at__lt=month[1])
    page = CappedPaginator(seekers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/disnaker/seeker_list.html", {"form": form, "page": page, "paginator": page.paginator})


def ak1_url(seeker: JobSeeker) -> str:
    """The printable AK/1 card, once the page providing it exists."""
    try:
        return reverse("web:ak1_card_staff", args=[seeker.pk])
    except NoReverseMatch:
        return ""


@disnaker_page
@require_GET
def seeker_detail(request, pk: int):
    seeker = selectors.seeker_get(request.user, pk)
    return render(request, "web/disnaker/seeker_detail.html", {
        "seeker": seeker, "person": seeker.person,
        "desa": Region.objects.filter(code=seeker.desa_code).select_related("parent").first(),
        "skills": list(seeker.skills.values_list("name", flat=True)),
        "applications": seeker.applications.select_related("vacancy__employer").order_by("-applied_at", "-id"),
        "placements": seeker.placements.select_related("employer").order_by("-start_date", "-id"),
        "ak1_url": ak1_url(seeker),
    })


# -- registration at the counter ------------------------------------------------------------------

def desa_for_counter(user):
    """Every desa of the staff member's Disnaker regions, grouped by kecamatan."""
    scopes = disnaker_scopes(user)
    if not scopes:
        return Region.objects.none()
    q = Q()
    for code in scopes:
        q |= Q(code__startswith=code)
    return (Region.objects.filter(q, level=Region.Level.DESA, is_current=True).select_related("parent")
            .order_by("parent__name", "name"))


class CounterRegistrationForm(ParseOnlyModelForm):
    """What the counter asks; ``seeker_register`` checks the NIK and the rest."""

    # No length rule here: a wrong NIK gets the identity module's explanation from the service.
    nik = forms.CharField(label=gettext_lazy("NIK"), widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                                                   "autocomplete": "off"}))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    birth_date = forms.DateField(label=gettext_lazy("Date of birth"), widget=DateInput())
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), choices=Sex.choices)
    desa = DesaChoiceField(label=gettext_lazy("Village (desa/kelurahan)"), queryset=None)
    consent = forms.BooleanField(label=gettext_lazy(
        "The resident read the privacy notice at the counter and agrees to it"))

    class Meta:
        model = JobSeeker
        fields = ["education", "major", "phone"]

    field_order = ["nik", "name", "birth_date", "sex", "desa", "education", "major", "phone", "consent"]

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desa"].queryset = desa_for_counter(user)


@disnaker_page
def seeker_register(request):
    user = request.user
    form = CounterRegistrationForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            seeker = services.seeker_register(
                actor=user, nik=data["nik"].strip(), consent=data["consent"], name=data["name"], sex=data["sex"],
                birth_date=data["birth_date"], desa_code=data["desa"].code, education=data["education"],
                major=data["major"], phone=data["phone"])
        except ValidationError as error:
            if hasattr(error, "error_dict") and "desa_code" in error.error_dict:
                error = ValidationError({("desa" if k == "desa_code" else k): v
                                         for k, v in error.error_dict.items()})
            form.add_service_error(error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("Your role does not allow this action."))
        else:
            messages.success(request, _("%(name)s is registered with AK/1 number %(number)s.")
                             % {"name": seeker.person.name, "number": seeker.ak1_number})
            return redirect("web:staff_seeker_detail", pk=seeker.pk)
    return render(request, "web/form_page.html", {
        "form": form, "title": _("Register a job seeker at the counter"),
        "cancel_url": reverse("web:staff_seeker_list")})
