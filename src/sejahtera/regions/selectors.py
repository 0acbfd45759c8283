from functools import cache

from sejahtera.regions.models import Region


@cache
def known_kecamatan_codes() -> frozenset[str]:
    """Kecamatan codes of the current and older region lists, for NIK and No. KK checks."""
    return frozenset(Region.objects.filter(level=Region.Level.KECAMATAN).values_list("code", flat=True))


def regency_region(code: str) -> Region:
    return Region.objects.get(code=code, level=Region.Level.KABUPATEN)


def children_of(code: str):
    return Region.objects.filter(parent_id=code).order_by("code")
