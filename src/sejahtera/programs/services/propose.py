"""Proposing one person or family as a candidate of an open cycle, after the cycle opened.

The cycle's frozen rule decides, with ages counted on the cycle's first day like the candidates
the opening proposed, and so do the rules across programmes: the selection is the opening's own
(``candidate_rows``) narrowed to the one row, so a national-PBI person or someone held by another
programme of the exclusive group is refused here as the opening left them out. The candidate
goes after the last existing priority; the cycle row stays locked meanwhile, so two proposals
cannot take the same priority.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.core.audit import audit_record, snapshot
from sejahtera.core.models import AuditEvent
from sejahtera.programs.models import Cycle, Enrolment, Programme
from sejahtera.programs.rules import RuleError, compile_rule
from sejahtera.programs.services.access import AGENCY_STAFF, FIELD_VERIFIERS, covers, scopes
from sejahtera.programs.services.cycles import EXCLUSIVE_HOLDING, candidate_rows, lock_cycle
from sejahtera.programs.services.periods import commitment
from sejahtera.programs.services.rules import rule_error
from sejahtera.registry.choices import JknStatus
from sejahtera.registry.models import Family, Person
from sejahtera.welfare.models import WelfareScore

PROPOSERS = FIELD_VERIFIERS | AGENCY_STAFF
PROPOSE_FIELDS = ["cycle", "person", "family", "desa_code", "status", "priority", "desil", "amount"]


def cycle_condition(cycle: Cycle):
    """The ``Q`` of the cycle's frozen rule, ages counted on the cycle's first day (as when it opened)."""
    try:
        return compile_rule(cycle.rule.text, cycle.programme.target, cycle.starts_on)
    except RuleError as error:
        raise rule_error(error) from error


def may_propose(actor, programme: Programme, desa_code: str) -> bool:
    """Field verifiers of the region, and officers or heads of the programme's agency covering it."""
    return covers(scopes(actor, programme, PROPOSERS), desa_code)


def _refusal(cycle: Cycle, programme: Programme, record, condition) -> ValidationError:
    """Why the opening's selection leaves ``record`` out: the rule, national PBI, or the exclusive group."""
    person = programme.target == Programme.Target.PERSON
    model = Person if person else Family
    if not model.objects.filter(pk=record.pk).filter(condition).exists():
        return ValidationError(_("%(name)s does not meet the rule of %(cycle)s.")
                               % {"name": _name(record), "cycle": cycle}, code="rule")
    if programme.benefit == Programme.Benefit.PREMIUM:
        national = (record.jkn_status == JknStatus.PBI_NATIONAL if person else not record.members.filter(
            merged_into__isnull=True).exclude(jkn_status=JknStatus.PBI_NATIONAL).exists())
        if national:
            return ValidationError(_("The national budget (PBI APBN) already pays the premium of %(name)s.")
                                   % {"name": _name(record)}, code="pbi_national")
    if programme.exclusive_group:
        held = Enrolment.objects.filter(status__in=EXCLUSIVE_HOLDING, cycle__status=Cycle.Status.OPEN,
                                        programme__exclusive_group=programme.exclusive_group
                                        ).exclude(programme_id=programme.pk)
        held = held.filter(person_id=record.pk) if person else held.filter(family_id=record.pk, person__isnull=True)
        other = held.select_related("programme").first()
        if other is not None:
            return ValidationError(_("%(name)s is already in %(programme)s, of the same exclusive group.")
                                   % {"name": _name(record), "programme": other.programme.name},
                                   code="exclusive_group")
    return ValidationError(_("%(name)s cannot be proposed for %(cycle)s.") % {"name": _name(record), "cycle": cycle},
                           code="not_eligible")


def _name(record) -> str:
    if isinstance(record, Person):
        return record.name
    return _("The family")


@transaction.atomic
def enrolment_propose(*, actor, cycle: Cycle, person: Person | None = None, family: Family | None = None
                      ) -> Enrolment:
    """Add ``person`` (person programmes) or ``family`` (family programmes) as a candidate of an
    open cycle whose frozen rule matches them now; refused otherwise, or when already enrolled."""
    cycle = lock_cycle(cycle)
    programme = cycle.programme
    is_person = programme.target == Programme.Target.PERSON
    if is_person and person is None:
        raise ValidationError(_("%(programme)s enrols persons: name the member to propose.")
                              % {"programme": programme.name}, code="target")
    if not is_person and family is None:
        raise ValidationError(_("%(programme)s enrols families: name the family to propose.")
                              % {"programme": programme.name}, code="target")
    if is_person:
        record = Person.objects.select_related("family").get(pk=person.pk)
        if record.family_id is None or record.merged_into_id is not None:
            raise ValidationError(_("%(name)s belongs to no family in the registry.") % {"name": record.name},
                                  code="no_family")
        family_id, desa_code = record.family_id, record.desa_id
    else:
        record = Family.objects.get(pk=family.pk)
        family_id, desa_code = record.pk, record.desa_id
    if not may_propose(actor, programme, desa_code):
        raise PermissionDenied(_("Only the field verifiers of the region or officers of %(agency)s may propose "
                                 "candidates for %(programme)s.")
                               % {"agency": programme.agency.short_name, "programme": programme.name})
    if cycle.status != Cycle.Status.OPEN or not programme.is_active or cycle.rule_id is None:
        raise ValidationError(_("Candidates can be proposed only for an open cycle of an active programme; "
                                "%(cycle)s is %(status)s.") % {"cycle": cycle, "status": cycle.get_status_display()},
                              code="cycle_not_open")
    existing = Enrolment.objects.filter(cycle=cycle)
    existing = existing.filter(person=record) if is_person else existing.filter(family=record, person__isnull=True)
    enrolled = existing.first()
    if enrolled is not None:
        raise ValidationError(_("%(name)s is already enrolled in %(cycle)s (%(status)s).")
                              % {"name": _name(record), "cycle": cycle, "status": enrolled.get_status_display()},
                              code="already_enrolled")
    condition = cycle_condition(cycle)
    if not candidate_rows(cycle, programme, condition).filter(pk=record.pk).exists():
        raise _refusal(cycle, programme, record, condition)

    score = WelfareScore.objects.filter(family_id=family_id, is_current=True).first()
    last = Enrolment.objects.filter(cycle=cycle).aggregate(last=Max("priority"))["last"] or 0
    now = timezone.now()
    enrolment = Enrolment.objects.create(
        cycle=cycle, programme=programme, person=record if is_person else None, family_id=family_id,
        desa_code=desa_code, status=Enrolment.Status.CANDIDATE, priority=last + 1,
        desil=score.desil if score else None, log_predicted=score.log_predicted if score else None,
        amount=commitment(cycle, cycle.amount), created_at=now, updated_at=now,
    )
    Cycle.objects.filter(pk=cycle.pk).update(candidates=F("candidates") + 1)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=enrolment, region_code=desa_code,
                 changes={name: [None, value] for name, value in snapshot(enrolment, PROPOSE_FIELDS).items()},
                 summary=f"propose {cycle}")
    return enrolment
