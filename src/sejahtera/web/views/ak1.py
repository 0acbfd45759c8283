"""The AK/1 card as PDF: for the signed-in seeker, and for Disnaker staff at the counter.

A seeker prints only their own card; staff print the cards of seekers in their regions; anyone
else gets 404. Every printing is written to the audit log (an export of the seeker's record), and
the PDF is sent with ``Cache-Control: no-store`` since it carries the full NIK.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sejahtera.careers.access import disnaker_q
from sejahtera.careers.ak1 import ak1_pdf
from sejahtera.careers.models import JobSeeker
from sejahtera.core.audit import audit_record
from sejahtera.core.models import AuditEvent


def _pdf_response(request, seeker: JobSeeker) -> HttpResponse:
    pdf = ak1_pdf(seeker)
    audit_record(actor=request.user, action=AuditEvent.Action.EXPORT, instance=seeker, region_code=seeker.desa_code,
                 summary=f"AK/1 card {seeker.ak1_number} printed")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="AK1-{seeker.ak1_number}.pdf"'
    return response


@require_GET
@never_cache
@login_required
def ak1_card(request):
    """The signed-in seeker's own card."""
    return _pdf_response(request, get_object_or_404(JobSeeker, user=request.user))


@require_GET
@never_cache
@login_required
def ak1_card_staff(request, pk: int):
    """A seeker's card, printed by Disnaker staff whose region covers the seeker."""
    return _pdf_response(request, get_object_or_404(JobSeeker.objects.filter(disnaker_q(request.user)), pk=pk))
