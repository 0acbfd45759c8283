"""Cycles: created as drafts, opened (the rule, the PMT model, the money and the candidates are
frozen in one transaction), closed.

Opening writes every candidate with one ``INSERT … SELECT``: a queryset of the compiled rule
selects the rows (its SQL is the statement's source), the current welfare score is joined for
the frozen desil and score, and ``row_number()`` over the programme's ranking gives the priority. Two rules across
programmes apply when candidates are proposed: an insurance-premium programme leaves out persons
whose premium the national budget already pays (``jkn_status = "pbi_national"``), and a
programme of an exclusive group leaves out whoever is approved or active in an open cycle of
another programme of the group.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.core.audit import audit_record, diff, snapshot
from sejahtera.core.models import AuditEvent
from sejahtera.programs.models import Cycle, Enrolment, Programme
from sejahtera.programs.rules import RuleError, compile_rule
from sejahtera.programs.services.access import require_programme_staff
from sejahtera.programs.services.periods import commitment
from sejahtera.programs.services.rules import rule_error
from sejahtera.registry.choices import JknStatus
from sejahtera.registry.importing.sql import execute, statement_memory
from sejahtera.registry.models import Family, Person
from sejahtera.welfare.models import PmtModel

CYCLE_FIELDS = ["label", "starts_on", "ends_on", "status", "rule", "pmt_model", "quota", "budget", "amount",
                "opened_at", "opened_by", "candidates"]
# Statuses of an enrolment that hold a person in a programme of an exclusive group.
EXCLUSIVE_HOLDING = (Enrolment.Status.APPROVED, Enrolment.Status.ACTIVE)


def lock_cycle(cycle: Cycle | int) -> Cycle:
    """The cycle row, locked until the transaction ends, with its programme."""
    return Cycle.objects.select_for_update(of=("self",)).select_related("programme__agency").get(
        pk=getattr(cycle, "pk", cycle))


@transaction.atomic
def cycle_create(*, actor, programme: Programme, label: str, starts_on: datetime.date,
                 ends_on: datetime.date) -> Cycle:
    programme = Programme.objects.select_related("agency").get(pk=programme.pk)
    require_programme_staff(actor, programme)
    label = label.strip()
    if not programme.is_active:
        raise ValidationError(_("%(programme)s is not active.") % {"programme": programme.name})
    if not label:
        raise ValidationError({"label": _("Give the cycle a label, e.g. 2026 or 2026-S1.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The cycle must end on or after the day it starts.")})
    if programme.cycles.filter(label=label).exists():
        raise ValidationError({"label": _("%(programme)s already has a cycle %(label)s.")
                               % {"programme": programme.name, "label": label}})
    cycle = Cycle.objects.create(programme=programme, label=label, starts_on=starts_on, ends_on=ends_on)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=cycle, region_code=programme.regency_code,
                 changes=diff({}, snapshot(cycle, ["label", "starts_on", "ends_on"])), summary=str(cycle))
    return cycle


@transaction.atomic
def cycle_open(*, actor, cycle: Cycle) -> Cycle:
    """Freeze the latest published rule, the active PMT model, quota, budget and amount, and
    propose every matching person or family as a candidate, in priority order."""
    cycle = lock_cycle(cycle)
    programme = cycle.programme
    require_programme_staff(actor, programme)
    if cycle.status != Cycle.Status.DRAFT:
        raise ValidationError(_("Only a draft cycle can be opened; %(cycle)s is %(status)s.")
                              % {"cycle": cycle, "status": cycle.get_status_display()})
    if not programme.is_active:
        raise ValidationError(_("%(programme)s is not active.") % {"programme": programme.name})
    rule = programme.rules.filter(published_at__isnull=False).order_by("-version").first()
    if rule is None:
        raise ValidationError(_("%(programme)s has no published eligibility rule.") % {"programme": programme.name})
    try:
        condition = compile_rule(rule.text, programme.target, cycle.starts_on)
    except RuleError as error:
        raise rule_error(error) from error

    before = snapshot(cycle, CYCLE_FIELDS)
    now = timezone.now()
    cycle.status = Cycle.Status.OPEN
    cycle.rule = rule
    cycle.pmt_model = PmtModel.objects.filter(regency_code=programme.regency_code, is_active=True).first()
    cycle.quota, cycle.budget, cycle.amount = programme.quota, programme.budget, programme.amount
    cycle.opened_at, cycle.opened_by = now, actor
    cycle.approved_count, cycle.approved_amount = 0, 0
    with statement_memory():
        cycle.candidates = execute(*candidates_insert(cycle, programme, condition, now))
    cycle.save()
    # One event for the opening. The candidate rows themselves are the record of who was
    # proposed (they never change but by the audited workflow steps); an audit row for each of
    # them would double the time a regency-wide cycle takes to open.
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=cycle, region_code=programme.regency_code,
                 changes=diff(before, snapshot(cycle, CYCLE_FIELDS)), summary=f"open {cycle}")
    return cycle


def candidate_rows(cycle: Cycle, programme: Programme, condition) -> QuerySet:
    """The persons or families the cycle proposes: the rule, the programme's regency, and the
    rules across programmes."""
    person = programme.target == Programme.Target.PERSON
    if person:
        rows = Person.objects.filter(merged_into__isnull=True, family__isnull=False)
    else:
        rows = Family.objects.all()
    rows = rows.filter(condition).filter(desa__pk__startswith=programme.regency_code)
    if programme.benefit == Programme.Benefit.PREMIUM:
        # The national budget (PBI APBN) already pays these persons' premium; a family programme
        # needs a member it does not pay for.
        if person:
            rows = rows.exclude(jkn_status=JknStatus.PBI_NATIONAL)
        else:
            rows = rows.filter(Exists(Person.objects.filter(family=OuterRef("pk"), merged_into__isnull=True)
                                      .exclude(jkn_status=JknStatus.PBI_NATIONAL)))
    if programme.exclusive_group:
        held = Enrolment.objects.filter(status__in=EXCLUSIVE_HOLDING, cycle__status=Cycle.Status.OPEN,
                                        programme__exclusive_group=programme.exclusive_group
                                        ).exclude(programme_id=programme.pk)
        held = held.filter(person=OuterRef("pk")) if person else held.filter(family=OuterRef("pk"),
                                                                             person__isnull=True)
        rows = rows.filter(~Exists(held))
    return rows.order_by().annotate(
        candidate_id=F("pk"), candidate_family=F("family_id" if person else "pk"), candidate_desa=F("desa_id"),
    ).values("candidate_id", "candidate_family", "candidate_desa")


def candidates_insert(cycle: Cycle, programme: Programme, condition, now) -> tuple[str, list]:
    """The one ``INSERT … SELECT`` writing the cycle's candidates: the selection's SQL, the
    family's current welfare score joined, the priority numbered by the programme's ranking."""
    rows_sql, rows_params = candidate_rows(cycle, programme, condition).query.sql_with_params()
    person = programme.target == Programme.Target.PERSON
    if programme.ranking == Programme.Ranking.NEEDIEST:
        # Lowest predicted consumption first; families without a score after every scored one.
        order = "s.log_predicted ASC NULLS LAST, c.candidate_id"
    else:
        # Registration order; merit scores are recorded on the enrolments after the cycle opens.
        order = "c.candidate_id"
    person_id = "c.candidate_id" if person else "CAST(NULL AS bigint)"
    # The rows go in in registry order (family ids follow the desa), which keeps most of the
    # table's indexes filling from one end; the window numbers them in priority order.
    sql = f"""
        INSERT INTO programs_enrolment
            (cycle_id, programme_id, person_id, family_id, desa_code, status, priority, desil, log_predicted,
             merit_score, amount, reason, created_at, updated_at)
        SELECT %s, %s, r.person_id, r.family_id, r.desa_code, %s, r.priority, r.desil, r.log_predicted, NULL, %s,
               '', %s, %s
        FROM (SELECT {person_id} AS person_id, c.candidate_family AS family_id, c.candidate_desa AS desa_code,
                     row_number() OVER (ORDER BY {order}) AS priority, s.desil, s.log_predicted, c.candidate_id
              FROM ({rows_sql}) c
              LEFT JOIN welfare_welfarescore s ON s.family_id = c.candidate_family AND s.is_current) r
        ORDER BY r.family_id, r.candidate_id"""
    params = [cycle.pk, programme.pk, Enrolment.Status.CANDIDATE, commitment(cycle, programme.amount), now, now,
              *rows_params]
    return sql, params


@transaction.atomic
def cycle_close(*, actor, cycle: Cycle) -> Cycle:
    """Close an open cycle: no more verification or approval; beneficiaries may still be
    activated, completed, graduated or exited, and paid for the cycle's periods."""
    cycle = lock_cycle(cycle)
    programme = cycle.programme
    require_programme_staff(actor, programme)
    if cycle.status != Cycle.Status.OPEN:
        raise ValidationError(_("Only an open cycle can be closed; %(cycle)s is %(status)s.")
                              % {"cycle": cycle, "status": cycle.get_status_display()})
    before = snapshot(cycle, ["status"])
    cycle.status = Cycle.Status.CLOSED
    cycle.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=cycle, region_code=programme.regency_code,
                 changes=diff(before, snapshot(cycle, ["status"])), summary=f"close {cycle}")
    return cycle
