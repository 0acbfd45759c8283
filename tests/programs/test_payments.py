"""Disbursement: one payment per beneficiary and period whatever is replayed, two approvers who
are not the creator, the bank's payment list, and reconciliation of the bank's result file
(all or nothing; the same file read again changes nothing)."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from openpyxl import Workbook, load_workbook

from sejahtera.accounts.models import Agency
from sejahtera.accounts.roles import Role
from sejahtera.core.models import AuditEvent
from sejahtera.programs import services
from sejahtera.programs.models import Enrolment, Payment, PaymentBatch, Programme
from sejahtera.registry.models import Person
from tests.programs.conftest import REGENCY, scored_once_per_module

AMOUNT = 300_000
pytestmark = pytest.mark.django_db


registry = scored_once_per_module(150, 8)


@pytest.fixture
def staff(make_user):
    """Creator, two approvers and the agency head, all of the programme's agency."""
    return {name: make_user(role, REGENCY, agency="dinsos", username=name) for name, role in [
        ("maker", Role.AGENCY_OFFICER), ("checker", Role.AGENCY_OFFICER), ("approver", Role.AGENCY_OFFICER),
        ("head", Role.AGENCY_HEAD)]}


@pytest.fixture
def cycle(staff, make_user):
    """A monthly cash programme for January to June with 20 approved beneficiaries, 10 of them
    active, one approved and then exited, and one rejected candidate."""
    programme = Programme.objects.create(
        regency_code=REGENCY, code="uji-bantuan-tunai", name="Bantuan Tunai", agency=Agency.objects.get(code="dinsos"),
        target="family", benefit="cash", amount=AMOUNT, period="month")
    officer, head = staff["maker"], staff["head"]
    rule = services.rule_draft_save(actor=officer, programme=programme, text="desil <= 5")
    services.rule_publish(actor=officer, rule=rule)
    cycle = services.cycle_create(actor=officer, programme=programme, label="2026-S1",
                                  starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 6, 30))
    cycle = services.cycle_open(actor=officer, cycle=cycle)
    ids = list(Enrolment.objects.filter(cycle=cycle).order_by("priority").values_list("id", flat=True))
    verifier = make_user(Role.KECAMATAN_VERIFIER, REGENCY, username="verifier")
    services.enrolments_verify(actor=verifier, cycle=cycle, ids_or_filter=ids[:30])
    services.enrolments_approve(actor=head, cycle=cycle, ids_or_filter=ids[:21])
    services.enrolments_activate(actor=officer, cycle=cycle, ids_or_filter=ids[:10])
    services.enrolments_exit(actor=officer, cycle=cycle, ids_or_filter=ids[20:21], reason="Pindah")
    services.enrolments_reject(actor=officer, cycle=cycle, ids_or_filter=ids[29:30], reason="Data ganda")
    cycle.refresh_from_db()
    return cycle


def payable(cycle):
    return set(Enrolment.objects.filter(cycle=cycle, status__in=["approved", "active"]).values_list("id", flat=True))


def approved_batch(cycle, staff, period="2026-01"):
    batch = services.payment_batch_create(actor=staff["maker"], cycle=cycle, period=period)
    services.payment_batch_approve(actor=staff["checker"], batch=batch)
    return services.payment_batch_approve(actor=staff["approver"], batch=batch)


def test_a_batch_pays_each_beneficiary_once_per_period(cycle, staff, make_user):
    assert len(payable(cycle)) == 20 and cycle.amount == AMOUNT
    # Each approval holds six months against the budget.
    assert cycle.approved_amount == 20 * 6 * AMOUNT

    batch = services.payment_batch_create(actor=staff["maker"], cycle=cycle, period="2026-01")
    payments = Payment.objects.filter(batch=batch)
    assert {p.enrolment_id for p in payments} == payable(cycle)
    assert {p.idempotency_key for p in payments} == {f"{cycle.pk}:{e}:2026-01" for e in payable(cycle)}
    assert {(p.amount, p.status) for p in payments} == {(AMOUNT, "pending")}
    assert (batch.number, batch.status, batch.payments_count, batch.total) == (1, "draft", 20, 20 * AMOUNT)
    assert AuditEvent.objects.filter(object_type="programs.payment", action="create").count() == 20

    # Replaying the batch pays no one twice, and leaves no empty batch behind.
    with pytest.raises(ValidationError) as error:
        services.payment_batch_create(actor=staff["maker"], cycle=cycle, period="2026-01")
    assert error.value.code == "nothing_due"
    assert Payment.objects.count() == 20 and PaymentBatch.objects.filter(cycle=cycle).count() == 1

    # Beneficiaries approved later are paid for the period by the next batch, and only they.
    later = list(Enrolment.objects.filter(cycle=cycle, status="verified").order_by("priority")[:3])
    for enrolment in later:
        services.enrolment_approve(actor=staff["head"], enrolment=enrolment)
    second = services.payment_batch_create(actor=staff["maker"], cycle=cycle, period="2026-01")
    assert second.number == 2
    assert set(second.payments.values_list("enrolment_id", flat=True)) == {e.pk for e in later}
    assert services.payment_batch_create(actor=staff["maker"], cycle=cycle, period="2026-02").payments_count == 23

    # The unique key holds even against a write that skips the service.
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(batch=batch, enrolment_id=later[0].pk, amount=AMOUNT,
                               idempotency_key=f"{cycle.pk}:{later[0].pk}:2026-01")

    with pytest.raises(ValidationError, match="not a period"):
        services.payment_batch_create(actor=staff["maker"], cycle=cycle, period="2026-07")
    with pytest.raises(PermissionDenied):
        services.payment_batch_create(actor=make_user(Role.AGENCY_OFFICER, REGENCY, agency="disnaker"),
                                      cycle=cycle, period="2026-03")
    training = Programme.objects.create(regency_code=REGENCY, code="uji-pelatihan", name="Pelatihan",
                                        agency=Agency.objects.get(code="dinsos"), target="family", benefit="service",
                                        period="once")
    services.rule_publish(actor=staff["maker"], rule=services.rule_draft_save(
        actor=staff["maker"], programme=training, text="desil <= 2"))
    training_cycle = services.cycle_open(actor=staff["maker"], cycle=services.cycle_create(
        actor=staff["maker"], programme=training, label="2026", starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31)))
    with pytest.raises(ValidationError, match="does not pay cash"):
        services.payment_batch_create(actor=staff["maker"], cycle=training_cycle, period="2026")


def test_two_approvers_neither_of_them_the_creator(cycle, staff):
    batch = services.payment_batch_create(actor=staff["maker"], cycle=cycle, period="2026-01")
    with pytest.raises(ValidationError, match="two approvals"):
        services.payment_batch_export_xlsx(actor=staff["maker"], batch=batch)
    with pytest.raises(PermissionDenied):
        services.payment_batch_approve(actor=staff["maker"], batch=batch)
    first = services.payment_batch_approve(actor=staff["checker"], batch=batch)
    assert (first.status, first.first_approved_by) == ("approved_once", staff["checker"])
    with pytest.raises(PermissionDenied):
        services.payment_batch_approve(actor=staff["checker"], batch=batch)
    with pytest.raises(PermissionDenied):
        services.payment_batch_approve(actor=staff["maker"], batch=batch)
    with pytest.raises(ValidationError, match="two approvals"):
        services.payment_batch_export_xlsx(actor=staff["maker"], batch=batch)
    second = services.payment_batch_approve(actor=staff["approver"], batch=batch)
    assert (second.status, second.second_approved_by) == ("approved", staff["approver"])
    assert second.first_approved_at <= second.second_approved_at
    with pytest.raises(ValidationError, match="already approved"):
        services.payment_batch_approve(actor=staff["head"], batch=batch)
    # The database refuses one person as both approvers, whatever writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).update(second_approved_by=staff["checker"])
    events = AuditEvent.objects.filter(object_type="programs.paymentbatch", object_id=str(batch.pk), action="update")
    assert [e.actor for e in events.order_by("at", "id")] == [staff["checker"], staff["approver"]]


def test_the_bank_payment_list(cycle, staff):
    batch = approved_batch(cycle, staff)
    content = services.payment_batch_export_xlsx(actor=staff["maker"], batch=batch)
    rows = list(load_workbook(io.BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == ["idempotency_key", "name", "nik", "bank_account", "amount", "desa"]

    expected = []
    for payment in batch.payments.select_related("enrolment").order_by("id"):
        head = Person.objects.filter(family_id=payment.enrolment.family_id, relationship=1,
                                     merged_into__isnull=True).order_by("id").first()
        expected.append((payment.idempotency_key, head.name, head.nik, None, AMOUNT, payment.enrolment.desa_code))
    assert [tuple(r) for r in rows[1:]] == expected
    assert all(isinstance(r[2], str) and len(r[2]) == 16 for r in rows[1:])  # NIK as text

    batch.refresh_from_db()
    assert batch.status == "sent" and batch.sent_at is not None
    assert AuditEvent.objects.filter(object_type="programs.paymentbatch", object_id=str(batch.pk),
                                     action="export", actor=staff["maker"]).count() == 1
    # The list can be downloaded again; the batch stays sent.
    services.payment_batch_export_xlsx(actor=staff["checker"], batch=batch)
    assert PaymentBatch.objects.get(pk=batch.pk).sent_at == batch.sent_at


# -- the bank's result file -----------------------------------------------------------------------

HEADER = ["idempotency_key", "status", "bank_reference", "date", "reason"]


def as_csv(rows, header=HEADER, delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def as_xlsx(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sent_batch(cycle, staff):
    batch = approved_batch(cycle, staff)
    services.payment_batch_export_xlsx(actor=staff["maker"], batch=batch)
    return batch


def payment_rows():
    return list(Payment.objects.order_by("id").values_list("id", "status", "bank_reference", "paid_on",
                                                           "failure_reason"))


def test_bad_rows_are_reported_and_nothing_is_written(cycle, staff):
    batch = sent_batch(cycle, staff)
    keys = list(batch.payments.order_by("id").values_list("idempotency_key", flat=True))
    other = services.payment_batch_create(actor=staff["maker"], cycle=cycle, period="2026-02")
    other_key = other.payments.first().idempotency_key
    with pytest.raises(ValidationError, match="has not been sent"):
        services.payment_batch_reconcile(actor=staff["maker"], batch=other, file=as_csv([]))

    rows = [
        (keys[0], "paid", "TRX-0001", "2026-01-25", ""),  # row 2: good
        ("999:999:2026-01", "paid", "TRX-0002", "2026-01-25", ""),  # row 3
        (keys[1], "maybe", "TRX-0003", "2026-01-25", ""),  # row 4
        (keys[2], "paid", "", "2026-01-25", ""),  # row 5
        (keys[3], "paid", "TRX-0005", "25 Januari", ""),  # row 6
        (keys[0], "paid", "TRX-0001", "2026-01-25", ""),  # row 7
        (keys[4], "failed", "", "2026-01-25", ""),  # row 8
        (other_key, "paid", "TRX-0008", "2026-01-25", ""),  # row 9
        ("", "paid", "TRX-0009", "2026-01-25", ""),  # row 10
        (keys[5], "paid", "TRX-0010", "", ""),  # row 11
        (keys[6], "failed", "", "", "Rekening ditutup"),  # row 12: good
    ]
    before, events = payment_rows(), AuditEvent.objects.count()
    with pytest.raises(services.ReconciliationError) as error:
        services.payment_batch_reconcile(actor=staff["maker"], batch=batch, file=as_csv(rows))
    problems = {p.row: p.message for p in error.value.problems}
    assert sorted(problems) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert "No payment has the idempotency key 999:999:2026-01" in problems[3]
    assert "maybe" in problems[4] and "bank reference" in problems[5] and "25 Januari" in problems[6]
    assert "already on row 2" in problems[7] and "reason" in problems[8] and "another batch" in problems[9]
    assert "missing" in problems[10] and "date" in problems[11]
    assert error.value.messages[0].startswith("Row 3: No payment has")
    assert payment_rows() == before and AuditEvent.objects.count() == events
    assert PaymentBatch.objects.get(pk=batch.pk).status == "sent"
    with pytest.raises(services.ReconciliationError):
        services.payment_batch_reconcile(actor=staff["maker"], batch=batch, file=b"PK\x03\x04 not a workbook")


@pytest.mark.parametrize("form", ["xlsx", "csv", "csv-semicolon-indonesian"])
def test_outcomes_are_recorded_once_and_a_replay_changes_nothing(cycle, staff, form):
    batch = sent_batch(cycle, staff)
    keys = list(batch.payments.order_by("id").values_list("idempotency_key", flat=True))
    paid_on = datetime.date(2026, 1, 26)
    rows = [(key, "failed", "", "", "Rekening tidak aktif") if i in (3, 7) else
            (key, "paid", f"BJB{i:05d}", paid_on, "") for i, key in enumerate(keys)]

    def file(rows):
        if form == "xlsx":
            return as_xlsx(rows)
        text_rows = [(k, s, r, d.isoformat() if d else "", why) for k, s, r, d, why in rows]
        if form == "csv":
            return as_csv(text_rows)
        indonesian = [(k, {"paid": "Berhasil", "failed": "Gagal"}[s], r, d.strftime("%d/%m/%Y") if d else "", why)
                      for k, s, r, d, why in rows]
        return as_csv(indonesian, header=["Kunci", "Status", "No Referensi", "Tanggal", "Keterangan"], delimiter=";")

    # Half the file first: the batch waits for the rest.
    first = services.payment_batch_reconcile(actor=staff["maker"], batch=batch, file=io.BytesIO(file(rows[:10])))
    assert (first.paid, first.failed, first.unchanged, first.pending) == (8, 2, 0, 10)
    assert PaymentBatch.objects.get(pk=batch.pk).status == "sent"
    result = services.payment_batch_reconcile(actor=staff["checker"], batch=batch, file=io.BytesIO(file(rows)))
    assert (result.paid, result.failed, result.unchanged, result.pending) == (10, 0, 10, 0)
    assert PaymentBatch.objects.get(pk=batch.pk).status == "reconciled"
    recorded = {p.idempotency_key: p for p in batch.payments.all()}
    assert recorded[keys[0]].status == "paid" and recorded[keys[0]].bank_reference == "BJB00000"
    assert recorded[keys[0]].paid_on == paid_on
    assert recorded[keys[3]].status == "failed" and recorded[keys[3]].failure_reason == "Rekening tidak aktif"
    assert recorded[keys[3]].paid_on is None
    assert AuditEvent.objects.filter(object_type="programs.payment", action="update").count() == 20

    # The same file again changes nothing, not even the log.
    before, events = payment_rows(), AuditEvent.objects.count()
    again = services.payment_batch_reconcile(actor=staff["maker"], batch=batch, file=file(rows))
    assert (again.paid, again.failed, again.unchanged, again.pending) == (0, 0, 20, 0)
    assert payment_rows() == before and AuditEvent.objects.count() == events
    # A file contradicting a recorded outcome is refused as a whole.
    contradicting = [(keys[0], "failed", "", "", "Salah kirim"), *rows[1:]]
    with pytest.raises(services.ReconciliationError) as error:
        services.payment_batch_reconcile(actor=staff["maker"], batch=batch, file=file(contradicting))
    assert [p.row for p in error.value.problems] == [2]
    assert "already recorded as Paid" in error.value.problems[0].message
    assert payment_rows() == before
