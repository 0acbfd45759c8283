"""Registering employers and their verification by Disnaker."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.careers import kbli, matching_log
from sejahtera.careers.access import require_disnaker, require_employer_side
from sejahtera.careers.models import Employer, EmployerMember
from sejahtera.careers.services.notifications import notify_employer
from sejahtera.core.audit import audit_record, diff, snapshot
from sejahtera.core.models import AuditEvent

EMPLOYER_FIELDS = ["name", "nib", "kbli_code", "address", "desa_code", "contact_name", "contact_phone",
                   "contact_email", "status", "rejection_reason"]
EDITABLE_FIELDS = frozenset(EMPLOYER_FIELDS) - {"status", "rejection_reason", "nib"}


def _clean(employer: Employer) -> None:
    employer.nib = "".join(employer.nib.split())
    employer.kbli_code = kbli.normalize_code(employer.kbli_code)
    employer.desa_code = employer.desa_code.replace(".", "")
    employer.full_clean(exclude=["users", "verified_by", "created_by"])


@transaction.atomic
def employer_register(*, actor, name: str, nib: str, kbli_code: str, address: str, desa_code: str,
                      contact_name: str, contact_phone: str, contact_email: str = "", user=None) -> Employer:
    """Register an employer, waiting for Disnaker's verification.

    ``user`` (or the registering ``actor`` when it is not Disnaker staff) becomes the employer's
    first account. Disnaker staff may register employers without an account.
    """
    employer = Employer(name=name.strip(), nib=nib, kbli_code=kbli_code, address=address, desa_code=desa_code,
                        contact_name=contact_name, contact_phone=contact_phone, contact_email=contact_email,
                        created_by=actor if getattr(actor, "pk", None) else None)
    _clean(employer)
    employer.save()
    account = user or (actor if getattr(actor, "pk", None) and not actor.active_memberships else None)
    if account is not None:
        EmployerMember.objects.create(employer=employer, user=account)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=employer, region_code=employer.desa_code,
                 changes=diff({}, snapshot(employer, EMPLOYER_FIELDS)))
    return employer


@transaction.atomic
def employer_update(*, actor, employer: Employer, **fields) -> Employer:
    """Change the employer's details; the NIB and the verification stay as they are."""
    require_employer_side(actor, employer)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"employer_update cannot change {sorted(unknown)}")
    before = snapshot(employer, EMPLOYER_FIELDS)
    for name, value in fields.items():
        setattr(employer, name, value)
    _clean(employer)
    employer.save()
    matching_log.employer_changed(employer)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=employer, region_code=employer.desa_code,
                 changes=diff(before, snapshot(employer, EMPLOYER_FIELDS)))
    return employer


@transaction.atomic
def employer_member_add(*, actor, employer: Employer, user) -> EmployerMember:
    """Give another account access to the employer (by one of its accounts or Disnaker)."""
    require_employer_side(actor, employer)
    member, _created = EmployerMember.objects.get_or_create(employer=employer, user=user)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=employer, region_code=employer.desa_code,
                 changes={"users": [None, user.pk]})
    return member


@transaction.atomic
def employer_verify(*, actor, employer: Employer, approve: bool = True, reason: str = "") -> Employer:
    """Disnaker verifies (or rejects, with a reason) an employer; only verified employers publish vacancies."""
    require_disnaker(actor, employer.desa_code)
    before = snapshot(employer, EMPLOYER_FIELDS)
    if approve:
        employer.status, employer.rejection_reason = Employer.Status.VERIFIED, ""
    else:
        if not reason.strip():
            raise ValidationError({"reason": [_("Give the reason for rejecting the employer.")]})
        employer.status, employer.rejection_reason = Employer.Status.REJECTED, reason.strip()[:255]
    employer.verified_by, employer.verified_at = actor, timezone.now()
    employer.save()
    matching_log.employer_changed(employer)  # its vacancies go public or private
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, instance=employer, region_code=employer.desa_code,
                 changes=diff(before, snapshot(employer, EMPLOYER_FIELDS)))
    notify_employer(employer, _("Your company %(name)s was verified by Disnaker.") % {"name": employer.name}
                    if approve else _("Disnaker did not verify %(name)s: %(reason)s")
                    % {"name": employer.name, "reason": employer.rejection_reason})
    return employer
