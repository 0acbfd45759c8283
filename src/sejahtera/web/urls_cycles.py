"""Pages of programme cycles: enrolment lists, workflow steps, payment batches (namespace ``web``)."""

from django.urls import path

from sejahtera.web.views import cycles, payments

urlpatterns = [
    path("cycles/", cycles.cycle_list, name="cycle_list"),
    path("programmes/<slug:code>/cycles/new/", cycles.cycle_create, name="cycle_create"),
    path("cycles/<int:pk>/", cycles.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/open/", cycles.cycle_open, name="cycle_open"),
    path("cycles/<int:pk>/close/", cycles.cycle_close, name="cycle_close"),
    path("cycles/<int:pk>/enrolments/", cycles.enrolment_list, name="enrolment_list"),
    path("cycles/<int:pk>/enrolments/bulk/", cycles.enrolment_bulk, name="enrolment_bulk"),
    path("enrolments/<int:pk>/", cycles.enrolment_detail, name="enrolment_detail"),
    path("enrolments/<int:pk>/<slug:step>/", cycles.enrolment_step, name="enrolment_step"),
    path("cycles/<int:pk>/payments/new/", payments.payment_batch_create, name="payment_batch_create"),
    path("payments/batches/<int:pk>/", payments.payment_batch_detail, name="payment_batch_detail"),
    path("payments/batches/<int:pk>/approve/", payments.payment_batch_approve, name="payment_batch_approve"),
    path("payments/batches/<int:pk>/bank-list.xlsx", payments.payment_batch_export, name="payment_batch_export"),
    path("payments/batches/<int:pk>/reconcile/", payments.payment_batch_reconcile, name="payment_batch_reconcile"),
]
