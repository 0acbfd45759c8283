"""Registry imports from the web: templates, upload, live status, report download and history.

The upload is stored and imported by a background task (``registry.tasks``); the status page
polls a fragment with htmx every second until the batch is finished.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sejahtera.core.audit import audit_record
from sejahtera.core.models import AuditEvent
from sejahtera.regions.models import Region
from sejahtera.registry import tasks
from sejahtera.registry.importing.columns import INDIVIDUALS, SURVEYS
from sejahtera.registry.importing.workers import import_batches_mark_interrupted
from sejahtera.registry.importing.writers import template_bytes
from sejahtera.registry.models import ImportBatch
from sejahtera.web.pagination import CappedPaginator

PAGE_SIZE = 50
TEMPLATES = {"individuals": INDIVIDUALS, "surveys": SURVEYS}
CONTENT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "csv": "text/csv; charset=utf-8"}


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Registry file (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check only, do not save"), required=False,
        help_text=gettext_lazy("Reads and checks every row and writes the report, but changes nothing."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = tasks.max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the largest file accepted is %(limit)s. Split it into smaller files.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)})
        return upload


def _people_only(user) -> None:
    if not user.personal_data_scopes:
        raise PermissionDenied


@login_required
@require_GET
def import_template(request, kind: str, fmt: str):
    """The empty import template (XLSX with text columns and instructions, or a CSV header)."""
    template = TEMPLATES.get(kind)
    if template is None or fmt not in CONTENT_TYPES:
        raise Http404
    response = HttpResponse(template_bytes(template, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, f"templat-{slugify(template.title)}.{fmt}")
    return response


@never_cache
@login_required
def import_upload(request):
    user = request.user
    if not user.edit_scopes:
        raise PermissionDenied
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = tasks.import_submit(actor=user, upload=form.cleaned_data["file"],
                                    dry_run=form.cleaned_data["dry_run"])
        return redirect("web:import_detail", pk=batch.pk)
    return render(request, "web/imports/upload.html", {
        "form": form, "max_size": tasks.max_upload_bytes(),
        "templates": [(kind, template.title) for kind, template in TEMPLATES.items()],
    })


def _status_context(user, batch: ImportBatch) -> dict:
    finished = tasks.is_finished(batch)
    progress = None if finished else tasks.import_progress(batch)
    percent = None
    if progress and progress.get("fraction") is not None:
        percent = max(0, min(100, round(100 * float(progress["fraction"]))))
    return {
        "batch": batch, "finished": finished, "progress": progress, "percent": percent,
        "phase": (progress or {}).get("phase", ""),
        "can_download": finished and bool(batch.report_path) and tasks.can_download_report(user, batch),
    }


@never_cache
@login_required
@require_GET
def import_detail(request, pk: int):
    """The status of one import; htmx polls the same URL for the status fragment."""
    _people_only(request.user)
    import_batches_mark_interrupted()  # else a killed import would poll as running forever
    batch = tasks.import_batch_get(request.user, pk)
    context = _status_context(request.user, batch)
    if request.htmx:
        return render(request, "web/imports/_status.html", context)
    return render(request, "web/imports/detail.html", context)


@never_cache
@login_required
@require_GET
def import_report(request, pk: int):
    _people_only(request.user)
    batch, path = tasks.import_report_get(request.user, pk)
    audit_record(actor=request.user, action=AuditEvent.Action.EXPORT, instance=batch, region_code=batch.scope_code,
                 summary=f"import report {batch.pk}: {batch.file_name}")
    stem = slugify(batch.file_name.rsplit(".", 1)[0])[:60] or "impor"
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"laporan-impor-{batch.pk}-{stem}.xlsx",
                        content_type=CONTENT_TYPES["xlsx"])


@never_cache
@login_required
@require_GET
def import_list(request):
    """The import history the user may see (see ``tasks.import_batch_list``)."""
    user = request.user
    if not user.personal_data_scopes:
        return render(request, "web/aggregates_only.html", status=403)
    import_batches_mark_interrupted()
    paginator = CappedPaginator(tasks.import_batch_list(user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    codes = {batch.scope_code for batch in page.object_list if batch.scope_code}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    for batch in page.object_list:
        batch.scope_name = names.get(batch.scope_code, batch.scope_code)
    return render(request, "web/imports/list.html", {
        "page": page, "paginator": paginator, "can_import": bool(user.edit_scopes),
    })
