"""Writes of the programme engine: rules, cycles, the enrolment workflow, payments.

Every function takes keyword arguments with ``actor`` first, checks what the actor may do,
runs in one transaction and writes the audit log. Batch paths are set-based statements.
"""

from sejahtera.programs.services.bulk import (
    BulkResult,
    enrolments_activate,
    enrolments_approve,
    enrolments_complete,
    enrolments_exit,
    enrolments_graduate,
    enrolments_reject,
    enrolments_verify,
)
from sejahtera.programs.services.cycles import cycle_close, cycle_create, cycle_open
from sejahtera.programs.services.enrolment import (
    enrolment_activate,
    enrolment_approve,
    enrolment_complete,
    enrolment_exit,
    enrolment_graduate,
    enrolment_reject,
    enrolment_verify,
)
from sejahtera.programs.services.payments import (
    EXPORT_COLUMNS,
    idempotency_key,
    payment_batch_approve,
    payment_batch_create,
    payment_batch_export_xlsx,
)
from sejahtera.programs.services.periods import commitment, cycle_periods
from sejahtera.programs.services.programmes import programme_create, programme_settings_update
from sejahtera.programs.services.propose import enrolment_propose
from sejahtera.programs.services.reconcile import (
    ReconcileResult,
    ReconciliationError,
    RowProblem,
    payment_batch_reconcile,
)
from sejahtera.programs.services.rules import rule_draft_save, rule_publish

__all__ = [
    "EXPORT_COLUMNS", "BulkResult", "ReconcileResult", "ReconciliationError", "RowProblem", "commitment",
    "cycle_close", "cycle_create", "cycle_open", "cycle_periods", "enrolment_activate", "enrolment_approve",
    "enrolment_complete", "enrolment_exit", "enrolment_graduate", "enrolment_reject", "enrolment_verify",
    "enrolment_propose",
    "enrolments_activate", "enrolments_approve", "enrolments_complete", "enrolments_exit", "enrolments_graduate",
    "enrolments_reject", "enrolments_verify", "idempotency_key", "payment_batch_approve", "payment_batch_create",
    "payment_batch_export_xlsx", "payment_batch_reconcile", "programme_create", "programme_settings_update",
    "rule_draft_save", "rule_publish",
]
