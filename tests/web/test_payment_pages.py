"""Payment batch pages: a batch pays each payable beneficiary once, two different approvers on the
web too, the bank's list downloads and parses back, a bad result file reports its row numbers
and writes nothing, and the payments are listed only to those who may read them."""

import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from sejahtera.accounts.models import Agency
from sejahtera.accounts.roles import Role
from sejahtera.core.models import AuditEvent
from sejahtera.programs import services
from sejahtera.programs.models import Enrolment, Payment, PaymentBatch, Programme
from sejahtera.registry.identity import mask_nik
from sejahtera.registry.models import Person
from sejahtera.web.views import payments as payment_views
from tests.programs.conftest import REGENCY, scored_once_per_module

pytestmark = pytest.mark.django_db
AMOUNT = 300_000

registry = scored_once_per_module(150, 12)


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def staff(make_user):
    """The batch's creator, two approvers and the agency head, of the programme's agency."""
    return {name: make_user(role, REGENCY, agency="dinsos", username=name) for name, role in [
        ("maker", Role.AGENCY_OFFICER), ("checker", Role.AGENCY_OFFICER), ("approver", Role.AGENCY_OFFICER),
        ("head", Role.AGENCY_HEAD)]}


@pytest.fixture
def cycle(staff, make_user):
    """A monthly cash programme, January to June, with 12 approved beneficiaries and 3 only verified."""
    programme = Programme.objects.create(
        regency_code=REGENCY, code="uji-tunai", name="Bantuan Tunai Uji", agency=Agency.objects.get(code="dinsos"),
        target="family", benefit="cash", amount=AMOUNT, period="month")
    maker = staff["maker"]
    services.rule_publish(actor=maker, rule=services.rule_draft_save(actor=maker, programme=programme,
                                                                    text="desil <= 5"))
    cycle = services.cycle_open(actor=maker, cycle=services.cycle_create(
        actor=maker, programme=programme, label="2026-S1", starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 6, 30)))
    ids = list(Enrolment.objects.filter(cycle=cycle).order_by("priority").values_list("pk", flat=True))
    services.enrolments_verify(actor=make_user(Role.KECAMATAN_VERIFIER, REGENCY, username="verifier"),
                               cycle=cycle, ids_or_filter=ids[:15])
    services.enrolments_approve(actor=staff["head"], cycle=cycle, ids_or_filter=ids[:12])
    return cycle


def payable(cycle) -> set[int]:
    return set(Enrolment.objects.filter(cycle=cycle, status__in=["approved", "active"]).values_list("pk", flat=True))


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def create_batch(login, staff, cycle, period="2026-01"):
    response = login(staff["maker"]).post(reverse("web:payment_batch_create", args=[cycle.pk]), {"period": period})
    batch = PaymentBatch.objects.get(cycle=cycle, period=period)
    assert response.status_code == 302 and response["Location"] == reverse("web:payment_batch_detail",
                                                                           args=[batch.pk])
    return batch


def approve(login, user, batch):
    return login(user).post(reverse("web:payment_batch_approve", args=[batch.pk]), follow=True)


def sent_batch(login, staff, batch) -> tuple[PaymentBatch, bytes]:
    """Approve ``batch`` twice and download its bank list (which marks it sent)."""
    approve(login, staff["checker"], batch)
    approve(login, staff["approver"], batch)
    response = login(staff["maker"]).post(reverse("web:payment_batch_export", args=[batch.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    return batch, response.content


def test_a_batch_from_the_cycle_page_pays_each_beneficiary_once(login, staff, cycle):
    client = login(staff["maker"])
    page = client.get(reverse("web:cycle_detail", args=[cycle.pk]))
    assert page.context["periods"][:2] == ["2026-01", "2026-02"] and len(page.context["periods"]) == 6

    batch = create_batch(login, staff, cycle)
    assert set(batch.payments.values_list("enrolment_id", flat=True)) == payable(cycle)
    assert (batch.payments_count, batch.total) == (12, 12 * AMOUNT)
    html = client.get(reverse("web:payment_batch_detail", args=[batch.pk])).content.decode()
    assert 'id="batch-count">12<' in html

    replay = client.post(reverse("web:payment_batch_create", args=[cycle.pk]), {"period": "2026-01"}, follow=True)
    assert any("Nobody is due a payment" in m for m in flashed(replay))
    wrong = client.post(reverse("web:payment_batch_create", args=[cycle.pk]), {"period": "2026-07"}, follow=True)
    assert any("is not a period" in m for m in flashed(wrong))
    assert Payment.objects.filter(batch__cycle=cycle).count() == 12 and cycle.batches.count() == 1
    listed = client.get(reverse("web:cycle_detail", args=[cycle.pk])).context["batches"]
    assert [b.pk for b in listed] == [batch.pk]


def test_four_eyes_on_the_web(login, staff, cycle):
    batch = create_batch(login, staff, cycle)
    maker_page = login(staff["maker"]).get(reverse("web:payment_batch_detail", args=[batch.pk]))
    assert not maker_page.context["can_approve"] and "You created this batch" in maker_page.content.decode()
    assert any("may not approve it" in m for m in flashed(approve(login, staff["maker"], batch)))
    batch.refresh_from_db()
    assert batch.status == "draft"

    approve(login, staff["checker"], batch)
    batch.refresh_from_db()
    assert (batch.status, batch.first_approved_by) == ("approved_once", staff["checker"])
    twice = approve(login, staff["checker"], batch)
    assert any("must come from another person" in m for m in flashed(twice))
    assert "You gave the first approval" in twice.content.decode()
    batch.refresh_from_db()
    assert (batch.status, batch.second_approved_by) == ("approved_once", None)

    approve(login, staff["approver"], batch)
    batch.refresh_from_db()
    assert (batch.status, batch.second_approved_by) == ("approved", staff["approver"])
    html = login(staff["head"]).get(reverse("web:payment_batch_detail", args=[batch.pk])).content.decode()
    assert "checker" in html and "approver" in html


def test_the_bank_list_downloads_and_parses_back(login, staff, cycle):
    batch = create_batch(login, staff, cycle)
    early = login(staff["maker"]).post(reverse("web:payment_batch_export", args=[batch.pk]), follow=True)
    assert any("needs two approvals" in m for m in flashed(early))
    assert login(staff["maker"]).get(reverse("web:payment_batch_export", args=[batch.pk])).status_code == 405

    batch, content = sent_batch(login, staff, batch)
    rows = list(load_workbook(io.BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == services.EXPORT_COLUMNS
    keys = {row[0]: row for row in rows[1:]}
    assert set(keys) == set(batch.payments.values_list("idempotency_key", flat=True)) and len(rows) == 13
    assert {row[4] for row in rows[1:]} == {AMOUNT}
    heads = dict(Person.objects.filter(family__enrolments__payments__batch=batch, relationship=1)
                 .values_list("nik", "name"))
    assert {row[2]: row[1] for row in rows[1:]} == heads
    batch.refresh_from_db()
    assert batch.status == "sent"
    assert AuditEvent.objects.filter(actor=staff["maker"], action="export", object_type="programs.paymentbatch",
                                     object_id=str(batch.pk)).count() == 1


def result_file(lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile("hasil-bank.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def test_reconciliation_reports_bad_rows_and_records_good_files(login, staff, cycle):
    batch, _content = sent_batch(login, staff, create_batch(login, staff, cycle))
    keys = list(batch.payments.order_by("id").values_list("idempotency_key", flat=True))
    url = reverse("web:payment_batch_reconcile", args=[batch.pk])
    header = "idempotency_key,status,bank_reference,date,reason"
    bad = [header, f"{keys[0]},paid,REF1,2026-01-25,", f"{keys[1]},maybe,REF2,2026-01-25,",
           f"{keys[2]},failed,,,"]
    response = login(staff["maker"]).post(url, {"file": result_file(bad)})
    assert response.status_code == 400
    assert [p.row for p in response.context["problems"]] == [3, 4]
    html = response.content.decode()
    assert 'data-row="3"' in html and "Row 3" in html and "Row 4" in html
    assert set(batch.payments.values_list("status", flat=True)) == {"pending"}

    good = [header] + [f"{key},paid,REF{i},2026-01-25," for i, key in enumerate(keys[:-1])] + [
        f"{keys[-1]},failed,,,Rekening ditutup"]
    done = login(staff["maker"]).post(url, {"file": result_file(good)}, follow=True)
    assert any("11 paid, 1 failed" in m for m in flashed(done))
    assert Payment.objects.filter(batch=batch, status="paid").count() == 11
    assert Payment.objects.get(idempotency_key=keys[-1]).failure_reason == "Rekening ditutup"
    batch.refresh_from_db()
    assert batch.status == "reconciled"


def test_payments_list_filter_pagination_and_who_sees_it(login, staff, cycle, planner, make_user, monkeypatch):
    batch, _content = sent_batch(login, staff, create_batch(login, staff, cycle))
    keys = list(batch.payments.order_by("id").values_list("idempotency_key", flat=True))
    lines = ["idempotency_key,status,bank_reference,date,reason"] + [
        f"{key},paid,REF{i},2026-01-25," for i, key in enumerate(keys[:4])]
    login(staff["maker"]).post(reverse("web:payment_batch_reconcile", args=[batch.pk]),
                               {"file": result_file(lines)})
    url = reverse("web:payment_batch_detail", args=[batch.pk])
    paid = login(staff["head"]).get(url, {"status": "paid"})
    assert [p.idempotency_key for p in paid.context["page"].object_list] == keys[:4]

    monkeypatch.setattr(payment_views, "PAGE_SIZE", 5)
    second = login(staff["head"]).get(url, {"status": "pending", "page": 2})
    assert [p.idempotency_key for p in second.context["page"].object_list] == keys[9:12]
    head = Person.objects.get(family__enrolments__payments__idempotency_key=keys[0], relationship=1)
    officer_html = login(staff["head"]).get(url).content.decode()
    assert head.name in officer_html and mask_nik(head.nik) in officer_html and head.nik not in officer_html

    planner_page = login(planner).get(url)
    assert planner_page.status_code == 200 and planner_page.context["page"] is None
    assert head.name not in planner_page.content.decode()
    stranger = make_user(Role.AGENCY_OFFICER, REGENCY, agency="disnaker", username="stranger")
    assert login(stranger).get(url).status_code == 403
    refused = login(stranger).post(reverse("web:payment_batch_create", args=[cycle.pk]), {"period": "2026-02"},
                                   follow=True)
    assert any("Only officers of" in m for m in flashed(refused))
    assert not PaymentBatch.objects.filter(period="2026-02").exists()
