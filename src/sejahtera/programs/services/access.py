"""Who may do what in a programme: the checks the services make before they write.

Agency roles count only in the programme's own agency; field roles (village operator,
district verifier) belong to no agency. Every role counts only within its region scope:
cycle-wide work needs a scope covering the programme's whole regency, work on one
enrolment a scope covering the enrolment's desa.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from sejahtera.accounts.roles import Role
from sejahtera.core.scoping import region_prefix_q

FIELD_VERIFIERS = frozenset({Role.DESA_OPERATOR, Role.KECAMATAN_VERIFIER})
AGENCY_STAFF = frozenset({Role.AGENCY_OFFICER, Role.AGENCY_HEAD})
AGENCY_HEADS = frozenset({Role.AGENCY_HEAD})


def scopes(actor, programme, roles: Iterable[str]) -> list[str]:
    """Region codes in which ``actor`` holds one of ``roles`` for ``programme``."""
    if not getattr(actor, "is_authenticated", False):
        return []
    roles = set(roles)
    regency = programme.regency_code
    codes = set()
    for membership in actor.active_memberships:
        if membership.role not in roles:
            continue
        if membership.role in AGENCY_STAFF and membership.agency_id != programme.agency_id:
            continue
        code = membership.region_id
        if code.startswith(regency) or regency.startswith(code):
            codes.add(code)
    return sorted(codes)


def covers(codes: Iterable[str], region_code: str) -> bool:
    return any(region_code.startswith(code) for code in codes)


def scope_q(codes: list[str], field: str = "desa_code") -> Q:
    """``Q`` for rows whose region code lies in one of ``codes`` (nothing without codes)."""
    q = region_prefix_q(field, codes)
    return q if q is not None else Q(pk__in=[])


def require_programme_staff(actor, programme) -> None:
    """Cycle-wide work: an officer or the head of the programme's agency for the whole regency."""
    if not covers(scopes(actor, programme, AGENCY_STAFF), programme.regency_code):
        raise PermissionDenied(_("Only officers of %(agency)s for the whole regency may manage %(programme)s.")
                               % {"agency": programme.agency.short_name, "programme": programme.name})
