"""The enrolment workflow: allowed steps only, by the right people in their regions, audited;
approvals within quota and budget, in priority order, also when many run at once; the
exclusive group across programmes."""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Q, Sum

from sejahtera.accounts.models import Agency, User
from sejahtera.accounts.roles import Role
from sejahtera.core.models import AuditEvent
from sejahtera.programs import services
from sejahtera.programs.models import Cycle, Enrolment, Programme
from sejahtera.programs.services import bulk
from tests.conftest import restore_reference_data
from tests.programs.conftest import REGENCY, write_scored

STARTS = datetime.date(2026, 1, 1)
ENDS = datetime.date(2026, 12, 31)


@pytest.fixture
def registry(db):
    write_scored(150, 5)


def make_programme(code, *, target="family", amount=100_000, period="year", quota=None, budget=None, group=""):
    return Programme.objects.create(
        regency_code=REGENCY, code=code, name=code, agency=Agency.objects.get(code="dinsos"), target=target,
        benefit="cash", amount=amount, period=period, quota=quota, budget=budget, exclusive_group=group)


def open_cycle(officer, programme, rule="desil <= 6", label="2026"):
    draft = services.rule_draft_save(actor=officer, programme=programme, text=rule)
    services.rule_publish(actor=officer, rule=draft)
    cycle = services.cycle_create(actor=officer, programme=programme, label=label, starts_on=STARTS, ends_on=ENDS)
    return services.cycle_open(actor=officer, cycle=cycle)


def by_priority(cycle, **filters):
    return list(Enrolment.objects.filter(cycle=cycle, **filters).order_by("priority"))


def assert_totals(cycle):
    """The cycle's running totals are what its holding enrolments add up to, within quota and budget."""
    cycle.refresh_from_db()
    holding = Enrolment.objects.filter(cycle=cycle, status__in=Enrolment.HOLDING)
    assert cycle.approved_count == holding.count()
    assert cycle.approved_amount == (holding.aggregate(s=Sum("amount"))["s"] or 0)
    assert cycle.quota is None or cycle.approved_count <= cycle.quota
    assert cycle.budget is None or cycle.approved_amount <= cycle.budget
    return cycle


def test_each_step_by_the_right_person_and_audited(registry, officer, head, make_user):
    cycle = open_cycle(officer, make_programme("uji-bantuan"))
    first, second, third = by_priority(cycle)[:3]
    stranger = make_user(Role.DESA_OPERATOR, "3201011001" if first.desa_code != "3201011001" else "3201022001",
                         username="stranger")
    operator = make_user(Role.DESA_OPERATOR, first.desa_code, username="operator")
    other_head = make_user(Role.AGENCY_HEAD, REGENCY, agency="disnaker", username="other-head")

    for actor in (stranger, officer, head):
        with pytest.raises(PermissionDenied):
            services.enrolment_verify(actor=actor, enrolment=first)
    verified = services.enrolment_verify(actor=operator, enrolment=first)
    assert (verified.status, verified.verified_by) == ("verified", operator) and verified.verified_at
    with pytest.raises(ValidationError, match="Only candidates"):
        services.enrolment_verify(actor=operator, enrolment=first)
    for actor in (officer, other_head, operator):
        with pytest.raises(PermissionDenied):
            services.enrolment_approve(actor=actor, enrolment=first)
    approved = services.enrolment_approve(actor=head, enrolment=first)
    assert (approved.status, approved.approved_by) == ("approved", head) and approved.approved_at
    assert assert_totals(cycle).approved_count == 1
    with pytest.raises(ValidationError, match="Only candidates and verified"):
        services.enrolment_reject(actor=head, enrolment=first, reason="Tidak memenuhi syarat")
    with pytest.raises(ValidationError, match="Only active"):
        services.enrolment_complete(actor=officer, enrolment=first)
    with pytest.raises(PermissionDenied):
        services.enrolment_activate(actor=operator, enrolment=first)
    services.enrolment_activate(actor=officer, enrolment=first)
    services.enrolment_complete(actor=officer, enrolment=first)
    graduated = services.enrolment_graduate(actor=head, enrolment=first)
    assert graduated.status == "graduated"
    assert assert_totals(cycle).approved_count == 1  # a graduate keeps the place

    # Rejection needs a reason; a candidate can be rejected without verification.
    with pytest.raises(ValidationError):
        services.enrolment_reject(actor=officer, enrolment=second, reason="  ")
    rejected = services.enrolment_reject(actor=officer, enrolment=second, reason="Pindah domisili")
    assert (rejected.status, rejected.reason) == ("rejected", "Pindah domisili")
    with pytest.raises(ValidationError):
        services.enrolment_verify(actor=make_user(Role.DESA_OPERATOR, second.desa_code, username="op-2"),
                                  enrolment=second)

    # Exiting gives the place back.
    services.enrolment_verify(actor=make_user(Role.KECAMATAN_VERIFIER, third.desa_code[:6], username="kec"),
                              enrolment=third)
    services.enrolment_approve(actor=head, enrolment=third)
    assert assert_totals(cycle).approved_count == 2
    with pytest.raises(ValidationError):
        services.enrolment_exit(actor=officer, enrolment=third, reason="")
    exited = services.enrolment_exit(actor=officer, enrolment=third, reason="Meninggal dunia")
    assert exited.status == "exited"
    assert assert_totals(cycle).approved_count == 1

    events = list(AuditEvent.objects.filter(object_type="programs.enrolment", object_id=str(first.pk),
                                            action="update").order_by("at", "id"))
    assert [(e.actor, e.changes["status"]) for e in events] == [
        (operator, ["candidate", "verified"]), (head, ["verified", "approved"]), (officer, ["approved", "active"]),
        (officer, ["active", "completed"]), (head, ["completed", "graduated"])]
    assert all(e.at is not None and e.region_code == first.desa_code for e in events)
    reason_event = AuditEvent.objects.get(object_type="programs.enrolment", object_id=str(second.pk), action="update")
    assert reason_event.changes == {"status": ["candidate", "rejected"], "reason": ["", "Pindah domisili"]}

    # Verification and approval end with the cycle; the beneficiaries' steps go on.
    services.enrolment_verify(actor=make_user(Role.KECAMATAN_VERIFIER, REGENCY, username="kab"),
                              enrolment=by_priority(cycle, status="candidate")[0])
    services.cycle_close(actor=officer, cycle=cycle)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.enrolment_approve(actor=head, enrolment=by_priority(cycle, status="verified")[0])


def test_bulk_approval_takes_the_highest_priorities_that_fit_the_quota(registry, officer, head, verifier):
    cycle = open_cycle(officer, make_programme("uji-kuota", quota=15))
    total = cycle.candidates
    assert total > 40
    verified = services.enrolments_verify(actor=verifier, cycle=cycle, ids_or_filter=None)
    assert (verified.selected, verified.changed, verified.skipped) == (total, total, 0)

    result = services.enrolments_approve(actor=head, cycle=cycle, ids_or_filter=None)
    assert (result.changed, result.left_out, result.skipped) == (15, total - 15, 0)
    assert result.amount == 15 * 100_000
    approved = [e.priority for e in by_priority(cycle, status="approved")]
    assert approved == list(range(1, 16))
    assert assert_totals(cycle).approved_count == 15

    again = services.enrolments_approve(actor=head, cycle=cycle, ids_or_filter=None)
    assert (again.changed, again.left_out) == (0, total - 15)
    with pytest.raises(ValidationError, match="quota") as error:
        services.enrolment_approve(actor=head, enrolment=by_priority(cycle, status="verified")[0])
    assert error.value.code == "quota_full"

    # A beneficiary who exits frees a place: the next in priority gets it.
    services.enrolments_exit(actor=officer, cycle=cycle, ids_or_filter=Q(priority=3), reason="Pindah ke luar daerah")
    assert assert_totals(cycle).approved_count == 14
    refill = services.enrolments_approve(actor=head, cycle=cycle, ids_or_filter=None)
    assert refill.changed == 1 and by_priority(cycle, status="approved")[-1].priority == 16
    assert assert_totals(cycle).approved_count == 15
    # Every approval is audited, by the head.
    assert AuditEvent.objects.filter(object_type="programs.enrolment", actor=head,
                                     changes__status=["verified", "approved"]).count() == 16


def test_the_budget_limits_bulk_and_single_approvals(registry, officer, head, verifier):
    cycle = open_cycle(officer, make_programme("uji-anggaran", amount=1_000_000, budget=7_500_000))
    services.enrolments_verify(actor=verifier, cycle=cycle, ids_or_filter=None)
    # A selection out of priority order is still approved in priority order.
    chosen = [e.pk for e in by_priority(cycle)][::-2]
    result = services.enrolments_approve(actor=head, cycle=cycle, ids_or_filter=chosen)
    assert (result.selected, result.changed, result.left_out) == (len(chosen), 7, len(chosen) - 7)
    assert [e.pk for e in by_priority(cycle, status="approved")] == sorted(chosen, key=lambda pk: Enrolment.objects.get(
        pk=pk).priority)[:7]
    assert assert_totals(cycle).approved_amount == 7_000_000
    with pytest.raises(ValidationError) as error:
        services.enrolment_approve(actor=head, enrolment=by_priority(cycle, status="verified")[0])
    assert error.value.code == "budget_full"


def test_bulk_steps_keep_to_the_region_and_the_status(registry, officer, head, make_user, monkeypatch):
    cycle = open_cycle(officer, make_programme("uji-wilayah"))
    kecamatan = Enrolment.objects.filter(cycle=cycle).values_list("desa_code", flat=True)
    busiest = max({code[:6] for code in kecamatan}, key=lambda k: sum(c.startswith(k) for c in kecamatan))
    local = make_user(Role.KECAMATAN_VERIFIER, busiest, username="local")
    inside = Enrolment.objects.filter(cycle=cycle, desa_code__startswith=busiest).count()

    result = services.enrolments_verify(actor=local, cycle=cycle, ids_or_filter=None)
    assert (result.changed, result.skipped) == (inside, cycle.candidates - inside)
    assert set(Enrolment.objects.filter(cycle=cycle, status="verified").values_list("desa_code", flat=True)) <= {
        code for code in kecamatan if code.startswith(busiest)}
    again = services.enrolments_verify(actor=local, cycle=cycle, ids_or_filter=Q(desa_code__startswith=busiest))
    assert (again.changed, again.skipped) == (0, inside)
    assert AuditEvent.objects.filter(object_type="programs.enrolment", actor=local, action="update").count() == inside

    # Ids of another cycle are not part of the selection; a long list of ids goes through a table.
    monkeypatch.setattr(bulk, "SMALL_SELECTION", 3)
    everyone = make_user(Role.KECAMATAN_VERIFIER, REGENCY, username="everyone")
    ids = [e.pk for e in by_priority(cycle, status="candidate")[:10]]
    result = services.enrolments_verify(actor=everyone, cycle=cycle, ids_or_filter=[*ids, 10**9])
    assert (result.selected, result.changed) == (10, 10)
    # A queryset as the selection; rejection with a reason.
    lowest = Enrolment.objects.filter(cycle=cycle, status="candidate", desil__gte=6)
    n = lowest.count()
    rejected = services.enrolments_reject(actor=officer, cycle=cycle, ids_or_filter=lowest, reason="Desil 6")
    assert rejected.changed == n > 0
    assert set(Enrolment.objects.filter(cycle=cycle, status="rejected").values_list("reason", flat=True)) == {"Desil 6"}
    with pytest.raises(PermissionDenied):
        services.enrolments_approve(actor=officer, cycle=cycle, ids_or_filter=None)
    with pytest.raises(ValidationError):
        services.enrolments_exit(actor=officer, cycle=cycle, ids_or_filter=None, reason="")
    assert_totals(cycle)


def test_a_person_approved_in_one_programme_of_a_group_is_refused_in_another(registry, officer, head, verifier):
    rule = "age between 15 and 30"
    first = open_cycle(officer, make_programme("uji-beasiswa-a", target="person", group="uji-beasiswa"), rule)
    second = open_cycle(officer, make_programme("uji-beasiswa-b", target="person", group="uji-beasiswa"), rule)
    services.enrolments_verify(actor=verifier, cycle=first, ids_or_filter=None)
    services.enrolments_verify(actor=verifier, cycle=second, ids_or_filter=None)
    taken = by_priority(first)[:3]
    for enrolment in taken:
        services.enrolment_approve(actor=head, enrolment=enrolment)
    persons = {e.person_id for e in taken}

    twin = Enrolment.objects.get(cycle=second, person_id=taken[0].person_id)
    with pytest.raises(ValidationError, match="exclusive group") as error:
        services.enrolment_approve(actor=head, enrolment=twin)
    assert error.value.code == "exclusive_group"
    result = services.enrolments_approve(actor=head, cycle=second, ids_or_filter=None)
    assert result.conflicts == 3 and result.changed == second.candidates - 3
    assert not Enrolment.objects.filter(cycle=second, person_id__in=persons, status="approved").exists()
    assert_totals(second)
    # Once the first cycle is closed, the group no longer holds them.
    services.cycle_close(actor=officer, cycle=first)
    assert services.enrolment_approve(actor=head, enrolment=twin).status == "approved"


# -- many approvals at once, on PostgreSQL --------------------------------------------------------

@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite runs one writing transaction at a time; row locks are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_approvals_never_exceed_the_quota(make_user):
    restore_reference_data()  # a transactional test: an earlier one may have flushed them
    write_scored(150, 5)
    officer = make_user(Role.AGENCY_OFFICER, REGENCY, agency="dinsos", username="officer")
    heads = [make_user(Role.AGENCY_HEAD, REGENCY, agency="dinsos", username=f"head-{i}") for i in range(3)]
    verifier = make_user(Role.KECAMATAN_VERIFIER, REGENCY, username="verifier")
    quota = 25
    cycle = open_cycle(officer, make_programme("uji-serentak", quota=quota, budget=30 * 100_000), "desil <= 10")
    services.enrolments_verify(actor=verifier, cycle=cycle, ids_or_filter=None)
    ids = [e.pk for e in by_priority(cycle)]
    assert len(ids) >= 100
    barrier = threading.Barrier(50)

    def approve(i):
        try:
            actor = User.objects.get(pk=heads[i % 3].pk)
            if i % 5 == 0:  # every fifth thread approves a bulk selection, overlapping the others
                selection = ids[i:i + 12]
                barrier.wait()
                return services.enrolments_approve(actor=actor, cycle=cycle, ids_or_filter=selection).changed
            enrolment = Enrolment.objects.get(pk=ids[-1 - i])
            barrier.wait()
            services.enrolment_approve(actor=actor, enrolment=enrolment)
            return 1
        except ValidationError as error:
            assert error.code == "quota_full", error
            return 0
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=50) as pool:
        approved = sum(pool.map(approve, range(50)))

    cycle = assert_totals(cycle)
    assert approved == cycle.approved_count == quota
    assert Enrolment.objects.filter(cycle=cycle, status="approved").count() == quota
    assert AuditEvent.objects.filter(object_type="programs.enrolment", changes__status=["verified", "approved"]
                                     ).count() == quota
    assert Cycle.objects.get(pk=cycle.pk).approved_amount == quota * 100_000
