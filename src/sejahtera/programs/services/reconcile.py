"""Reading the bank's result file and recording each payment's outcome, all or nothing.

The file (XLSX or CSV, comma or semicolon) has a row per payment: idempotency key, status
(``paid`` or ``failed``), bank reference, date, reason. A header row naming these columns may
put them in any order; without one they are taken in this order. Every row is checked before
anything is written; a file with a bad row writes nothing and reports every bad row with its
row number. A recorded outcome is final: the same file read again changes nothing, and a file
that contradicts a recorded outcome is refused.
"""

import csv
import datetime
import io
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.core.audit import audit_record
from sejahtera.core.models import AuditEvent
from sejahtera.programs.models import Payment, PaymentBatch
from sejahtera.programs.services.access import require_programme_staff
from sejahtera.programs.services.payments import lock_batch
from sejahtera.programs.services.sqlparts import audit_insert
from sejahtera.registry.importing.sql import bulk_load, create_temp_table, drop_temp_table, execute, is_postgres

COLUMNS = ["key", "status", "reference", "date", "reason"]
HEADER_NAMES = {
    "idempotency_key": "key", "key": "key", "kunci": "key",
    "status": "status",
    "bank_reference": "reference", "reference": "reference", "referensi": "reference", "no_referensi": "reference",
    "date": "date", "paid_on": "date", "tanggal": "date",
    "reason": "reason", "failure_reason": "reason", "alasan": "reason", "keterangan": "reason",
}
STATUS_WORDS = {
    "paid": Payment.Status.PAID, "success": Payment.Status.PAID, "berhasil": Payment.Status.PAID,
    "sukses": Payment.Status.PAID, "failed": Payment.Status.FAILED, "gagal": Payment.Status.FAILED,
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S")
ROWS_TABLE = "programs_bank_rows"


@dataclass(frozen=True)
class RowProblem:
    row: int  # row number in the file (1 = the first row)
    message: str


class ReconciliationError(ValidationError):
    """The bank's file has bad rows; nothing was written. ``problems`` lists them."""

    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        super().__init__([ValidationError(_("Row %(row)d: %(message)s"), code="bad_row",
                                          params={"row": p.row, "message": p.message}) for p in problems])


@dataclass(frozen=True)
class ReconcileResult:
    rows: int  # data rows read
    paid: int  # payments newly recorded as paid
    failed: int  # payments newly recorded as failed
    unchanged: int  # rows repeating an outcome already recorded
    pending: int  # payments of the batch still without an outcome


def _content(file) -> bytes:
    if isinstance(file, bytes):
        return file
    if isinstance(file, (str, Path)):
        return Path(file).read_bytes()
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read()
    return data.encode("utf-8") if isinstance(data, str) else data


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(file) -> list[tuple[int, list]]:
    """(row number, cells) of every non-empty row of an XLSX or CSV file."""
    data = _content(file)
    if data[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        rows = [(number, list(cells)) for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        rows = [(number, cells) for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter),
                                                               start=1)]
    return [(number, cells) for number, cells in rows if any(_text(c) for c in cells)]


def _header(cells: list) -> dict[str, int] | None:
    names = {HEADER_NAMES.get(_text(c).lower().replace(" ", "_").replace("-", "_")): i for i, c in enumerate(cells)}
    names.pop(None, None)
    return names if {"key", "status"} <= names.keys() else None


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


@dataclass(frozen=True)
class Outcome:
    payment_id: int
    status: str
    reference: str
    paid_on: datetime.date | None
    reason: str


def check_rows(rows: list[tuple[int, list]], payments: dict[str, tuple], elsewhere
               ) -> tuple[list[Outcome], int, list[RowProblem]]:
    """The outcomes to write, the number of rows repeating a recorded outcome, and the problems.

    ``payments`` maps the batch's keys to (id, status, reference, paid on, reason);
    ``elsewhere(keys)`` says which of the other keys belong to another batch."""
    problems, outcomes, unchanged, seen, unknown = [], [], 0, {}, []
    columns = _header(rows[0][1]) if rows else None
    if columns is not None:
        rows = rows[1:]
    else:
        columns = {name: i for i, name in enumerate(COLUMNS)}
    if not rows:
        return [], 0, [RowProblem(1, _("The file has no payment rows."))]

    def cell(cells, name):
        i = columns.get(name)
        return cells[i] if i is not None and i < len(cells) else None

    for number, cells in rows:
        key = _text(cell(cells, "key"))
        word = _text(cell(cells, "status")).lower()
        reference, reason = _text(cell(cells, "reference")), _text(cell(cells, "reason"))
        raw_date = cell(cells, "date")

        def bad(message, number=number):
            problems.append(RowProblem(number, message))

        if not key:
            bad(_("The idempotency key is missing."))
            continue
        if key in seen:
            bad(_("Payment %(key)s is already on row %(row)d.") % {"key": key, "row": seen[key]})
            continue
        seen[key] = number
        if key not in payments:
            unknown.append((number, key))
            continue
        status = STATUS_WORDS.get(word)
        if status is None:
            bad(_("The status must be “paid” or “failed”, not “%(value)s”.") % {"value": word})
            continue
        paid_on = None
        if _text(raw_date):
            try:
                paid_on = _date(raw_date)
            except ValueError:
                bad(_("“%(value)s” is not a date (write YYYY-MM-DD).") % {"value": _text(raw_date)})
                continue
        if status == Payment.Status.PAID:
            if not reference:
                bad(_("A paid payment needs the bank reference."))
                continue
            if paid_on is None:
                bad(_("A paid payment needs the date it was paid."))
                continue
            reason = ""
        elif not reason:
            bad(_("A failed payment needs the reason."))
            continue
        else:
            paid_on = None  # a failed payment was not paid on any day
        if len(reference) > 60 or len(reason) > 200:
            bad(_("The bank reference may have 60 characters and the reason 200."))
            continue
        payment_id, old_status, old_reference, old_paid_on, old_reason = payments[key]
        outcome = Outcome(payment_id, status, reference, paid_on, reason)
        if old_status == Payment.Status.PENDING:
            outcomes.append(outcome)
        elif (old_status, old_reference, old_paid_on, old_reason) == (status, reference, paid_on, reason):
            unchanged += 1
        else:
            bad(_("Payment %(key)s is already recorded as %(status)s (reference “%(reference)s”, %(date)s); "
                  "the file says otherwise.") % {"key": key, "status": Payment.Status(old_status).label,
                                                 "reference": old_reference, "date": old_paid_on or "—"})
    other_batches = elsewhere({key for _number, key in unknown}) if unknown else set()
    for number, key in unknown:
        problems.append(RowProblem(number, _("Payment %(key)s belongs to another batch.") % {"key": key}
                                   if key in other_batches else
                                   _("No payment has the idempotency key %(key)s.") % {"key": key}))
    return outcomes, unchanged, sorted(problems, key=lambda p: p.row)


@transaction.atomic
def payment_batch_reconcile(*, actor, batch: PaymentBatch, file) -> ReconcileResult:
    """Record the bank's result file for a sent batch; ``ReconciliationError`` lists the bad rows."""
    batch = lock_batch(batch)
    programme = batch.cycle.programme
    require_programme_staff(actor, programme)
    if batch.status not in (PaymentBatch.Status.SENT, PaymentBatch.Status.RECONCILED):
        raise ValidationError(_("%(batch)s has not been sent to the bank.") % {"batch": batch})
    try:
        rows = read_rows(file)
    except Exception as error:  # a damaged or foreign file: say so, as a problem of the file
        raise ReconciliationError([RowProblem(0, _("The file cannot be read as XLSX or CSV: %(error)s")
                                              % {"error": error})]) from error
    payments = {key: rest for key, *rest in batch.payments.values_list(
        "idempotency_key", "id", "status", "bank_reference", "paid_on", "failure_reason")}
    outcomes, unchanged, problems = check_rows(rows, payments, _keys_of_other_batches)
    if problems:
        raise ReconciliationError(problems)

    if outcomes:
        _write(actor, batch, outcomes)
    pending = batch.payments.filter(status=Payment.Status.PENDING).count()
    result = ReconcileResult(rows=len(outcomes) + unchanged, unchanged=unchanged, pending=pending,
                             paid=sum(o.status == Payment.Status.PAID for o in outcomes),
                             failed=sum(o.status == Payment.Status.FAILED for o in outcomes))
    if outcomes:
        changes = {}
        if pending == 0:
            changes = {"status": [batch.status, PaymentBatch.Status.RECONCILED]}
            batch.status = PaymentBatch.Status.RECONCILED
            batch.save(update_fields=["status"])
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=batch,
                     region_code=programme.regency_code, changes=changes,
                     summary=f"reconcile {batch}: {result.paid} paid, {result.failed} failed, "
                             f"{result.unchanged} unchanged, {result.pending} pending")
    return result


def _keys_of_other_batches(keys: set[str]) -> set[str]:
    keys, found = sorted(keys), set()
    for start in range(0, len(keys), 500):
        found.update(Payment.objects.filter(idempotency_key__in=keys[start:start + 500])
                     .values_list("idempotency_key", flat=True))
    return found


def _write(actor, batch: PaymentBatch, outcomes: list[Outcome]) -> None:
    """One UPDATE of the payments from a temporary table of outcomes, and their audit rows."""
    create_temp_table(ROWS_TABLE, [("payment_id", "bigint PRIMARY KEY"), ("status", "varchar(10)"),
                                   ("bank_reference", "varchar(60)"), ("paid_on", "date"),
                                   ("failure_reason", "varchar(200)"), ("changes", "text")])
    try:
        bulk_load(ROWS_TABLE, ["payment_id", "status", "bank_reference", "paid_on", "failure_reason", "changes"], (
            (o.payment_id, o.status, o.reference, o.paid_on.isoformat() if o.paid_on else None, o.reason,
             json.dumps({"status": [Payment.Status.PENDING, o.status], "bank_reference": ["", o.reference],
                         "paid_on": [None, o.paid_on.isoformat() if o.paid_on else None],
                         "failure_reason": ["", o.reason]}))
            for o in outcomes))
        execute(f"""
            UPDATE programs_payment SET status = t.status, bank_reference = t.bank_reference, paid_on = t.paid_on,
                   failure_reason = t.failure_reason
            FROM {ROWS_TABLE} t WHERE programs_payment.id = t.payment_id AND programs_payment.status = %s""",
                [Payment.Status.PENDING])
        changes = "CAST(t.changes AS jsonb)" if is_postgres() else "t.changes"
        execute(*audit_insert(
            actor=actor, now=timezone.now(), action=AuditEvent.Action.UPDATE, object_type="programs.payment",
            object_id="t.payment_id", region="e.desa_code", summary=f"bank result of {batch}", changes=changes,
            select_from=f"FROM {ROWS_TABLE} t JOIN programs_payment p ON p.id = t.payment_id "
                        f"JOIN programs_enrolment e ON e.id = p.enrolment_id"))
    finally:
        if not is_postgres():
            drop_temp_table(ROWS_TABLE)

