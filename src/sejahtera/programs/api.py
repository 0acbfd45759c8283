"""API of the programmes: catalogue, eligibility rules, cycles and the enrolment workflow.

Reads go through ``programs.selectors`` with the authenticated user and writes through
``programs.services``, which check who may act; this module only maps their answers to HTTP.
A programme or cycle outside the user's regencies, and an enrolment outside their
personal-data regions, answer 404. A service's ``PermissionDenied`` answers 403, its
``ValidationError`` (or a ``RuleError``) 422 with the message.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from sejahtera.api.auth import REGISTRY_AUTH
from sejahtera.api.schemas import ErrorOut
from sejahtera.core.audit import access_log
from sejahtera.programs import selectors, services
from sejahtera.programs.models import Cycle, Programme
from sejahtera.programs.rules import RuleError, describe, validate_rule
from sejahtera.programs.schemas import (
    BulkIn,
    BulkOut,
    CycleDetailOut,
    CycleIn,
    CycleOut,
    EnrolmentDetailOut,
    EnrolmentOut,
    EnrolmentQuery,
    InvalidRuleOut,
    ProgrammeDetailOut,
    ProgrammeOut,
    RuleCheckOut,
    RuleDraftIn,
    RuleIn,
    RulePreviewIn,
    RulePreviewOut,
    RuleVersionOut,
    StepIn,
    StepName,
    rule_problem,
)
from sejahtera.programs.services.steps import STEPS
from sejahtera.regions.codes import InvalidRegionCode, normalize_code
from sejahtera.registry.api import RegistryPagination


def service_errors(view):
    """The services' refusals as HTTP answers: 403 for who acts, 422 for what is asked."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            raise HttpError(403, str(error) or "Forbidden") from error
        except ValidationError as error:
            raise HttpError(422, " ".join(error.messages)) from error
        except RuleError as error:
            raise HttpError(422, str(error)) from error

    return wrapper


router = Router(auth=REGISTRY_AUTH, tags=["programmes"])
# Enrolments carry personal data: no browser or proxy may keep the answers.
router.add_decorator(never_cache, mode="view")
router.add_decorator(service_errors, mode="operation")

READ = {404: ErrorOut}
WRITE = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
STEP_SERVICES = {
    "verify": services.enrolment_verify, "approve": services.enrolment_approve,
    "activate": services.enrolment_activate, "complete": services.enrolment_complete,
    "graduate": services.enrolment_graduate, "exit": services.enrolment_exit, "reject": services.enrolment_reject,
}
BULK_SERVICES = {
    "verify": services.enrolments_verify, "approve": services.enrolments_approve,
    "activate": services.enrolments_activate, "complete": services.enrolments_complete,
    "graduate": services.enrolments_graduate, "exit": services.enrolments_exit, "reject": services.enrolments_reject,
}


# --- lookups within the user's scope ---------------------------------------------------------


def _programme(user, code: str) -> Programme:
    return get_object_or_404(selectors.programme_list(user), code=code)


def _cycle(user, cycle_id: int) -> Cycle:
    return get_object_or_404(selectors.cycle_list(user), pk=cycle_id)


def _region_prefix(value: str | None) -> str:
    if not value:
        return ""
    try:
        return normalize_code(value)
    except InvalidRegionCode:
        raise HttpError(422, f"{value!r} is not a region code.") from None


def _with_counts(user, cycle: Cycle) -> Cycle:
    cycle.status_counts = selectors.enrolment_status_counts(user, cycle)
    return cycle


def _with_rule(programme: Programme) -> Programme:
    """The programme with its published rule (text and plain words) and the version of its draft."""
    latest = programme.rules.order_by("-version").first()
    published = programme.rules.filter(published_at__isnull=False).order_by("-version").first()
    programme.draft_version = latest.version if latest is not None and latest.is_draft else None
    programme.rule = None
    if published is not None:
        try:
            description = describe(published.text, programme.target)
        except RuleError:  # a rule published under an older language version
            description = ""
        programme.rule = {"version": published.version, "text": published.text, "description": description,
                          "published_at": published.published_at}
    return programme


# --- programmes and rules --------------------------------------------------------------------


@router.get("/programmes", response=list[ProgrammeOut], summary="Programmes of the user's regencies")
def programme_list(request, active_only: bool = False):
    """The catalogue (no personal data): every programme of the regencies of the user's memberships."""
    return selectors.programme_list(request.auth, active_only=active_only)


@router.get("/programmes/{code}", response={200: ProgrammeDetailOut, **READ}, summary="One programme")
def programme_detail(request, code: str):
    """With the published eligibility rule, its description in plain words, and the draft's version."""
    return _with_rule(_programme(request.auth, code))


@router.get("/programmes/{code}/rules", response={200: list[RuleVersionOut], **READ},
            summary="Versions of a programme's rule")
def rule_versions(request, code: str):
    """Newest first. Published versions never change; at most the newest is a draft."""
    return _programme(request.auth, code).rules.order_by("-version")


@router.post("/programmes/{code}/rules/draft", response={200: RuleVersionOut, **WRITE},
             summary="Save the draft rule")
def rule_draft_save(request, code: str, body: RuleDraftIn):
    """Edits the open draft, or starts a new version. Officers of the programme's agency for the
    whole regency only. A draft may be invalid: check it with `POST /rules/validate`."""
    programme = _programme(request.auth, code)
    return services.rule_draft_save(actor=request.auth, programme=programme, text=body.text, note=body.note)


@router.post("/programmes/{code}/rules/publish", response={200: RuleVersionOut, **WRITE},
             summary="Publish the draft rule")
def rule_publish(request, code: str):
    """Checks the draft and publishes it; cycles opened from now on use it. 422 when there is no
    draft or it is not valid (the message says where)."""
    programme = _programme(request.auth, code)
    latest = programme.rules.order_by("-version").first()
    if latest is None:
        raise HttpError(422, "The programme has no rule to publish.")
    return services.rule_publish(actor=request.auth, rule=latest)


@router.post("/rules/validate", response=RuleCheckOut, summary="Check a rule")
def rule_validate(request, body: RuleIn):
    """Whether the rule is valid for the target; if not, where (line, column, token) and a hint;
    if so, the rule in plain words. Reads no data."""
    try:
        validate_rule(body.text, body.target)
    except RuleError as error:
        return {"valid": False, "errors": [rule_problem(error)], "description": ""}
    return {"valid": True, "errors": [], "description": describe(body.text, body.target)}


@router.post("/rules/preview", response={200: RulePreviewOut, 422: InvalidRuleOut},
             summary="How many a rule matches, per kecamatan")
def rule_preview(request, body: RulePreviewIn):
    """Counts only, within the regions of the user's memberships; no personal data. 422 with the
    error's position when the rule is not valid."""
    try:
        preview = selectors.rule_preview(request.auth, text=body.text, target=body.target,
                                         reference_date=body.reference_date)
    except RuleError as error:
        return Status(422, {"detail": str(error), "errors": [rule_problem(error)]})
    return {"target": preview.target, "total": preview.total, "per_kecamatan": [
        {"code": code, "name": name, "count": count} for code, name, count in preview.per_kecamatan]}


# --- cycles ----------------------------------------------------------------------------------


@router.get("/programmes/{code}/cycles", response={200: list[CycleOut], **READ}, summary="Cycles of a programme")
def cycle_list(request, code: str):
    """Newest first."""
    return selectors.cycle_list(request.auth, _programme(request.auth, code))


@router.post("/programmes/{code}/cycles", response={201: CycleDetailOut, **WRITE}, summary="Create a cycle")
def cycle_create(request, code: str, body: CycleIn):
    """A draft cycle. Officers of the programme's agency for the whole regency only."""
    programme = _programme(request.auth, code)
    cycle = services.cycle_create(actor=request.auth, programme=programme, label=body.label,
                                  starts_on=body.starts_on, ends_on=body.ends_on)
    return Status(201, _with_counts(request.auth, cycle))


@router.get("/cycles/{int:cycle_id}", response={200: CycleDetailOut, **READ}, summary="One cycle with its totals")
def cycle_detail(request, cycle_id: int):
    """Quota, budget, what is approved of them and what is left, and enrolments per status."""
    return _with_counts(request.auth, _cycle(request.auth, cycle_id))


@router.post("/cycles/{int:cycle_id}/open", response={200: CycleDetailOut, **WRITE}, summary="Open a cycle")
def cycle_open(request, cycle_id: int):
    """Freezes the published rule, the PMT model, quota, budget and amount, and proposes every
    match as a candidate in the programme's ranking order."""
    cycle = services.cycle_open(actor=request.auth, cycle=_cycle(request.auth, cycle_id))
    return _with_counts(request.auth, cycle)


@router.post("/cycles/{int:cycle_id}/close", response={200: CycleDetailOut, **WRITE}, summary="Close a cycle")
def cycle_close(request, cycle_id: int):
    """No more verification or approval; beneficiaries may still be activated, completed,
    graduated or exited."""
    cycle = services.cycle_close(actor=request.auth, cycle=_cycle(request.auth, cycle_id))
    return _with_counts(request.auth, cycle)


# --- enrolments ------------------------------------------------------------------------------


@router.get("/cycles/{int:cycle_id}/enrolments", response={200: list[EnrolmentOut], **READ},
            summary="Enrolments of a cycle in the user's scope")
@paginate(RegistryPagination)
def enrolment_list(request, cycle_id: int, filters: Query[EnrolmentQuery]):
    """In priority order, within the user's personal-data regions (planners: none). Filter by
    status and by a kecamatan or desa code."""
    cycle = _cycle(request.auth, cycle_id)
    return selectors.enrolment_list(request.auth, cycle, status=filters.status or "",
                                    region_code=_region_prefix(filters.region))


@router.get("/enrolments/{int:enrolment_id}", response={200: EnrolmentDetailOut, **READ}, summary="One enrolment")
def enrolment_detail(request, enrolment_id: int):
    """The read is written to the access log."""
    enrolment = selectors.enrolment_get(request.auth, enrolment_id)
    access_log(actor=request.auth, instance=enrolment, region_code=enrolment.desa_code, channel="api")
    return enrolment


@router.post("/enrolments/{int:enrolment_id}/{step}", response={200: EnrolmentDetailOut, **WRITE},
             summary="Take a workflow step for one enrolment")
def enrolment_step(request, enrolment_id: int, step: StepName, body: StepIn | None = None):
    """verify (village operator or district verifier), approve (agency head, within quota and
    budget), reject (with a reason), activate, complete, graduate, exit (with a reason).
    403 when the user may not take the step there, 422 when the enrolment or cycle is not in a
    status the step applies to, or the quota or budget is full."""
    enrolment = selectors.enrolment_get(request.auth, enrolment_id)
    reason = {"reason": body.reason if body else ""} if STEPS[step].needs_reason else {}
    STEP_SERVICES[step](actor=request.auth, enrolment=enrolment, **reason)
    return selectors.enrolment_get(request.auth, enrolment_id)


def _selection(body: BulkIn):
    if (body.ids is None) == (body.filter is None):
        raise HttpError(422, "Give either ids or a filter.")
    if body.ids is not None:
        return body.ids
    lookups = {"status": body.filter.status} if body.filter.status else {}
    region = _region_prefix(body.filter.region)
    if region:
        lookups["desa_code__startswith"] = region
    return lookups


@router.post("/cycles/{int:cycle_id}/enrolments/bulk", response={200: BulkOut, **WRITE},
             summary="Take a workflow step for many enrolments")
def enrolments_bulk(request, cycle_id: int, body: BulkIn):
    """One set-based step for the selected enrolments of the cycle. Those in another status or
    outside the user's region are skipped; approvals take the highest priorities that fit the
    quota and budget. Answers the counts."""
    cycle = _cycle(request.auth, cycle_id)
    reason = {"reason": body.reason} if STEPS[body.action].needs_reason else {}
    return BULK_SERVICES[body.action](actor=request.auth, cycle=cycle, ids_or_filter=_selection(body), **reason)
