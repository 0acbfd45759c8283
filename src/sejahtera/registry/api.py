"""API of the family registry: scoped, masked, logged reads of families and persons.

Every read goes through ``registry.selectors`` with the authenticated user, so region scoping
is applied in the queryset: a record outside the user's scope answers 404 (never 403, which
would reveal that it exists), and planners, who read no personal records, get 404 or an empty
list. NIK and No. KK are masked unless the user may see them whole in the record's region.
"""

import datetime
from typing import Annotated, Any, Literal

from django.views.decorators.cache import never_cache
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import StringConstraints

from sejahtera.api.auth import REGISTRY_AUTH
from sejahtera.api.schemas import ErrorOut, RegionRef
from sejahtera.regions.codes import InvalidRegionCode, normalize_code
from sejahtera.registry import selectors
from sejahtera.registry.selectors import FLAG_FILTERS, FamilyFilters

router = Router(auth=REGISTRY_AUTH, tags=["registry"])
# Responses carry personal data: no browser or proxy may keep them.
router.add_decorator(never_cache, mode="view")


def _user(context: dict):
    return context["request"].auth


def _masked(context: dict, record, value: str | None) -> str | None:
    """NIK or No. KK of ``record`` as the requesting user may see it."""
    return selectors.display_nik(_user(context), record, value) or None


# --- schemas ---------------------------------------------------------------------------------


class HeadOut(Schema):
    """The head of a family, in lists."""

    id: int
    name: str
    nik: str | None


class FamilyRef(Schema):
    id: int
    no_kk: str

    @staticmethod
    def resolve_no_kk(obj, context) -> str:
        return _masked(context, obj, obj.no_kk) or ""


class PersonOut(Schema):
    id: int
    nik: str | None = Field(description="Masked (3201**********01) unless the user may see it whole.")
    name: str
    sex: Literal["L", "P"]
    sex_label: str
    birth_place: str
    birth_date: datetime.date
    family_id: int | None
    desa: RegionRef
    relationship: int = Field(description="Dukcapil SHDK code: 1 head, 2 husband, 3 wife, 4 child, ...")
    relationship_label: str
    marital_status: int
    marital_status_label: str
    education: int = Field(description="Dukcapil education level, 1 (no schooling) to 10 (S3).")
    education_label: str
    occupation: str
    employment_status: str
    employment_status_label: str
    disability: str
    disability_label: str
    jkn_status: str
    jkn_status_label: str
    phone: str
    has_warnings: bool
    warnings: list[dict[str, Any]] = Field(description="Validation warnings: {code, message}.")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_nik(obj, context) -> str | None:
        return _masked(context, obj, obj.nik)

    @staticmethod
    def resolve_sex_label(obj) -> str:
        return str(obj.get_sex_display())

    @staticmethod
    def resolve_relationship_label(obj) -> str:
        return str(obj.get_relationship_display())

    @staticmethod
    def resolve_marital_status_label(obj) -> str:
        return str(obj.get_marital_status_display())

    @staticmethod
    def resolve_education_label(obj) -> str:
        return str(obj.get_education_display())

    @staticmethod
    def resolve_employment_status_label(obj) -> str:
        return str(obj.get_employment_status_display())

    @staticmethod
    def resolve_disability_label(obj) -> str:
        return str(obj.get_disability_display())

    @staticmethod
    def resolve_jkn_status_label(obj) -> str:
        return str(obj.get_jkn_status_display())


class PersonDetailOut(PersonOut):
    family: FamilyRef | None


class FamilyOut(Schema):
    id: int
    no_kk: str = Field(description="Masked unless the user may see it whole.")
    desa: RegionRef
    kecamatan: RegionRef
    address: str
    rt: str
    rw: str
    head: HeadOut | None
    has_warnings: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_no_kk(obj, context) -> str:
        return _masked(context, obj, obj.no_kk) or ""

    @staticmethod
    def resolve_kecamatan(obj):
        return obj.desa.parent

    @staticmethod
    def resolve_head(obj, context) -> dict | None:
        # family_list prefetches only the heads (``heads``); family_get prefetches all members.
        heads = getattr(obj, "heads", None)
        head = (heads[0] if heads else None) if heads is not None else obj.head
        if head is None:
            return None
        # The head lives in the family's desa; masking by the family avoids loading the head's.
        return {"id": head.pk, "name": head.name, "nik": _masked(context, obj, head.nik)}


class FamilyDetailOut(FamilyOut):
    warnings: list[dict[str, Any]] = Field(description="Validation warnings of the No. KK: {code, message}.")
    members: list[PersonOut]

    @staticmethod
    def resolve_members(obj) -> list:
        return list(obj.members.all())


class FamilyQuery(Schema):
    desa: str | None = Field(None, description="Desa/kelurahan code, with or without dots.")
    kecamatan: str | None = Field(None, description="Kecamatan code, with or without dots.")
    flag: Literal[FLAG_FILTERS] | None = Field(  # type: ignore[valid-type]
        None, description="warnings: NIK/No. KK warnings; no_nik: a member without NIK; no_survey: never surveyed."
    )


class NikLookupIn(Schema):
    nik: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{16}$")] = Field(
        description="The exact 16-digit NIK."
    )


class RegistryPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(50, ge=1, le=500)
        offset: int = Field(0, ge=0)


# --- endpoints -------------------------------------------------------------------------------


def _region_filter(value: str | None, length: int, what: str) -> str:
    if not value:
        return ""
    try:
        code = normalize_code(value)
    except InvalidRegionCode:
        code = ""
    if len(code) != length:
        raise HttpError(422, f"{value!r} is not a {what} code.")
    return code


@router.get("/families", response=list[FamilyOut], summary="Families in the user's scope")
@paginate(RegistryPagination)
def family_list(request, filters: Query[FamilyQuery]):
    """Newest first. Filter by desa or kecamatan; a region outside the scope gives an empty list."""
    return selectors.family_list(request.auth, FamilyFilters(
        desa=_region_filter(filters.desa, 10, "desa"),
        kecamatan=_region_filter(filters.kecamatan, 6, "kecamatan"),
        flag=filters.flag or "",
    ))


@router.get("/families/{int:family_id}", response={200: FamilyDetailOut, 404: ErrorOut},
            summary="One family with its members")
def family_detail(request, family_id: int):
    """The read is written to the access log."""
    family = selectors.family_get(request.auth, family_id, channel="api")
    for member in family.members.all():
        if member.desa_id == family.desa_id:  # share the loaded region instead of a query per member
            member.desa = family.desa
    return family


@router.post("/persons/lookup", response={200: PersonDetailOut, 404: ErrorOut},
             summary="Find a person by exact NIK")
def person_lookup(request, body: NikLookupIn):
    """POST, so the NIK never stands in a URL. The search (NIK masked) and a hit are logged."""
    person = selectors.person_lookup(request.auth, body.nik, channel="api")
    if person is None:
        raise HttpError(404, "Not Found")
    return person


@router.get("/persons/{int:person_id}", response={200: PersonDetailOut, 404: ErrorOut}, summary="One person")
def person_detail(request, person_id: int):
    """The read is written to the access log."""
    return selectors.person_get(request.auth, person_id, channel="api")
