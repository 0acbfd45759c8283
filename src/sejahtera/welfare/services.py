"""Writes of welfare ranking: which PMT model of a regency is active."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from sejahtera.accounts.roles import Role
from sejahtera.core.audit import audit_record
from sejahtera.core.models import AuditEvent
from sejahtera.welfare.models import PmtModel
from sejahtera.welfare.tasks import request_rescoring


def can_activate(user, model: PmtModel) -> bool:
    """System administrators whose scope covers the model's regency choose its active model."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(m.role == Role.SYSTEM_ADMIN and model.regency_code.startswith(m.region_id)
               for m in user.active_memberships)


@transaction.atomic
def pmt_model_activate(*, actor, model: PmtModel) -> PmtModel:
    """Make ``model`` the regency's active model and the previous one inactive, both audited.

    The background rescoring that follows the commit scores every family with it.
    """
    if not can_activate(actor, model):
        raise PermissionDenied(_("Only a system administrator of the regency may activate a PMT model."))
    regency_models = PmtModel.objects.select_for_update().filter(regency_code=model.regency_code)
    model = regency_models.get(pk=model.pk)
    if model.is_active:
        return model
    # The previous model first: at most one model of a regency may be active at any moment.
    for previous in regency_models.filter(is_active=True):
        previous.is_active = False
        previous.save(update_fields=["is_active"])
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=previous,
                     region_code=previous.regency_code, changes={"is_active": [True, False]},
                     summary=f"PMT v{previous.version} deactivated (v{model.version} activated)")
    model.is_active = True
    model.save(update_fields=["is_active"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=model, region_code=model.regency_code,
                 changes={"is_active": [False, True]}, summary=f"PMT v{model.version} activated")
    request_rescoring()
    return model
