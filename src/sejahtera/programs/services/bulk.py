"""The enrolment workflow for many enrolments at once: one set-based statement per call.

A selection (ids, a ``Q``, a queryset or a dict of lookups on ``Enrolment``; ``None`` for the
whole cycle) is narrowed to the enrolments in a status the step applies to and in the actor's
region; the rest are counted as skipped. Approvals then take, in priority order, only as many
as fit the remaining quota and budget (``row_number()`` and a running sum over the priority);
the others are left out and counted. The cycle row stays locked from the check to the commit.

On PostgreSQL the update, its audit rows and the totals are one statement (data-modifying
``WITH``), so a row another transaction changed in the meantime is neither updated nor
audited. SQLite writes one transaction at a time, so there the chosen rows are kept in a
temporary table for the update, the audit rows and the totals.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from sejahtera.core.audit import audit_record
from sejahtera.core.models import AuditEvent
from sejahtera.monitoring.tasks import request_refresh
from sejahtera.programs.models import Cycle, Enrolment
from sejahtera.programs.services.access import scope_q, scopes
from sejahtera.programs.services.enrolment import check_cycle, exclusive_conflict, forbidden, lock_for
from sejahtera.programs.services.sqlparts import audit_insert, json_changes, text_param
from sejahtera.programs.services.steps import (
    ACTIVATE,
    APPROVE,
    COMPLETE,
    EXIT,
    GRADUATE,
    REASON_MISSING,
    REJECT,
    VERIFY,
    Step,
)
from sejahtera.registry.importing.sql import (
    bulk_load,
    create_temp_table,
    drop_temp_table,
    execute,
    fetchall,
    is_postgres,
)

IDS_TABLE = "programs_selected_ids"
STEP_TABLE = "programs_step_rows"
SMALL_SELECTION = 1000

Selection = Iterable[int] | Q | QuerySet | dict | None


@dataclass(frozen=True)
class BulkResult:
    selected: int  # enrolments of the cycle the selection named
    changed: int  # enrolments the step moved
    skipped: int  # in a status the step does not apply to, or outside the actor's region
    left_out: int = 0  # approvals: did not fit the quota or the budget (the lowest priorities)
    conflicts: int = 0  # approvals: already approved in another programme of the exclusive group
    amount: int = 0  # the amounts of the enrolments moved (Rp)


def selection_queryset(cycle: Cycle, ids_or_filter: Selection) -> QuerySet:
    rows = Enrolment.objects.filter(cycle_id=cycle.pk)
    if ids_or_filter is None:
        return rows
    if isinstance(ids_or_filter, Q):
        return rows.filter(ids_or_filter)
    if isinstance(ids_or_filter, QuerySet):
        return rows.filter(pk__in=ids_or_filter.order_by().values("pk"))
    if isinstance(ids_or_filter, dict):
        return rows.filter(**ids_or_filter)
    ids = sorted({int(i) for i in ids_or_filter})
    if len(ids) <= SMALL_SELECTION:
        return rows.filter(pk__in=ids)
    # Many ids: a temporary table instead of one query parameter per id.
    create_temp_table(IDS_TABLE, [("id", "bigint PRIMARY KEY")])
    bulk_load(IDS_TABLE, ["id"], ((i,) for i in ids))
    return rows.filter(pk__in=RawSQL(f"SELECT id FROM {IDS_TABLE}", ()))


def bulk_transition(*, actor, cycle: Cycle, ids_or_filter: Selection, step: Step, reason: str = "") -> BulkResult:
    """Take ``step`` for the selected enrolments of ``cycle`` (call inside a transaction)."""
    reason = (reason or "").strip()
    if step.needs_reason and not reason:
        raise ValidationError({"reason": REASON_MISSING})
    cycle = lock_for(step, cycle.pk)
    programme = cycle.programme
    codes = scopes(actor, programme, step.roles)
    if not codes:
        raise forbidden(step, programme)
    check_cycle(step, cycle)
    try:
        selected = selection_queryset(cycle, ids_or_filter)
        eligible = selected.filter(status__in=step.sources).filter(scope_q(codes))
        n_selected, n_eligible = selected.count(), eligible.count()
        conflicts = 0
        limit_count = limit_amount = None
        if step is APPROVE:
            if programme.exclusive_group:
                clash = exclusive_conflict(programme)
                conflicts = eligible.filter(clash).count()
                eligible = eligible.filter(~clash)
            if cycle.quota is not None:
                limit_count = max(cycle.quota - cycle.approved_count, 0)
            if cycle.budget is not None:
                limit_amount = max(cycle.budget - cycle.approved_amount, 0)
        now = timezone.now()
        changed, amount = 0, 0
        if n_eligible - conflicts > 0:
            changed, amount = apply_step(actor=actor, step=step, eligible=eligible, now=now, reason=reason,
                                         limit_count=limit_count, limit_amount=limit_amount,
                                         summary=f"{step.name} {cycle}")
    finally:
        if not is_postgres():
            drop_temp_table(IDS_TABLE)

    before = {"approved_count": cycle.approved_count, "approved_amount": cycle.approved_amount}
    if step.holding_change and changed:
        change = step.holding_change
        Cycle.objects.filter(pk=cycle.pk).update(approved_count=F("approved_count") + change * changed,
                                                 approved_amount=F("approved_amount") + change * amount)
        cycle.refresh_from_db(fields=["approved_count", "approved_amount"])
    after = {"approved_count": cycle.approved_count, "approved_amount": cycle.approved_amount}
    result = BulkResult(selected=n_selected, changed=changed, skipped=n_selected - n_eligible,
                        left_out=n_eligible - conflicts - changed, conflicts=conflicts, amount=amount)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=cycle,
                 region_code=programme.regency_code,
                 changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
                 summary=(f"{step.name}: {result.changed} of {result.selected} selected, {result.skipped} skipped, "
                          f"{result.left_out} left out, {result.conflicts} in another programme of the group"))
    return result


def apply_step(*, actor, step: Step, eligible: QuerySet, now, reason: str, limit_count: int | None,
               limit_amount: int | None, summary: str) -> tuple[int, int]:
    """Move the chosen rows of ``eligible`` to the step's target and audit each; (rows, amount)."""
    inner, inner_params = eligible.order_by().values("id", "status", "reason", "amount", "priority") \
        .query.sql_with_params()
    if limit_count is None and limit_amount is None:
        chosen, chosen_params = f"SELECT x.id, x.status, x.reason FROM ({inner}) x", list(inner_params)
    else:
        limits, chosen_params = [], list(inner_params)
        if limit_count is not None:
            limits.append("w.n <= %s")
            chosen_params.append(limit_count)
        if limit_amount is not None:
            limits.append("w.running <= %s")
            chosen_params.append(limit_amount)
        chosen = f"""
            SELECT w.id, w.status, w.reason FROM (
                SELECT x.id, x.status, x.reason, row_number() OVER (ORDER BY x.priority, x.id) AS n,
                       SUM(x.amount) OVER (ORDER BY x.priority, x.id ROWS UNBOUNDED PRECEDING) AS running
                FROM ({inner}) x) w
            WHERE {" AND ".join(limits)}"""

    sets, set_params = ["status = %s", "updated_at = %s"], [step.target, now]
    if step.stamp:
        sets += [f"{step.stamp}_at = %s", f"{step.stamp}_by_id = %s"]
        set_params += [now, actor.pk]
    pairs, changes_params = [("status", "d.old_status", text_param())], [step.target]
    if reason:
        sets.append("reason = %s")
        set_params.append(reason)
        pairs.append(("reason", "d.old_reason", text_param()))
        changes_params.append(reason)
    sources = ", ".join(["%s"] * len(step.sources))
    audit = dict(actor=actor, now=now, action=AuditEvent.Action.UPDATE, object_type="programs.enrolment",
                 object_id="d.id", summary=summary, changes=json_changes(pairs), changes_params=changes_params)

    if is_postgres():
        audit_sql, audit_params = audit_insert(**audit, region="d.desa_code", select_from="FROM done d")
        rows = fetchall(f"""
            WITH chosen AS ({chosen}),
            done AS (
                UPDATE programs_enrolment e SET {", ".join(sets)} FROM chosen c
                WHERE e.id = c.id AND e.status IN ({sources})
                RETURNING e.id, e.desa_code, e.amount, c.status AS old_status, c.reason AS old_reason),
            logged AS ({audit_sql})
            SELECT count(*), COALESCE(sum(d.amount), 0) FROM done d""",
                        [*chosen_params, *set_params, *step.sources, *audit_params])
        return int(rows[0][0]), int(rows[0][1])

    create_temp_table(STEP_TABLE, [("id", "integer PRIMARY KEY"), ("old_status", "varchar(10)"),
                                   ("old_reason", "text")])
    try:
        execute(f"INSERT INTO {STEP_TABLE} (id, old_status, old_reason) {chosen}", chosen_params)
        execute(f"UPDATE programs_enrolment SET {', '.join(sets)} "
                f"WHERE id IN (SELECT id FROM {STEP_TABLE}) AND status IN ({sources})", [*set_params, *step.sources])
        execute(*audit_insert(**audit, region="e.desa_code",
                              select_from=f"FROM {STEP_TABLE} d JOIN programs_enrolment e ON e.id = d.id"))
        rows = fetchall(f"SELECT count(*), COALESCE(sum(e.amount), 0) FROM {STEP_TABLE} d "
                        f"JOIN programs_enrolment e ON e.id = d.id")
        return int(rows[0][0]), int(rows[0][1])
    finally:
        drop_temp_table(STEP_TABLE)


@transaction.atomic
def enrolments_verify(*, actor, cycle: Cycle, ids_or_filter: Selection) -> BulkResult:
    return bulk_transition(actor=actor, cycle=cycle, ids_or_filter=ids_or_filter, step=VERIFY)


@transaction.atomic
def enrolments_approve(*, actor, cycle: Cycle, ids_or_filter: Selection) -> BulkResult:
    """Approve verified enrolments in priority order, as many as the quota and budget leave room for."""
    request_refresh()
    return bulk_transition(actor=actor, cycle=cycle, ids_or_filter=ids_or_filter, step=APPROVE)


@transaction.atomic
def enrolments_reject(*, actor, cycle: Cycle, ids_or_filter: Selection, reason: str) -> BulkResult:
    return bulk_transition(actor=actor, cycle=cycle, ids_or_filter=ids_or_filter, step=REJECT, reason=reason)


@transaction.atomic
def enrolments_activate(*, actor, cycle: Cycle, ids_or_filter: Selection) -> BulkResult:
    return bulk_transition(actor=actor, cycle=cycle, ids_or_filter=ids_or_filter, step=ACTIVATE)


@transaction.atomic
def enrolments_complete(*, actor, cycle: Cycle, ids_or_filter: Selection) -> BulkResult:
    return bulk_transition(actor=actor, cycle=cycle, ids_or_filter=ids_or_filter, step=COMPLETE)


@transaction.atomic
def enrolments_graduate(*, actor, cycle: Cycle, ids_or_filter: Selection) -> BulkResult:
    return bulk_transition(actor=actor, cycle=cycle, ids_or_filter=ids_or_filter, step=GRADUATE)


@transaction.atomic
def enrolments_exit(*, actor, cycle: Cycle, ids_or_filter: Selection, reason: str) -> BulkResult:
    return bulk_transition(actor=actor, cycle=cycle, ids_or_filter=ids_or_filter, step=EXIT, reason=reason)
