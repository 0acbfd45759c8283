"""Who may run BLK training: officers and the head of Disnaker, within their region scope.

Courses and batches are regency-wide work: a Disnaker scope covering the course's whole regency.
Work on one trainee (applying, completing, dropping) needs a Disnaker scope covering the
person's desa, so a kecamatan office of Disnaker can serve its own residents.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from sejahtera.accounts.roles import Role

AGENCY = "disnaker"
STAFF_ROLES = frozenset({Role.AGENCY_OFFICER, Role.AGENCY_HEAD})


def disnaker_scopes(actor) -> list[str]:
    """Region codes in which ``actor`` is an officer or the head of Disnaker."""
    if not getattr(actor, "is_authenticated", False):
        return []
    return sorted({m.region_id for m in actor.active_memberships
                   if m.role in STAFF_ROLES and m.agency is not None and m.agency.code == AGENCY})


def is_disnaker_staff(actor, region_code: str) -> bool:
    return any(region_code.startswith(code) for code in disnaker_scopes(actor))


def require_disnaker_staff(actor, region_code: str) -> None:
    """Refuse unless ``actor`` is Disnaker staff for ``region_code`` (a regency or a desa)."""
    if not is_disnaker_staff(actor, region_code):
        raise PermissionDenied(_("Only officers of Disnaker for %(region)s may manage BLK training.")
                               % {"region": region_code})
