"""Public API of the region list: Kemendagri codes, with or without dots."""

from typing import Literal

from django.db.models import QuerySet
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from sejahtera.api.schemas import ErrorOut
from sejahtera.regions.codes import InvalidRegionCode, format_code, normalize_code
from sejahtera.regions.models import Region
from sejahtera.regions.selectors import children_of

router = Router(tags=["regions"])

LevelName = Literal["provinsi", "kabupaten", "kecamatan", "desa"]


class RegionOut(Schema):
    code: str  # dotted: 32.01.01.2001
    name: str
    level: LevelName
    level_label: str
    parent: str | None  # dotted code of the parent region
    desa_type: Literal["desa", "kelurahan"] | None  # only for level "desa"
    is_current: bool  # False for a code of an older region list

    @staticmethod
    def resolve_code(obj) -> str:
        return format_code(obj.code)

    @staticmethod
    def resolve_level_label(obj) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return format_code(obj.parent_id) if obj.parent_id else None

    @staticmethod
    def resolve_desa_type(obj) -> str | None:
        return obj.desa_type or None


class RegionSearch(Schema):
    level: LevelName | None = None
    parent: str | None = None  # code of the parent region, with or without dots
    q: str | None = None  # part of the name
    include_older: bool = False


def _parse_code(code: str) -> str:
    try:
        return normalize_code(code)
    except InvalidRegionCode:
        raise HttpError(422, f"{code!r} is not a region code: expected 2, 4, 6 or 10 digits, "
                             "like 32, 32.01, 32.01.01 or 32.01.01.2001.") from None


def _get_region(code: str) -> Region:
    normalized = _parse_code(code)
    region = Region.objects.filter(code=normalized).first()
    if region is None:
        raise HttpError(404, f"No region has the code {format_code(normalized)}.")
    return region


@router.get("/", response=list[RegionOut], summary="Search regions")
@paginate(LimitOffsetPagination)
def region_search(request, filters: Query[RegionSearch]) -> QuerySet[Region]:
    """Regions by level, parent and part of the name, ordered by code."""
    regions = Region.objects.all()
    if not filters.include_older:
        regions = regions.filter(is_current=True)
    if filters.level:
        regions = regions.filter(level=filters.level)
    if filters.parent:
        regions = regions.filter(parent_id=_parse_code(filters.parent))
    if filters.q and filters.q.strip():
        regions = regions.filter(name__icontains=filters.q.strip())
    return regions.order_by("code")


@router.get("/{code}", response={200: RegionOut, 404: ErrorOut, 422: ErrorOut}, summary="One region")
def region_detail(request, code: str) -> Region:
    """The region with this code: ``3201012001`` and ``32.01.01.2001`` are the same."""
    return _get_region(code)


@router.get("/{code}/children", response={200: list[RegionOut], 404: ErrorOut, 422: ErrorOut},
            summary="Regions directly under a region")
def region_children(request, code: str, include_older: bool = False) -> QuerySet[Region]:
    """The kabupaten of a province, kecamatan of a kabupaten or desa of a kecamatan, ordered by code."""
    region = _get_region(code)
    children = children_of(region.code)
    if not include_older:
        children = children.filter(is_current=True)
    return children.order_by("code")
