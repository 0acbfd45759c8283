"""The enrolment workflow: which step moves an enrolment from which status to which, who may
take it, and in which cycle status. ``Enrolment.HOLDING`` statuses hold a place in the cycle's
quota and budget, so a step into or out of them changes the cycle's running totals (and locks
the cycle row).

    candidate ──verify──> verified ──approve──> approved ──activate──> active ──complete──> completed
        └──────reject──────┘                       └────────exit────────┘└────graduate────┘
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sejahtera.programs.models import Cycle, Enrolment
from sejahtera.programs.services.access import AGENCY_HEADS, AGENCY_STAFF, FIELD_VERIFIERS

S = Enrolment.Status
OPEN = (Cycle.Status.OPEN,)
STARTED = (Cycle.Status.OPEN, Cycle.Status.CLOSED)


@dataclass(frozen=True)
class Step:
    name: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    cycle_statuses: tuple[str, ...]
    wrong_status: Promise  # %(status)s: the enrolment's status
    forbidden: Promise  # %(agency)s: the programme's agency
    stamp: str = ""  # "verified" or "approved": the step fills <stamp>_at and <stamp>_by
    needs_reason: bool = False

    @property
    def holding_change(self) -> int:
        """+1 when the step takes a place in the quota, -1 when it gives one back, else 0."""
        return (self.target in Enrolment.HOLDING) - (self.sources[0] in Enrolment.HOLDING)


FIELD_FORBIDDEN = _("Only the village operator or the district verifier of the enrolment's region may verify it.")
STAFF_FORBIDDEN = _("Only officers of %(agency)s whose region includes the enrolment's village may do this.")

VERIFY = Step("verify", (S.CANDIDATE,), S.VERIFIED, FIELD_VERIFIERS, OPEN,
              _("Only candidates can be verified; this enrolment is %(status)s."), FIELD_FORBIDDEN, stamp="verified")
APPROVE = Step("approve", (S.VERIFIED,), S.APPROVED, AGENCY_HEADS, OPEN,
               _("Only verified enrolments can be approved; this enrolment is %(status)s."),
               _("Only the head of %(agency)s may approve enrolments of this region."), stamp="approved")
REJECT = Step("reject", (S.CANDIDATE, S.VERIFIED), S.REJECTED, FIELD_VERIFIERS | AGENCY_STAFF, OPEN,
              _("Only candidates and verified enrolments can be rejected; this enrolment is %(status)s."),
              _("Only the field verifiers of the enrolment's region or officers of %(agency)s may reject it."),
              needs_reason=True)
ACTIVATE = Step("activate", (S.APPROVED,), S.ACTIVE, AGENCY_STAFF, STARTED,
                _("Only approved enrolments can be activated; this enrolment is %(status)s."), STAFF_FORBIDDEN)
COMPLETE = Step("complete", (S.ACTIVE,), S.COMPLETED, AGENCY_STAFF, STARTED,
                _("Only active enrolments can be completed; this enrolment is %(status)s."), STAFF_FORBIDDEN)
GRADUATE = Step("graduate", (S.ACTIVE, S.COMPLETED), S.GRADUATED, AGENCY_STAFF, STARTED,
                _("Only active or completed enrolments can graduate; this enrolment is %(status)s."),
                STAFF_FORBIDDEN)
EXIT = Step("exit", (S.APPROVED, S.ACTIVE), S.EXITED, AGENCY_STAFF, STARTED,
            _("Only approved or active enrolments can exit; this enrolment is %(status)s."), STAFF_FORBIDDEN,
            needs_reason=True)

STEPS = {step.name: step for step in (VERIFY, APPROVE, REJECT, ACTIVATE, COMPLETE, GRADUATE, EXIT)}
# The sources of each step lie all inside or all outside HOLDING, so the change is the same for every row.
assert all(len({s in Enrolment.HOLDING for s in step.sources}) == 1 for step in STEPS.values())

CYCLE_NOT_READY = _("Enrolments of %(cycle)s cannot be changed this way while the cycle is %(status)s.")
REASON_MISSING = _("Give a reason.")
