"""Reads of the registry. Every function takes the user, so scoping can't be forgotten."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from sejahtera.core.audit import access_log
from sejahtera.core.models import AuditEvent
from sejahtera.registry.identity import mask_nik
from sejahtera.registry.models import Family, FamilyMembership, HouseholdSurvey, Person


@dataclass
class FamilyFilters:
    kecamatan: str = ""  # 6-digit code
    desa: str = ""  # 10-digit code
    name: str = ""  # part of a member's name
    flag: str = ""  # one of FLAG_FILTERS
    desil: int | None = None  # desil of the current welfare score
    welfare: str = ""  # one of WELFARE_FILTERS


FLAG_FILTERS = ("warnings", "no_nik", "no_survey")
WELFARE_FILTERS = ("scored", "poor", "extreme", "unscored")


def family_list(user, filters: FamilyFilters | None = None) -> QuerySet[Family]:
    """The families this user may read, filtered, newest first."""
    filters = filters or FamilyFilters()
    families = Family.objects.for_user(user).select_related("desa", "desa__parent")
    if filters.desa:
        families = families.filter(desa_id=filters.desa)
    elif filters.kecamatan:
        families = families.filter(desa__pk__startswith=filters.kecamatan)
    if filters.name:
        families = families.filter(Exists(Person.objects.filter(family=OuterRef("pk"),
                                                                name__icontains=filters.name)))
    if filters.flag == "warnings":
        families = families.filter(
            Q(has_warnings=True) | Exists(Person.objects.filter(family=OuterRef("pk"), has_warnings=True))
        )
    elif filters.flag == "no_nik":
        families = families.filter(Exists(Person.objects.filter(family=OuterRef("pk"), nik__isnull=True)))
    elif filters.flag == "no_survey":
        families = families.filter(~Exists(HouseholdSurvey.objects.filter(family=OuterRef("pk"))))
    families = _welfare_filtered(families, filters)
    heads = Person.objects.filter(relationship=1).only("id", "name", "family_id", "nik")
    return families.prefetch_related(Prefetch("members", queryset=heads, to_attr="heads")).order_by("-id")


def _welfare_filtered(families: QuerySet[Family], filters: FamilyFilters) -> QuerySet[Family]:
    """Filters on the family's current welfare score (at most one per family: no duplicate rows)."""
    score = {}
    if filters.desil:
        score["welfare_scores__desil"] = filters.desil
    if filters.welfare == "poor":
        score["welfare_scores__is_poor"] = True
    elif filters.welfare == "extreme":
        score["welfare_scores__is_extremely_poor"] = True
    if score or filters.welfare == "scored":
        return families.filter(welfare_scores__is_current=True, **score)
    if filters.welfare == "unscored":
        return families.exclude(welfare_scores__is_current=True)
    return families


def family_get(user, pk: int, *, channel: str = "web") -> Family:
    """One family with its members; 404 outside the user's scope. Logs the read."""
    members = Person.objects.order_by("relationship", "birth_date")
    family = get_object_or_404(
        Family.objects.for_user(user).select_related("desa", "desa__parent").prefetch_related(
            Prefetch("members", queryset=members)
        ),
        pk=pk,
    )
    access_log(actor=user, instance=family, region_code=family.desa_id, channel=channel)
    return family


def person_get(user, pk: int, *, channel: str = "web") -> Person:
    person = get_object_or_404(Person.objects.for_user(user).select_related("family", "desa"), pk=pk)
    access_log(actor=user, instance=person, region_code=person.desa_id, channel=channel)
    return person


def person_list(user) -> QuerySet[Person]:
    return Person.objects.for_user(user).select_related("family", "desa").order_by("id")


def identity_search(user, number: str) -> Family | None:
    """The family with this exact No. KK, or of the person with this exact NIK, inside the scope.

    Numbers arrive by POST only, so they never stand in URLs or server logs; the search
    itself is logged, with the number masked.
    """
    number = number.strip()
    if len(number) != 16 or not number.isdigit():
        return None
    family = Family.objects.for_user(user).filter(no_kk=number).first()
    if family is None:
        person = Person.objects.for_user(user).filter(nik=number).select_related("family").first()
        family = person.family if person else None
    AuditEvent.objects.create(actor=user, action=AuditEvent.Action.SEARCH, object_type="registry.family",
                              object_id=str(family.pk) if family else "", summary=mask_nik(number))
    return family


def person_lookup(user, nik: str, *, channel: str = "web") -> Person | None:
    """The person with this exact NIK inside the user's scope, or None.

    Like ``identity_search``: the search is logged with the number masked, and a hit is
    logged as a read of the person.
    """
    nik = nik.strip()
    person = None
    if len(nik) == 16 and nik.isdigit():
        person = Person.objects.for_user(user).filter(nik=nik).select_related("family", "desa").first()
    AuditEvent.objects.create(actor=user, action=AuditEvent.Action.SEARCH, object_type="registry.person",
                              object_id=str(person.pk) if person else "", summary=mask_nik(nik),
                              region_code=person.desa_id if person else "", channel=channel)
    if person is not None:
        access_log(actor=user, instance=person, region_code=person.desa_id, channel=channel)
    return person


def latest_survey(family: Family) -> HouseholdSurvey | None:
    return family.surveys.order_by("-surveyed_on", "-id").first()


def family_memberships(family: Family) -> QuerySet[FamilyMembership]:
    """Every family membership (in any family) of this family's current and past members."""
    # Ids first: an OR of the subquery and a join on persons would scan every membership.
    people = set(FamilyMembership.objects.filter(family=family).values_list("person_id", flat=True))
    people.update(family.members.values_list("pk", flat=True))
    return (
        FamilyMembership.objects.filter(person_id__in=people)
        .select_related("person", "family")
        .order_by("person__name", "person_id", "started_on")
    )


def family_history(family: Family) -> QuerySet[AuditEvent]:
    """Changes to the family, its members and surveys (reads are not history)."""
    member_ids = [str(pk) for pk in family.members.values_list("pk", flat=True)]
    past_member_ids = [str(pk) for pk in FamilyMembership.objects.filter(family=family)
                       .values_list("person_id", flat=True)]
    survey_ids = [str(pk) for pk in family.surveys.values_list("pk", flat=True)]
    changes = [AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE, AuditEvent.Action.MOVE,
               AuditEvent.Action.DELETE]
    return (
        AuditEvent.objects.filter(action__in=changes)
        .filter(
            Q(object_type="registry.family", object_id=str(family.pk))
            | Q(object_type="registry.person", object_id__in=set(member_ids + past_member_ids))
            | Q(object_type="registry.householdsurvey", object_id__in=survey_ids)
        )
        .select_related("actor")
        .order_by("-at", "-id")
    )


def display_nik(user, person_or_family, value: str | None) -> str:
    """The NIK or No. KK as this user may see it: whole, or masked like ``3201**********01``."""
    if not value:
        return ""
    if user.sees_full_nik_in(person_or_family.desa_id):
        return value
    return mask_nik(value)
