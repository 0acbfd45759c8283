"""The reports of monitoring: the list, an agency's quarterly report (texts, budget figures,
submission) and the downloads of the quarterly and regency reports as XLSX and PDF.

Who reads and writes is ``monitoring.report_selectors``'s business: a report the user may not
read answers 404; writing without the right answers 403 (from the services). Every download is
written to the audit log, as the registry's exports are.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from sejahtera.accounts.models import Agency
from sejahtera.monitoring import report_selectors as selectors
from sejahtera.monitoring import report_services as services
from sejahtera.monitoring import reports
from sejahtera.monitoring.reports import pdf as pdf_renderer
from sejahtera.monitoring.reports import xlsx as xlsx_renderer
from sejahtera.regions.models import Region
from sejahtera.welfare.selectors import regency_code

FORMATS = {"xlsx": xlsx_renderer.CONTENT_TYPE, "pdf": pdf_renderer.CONTENT_TYPE}
TEXTS = [("problems", gettext_lazy("Problems")), ("drivers", gettext_lazy("Driving factors")),
         ("obstacles", gettext_lazy("Obstacles")), ("follow_up", gettext_lazy("Follow-up"))]


class QuarterlyReportForm(forms.Form):
    """The texts, and per programme the budget figures entered by hand (empty: the derived one)."""

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in TEXTS:
            self.fields[name] = forms.CharField(label=label, required=False, max_length=services.MAX_TEXT,
                                                widget=forms.Textarea(attrs={"rows": 4}))
        self.programmes = list(programmes)
        for programme in self.programmes:
            self.fields[f"planned_{programme.pk}"] = forms.IntegerField(
                label=_("Budget for the year (Rp)"), required=False, min_value=0)
            self.fields[f"used_{programme.pk}"] = forms.IntegerField(
                label=_("Used up to the quarter's end (Rp)"), required=False, min_value=0)
            self.fields[f"note_{programme.pk}"] = forms.CharField(label=_("Note"), required=False, max_length=200)

    def text_fields(self):
        return [self[name] for name, _label in TEXTS]

    def budget_rows(self):
        return [(programme, self[f"planned_{programme.pk}"], self[f"used_{programme.pk}"], self[f"note_{programme.pk}"])
                for programme in self.programmes]

    def budget(self) -> dict:
        data = self.cleaned_data
        return {programme.pk: {"planned": data.get(f"planned_{programme.pk}"), "used": data.get(f"used_{programme.pk}"),
                               "note": data.get(f"note_{programme.pk}", "")}
                for programme in self.programmes}


def _year(request) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year


def _quarterly_data(request, agency_code: str, year: int, quarter: int):
    agency = get_object_or_404(Agency, code=agency_code)
    if not 2000 <= year <= 2100:
        raise Http404
    return selectors.quarterly_report_data(request.user, agency=agency, year=year, quarter=quarter)


def _initial(data) -> dict:
    report = data.report
    initial = {name: getattr(report, name) for name, _label in TEXTS}
    for line in data.budget:
        pk = line.programme.pk
        if line.planned_by_hand:
            initial[f"planned_{pk}"] = line.planned
        if line.used_by_hand:
            initial[f"used_{pk}"] = line.used_ytd
        initial[f"note_{pk}"] = line.note
    return initial


@require_GET
@login_required
def report_list(request):
    """The quarterly reports of the user's agency (all agencies for planners) for a year, and the
    regency report."""
    agencies = selectors.report_agencies(request.user)
    regency = selectors.may_read_regency_report(request.user)
    if not agencies and not regency:
        raise PermissionDenied
    year = _year(request)
    saved = {(r.agency_id, r.quarter): r for r in selectors.quarterly_report_list(request.user, year=year)}
    rows = []
    for agency in agencies:
        quarters = []
        for quarter in selectors.QUARTERS:
            quarters.append({
                "quarter": quarter, "report": saved.get((agency.pk, quarter)),
                "begun": selectors.quarter_has_begun(year, quarter),
                "url": reverse("web:quarterly_report", args=[agency.code, year, quarter]),
            })
        rows.append({"agency": agency, "quarters": quarters})
    return render(request, "monitoring/report_list.html", {
        "year": year, "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1), "rows": rows,
        "regency": regency, "regency_name": Region.objects.filter(code=regency_code()).values_list(
            "name", flat=True).first(),
    })


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def quarterly_report(request, agency: str, year: int, quarter: int):
    """The quarterly report: its figures, its texts and budget figures (to edit while a draft, by the
    agency's staff), submission and reopening by the agency's head."""
    data = _quarterly_data(request, agency, year, quarter)
    user, report = request.user, data.report
    editable = selectors.may_edit_quarterly(user, data.agency) and not report.is_submitted \
        and selectors.quarter_has_begun(year, quarter)
    form = QuarterlyReportForm(request.POST or None, initial=_initial(data),
                               programmes=[line.programme for line in data.budget])
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action in ("submit", "reopen"):
                if report.pk is None:
                    raise ValidationError(_("Save the report before submitting it."))
                if action == "submit":
                    services.quarterly_report_submit(actor=user, report=report)
                    messages.success(request, _("The report has been submitted."))
                else:
                    services.quarterly_report_reopen(actor=user, report=report)
                    messages.success(request, _("The report is a draft again."))
                return redirect(request.path)
            if form.is_valid():
                texts = {name: form.cleaned_data[name] for name, _label in TEXTS}
                services.quarterly_report_save(actor=user, agency=data.agency, year=year, quarter=quarter,
                                               budget=form.budget(), **texts)
                messages.success(request, _("The report has been saved."))
                return redirect(request.path)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            if action in ("submit", "reopen"):
                return redirect(request.path)
    base = reverse("web:quarterly_report", args=[data.agency.code, year, quarter]).rstrip("/")
    return render(request, "monitoring/report_quarterly.html", {
        "data": data, "report": report, "form": form, "editable": editable,
        "may_submit": selectors.may_submit_quarterly(user, data.agency) and report.pk is not None,
        "xlsx_url": f"{base}.xlsx", "pdf_url": f"{base}.pdf",
        "list_url": reverse("web:report_list") + f"?year={year}",
    })


def _download(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(fmt == "xlsx", filename)
    return response


@never_cache
@login_required
@require_GET
def quarterly_report_download(request, agency: str, year: int, quarter: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    data = _quarterly_data(request, agency, year, quarter)
    content = reports.quarterly_xlsx(data) if fmt == "xlsx" else reports.quarterly_pdf(data)
    services.report_download_record(actor=request.user, instance=data.report if data.report.pk else data.agency,
                                    fmt=fmt, summary=f"Quarterly report {data.agency.code} {year} Q{quarter} "
                                                     f"downloaded ({fmt})")
    return _download(content, fmt, f"laporan-triwulan-{quarter}-{year}-{data.agency.code}.{fmt}")


@never_cache
@login_required
@require_GET
def regency_report_download(request, year: int, fmt: str):
    if fmt not in FORMATS or not 2000 <= year <= 2100:
        raise Http404
    data = selectors.regency_report_data(request.user, year=year)
    content = reports.regency_xlsx(data) if fmt == "xlsx" else reports.regency_pdf(data)
    services.report_download_record(actor=request.user, instance=get_object_or_404(Region, code=data.regency_code),
                                    fmt=fmt, summary=f"Regency indicator report {year} downloaded ({fmt})")
    return _download(content, fmt, f"laporan-indikator-{data.regency_code}-{year}.{fmt}")
