"""Region choices for the filters and forms, limited to what the user may see or edit."""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from sejahtera.regions.models import Region


def _within(scopes: list[str]) -> Q | None:
    """Regions at or below any of ``scopes``."""
    if not scopes:
        return None
    return reduce(or_, (Q(code__startswith=scope) for scope in scopes))


def kecamatan_in_scope(user) -> QuerySet[Region]:
    """Kecamatan holding at least one desa the user may read."""
    scopes = user.personal_data_scopes
    if not scopes:
        return Region.objects.none()
    # A desa scope (10 digits) shows its kecamatan; a wider scope shows the kecamatan below it.
    q = reduce(or_, (Q(code__startswith=scope) if len(scope) <= 6 else Q(code=scope[:6]) for scope in scopes))
    return Region.objects.filter(q, level=Region.Level.KECAMATAN, is_current=True).order_by("name")


def desa_in_scope(user, kecamatan_code: str) -> QuerySet[Region]:
    """The desa of one kecamatan that the user may read (none outside their scope)."""
    q = _within(user.personal_data_scopes)
    if q is None or not kecamatan_code:
        return Region.objects.none()
    return Region.objects.filter(q, parent_id=kecamatan_code, level=Region.Level.DESA,
                                 is_current=True).order_by("name")


def desa_editable(user) -> QuerySet[Region]:
    """Every desa in which the user may register families."""
    q = _within(user.edit_scopes)
    if q is None:
        return Region.objects.none()
    return (Region.objects.filter(q, level=Region.Level.DESA, is_current=True)
            .select_related("parent").order_by("parent__name", "name"))
