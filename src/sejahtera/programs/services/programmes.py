"""Programmes themselves: creating one, and the settings its staff change between cycles
(quota, amount and budget).

An open cycle keeps the quota, budget and amount it froze when it opened; the new values count
from the next cycle opened.

Who may create a programme: an officer or the head of the agency that will own it, with a scope
over the whole regency (the same test as ``access.require_programme_staff``, made for a programme
not saved yet), or a system administrator of the regency.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.accounts.models import Agency
from sejahtera.accounts.roles import Role
from sejahtera.core.audit import audit_record, diff, snapshot
from sejahtera.core.models import AuditEvent
from sejahtera.programs.models import EligibilityRule, Programme
from sejahtera.programs.rules import RuleError, compile_rule, validate_rule
from sejahtera.programs.services.access import AGENCY_STAFF, covers, require_programme_staff, scopes
from sejahtera.regions.models import Region

SETTINGS_FIELDS = ["quota", "amount", "budget"]


def _check(quota: int | None, amount: int, budget: int | None) -> None:
    errors = {}
    if quota is not None and quota < 1:
        errors["quota"] = _("The quota is at least 1; leave it empty for no limit.")
    if amount is None or amount < 0:
        errors["amount"] = _("The amount cannot be negative.")
    if budget is not None and budget < 0:
        errors["budget"] = _("The budget cannot be negative; leave it empty for no limit.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def programme_settings_update(*, actor, programme: Programme, quota: int | None, amount: int,
                              budget: int | None) -> Programme:
    """Set the programme's quota per cycle (None: no limit), amount per beneficiary and period (Rp)
    and budget per cycle (None: no limit). Only officers of the programme's agency for the whole
    regency may; the change is audited."""
    programme = Programme.objects.select_for_update(of=("self",)).select_related("agency").get(pk=programme.pk)
    require_programme_staff(actor, programme)
    _check(quota, amount, budget)
    before = snapshot(programme, SETTINGS_FIELDS)
    programme.quota, programme.amount, programme.budget = quota, amount, budget
    changes = diff(before, snapshot(programme, SETTINGS_FIELDS))
    if changes:
        programme.save(update_fields=[*changes, "updated_at"])
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=programme,
                     region_code=programme.regency_code, changes=changes, summary=f"settings {programme.code}")
    return programme


# -- creating a programme ------------------------------------------------------------------------

CREATORS = AGENCY_STAFF | {Role.SYSTEM_ADMIN}
# Codes the programme pages use as addresses of their own (``programmes/new/``, ``programmes/preview/``).
RESERVED_CODES = frozenset({"new", "preview"})
PROGRAMME_FIELDS = ["regency_code", "code", "name", "agency", "description", "target", "benefit", "amount",
                    "period", "quota", "budget", "ranking", "exclusive_group", "is_active"]


def can_create_programme(actor, regency_code: str, agency: Agency) -> bool:
    """Whether ``actor`` may create a programme of ``agency`` in ``regency_code``: agency staff of that
    agency, or a system administrator, with a scope covering the whole regency."""
    unsaved = Programme(regency_code=regency_code, agency=agency)
    return covers(scopes(actor, unsaved, CREATORS), regency_code)


def creatable_agencies(actor, regency_code: str) -> QuerySet[Agency]:
    """The agencies for which ``actor`` may create a programme in ``regency_code``."""
    if not getattr(actor, "is_authenticated", False):
        return Agency.objects.none()
    agencies, every = set(), False
    for membership in actor.active_memberships:
        if not regency_code.startswith(membership.region_id):
            continue
        if membership.role == Role.SYSTEM_ADMIN:
            every = True
        elif membership.role in AGENCY_STAFF and membership.agency_id is not None:
            agencies.add(membership.agency_id)
    return Agency.objects.all() if every else Agency.objects.filter(pk__in=agencies)


def creatable_regencies(actor) -> list[str]:
    """The regencies in which ``actor`` may create a programme for at least one agency."""
    if not getattr(actor, "is_authenticated", False):
        return []
    regencies = {m.region_id[:4] for m in actor.active_memberships if m.role in CREATORS}
    return sorted(code for code in regencies if len(code) == 4 and creatable_agencies(actor, code).exists())


def require_programme_creator(actor, regency_code: str, agency: Agency) -> None:
    if not can_create_programme(actor, regency_code, agency):
        raise PermissionDenied(_("Only officers of %(agency)s for the whole regency, or a system administrator, "
                                 "may create its programmes.") % {"agency": agency.short_name})


def _choice(errors: dict, field: str, value: str, choices) -> None:
    if value not in choices.values:
        errors[field] = _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)}


def _check_new(*, code: str, name: str, target: str, benefit: str, amount: int | None, period: str,
               quota: int | None, budget: int | None, ranking: str, exclusive_group: str) -> dict:
    """The problems of a new programme's fields (the rule apart), by field."""
    errors = {}
    try:
        _check(quota, amount, budget)
    except ValidationError as error:
        errors.update(error.message_dict)
    if not code:
        errors["code"] = _("Give the programme a code.")
    else:
        try:
            validate_slug(code)
        except ValidationError:
            errors["code"] = _("The code may contain only letters, digits, hyphens and underscores.")
        else:
            if len(code) > Programme._meta.get_field("code").max_length:
                errors["code"] = _("The code is at most %(n)d characters long.") % {"n": 40}
            elif code.lower() in RESERVED_CODES:
                errors["code"] = _("“%(code)s” is reserved; choose another code.") % {"code": code}
            elif Programme.objects.filter(code__iexact=code).exists():
                errors["code"] = _("A programme with the code “%(code)s” already exists.") % {"code": code}
    if not name.strip():
        errors["name"] = _("Give the programme a name.")
    elif len(name) > Programme._meta.get_field("name").max_length:
        errors["name"] = _("The name is at most %(n)d characters long.") % {"n": 150}
    _choice(errors, "target", target, Programme.Target)
    _choice(errors, "benefit", benefit, Programme.Benefit)
    _choice(errors, "period", period, Programme.Period)
    _choice(errors, "ranking", ranking, Programme.Ranking)
    if benefit == Programme.Benefit.CASH and "amount" not in errors and not amount:
        errors["amount"] = _("A cash programme needs an amount above zero.")
    if exclusive_group:
        try:
            validate_slug(exclusive_group)
        except ValidationError:
            errors["exclusive_group"] = _("The exclusive group may contain only letters, digits, hyphens and "
                                          "underscores.")
    return errors


def _rule_problem(text: str, target: str, publish: bool) -> ValidationError | None:
    """Why the first rule cannot be saved (or published), pointing at where it goes wrong."""
    if not text.strip():
        return ValidationError(_("Write the rule."), code="required")
    try:
        validate_rule(text, target)
        if publish:
            compile_rule(text, target, timezone.localdate())
    except RuleError as error:
        return ValidationError(
            _("The rule is not valid. %(error)s"), code="invalid_rule",
            params={"error": str(error), "line": error.line, "column": error.column, "token": error.token,
                    "caret": error.caret_line()})
    return None


@transaction.atomic
def programme_create(*, actor, regency_code: str, code: str, name: str, agency: Agency | str, description: str = "",
                     target: str, benefit: str, amount: int | None, period: str, quota: int | None,
                     budget: int | None, ranking: str = Programme.Ranking.NEEDIEST, exclusive_group: str = "",
                     rule_text: str, publish: bool = False) -> Programme:
    """Create a programme of ``agency`` in ``regency_code`` with its first rule version: a draft, or
    published (used by new cycles) when ``publish``.

    ``quota`` and ``budget`` None mean no limit. Refused with ``PermissionDenied`` unless the actor
    may create for the agency (``can_create_programme``); with a ``ValidationError`` by field
    (``rule_text`` for the rule, saying the line and column where it goes wrong) when a value is
    not valid. The programme and the rule are audited."""
    if isinstance(agency, str):
        agency = Agency.objects.filter(code=agency).first()
        if agency is None:
            raise ValidationError({"agency": _("Choose an agency.")})
    if not Region.objects.filter(code=regency_code, level=Region.Level.KABUPATEN).exists():
        raise ValidationError({"regency_code": _("“%(code)s” is not a regency.") % {"code": regency_code}})
    require_programme_creator(actor, regency_code, agency)
    code, name, exclusive_group = code.strip(), name.strip(), exclusive_group.strip()
    amount = 0 if amount is None else amount
    errors = _check_new(code=code, name=name, target=target, benefit=benefit, amount=amount, period=period,
                        quota=quota, budget=budget, ranking=ranking, exclusive_group=exclusive_group)
    if "target" not in errors and (problem := _rule_problem(rule_text, target, publish)) is not None:
        errors["rule_text"] = problem
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():  # a programme of the same code created meanwhile: refused like the check above
            programme = Programme.objects.create(
                regency_code=regency_code, code=code, name=name, agency=agency, description=description.strip(),
                target=target, benefit=benefit, amount=amount, period=period, quota=quota, budget=budget,
                ranking=ranking, exclusive_group=exclusive_group)
    except IntegrityError as error:
        raise ValidationError({"code": _("A programme with the code “%(code)s” already exists.")
                                       % {"code": code}}) from error
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=programme, region_code=regency_code,
                 changes=diff({}, snapshot(programme, PROGRAMME_FIELDS)), summary=f"create {programme.code}")
    rule = EligibilityRule.objects.create(
        programme=programme, version=1, text=rule_text, created_by=actor,
        published_at=timezone.now() if publish else None, published_by=actor if publish else None)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=rule, region_code=regency_code,
                 changes=diff({}, snapshot(rule, ["version", "text", "published_at", "published_by"])),
                 summary=f"{'publish ' if publish else ''}{rule}")
    return programme
