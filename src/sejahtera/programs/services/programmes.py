"""A programme's own settings that its staff change between cycles: quota, amount and budget.

An open cycle keeps the quota, budget and amount it froze when it opened; the new values count
from the next cycle opened.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sejahtera.core.audit import audit_record, diff, snapshot
from sejahtera.core.models import AuditEvent
from sejahtera.programs.models import Programme
from sejahtera.programs.services.access import require_programme_staff

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
