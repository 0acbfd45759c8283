"""Versions of a programme's eligibility rule: drafts are edited, a published version never changes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.core.audit import audit_record, diff, snapshot
from sejahtera.core.models import AuditEvent
from sejahtera.programs.models import EligibilityRule, Programme
from sejahtera.programs.rules import RuleError, compile_rule
from sejahtera.programs.services.access import require_programme_staff

RULE_FIELDS = ["text", "note", "published_at", "published_by"]


def rule_error(error: RuleError) -> ValidationError:
    """A ``ValidationError`` on the rule's text that says where the rule goes wrong."""
    return ValidationError({"text": ValidationError(
        _("The rule is not valid. %(error)s"), code="invalid_rule",
        params={"error": str(error), "line": error.line, "column": error.column, "token": error.token,
                "caret": error.caret_line()},
    )})


@transaction.atomic
def rule_draft_save(*, actor, programme: Programme, text: str, note: str = "") -> EligibilityRule:
    """Save ``text`` as the programme's draft rule: the open draft is edited, else a new version is made.

    A draft may still be invalid (it is checked when it is published)."""
    programme = Programme.objects.select_for_update(of=("self",)).select_related("agency").get(pk=programme.pk)
    require_programme_staff(actor, programme)
    if not text.strip():
        raise ValidationError({"text": _("Write the rule.")})
    latest = programme.rules.order_by("-version").first()
    if latest is not None and latest.is_draft:
        before = snapshot(latest, RULE_FIELDS)
        latest.text, latest.note = text, note
        latest.save(update_fields=["text", "note"])
        changes = diff(before, snapshot(latest, RULE_FIELDS))
        if changes:
            audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=latest,
                         region_code=programme.regency_code, changes=changes, summary=str(latest))
        return latest
    version = (programme.rules.aggregate(m=Max("version"))["m"] or 0) + 1
    rule = EligibilityRule.objects.create(programme=programme, version=version, text=text, note=note,
                                          created_by=actor)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=rule, region_code=programme.regency_code,
                 changes=diff({}, snapshot(rule, ["version", "text", "note"])), summary=str(rule))
    return rule


@transaction.atomic
def rule_publish(*, actor, rule: EligibilityRule) -> EligibilityRule:
    """Publish a draft after checking it with the rule compiler; new cycles use the latest published version."""
    rule = EligibilityRule.objects.select_for_update(of=("self",)).select_related("programme__agency").get(pk=rule.pk)
    programme = rule.programme
    require_programme_staff(actor, programme)
    if not rule.is_draft:
        raise ValidationError(_("Version %(version)d is already published; save a new draft to change the rule.")
                              % {"version": rule.version})
    try:
        compile_rule(rule.text, programme.target, timezone.localdate())
    except RuleError as error:
        raise rule_error(error) from error
    before = snapshot(rule, RULE_FIELDS)
    rule.published_at, rule.published_by = timezone.now(), actor
    rule.save(update_fields=["published_at", "published_by"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=rule, region_code=programme.regency_code,
                 changes=diff(before, snapshot(rule, RULE_FIELDS)), summary=f"publish {rule}")
    return rule
