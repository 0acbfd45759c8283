"""Payment batch pages of cash programmes: create a batch for a period, approve it (two different
people, neither its creator: the service refuses otherwise), download the bank's payment list,
upload the bank's result file, and the batch's payments.

The batch's totals carry no personal data; its payments do, so they are listed only for those
who may read the programme's enrolments (``programs.selectors.enrolment_scopes``).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sejahtera.programs import selectors, services
from sejahtera.programs.models import Payment, PaymentBatch
from sejahtera.web.pagination import CappedPaginator
from sejahtera.web.views.cycles import attach_beneficiaries, cycle_get, is_programme_staff, show_service_error

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReconcileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("The bank's result file (XLSX or CSV)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}))


class PaymentFilterForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=[("", gettext_lazy("All statuses")), *Payment.Status.choices])

    def status_value(self) -> str:
        return self.cleaned_data.get("status", "") if self.is_valid() else ""


def batch_get(user, pk: int) -> PaymentBatch:
    batches = PaymentBatch.objects.filter(cycle__in=selectors.cycle_list(user)).select_related(
        "cycle__programme__agency", "created_by", "first_approved_by", "second_approved_by")
    return get_object_or_404(batches, pk=pk)


def refuse_other_agencies(user, batch: PaymentBatch) -> bool:
    """Whether ``user`` reads the batch's payments; 403 for personal-data roles outside the programme."""
    reads = bool(selectors.enrolment_scopes(user, batch.cycle.programme))
    if user.personal_data_scopes and not reads:
        raise PermissionDenied
    return reads


def approval_note(user, batch: PaymentBatch) -> str:
    """Why ``user`` cannot give the batch's next approval, if that is so."""
    if batch.created_by_id == user.pk:
        return _("You created this batch: two other people must approve it.")
    if batch.first_approved_by_id == user.pk and batch.status == PaymentBatch.Status.FIRST_APPROVAL:
        return _("You gave the first approval: the second must come from another person.")
    return ""


@never_cache
@login_required
@require_POST
def payment_batch_create(request, pk: int):
    cycle = cycle_get(request.user, pk)
    try:
        batch = services.payment_batch_create(actor=request.user, cycle=cycle, period=request.POST.get("period", ""))
    except (PermissionDenied, ValidationError) as error:
        show_service_error(request, error)
        return redirect("web:cycle_detail", pk=cycle.pk)
    messages.success(request, _("Batch %(number)d created: %(count)d payments.")
                     % {"number": batch.number, "count": batch.payments_count})
    return redirect("web:payment_batch_detail", pk=batch.pk)


def render_batch(request, batch: PaymentBatch, *, form=None, problems=None, status: int = 200):
    user = request.user
    reads = refuse_other_agencies(user, batch)
    page = paginator = None
    filter_form = PaymentFilterForm(request.GET)
    if reads:
        payments = selectors.payment_list(user, batch, status=filter_form.status_value())
        paginator = CappedPaginator(payments, PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        attach_beneficiaries([payment.enrolment for payment in page.object_list])
    staff = is_programme_staff(user, batch.cycle.programme)
    return render(request, "web/payments/batch_detail.html", {
        "batch": batch, "cycle": batch.cycle, "programme": batch.cycle.programme, "can_manage": staff,
        "can_approve": staff and batch.status in (PaymentBatch.Status.DRAFT, PaymentBatch.Status.FIRST_APPROVAL)
        and not approval_note(user, batch),
        "approval_note": approval_note(user, batch) if staff else "",
        "can_export": staff and batch.status not in (PaymentBatch.Status.DRAFT, PaymentBatch.Status.FIRST_APPROVAL),
        "can_reconcile": staff and batch.status in (PaymentBatch.Status.SENT, PaymentBatch.Status.RECONCILED),
        "form": form or ReconcileForm(), "problems": problems, "filter_form": filter_form,
        "page": page, "paginator": paginator,
    }, status=status)


@never_cache
@login_required
@require_GET
def payment_batch_detail(request, pk: int):
    return render_batch(request, batch_get(request.user, pk))


@never_cache
@login_required
@require_POST
def payment_batch_approve(request, pk: int):
    batch = batch_get(request.user, pk)
    try:
        batch = services.payment_batch_approve(actor=request.user, batch=batch)
    except (PermissionDenied, ValidationError) as error:
        show_service_error(request, error)
    else:
        messages.success(request, _("Approved: the batch is now “%(status)s”.")
                         % {"status": batch.get_status_display()})
    return redirect("web:payment_batch_detail", pk=batch.pk)


@never_cache
@login_required
@require_POST
def payment_batch_export(request, pk: int):
    """The bank's payment list (full NIK, as the bank pays against it); the service writes the
    export to the audit log and marks the batch sent on its first export. POST: it changes the batch."""
    batch = batch_get(request.user, pk)
    try:
        content = services.payment_batch_export_xlsx(actor=request.user, batch=batch)
    except (PermissionDenied, ValidationError) as error:
        show_service_error(request, error)
        return redirect("web:payment_batch_detail", pk=batch.pk)
    name = f"pembayaran-{batch.cycle.programme.code}-{batch.cycle.label}-{batch.number}.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@never_cache
@login_required
@require_POST
def payment_batch_reconcile(request, pk: int):
    batch = batch_get(request.user, pk)
    form = ReconcileForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_batch(request, batch, form=form, status=400)
    try:
        result = services.payment_batch_reconcile(actor=request.user, batch=batch, file=form.cleaned_data["file"])
    except services.ReconciliationError as error:
        return render_batch(request, batch, form=form, problems=error.problems, status=400)
    except (PermissionDenied, ValidationError) as error:
        show_service_error(request, error)
        return redirect("web:payment_batch_detail", pk=batch.pk)
    messages.success(request, _("Bank result read: %(rows)d rows, %(paid)d paid, %(failed)d failed, %(unchanged)d "
                                "already recorded, %(pending)d payments still pending.")
                     % {"rows": result.rows, "paid": result.paid, "failed": result.failed,
                        "unchanged": result.unchanged, "pending": result.pending})
    return redirect("web:payment_batch_detail", pk=batch.pk)
