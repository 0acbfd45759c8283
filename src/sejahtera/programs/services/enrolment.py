"""The enrolment workflow, one enrolment at a time: each step checks who acts, where, and from
which status; approvals hold the cycle row locked while they check and update the quota and
budget totals, so concurrent approvals cannot pass them together. Every step is audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.core.audit import audit_record, diff, snapshot
from sejahtera.core.models import AuditEvent
from sejahtera.programs.models import Cycle, Enrolment, Programme
from sejahtera.programs.services.access import covers, scopes
from sejahtera.programs.services.cycles import EXCLUSIVE_HOLDING, lock_cycle
from sejahtera.programs.services.steps import (
    ACTIVATE,
    APPROVE,
    COMPLETE,
    CYCLE_NOT_READY,
    EXIT,
    GRADUATE,
    REASON_MISSING,
    REJECT,
    VERIFY,
    Step,
)

ENROLMENT_FIELDS = ["status", "reason", "verified_at", "verified_by", "approved_at", "approved_by"]


def lock_for(step: Step, cycle_id: int) -> Cycle:
    """Lock what ``step`` needs: for an approval in an exclusive group, first the group's
    programme rows (so approvals across the group take turns), then the cycle row."""
    cycle = Cycle.objects.select_related("programme").get(pk=cycle_id)
    group = cycle.programme.exclusive_group
    if step is APPROVE and group:
        list(Programme.objects.select_for_update().filter(exclusive_group=group).order_by("pk").values_list("pk"))
    return lock_cycle(cycle_id)


def exclusive_conflict(programme: Programme) -> Exists:
    """True for an enrolment whose person (family) is approved or active in an open cycle of
    another programme of ``programme``'s exclusive group."""
    others = Enrolment.objects.filter(status__in=EXCLUSIVE_HOLDING, cycle__status=Cycle.Status.OPEN,
                                      programme__exclusive_group=programme.exclusive_group
                                      ).exclude(programme_id=programme.pk)
    if programme.target == Programme.Target.PERSON:
        return Exists(others.filter(person_id=OuterRef("person_id")))
    return Exists(others.filter(family_id=OuterRef("family_id"), person__isnull=True))


def check_cycle(step: Step, cycle: Cycle) -> None:
    if cycle.status not in step.cycle_statuses:
        raise ValidationError(CYCLE_NOT_READY % {"cycle": cycle, "status": cycle.get_status_display()})


def forbidden(step: Step, programme: Programme) -> PermissionDenied:
    return PermissionDenied(step.forbidden % {"agency": programme.agency.short_name})


def quota_full(cycle: Cycle) -> ValidationError:
    return ValidationError(_("The quota of %(cycle)s is full: %(quota)d approved.")
                           % {"cycle": cycle, "quota": cycle.quota}, code="quota_full")


def budget_full(cycle: Cycle, amount: int) -> ValidationError:
    return ValidationError(
        _("The budget of %(cycle)s does not allow another Rp%(amount)s: Rp%(approved)s of Rp%(budget)s is approved.")
        % {"cycle": cycle, "amount": f"{amount:,}", "approved": f"{cycle.approved_amount:,}",
           "budget": f"{cycle.budget:,}"}, code="budget_full")


def transition(*, actor, enrolment: Enrolment, step: Step, reason: str = "") -> Enrolment:
    """Take ``step`` for one enrolment (call inside a transaction); returns the updated row."""
    reason = (reason or "").strip()
    if step.needs_reason and not reason:
        raise ValidationError({"reason": REASON_MISSING})
    if step.holding_change:
        cycle = lock_for(step, enrolment.cycle_id)
    else:
        cycle = Cycle.objects.select_related("programme__agency").get(pk=enrolment.cycle_id)
    programme = cycle.programme
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if not covers(scopes(actor, programme, step.roles), enrolment.desa_code):
        raise forbidden(step, programme)
    check_cycle(step, cycle)
    if enrolment.status not in step.sources:
        raise ValidationError(step.wrong_status % {"status": enrolment.get_status_display()}, code="wrong_status")
    if step is APPROVE:
        if programme.exclusive_group and Enrolment.objects.filter(pk=enrolment.pk).filter(
                exclusive_conflict(programme)).exists():
            raise ValidationError(_("Already approved in another programme of the exclusive group “%(group)s”.")
                                  % {"group": programme.exclusive_group}, code="exclusive_group")
        if cycle.quota is not None and cycle.approved_count + 1 > cycle.quota:
            raise quota_full(cycle)
        if cycle.budget is not None and cycle.approved_amount + enrolment.amount > cycle.budget:
            raise budget_full(cycle, enrolment.amount)

    before = snapshot(enrolment, ENROLMENT_FIELDS)
    now = timezone.now()
    enrolment.status = step.target
    enrolment.updated_at = now
    fields = ["status", "updated_at"]
    if step.stamp:
        setattr(enrolment, f"{step.stamp}_at", now)
        setattr(enrolment, f"{step.stamp}_by", actor)
        fields += [f"{step.stamp}_at", f"{step.stamp}_by"]
    if reason:
        enrolment.reason = reason
        fields.append("reason")
    enrolment.save(update_fields=fields)
    if step.holding_change:
        change = step.holding_change
        Cycle.objects.filter(pk=cycle.pk).update(approved_count=F("approved_count") + change,
                                                 approved_amount=F("approved_amount") + change * enrolment.amount)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=enrolment, region_code=enrolment.desa_code,
                 changes=diff(before, snapshot(enrolment, ENROLMENT_FIELDS)), summary=f"{step.name} {cycle}")
    return enrolment


@transaction.atomic
def enrolment_verify(*, actor, enrolment: Enrolment) -> Enrolment:
    """Field verification of a candidate by the village operator or district verifier."""
    return transition(actor=actor, enrolment=enrolment, step=VERIFY)


@transaction.atomic
def enrolment_approve(*, actor, enrolment: Enrolment) -> Enrolment:
    """Approval by the head of the programme's agency, within the cycle's quota and budget."""
    return transition(actor=actor, enrolment=enrolment, step=APPROVE)


@transaction.atomic
def enrolment_reject(*, actor, enrolment: Enrolment, reason: str) -> Enrolment:
    return transition(actor=actor, enrolment=enrolment, step=REJECT, reason=reason)


@transaction.atomic
def enrolment_activate(*, actor, enrolment: Enrolment) -> Enrolment:
    return transition(actor=actor, enrolment=enrolment, step=ACTIVATE)


@transaction.atomic
def enrolment_complete(*, actor, enrolment: Enrolment) -> Enrolment:
    return transition(actor=actor, enrolment=enrolment, step=COMPLETE)


@transaction.atomic
def enrolment_graduate(*, actor, enrolment: Enrolment) -> Enrolment:
    return transition(actor=actor, enrolment=enrolment, step=GRADUATE)


@transaction.atomic
def enrolment_exit(*, actor, enrolment: Enrolment, reason: str) -> Enrolment:
    """The beneficiary leaves early; the place in the quota and the budget is given back."""
    return transition(actor=actor, enrolment=enrolment, step=EXIT, reason=reason)
