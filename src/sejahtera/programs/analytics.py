"""Targeting analytics: who the programmes reach, and who they miss. Counts only.

Every figure is counted in the database (``GROUP BY`` with ``EXISTS`` subqueries), per kecamatan
of the regency or per desa of one kecamatan, within the user's aggregate scopes (the regions of
all their memberships, planners included). The lists behind the figures (``family_list`` and
``person_list``) use the same conditions, limited to the user's personal-data scopes.

Definitions (a family is counted where its current welfare score places it, ``desa_code``):

- **receiving**: a family with at least one enrolment in a receiving status (``Enrolment.HOLDING``:
  approved, active, completed, graduated), in the chosen programme or in any programme. For a
  person programme the family receives when any member is enrolled (enrolments carry the family).
- **coverage of desil 1-4**: families in desil 1-4 that receive (``covered``), out of all families
  in desil 1-4; ``uncovered`` are the others.
- **exclusion**: poor families, i.e. below the regency's poverty line (the ``is_poor`` flag of the
  current score), that receive nothing; the rate is out of all poor families.
- **inclusion**: families in desil 7-10 that receive; the rate is out of all receiving families.
- **persons over the rules** (``multi``), counted where the person lives now:
  persons with receiving enrolments in two different programmes of the same exclusive group whose
  cycles overlap in time, and persons on national PBI (``jkn_status = "pbi_national"``) with a
  receiving PBI JKN Daerah enrolment in a cycle that has not ended.

Families without a current score are in no figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from sejahtera.core.scoping import region_prefix_q
from sejahtera.programs.models import Enrolment, Programme
from sejahtera.programs.selectors import programme_list
from sejahtera.regions.models import Region
from sejahtera.registry.choices import JknStatus
from sejahtera.registry.models import Family, Person
from sejahtera.welfare.models import WelfareScore
from sejahtera.welfare.selectors import aggregate_scopes, regency_code

PBI_DAERAH = "pbi-jkn-daerah"
POOREST_DESIL = 4  # desil 1-4: the programmes' target
RICHEST_FROM = 7  # desil 7-10: should not receive

FAMILY_FIGURES = {
    "covered": Q(desil__lte=POOREST_DESIL, receives=True),
    "uncovered": Q(desil__lte=POOREST_DESIL, receives=False),
    "excluded": Q(is_poor=True, receives=False),
    "included": Q(desil__gte=RICHEST_FROM, receives=True),
}
FIGURES = (*FAMILY_FIGURES, "multi")


# -- the conditions ------------------------------------------------------------------------------

def receiving(programme: Programme | None = None) -> QuerySet[Enrolment]:
    """Enrolments in a receiving status, of one programme or of all."""
    enrolments = Enrolment.objects.filter(status__in=Enrolment.HOLDING)
    # By the cycles of the programme: their (cycle, status, priority) index finds the rows.
    return enrolments.filter(cycle__programme=programme) if programme is not None else enrolments


def current_scores(scopes: list[str]) -> QuerySet[WelfareScore]:
    q = region_prefix_q("desa_code", scopes)
    return WelfareScore.objects.filter(q, is_current=True) if q is not None else WelfareScore.objects.none()


def receives(programme: Programme | None = None) -> Exists:
    """Does the score's family receive (in ``programme``, or in any)?"""
    return Exists(receiving(programme).filter(family=OuterRef("family")))


def scores_with_receipt(scopes: list[str], programme: Programme | None = None) -> QuerySet[WelfareScore]:
    """Current scores inside ``scopes``, each with ``receives``, for the lists' ``FAMILY_FIGURES``."""
    return current_scores(scopes).annotate(receives=receives(programme))


def _exclusive_clash() -> Exists:
    """Another receiving enrolment of the same person, in another programme of the same exclusive
    group, in a cycle overlapping this one's period."""
    return Exists(
        Enrolment.objects.filter(
            person=OuterRef("person"), status__in=Enrolment.HOLDING,
            programme__exclusive_group=OuterRef("programme__exclusive_group"),
            cycle__starts_on__lte=OuterRef("cycle__ends_on"), cycle__ends_on__gte=OuterRef("cycle__starts_on"),
        ).exclude(programme=OuterRef("programme"))
    )


def over_the_rules(programme: Programme | None = None, today=None) -> QuerySet[Enrolment]:
    """Receiving person enrolments (of ``programme``, or of any) that break a cross-programme rule."""
    today = today or timezone.localdate()
    exclusive = ~Q(programme__exclusive_group="") & Q(_exclusive_clash())
    national = Exists(Person.objects.filter(pk=OuterRef("person"), jkn_status=JknStatus.PBI_NATIONAL))
    double_pbi = Q(programme__code=PBI_DAERAH, cycle__ends_on__gte=today) & Q(national)
    held = receiving(programme).filter(person__isnull=False)
    if programme is None:
        return held.filter(exclusive | double_pbi)
    # One programme: only the rules that can apply to it.
    if programme.code == PBI_DAERAH:
        return held.filter(double_pbi)
    return held.filter(exclusive) if programme.exclusive_group else held.none()


def persons_over_the_rules(scopes: list[str], programme: Programme | None = None) -> QuerySet[Person]:
    """Persons (not merged into another) living inside ``scopes`` with an enrolment over the rules."""
    q = region_prefix_q("desa__pk", scopes)
    if q is None:
        return Person.objects.none()
    persons = over_the_rules(programme).values("person_id")
    return Person.objects.filter(q, merged_into__isnull=True, pk__in=persons)


# -- the figures ---------------------------------------------------------------------------------

def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class AreaFigures:
    code: str
    name: str
    poorest: int = 0  # families in desil 1-4
    covered: int = 0
    poor: int = 0  # families below the poverty line
    excluded: int = 0
    receiving: int = 0
    included: int = 0
    multi: int = 0

    @property
    def uncovered(self) -> int:
        return self.poorest - self.covered

    @property
    def coverage_rate(self) -> float | None:
        return _rate(self.covered, self.poorest)

    @property
    def exclusion_rate(self) -> float | None:
        return _rate(self.excluded, self.poor)

    @property
    def inclusion_rate(self) -> float | None:
        return _rate(self.included, self.receiving)

    def add(self, other: AreaFigures) -> None:
        for name in ("poorest", "covered", "poor", "excluded", "receiving", "included", "multi"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Targeting:
    regency: Region
    kecamatan: Region | None  # set when the rows are the desa of one kecamatan
    programme: Programme | None  # None: all programmes
    scopes: list[str]  # the region prefixes counted
    rows: list[AreaFigures]
    total: AreaFigures
    counted_at: object = field(default_factory=timezone.now)


def _area(areas: dict[str, AreaFigures], code: str) -> AreaFigures:
    return areas.setdefault(code, AreaFigures(code, code))


def _per_group(scores: QuerySet[WelfareScore], length: int) -> dict[tuple[str, int, bool], int]:
    grouped = (scores.annotate(area=Substr("desa_code", 1, length)).order_by()
               .values("area", "desil", "is_poor").annotate(n=Count("pk")))
    return {(row["area"], row["desil"], row["is_poor"]): row["n"] for row in grouped}


def count_families(scopes: list[str], programme: Programme | None, length: int) -> dict[str, AreaFigures]:
    """The family figures per region code prefix of ``length`` digits. Two grouped queries: all
    families, and the receiving ones (``EXISTS`` in the WHERE clause, so PostgreSQL runs it as a
    hash semi-join rather than probing the enrolments once per family)."""
    scores = current_scores(scopes)
    everyone = _per_group(scores, length)
    receiving_ = _per_group(scores.filter(receives(programme)), length)
    areas: dict[str, AreaFigures] = {}
    for (code, desil, poor), n in everyone.items():  # at most areas x 10 desil x 2 groups
        area, got = _area(areas, code), receiving_.get((code, desil, poor), 0)
        if desil <= POOREST_DESIL:
            area.poorest += n
            area.covered += got
        if poor:
            area.poor += n
            area.excluded += n - got
        area.receiving += got
        area.included += got if desil >= RICHEST_FROM else 0
    return areas


def count_persons(scopes: list[str], programme: Programme | None, length: int) -> dict[str, int]:
    grouped = (persons_over_the_rules(scopes, programme).annotate(area=Substr("desa_id", 1, length))
               .order_by().values("area").annotate(n=Count("pk")))
    return {row["area"]: row["n"] for row in grouped}


def _overlap(scopes: list[str], code: str) -> list[str]:
    """The parts of ``scopes`` inside region ``code`` (the code itself when a scope covers it)."""
    parts = {scope if scope.startswith(code) else code for scope in scopes
             if scope.startswith(code) or code.startswith(scope)}
    return sorted(p for p in parts if not any(p != o and p.startswith(o) for o in parts))


def programme_get(user, code: str) -> Programme | None:
    """The programme with this code among the user's, None for an empty code; 404 when unknown."""
    if not code:
        return None
    programme = programme_list(user).filter(code=code).first()
    if programme is None:
        raise Http404
    return programme


def targeting(user, *, programme: Programme | None = None, kecamatan_code: str = "") -> Targeting:
    """The figures per kecamatan of the regency (or per desa of one kecamatan), and their total,
    within the user's aggregate scopes. 404 for a kecamatan outside them."""
    regency = Region.objects.get(code=regency_code())
    scopes = aggregate_scopes(user) if getattr(user, "is_authenticated", False) else []
    kecamatan = None
    if kecamatan_code:
        kecamatan = Region.objects.filter(code=kecamatan_code, level=Region.Level.KECAMATAN, parent=regency).first()
        scopes = _overlap(scopes, kecamatan_code) if kecamatan else []
        if not scopes:
            raise Http404
    parent, level, length = (kecamatan, Region.Level.DESA, 10) if kecamatan else (regency, Region.Level.KECAMATAN, 6)
    areas = count_families(scopes, programme, length)
    for code, n in count_persons(scopes, programme, length).items():
        _area(areas, code).multi = n
    regions = [r for r in Region.objects.filter(parent=parent, level=level, is_current=True).order_by("name")
               if _overlap(scopes, r.code)]
    rows, total = [], AreaFigures(parent.code, parent.name)
    for region in regions:
        row = areas.pop(region.code, AreaFigures(region.code, ""))
        row.name = region.name
        rows.append(row)
    rows += [areas[code] for code in sorted(areas)]  # scored in a region no longer in the list
    for row in rows:
        total.add(row)
    return Targeting(regency, kecamatan, programme, scopes, rows, total)


# -- the lists behind the figures (personal data) -------------------------------------------------

def list_scopes(user, region: str) -> list[str]:
    """The parts of ``region`` (the regency when empty) whose records the user may read."""
    if not getattr(user, "is_authenticated", False):
        return []
    return _overlap(user.personal_data_scopes, region or regency_code())


def family_list(user, figure: str, *, region: str = "", programme: Programme | None = None) -> QuerySet[Family]:
    """The families behind a family figure, in ``region``, that the user may read."""
    scopes = list_scopes(user, region)
    scores = scores_with_receipt(scopes, programme).filter(FAMILY_FIGURES[figure]).values("family_id")
    heads = Person.objects.filter(relationship=1, merged_into__isnull=True).only("id", "name", "family_id", "nik")
    return (Family.objects.for_user(user).filter(pk__in=scores).select_related("desa", "desa__parent")
            .prefetch_related(Prefetch("members", queryset=heads, to_attr="heads")).order_by("desa_id", "id"))


def person_list(user, *, region: str = "", programme: Programme | None = None) -> QuerySet[Person]:
    """The persons behind the ``multi`` figure, in ``region``, that the user may read."""
    persons = persons_over_the_rules(list_scopes(user, region), programme)
    return (Person.objects.for_user(user).filter(pk__in=persons.values("pk")).select_related("family", "desa",
                                                                                                "desa__parent")
            .order_by("desa_id", "family_id", "id"))


def user_reads_all_of(user, scopes: list[str], code: str) -> bool:
    """Does the user read every record counted for region ``code``? (Then a figure links to its list.)"""
    counted = _overlap(scopes, code)
    personal = getattr(user, "personal_data_scopes", [])
    return bool(counted) and all(any(part.startswith(scope) for scope in personal) for part in counted)
