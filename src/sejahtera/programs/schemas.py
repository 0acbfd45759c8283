"""Schemas of the programme API: what goes in and comes out of ``programs.api``.

Enrolments name persons: their NIK and No. KK come out masked unless the user may see them
whole in the record's desa (``registry.selectors.display_nik``, as the registry API does).
"""

import datetime
from typing import Literal

from ninja import Field, Schema

from sejahtera.programs.models import Enrolment
from sejahtera.programs.rules import RuleError
from sejahtera.programs.services.steps import STEPS
from sejahtera.regions.codes import format_code
from sejahtera.registry.selectors import display_nik

Target = Literal["person", "family"]
EnrolmentStatus = Literal[tuple(Enrolment.Status.values)]  # type: ignore[valid-type]
StepName = Literal[tuple(STEPS)]  # type: ignore[valid-type]


def _masked(context: dict, record, value: str | None) -> str | None:
    """NIK or No. KK of ``record`` as the requesting user may see it."""
    return display_nik(context["request"].auth, record, value) or None


# --- programmes and rules --------------------------------------------------------------------


class AgencyOut(Schema):
    code: str
    short_name: str
    name: str


class ProgrammeOut(Schema):
    code: str
    name: str
    agency: AgencyOut
    description: str
    target: Target
    benefit: str
    benefit_label: str
    amount: int = Field(description="Rp per beneficiary and period.")
    period: str
    period_label: str
    quota: int | None = Field(description="Beneficiaries per cycle; null: no limit.")
    budget: int | None = Field(description="Rp per cycle; null: no limit.")
    ranking: str = Field(description="Order of the candidates when they exceed the quota.")
    exclusive_group: str = Field(description="A person holds one programme of the same group at a time.")
    is_active: bool

    @staticmethod
    def resolve_benefit_label(obj) -> str:
        return str(obj.get_benefit_display())

    @staticmethod
    def resolve_period_label(obj) -> str:
        return str(obj.get_period_display())


class PublishedRuleOut(Schema):
    version: int
    text: str
    description: str = Field(description="The rule in plain words, in the user's language.")
    published_at: datetime.datetime


class ProgrammeDetailOut(ProgrammeOut):
    rule: PublishedRuleOut | None = Field(description="The published version new cycles use.")
    draft_version: int | None = Field(description="The version of an unpublished draft, if there is one.")


class RuleVersionOut(Schema):
    version: int
    text: str
    note: str
    is_draft: bool
    created_at: datetime.datetime
    published_at: datetime.datetime | None


class RuleDraftIn(Schema):
    text: str = Field(description="The rule; a draft may still be invalid, it is checked when published.")
    note: str = ""


class RuleIn(Schema):
    text: str
    target: Target


class RulePreviewIn(RuleIn):
    reference_date: datetime.date | None = Field(None, description="Ages are counted on this day (today).")


class RuleProblemOut(Schema):
    """Where a rule goes wrong: 1-based line and column, the token there, the hint."""

    message: str
    line: int
    column: int
    token: str
    hint: str
    caret: str = Field(description="The rule's line and a ^ under the column.")


def rule_problem(error: RuleError) -> dict:
    return {"message": str(error), "line": error.line, "column": error.column, "token": error.token,
            "hint": error.hint, "caret": error.caret_line()}


class RuleCheckOut(Schema):
    valid: bool
    errors: list[RuleProblemOut] = Field(description="The first error found (checking stops there).")
    description: str = Field(description="A valid rule in plain words; empty otherwise.")


class InvalidRuleOut(Schema):
    detail: str
    errors: list[RuleProblemOut]


class KecamatanCountOut(Schema):
    code: str
    name: str
    count: int


class RulePreviewOut(Schema):
    target: Target
    total: int
    per_kecamatan: list[KecamatanCountOut] = Field(description="Within the user's regions, largest first.")


# --- cycles ----------------------------------------------------------------------------------


class CycleIn(Schema):
    label: str = Field(description="e.g. 2026, 2026-S1 or 2026-07; unique within the programme.")
    starts_on: datetime.date
    ends_on: datetime.date


class CycleOut(Schema):
    id: int
    programme: str = Field(description="The programme's code.")
    label: str
    starts_on: datetime.date
    ends_on: datetime.date
    status: Literal["draft", "open", "closed"]
    rule_version: int | None = Field(description="Frozen when the cycle opened.")
    quota: int | None
    budget: int | None
    amount: int = Field(description="Rp per beneficiary and period, frozen when the cycle opened.")
    opened_at: datetime.datetime | None
    candidates: int
    approved_count: int = Field(description="Enrolments holding a place: approved, active, completed, graduated.")
    approved_amount: int = Field(description="Rp committed to them.")

    @staticmethod
    def resolve_programme(obj) -> str:
        return obj.programme.code

    @staticmethod
    def resolve_rule_version(obj) -> int | None:
        return obj.rule.version if obj.rule_id else None


class CycleDetailOut(CycleOut):
    quota_left: int | None
    budget_left: int | None
    status_counts: dict[str, int] = Field(
        description="Enrolments per status within the user's personal-data regions (none for planners).")

    @staticmethod
    def resolve_quota_left(obj) -> int | None:
        return None if obj.quota is None else max(obj.quota - obj.approved_count, 0)

    @staticmethod
    def resolve_budget_left(obj) -> int | None:
        return None if obj.budget is None else max(obj.budget - obj.approved_amount, 0)


# --- enrolments ------------------------------------------------------------------------------


class EnrolledPersonOut(Schema):
    id: int
    name: str
    nik: str | None = Field(description="Masked (3201**********01) unless the user may see it whole.")
    sex: Literal["L", "P"]
    birth_date: datetime.date

    @staticmethod
    def resolve_nik(obj, context) -> str | None:
        return _masked(context, obj, obj.nik)


class EnrolledFamilyOut(Schema):
    id: int
    no_kk: str = Field(description="Masked unless the user may see it whole.")

    @staticmethod
    def resolve_no_kk(obj, context) -> str:
        return _masked(context, obj, obj.no_kk) or ""


class EnrolmentOut(Schema):
    id: int
    cycle_id: int
    status: EnrolmentStatus
    status_label: str
    priority: int = Field(description="1 = first in the programme's ranking.")
    desil: int | None = Field(description="The family's desil when the cycle opened.")
    merit_score: float | None
    amount: int = Field(description="Rp the enrolment holds against the cycle's budget.")
    reason: str
    desa: str = Field(description="Dotted desa code.")
    person: EnrolledPersonOut | None = Field(description="Null for a family programme.")
    family: EnrolledFamilyOut
    verified_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_desa(obj) -> str:
        return format_code(obj.desa_code)


class EnrolmentDetailOut(EnrolmentOut):
    programme: str
    cycle_label: str

    @staticmethod
    def resolve_programme(obj) -> str:
        return obj.cycle.programme.code

    @staticmethod
    def resolve_cycle_label(obj) -> str:
        return obj.cycle.label


class EnrolmentQuery(Schema):
    status: EnrolmentStatus | None = None
    region: str | None = Field(None, description="Kecamatan or desa code (a prefix), with or without dots.")


class StepIn(Schema):
    reason: str = Field("", description="Required for reject and exit.")


class BulkFilter(Schema):
    status: EnrolmentStatus | None = None
    region: str | None = Field(None, description="Kecamatan or desa code (a prefix), with or without dots.")


class BulkIn(Schema):
    action: StepName
    ids: list[int] | None = Field(None, description="Enrolment ids of the cycle; or give a filter.")
    filter: BulkFilter | None = Field(None, description="Instead of ids; {} selects the whole cycle.")
    reason: str = Field("", description="Required for reject and exit.")


class BulkOut(Schema):
    """What a bulk step did. Only enrolments in a status the step applies to and in the actor's
    region move; approvals stop at the quota and budget, in priority order."""

    selected: int
    changed: int
    skipped: int = Field(description="In a status the step does not apply to, or outside the actor's region.")
    left_out: int = Field(description="Approvals that did not fit the quota or the budget.")
    conflicts: int = Field(description="Approvals of persons approved in another programme of the group.")
    amount: int = Field(description="Rp of the enrolments moved.")
