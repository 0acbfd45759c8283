"""Registering and correcting families, members and surveys through the registry services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from sejahtera.registry import selectors, services
from sejahtera.web.forms import FamilyForm, PersonForm, SurveyForm


def _require_edit(user, region_code: str) -> None:
    if not user.can_edit_region(region_code):
        raise PermissionDenied(_("You may not change records of this region."))


def _form_page(request, form, *, title: str, family=None):
    cancel_url = reverse("web:family_detail", args=[family.pk]) if family else reverse("web:family_list")
    return render(request, "web/form_page.html", {"form": form, "title": title, "family": family,
                                                  "cancel_url": cancel_url})


@never_cache
@login_required
def family_create(request):
    if not request.user.edit_scopes:
        raise PermissionDenied
    form = FamilyForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            family = services.family_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The family has been registered. Now add its members."))
            return redirect("web:person_add", pk=family.pk)
    return _form_page(request, form, title=_("Register a family"))


@never_cache
@login_required
def family_edit(request, pk: int):
    family = selectors.family_get(request.user, pk)
    _require_edit(request.user, family.desa_id)
    form = FamilyForm(request.user, request.POST or None, instance=family)
    if request.method == "POST" and form.is_valid():
        try:
            services.family_update(actor=request.user, family=family, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The family data has been saved."))
            return redirect("web:family_detail", pk=family.pk)
    return _form_page(request, form, title=_("Edit family data"), family=family)


@never_cache
@login_required
def person_add(request, pk: int):
    family = selectors.family_get(request.user, pk)
    _require_edit(request.user, family.desa_id)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_add(actor=request.user, family=family, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("%(name)s has been added to the family.") % {"name": person.name})
            return redirect("web:family_detail", pk=family.pk)
    return _form_page(request, form, title=_("Add a family member"), family=family)


@never_cache
@login_required
def person_edit(request, pk: int):
    person = selectors.person_get(request.user, pk)
    _require_edit(request.user, person.desa_id)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The member data has been saved."))
            if person.family_id is None:
                return redirect("web:family_list")
            return redirect("web:family_detail", pk=person.family_id)
    return _form_page(request, form, title=_("Edit member data"), family=person.family)


@never_cache
@login_required
def survey_add(request, pk: int):
    family = selectors.family_get(request.user, pk)
    _require_edit(request.user, family.desa_id)
    form = SurveyForm(request.POST or None, initial={"surveyed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_record(actor=request.user, family=family, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The household survey has been saved."))
            return redirect("web:family_detail", pk=family.pk)
    return _form_page(request, form, title=_("New household survey"), family=family)
