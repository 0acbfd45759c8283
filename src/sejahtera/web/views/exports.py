"""Exports of the family list and the person list, with the family list's filters.

Planners (no personal data) get 403. CSV is streamed; XLSX is written to a temporary file in
openpyxl's write-only mode and then sent from it. Every export is written to the audit log.
"""

from __future__ import annotations

import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sejahtera.registry import exports
from sejahtera.web.forms import FamilyFilterForm


def export_file_response(user, export: exports.Export, fmt: str):
    """The download of ``export`` as CSV (streamed) or XLSX, logged with its row count once written."""
    filename = exports.file_name(export, fmt)
    if fmt == "csv":
        def logged(rows: int) -> None:
            exports.export_record(actor=user, export=export, fmt=fmt, rows=rows)

        response = StreamingHttpResponse(exports.csv_stream(export, done=logged),
                                         content_type=exports.CSV_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    handle = tempfile.TemporaryFile()
    try:
        rows = exports.write_xlsx(export, handle)
    except BaseException:
        handle.close()
        raise
    exports.export_record(actor=user, export=export, fmt=fmt, rows=rows)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=exports.XLSX_CONTENT_TYPE)


def _export(request, fmt: str, build):
    if fmt not in exports.FORMATS:
        raise Http404
    user = request.user
    if not user.personal_data_scopes:
        raise PermissionDenied
    return export_file_response(user, build(user, FamilyFilterForm(user, request.GET).filters()), fmt)


@never_cache
@login_required
@require_GET
def family_export(request, fmt: str):
    return _export(request, fmt, exports.family_export)


@never_cache
@login_required
@require_GET
def person_export(request, fmt: str):
    return _export(request, fmt, exports.person_export)
