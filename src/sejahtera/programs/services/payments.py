"""Paying cash programmes: batches of payments, approved by two people, sent to the bank as a
spreadsheet, and reconciled with the bank's result file.

A payment's idempotency key is ``"<cycle id>:<enrolment id>:<period>"`` and unique, so a batch
for a period only takes the beneficiaries not yet paid for it: creating it again pays no one
twice (``INSERT … SELECT … WHERE NOT EXISTS`` under the cycle's row lock, with the unique
constraint and ``ON CONFLICT DO NOTHING`` behind it). A batch needs two approvals by two
different people, neither of them its creator; the second is refused by the service and, should
it be written another way, by the model's check constraint.
"""

import io
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.core.audit import audit_record, diff, snapshot
from sejahtera.core.models import AuditEvent
from sejahtera.programs.models import Cycle, Enrolment, Payment, PaymentBatch
from sejahtera.programs.services.access import require_programme_staff
from sejahtera.programs.services.cycles import lock_cycle
from sejahtera.programs.services.periods import cycle_periods
from sejahtera.programs.services.sqlparts import audit_insert, json_param
from sejahtera.registry.choices import Relationship
from sejahtera.registry.importing.sql import execute, fetchall

BATCH_FIELDS = ["status", "first_approved_by", "first_approved_at", "second_approved_by", "second_approved_at",
                "sent_at", "total", "payments_count"]
PAYABLE = (Enrolment.Status.APPROVED, Enrolment.Status.ACTIVE)
# The bank's payment list: one row per payment.
EXPORT_COLUMNS = ["idempotency_key", "name", "nik", "bank_account", "amount", "desa"]


def idempotency_key(cycle_id: int, enrolment_id: int, period: str) -> str:
    return f"{cycle_id}:{enrolment_id}:{period}"


def lock_batch(batch: PaymentBatch | int) -> PaymentBatch:
    return PaymentBatch.objects.select_for_update(of=("self",)).select_related("cycle__programme__agency").get(
        pk=getattr(batch, "pk", batch))


@transaction.atomic
def payment_batch_create(*, actor, cycle: Cycle, period: str) -> PaymentBatch:
    """A draft batch paying ``period`` to every approved or active beneficiary not yet paid for it."""
    cycle = lock_cycle(cycle)  # batches of one cycle are made one at a time
    programme = cycle.programme
    require_programme_staff(actor, programme)
    if not programme.pays_cash:
        raise ValidationError(_("%(programme)s does not pay cash.") % {"programme": programme.name})
    if cycle.status not in (Cycle.Status.OPEN, Cycle.Status.CLOSED):
        raise ValidationError(_("%(cycle)s has not been opened.") % {"cycle": cycle})
    period = (period or "").strip()
    periods = cycle_periods(cycle)
    if period not in periods:
        raise ValidationError({"period": _("%(period)s is not a period of %(cycle)s; its periods are %(periods)s.")
                               % {"period": period or "—", "cycle": cycle, "periods": ", ".join(periods)}})
    number = (cycle.batches.aggregate(n=Max("number"))["n"] or 0) + 1
    batch = PaymentBatch.objects.create(cycle=cycle, number=number, period=period, created_by=actor)
    key = "CAST(e.cycle_id AS varchar(20)) || ':' || CAST(e.id AS varchar(20)) || ':' || %s"
    inserted = execute(f"""
        INSERT INTO programs_payment
            (batch_id, enrolment_id, idempotency_key, amount, status, bank_reference, paid_on, failure_reason)
        SELECT %s, e.id, {key}, %s, %s, '', NULL, ''
        FROM programs_enrolment e
        WHERE e.cycle_id = %s AND e.status IN (%s, %s)
          AND NOT EXISTS (SELECT 1 FROM programs_payment p WHERE p.idempotency_key = {key})
        ON CONFLICT (idempotency_key) DO NOTHING""",
                       [batch.pk, period, cycle.amount, Payment.Status.PENDING, cycle.pk, *PAYABLE, period])
    if not inserted:
        raise ValidationError(_("Nobody is due a payment for %(period)s: every approved or active beneficiary of "
                                "%(cycle)s has a payment for it already.") % {"period": period, "cycle": cycle},
                              code="nothing_due")
    totals = batch.payments.aggregate(n=Count("pk"), total=Sum("amount"))
    batch.payments_count, batch.total = totals["n"], totals["total"] or 0
    batch.save(update_fields=["payments_count", "total"])
    now = timezone.now()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=batch, region_code=programme.regency_code,
                 changes=diff({}, snapshot(batch, ["period", "total", "payments_count"])), summary=str(batch))
    execute(*audit_insert(
        actor=actor, now=now, action=AuditEvent.Action.CREATE, object_type="programs.payment", object_id="p.id",
        region="e.desa_code", summary=str(batch), changes=json_param(),
        changes_params=[json.dumps({"status": [None, Payment.Status.PENDING]})],
        select_from="FROM programs_payment p JOIN programs_enrolment e ON e.id = p.enrolment_id "
                    "WHERE p.batch_id = %s", select_params=[batch.pk]))
    return batch


@transaction.atomic
def payment_batch_approve(*, actor, batch: PaymentBatch) -> PaymentBatch:
    """One of the two approvals a batch needs; the two approvers and the creator are three people."""
    batch = lock_batch(batch)
    require_programme_staff(actor, batch.cycle.programme)
    if actor.pk == batch.created_by_id:
        raise PermissionDenied(_("Whoever created a payment batch may not approve it."))
    before = snapshot(batch, BATCH_FIELDS)
    now = timezone.now()
    if batch.status == PaymentBatch.Status.DRAFT:
        batch.status = PaymentBatch.Status.FIRST_APPROVAL
        batch.first_approved_by, batch.first_approved_at = actor, now
    elif batch.status == PaymentBatch.Status.FIRST_APPROVAL:
        if actor.pk == batch.first_approved_by_id:
            raise PermissionDenied(_("The second approval of a payment batch must come from another person."))
        batch.status = PaymentBatch.Status.APPROVED
        batch.second_approved_by, batch.second_approved_at = actor, now
    else:
        raise ValidationError(_("%(batch)s is already approved.") % {"batch": batch})
    batch.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=batch,
                 region_code=batch.cycle.programme.regency_code, changes=diff(before, snapshot(batch, BATCH_FIELDS)),
                 summary=f"approve {batch}")
    return batch


def export_rows(batch: PaymentBatch) -> list[tuple]:
    """(key, name, NIK, bank account, amount, desa) of every payment of the batch: the person, or
    for a family the head of the family as registered now."""
    return fetchall("""
        SELECT p.idempotency_key, COALESCE(r.name, ''), COALESCE(r.nik, ''), '', p.amount, e.desa_code
        FROM programs_payment p
        JOIN programs_enrolment e ON e.id = p.enrolment_id
        LEFT JOIN registry_person r ON r.id = COALESCE(e.person_id, (
            SELECT MIN(m.id) FROM registry_person m
            WHERE m.family_id = e.family_id AND m.relationship = %s AND m.merged_into_id IS NULL))
        WHERE p.batch_id = %s
        ORDER BY p.id""", [Relationship.HEAD, batch.pk])


@transaction.atomic
def payment_batch_export_xlsx(*, actor, batch: PaymentBatch) -> bytes:
    """The bank's payment list of an approved batch (XLSX); the first export marks the batch sent.

    The NIK is given in full, as text: the bank pays against it."""
    from openpyxl import Workbook

    batch = lock_batch(batch)
    require_programme_staff(actor, batch.cycle.programme)
    if batch.status not in (PaymentBatch.Status.APPROVED, PaymentBatch.Status.SENT, PaymentBatch.Status.RECONCILED):
        raise ValidationError(_("%(batch)s needs two approvals before it goes to the bank.") % {"batch": batch})
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"batch {batch.number}")
    sheet.append(EXPORT_COLUMNS)
    rows = export_rows(batch)
    for key, name, nik, account, amount, desa in rows:
        sheet.append([key, name, nik, account, int(amount), desa])
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = snapshot(batch, BATCH_FIELDS)
    if batch.status == PaymentBatch.Status.APPROVED:
        batch.status, batch.sent_at = PaymentBatch.Status.SENT, timezone.now()
        batch.save(update_fields=["status", "sent_at"])
    audit_record(actor=actor, action=AuditEvent.Action.EXPORT, instance=batch,
                 region_code=batch.cycle.programme.regency_code, changes=diff(before, snapshot(batch, BATCH_FIELDS)),
                 summary=f"payment list of {batch}: {len(rows)} payments")
    return buffer.getvalue()
