"""Who may do what in the career center.

Disnaker staff are officers and heads of the ``disnaker`` agency (system administrators count
as Disnaker staff too); their memberships' regions limit which seekers, employers and vacancies
they handle. Employer accounts act only for the employers they are members of. A seeker acts
only on their own record.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from sejahtera.accounts.roles import Role
from sejahtera.core.scoping import region_prefix_q

DISNAKER = "disnaker"
DISNAKER_ROLES = frozenset({Role.AGENCY_OFFICER, Role.AGENCY_HEAD})


def disnaker_scopes(user) -> list[str]:
    """Region codes in which ``user`` works as Disnaker staff (empty for everyone else)."""
    if not getattr(user, "is_authenticated", False) or not hasattr(user, "active_memberships"):
        return []
    codes = set()
    for membership in user.active_memberships:
        is_disnaker = (membership.role in DISNAKER_ROLES and membership.agency is not None
                       and membership.agency.code == DISNAKER)
        if is_disnaker or membership.role == Role.SYSTEM_ADMIN:
            codes.add(membership.region_id)
    return sorted(codes)


def is_disnaker_staff(user) -> bool:
    return bool(disnaker_scopes(user))


def is_disnaker_for(user, region_code: str) -> bool:
    """True when ``user`` is Disnaker staff with a scope covering ``region_code``."""
    return any(region_code.startswith(code) for code in disnaker_scopes(user))


def require_disnaker(actor, region_code: str) -> None:
    if not is_disnaker_for(actor, region_code):
        raise PermissionDenied(_("Only Disnaker staff responsible for this region may do this."))


def disnaker_q(user, field: str = "desa_code") -> Q:
    """``Q`` for rows whose region code (``field``) lies in the user's Disnaker scopes; nothing otherwise."""
    q = region_prefix_q(field, disnaker_scopes(user))
    return q if q is not None else Q(pk__in=[])


def is_employer_member(user, employer) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return employer.members.filter(user=user).exists()


def require_employer_side(actor, employer) -> None:
    """An account of the employer, or Disnaker staff for the employer's region."""
    if not (is_employer_member(actor, employer) or is_disnaker_for(actor, employer.desa_code)):
        raise PermissionDenied(_("Only the employer's accounts or Disnaker staff may do this."))


def is_seeker_self(user, seeker) -> bool:
    return getattr(user, "is_authenticated", False) and seeker.user_id is not None and seeker.user_id == user.pk


def require_seeker_side(actor, seeker) -> None:
    """The seeker themself, or Disnaker staff for the seeker's region (at the counter)."""
    if not (is_seeker_self(actor, seeker) or is_disnaker_for(actor, seeker.desa_code)):
        raise PermissionDenied(_("Only the job seeker or Disnaker staff may do this."))


def require_vacancy_side(actor, vacancy) -> None:
    """An account of the vacancy's employer, or Disnaker staff for the vacancy's or the employer's region."""
    employer = vacancy.employer
    if not (is_employer_member(actor, employer) or is_disnaker_for(actor, vacancy.desa_code)
            or is_disnaker_for(actor, employer.desa_code)):
        raise PermissionDenied(_("Only the employer's accounts or Disnaker staff may do this."))
