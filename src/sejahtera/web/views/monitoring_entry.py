"""Monitoring entry pages: a realisation entered by hand (with its source, period and evidence
file), the plan's targets, the scorecard thresholds, and the evidence file download.

Who may write is ``monitoring.services``'s rule, checked there; the pages only offer their forms
to those who may use them (403 otherwise) and show a refusal or a validation error from the
service next to its field. The evidence download is scoped like the figures (404 outside the
user's regions) and written to the audit log.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sejahtera.accounts.roles import Role
from sejahtera.core.audit import audit_record
from sejahtera.core.models import AuditEvent
from sejahtera.monitoring import selectors, services
from sejahtera.monitoring.achievement import thresholds_for
from sejahtera.monitoring.models import Indicator, PlanPeriod, Realisation
from sejahtera.web.forms import DateInput
from sejahtera.welfare.selectors import regency_code

EVIDENCE_MAX_MB = 20


def may_enter_any(user) -> bool:
    """Planners, and officers and heads of an agency that owns an indicator."""
    return enterable_indicators(user).exists()


def enterable_indicators(user):
    """The indicators whose realisations the user may report somewhere: all for planners, their
    agency's for officers and heads."""
    indicators = selectors.indicator_list(user)
    memberships = getattr(user, "active_memberships", [])
    if any(m.role == Role.PLANNER for m in memberships):
        return indicators
    return indicators.filter(agency_id__in=[m.agency_id for m in memberships if m.role in services.REPORTING_ROLES])


def may_plan(user) -> bool:
    return bool(selectors.user_scopes(user)) and any(m.role == Role.PLANNER for m in user.active_memberships)


class ServiceForm(forms.Form):
    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for name, errors in error.message_dict.items():
            self.add_error(name if name in self.fields else None, errors)


def _region_help():
    return _("Kemendagri code of the regency, a district or a village, e.g. %(code)s") % {"code": regency_code()}


class RealisationForm(ServiceForm):
    indicator = forms.ModelChoiceField(label=gettext_lazy("Indicator"), queryset=Indicator.objects.none())
    region_code = forms.CharField(label=gettext_lazy("Region code"), max_length=13)
    period_kind = forms.ChoiceField(label=gettext_lazy("Period"), choices=Realisation.PeriodKind.choices)
    period_start = forms.DateField(label=gettext_lazy("Period starts on"), widget=DateInput())
    value = forms.DecimalField(label=gettext_lazy("Realisation"), max_digits=18, decimal_places=4, min_value=0)
    source = forms.CharField(label=gettext_lazy("Source"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=gettext_lazy("Evidence file"), required=False,
                               help_text=gettext_lazy("PDF, spreadsheet or image; at most 20 MB."))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = enterable_indicators(user)
        self.fields["region_code"].help_text = _region_help()
        self.fields["region_code"].initial = regency_code()

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        if evidence and evidence.size > EVIDENCE_MAX_MB * 1024 * 1024:
            raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": EVIDENCE_MAX_MB})
        return evidence


class TargetForm(ServiceForm):
    indicator = forms.ModelChoiceField(label=gettext_lazy("Indicator"), queryset=Indicator.objects.none())
    plan_period = forms.ModelChoiceField(label=gettext_lazy("Plan period"), queryset=PlanPeriod.objects.none())
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    region_code = forms.CharField(label=gettext_lazy("Region code"), max_length=13)
    value = forms.DecimalField(label=gettext_lazy("Target"), max_digits=18, decimal_places=4, min_value=0)
    source = forms.CharField(label=gettext_lazy("Source"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = selectors.indicator_list(user)
        self.fields["plan_period"].queryset = PlanPeriod.objects.filter(regency_code=regency_code())
        self.fields["region_code"].help_text = _region_help()
        self.fields["region_code"].initial = regency_code()


class ThresholdForm(ServiceForm):
    green_from = forms.DecimalField(label=gettext_lazy("Green from (%)"), max_digits=6, decimal_places=2, min_value=0)
    yellow_from = forms.DecimalField(label=gettext_lazy("Yellow from (%)"), max_digits=6, decimal_places=2,
                                     min_value=0)


def _save(form, write):
    """Run the service; its refusal is a 403, its validation errors go onto the form."""
    try:
        return write()
    except ValidationError as error:
        form.add_service_error(error)
    return None


@never_cache
@login_required
def realisation_new(request):
    user = request.user
    if not may_enter_any(user):
        raise PermissionDenied
    form = RealisationForm(user, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        row = _save(form, lambda: services.realisation_enter(
            actor=user, indicator=data["indicator"], region_code=data["region_code"],
            period_kind=data["period_kind"], period_start=data["period_start"], value=data["value"],
            source=data["source"], evidence=data["evidence"]))
        if row is not None:
            messages.success(request, _("The realisation is saved."))
            return redirect(_dashboard_of(row.region_code))
    return render(request, "web/monitoring/entry.html", {
        "form": form, "title": _("Enter a realisation"), "multipart": True,
        "cancel_url": reverse("web:monitoring_overview")})


def _dashboard_of(code: str) -> str:
    from sejahtera.web.views.monitoring_dashboard import dashboard_url

    return dashboard_url(code)


@never_cache
@login_required
def target_edit(request):
    user = request.user
    if not may_plan(user):
        raise PermissionDenied
    form = TargetForm(user, request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = _save(form, lambda: services.target_set(
            actor=user, indicator=data["indicator"], plan_period=data["plan_period"], year=data["year"],
            region_code=data["region_code"], value=data["value"], source=data["source"]))
        if target is not None:
            messages.success(request, _("The target is saved."))
            return redirect(f"{reverse('web:monitoring_targets')}?indicator={target.indicator.code}")
    indicator = selectors.indicator_list(user).filter(code=request.GET.get("indicator", "")).first()
    targets = list(selectors.target_list(user, indicator)) if indicator else []
    return render(request, "web/monitoring/targets.html", {
        "form": form, "indicators": selectors.indicator_list(user), "indicator": indicator, "targets": targets})


@never_cache
@login_required
def thresholds_edit(request):
    user = request.user
    regency = regency_code()
    if not may_plan(user) or regency not in selectors.user_scopes(user):
        raise PermissionDenied
    current = thresholds_for(regency)
    form = ThresholdForm(request.POST or None,
                         initial={"green_from": current.green_from, "yellow_from": current.yellow_from})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = _save(form, lambda: services.thresholds_set(
            actor=user, regency_code=regency, green_from=data["green_from"], yellow_from=data["yellow_from"]))
        if saved is not None:
            messages.success(request, _("The scorecard thresholds are saved."))
            return redirect("web:monitoring_overview")
    return render(request, "web/monitoring/entry.html", {
        "form": form, "title": _("Scorecard thresholds"), "cancel_url": reverse("web:monitoring_overview")})


@never_cache
@login_required
@require_GET
def evidence_download(request, pk: int):
    """The evidence file of a realisation in the user's regions; logged."""
    realisation = get_object_or_404(Realisation.objects.select_related("indicator"), pk=pk)
    rows = selectors.realisation_list(request.user, realisation.indicator).filter(pk=pk)
    if not rows.exists() or not realisation.evidence:
        raise Http404
    try:
        handle = realisation.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit_record(actor=request.user, action=AuditEvent.Action.EXPORT, instance=realisation,
                 region_code=realisation.region_code,
                 summary=f"Evidence of {realisation.indicator.code} {realisation.region_code} "
                         f"{realisation.period_kind} {realisation.period_start} downloaded")
    name = PurePath(realisation.evidence.name).name
    response = FileResponse(handle, content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "no-store"
    return response
