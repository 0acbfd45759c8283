"""Reads of welfare ranking: a family's score panel, desil distributions per region, PMT models.

The distributions are aggregates only (counts per region and desil, no personal data), so every
logged-in role may see them, planners included, within the regions of all their memberships.
They come from the desil summary each scoring run writes (counts per desa and desil); kecamatan
sums are made from the desa rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sejahtera.regions.models import Region
from sejahtera.registry.models import Family
from sejahtera.welfare.explain import Explanation, explain
from sejahtera.welfare.models import DesilSummary, PmtModel, PovertyLine, WelfareScore

HISTORY_LIMIT = 10


# -- a family's panel ----------------------------------------------------------------------------

@dataclass
class FamilyWelfare:
    """What the family page shows of the family's welfare ranking."""

    score: WelfareScore | None
    missing: str = ""  # why there is no score: "no_survey", "no_members" or "pending"
    ranked_in_regency: int | None = None  # families of the regency with a current score
    poverty_line: PovertyLine | None = None
    extreme_line: PovertyLine | None = None
    explanation: Explanation | None = None
    history: list[WelfareScore] = field(default_factory=list)


def current_lines(regency_code: str) -> dict[str, PovertyLine]:
    """The latest line of each kind: the ones scoring compares against."""
    lines = {}
    for line in PovertyLine.objects.filter(regency_code=regency_code).order_by("kind", "-year"):
        lines.setdefault(line.kind, line)
    return lines


def family_welfare(family: Family, *, has_survey: bool) -> FamilyWelfare:
    """The current score of a family the caller has already read within the user's scope."""
    scores = list(family.welfare_scores.select_related("model").order_by("-scored_at", "-id")[:HISTORY_LIMIT + 1])
    score = next((s for s in scores if s.is_current), None)
    history = [s for s in scores if not s.is_current][:HISTORY_LIMIT]
    if score is None:
        if not has_survey:
            missing = "no_survey"
        elif not any(member.merged_into_id is None for member in family.members.all()):
            missing = "no_members"
        else:
            missing = "pending"
        return FamilyWelfare(None, missing=missing, history=history)
    score.family = family
    lines = current_lines(score.regency_code)
    return FamilyWelfare(score, ranked_in_regency=ranked_families(score.regency_code),
                         poverty_line=lines.get(PovertyLine.Kind.POVERTY),
                         extreme_line=lines.get(PovertyLine.Kind.EXTREME), explanation=explain(score), history=history)


def attach_desil(families: list[Family]) -> None:
    """Set ``desil`` (None when not ranked) on each family of a page, in one query."""
    families = list(families)
    desil = dict(WelfareScore.objects.filter(family__in=[f.pk for f in families], is_current=True)
                 .values_list("family", "desil"))
    for family in families:
        family.desil = desil.get(family.pk)


# -- distributions -------------------------------------------------------------------------------

def ranked_families(regency: str) -> int:
    """Families of the regency with a current score, from the desil summary."""
    return DesilSummary.objects.filter(regency_code=regency).aggregate(n=Sum("families"))["n"] or 0


def regency_code() -> str:
    return settings.SEJAHTERA_REGENCY


def _narrowest(codes: set[str]) -> list[str]:
    """Drop the codes that lie inside another code of the set."""
    return sorted(c for c in codes if not any(c != o and c.startswith(o) for o in codes))


def _within(scopes: list[str], area: str) -> list[str]:
    """The parts of ``scopes`` inside region ``area``: the area itself when a scope covers it."""
    inside = set()
    for scope in scopes:
        if scope.startswith(area):
            inside.add(scope)
        elif area.startswith(scope):
            inside.add(area)
    return _narrowest(inside)


def aggregate_scopes(user) -> list[str]:
    """The regions (of this installation's regency) whose aggregates the user may see: every
    active membership's region, whatever the role."""
    return _within([m.region_id for m in user.active_memberships], regency_code())


@dataclass
class AreaCounts:
    """Counts of one region: index 0 of the lists is desil 1."""

    code: str
    name: str
    families: list[int] = field(default_factory=lambda: [0] * 10)
    persons: list[int] = field(default_factory=lambda: [0] * 10)
    poor_families: int = 0
    poor_persons: int = 0
    extreme_families: int = 0
    extreme_persons: int = 0

    @property
    def total_families(self) -> int:
        return sum(self.families)

    @property
    def total_persons(self) -> int:
        return sum(self.persons)

    def add(self, other: AreaCounts) -> None:
        self.families = [a + b for a, b in zip(self.families, other.families, strict=True)]
        self.persons = [a + b for a, b in zip(self.persons, other.persons, strict=True)]
        self.poor_families += other.poor_families
        self.poor_persons += other.poor_persons
        self.extreme_families += other.extreme_families
        self.extreme_persons += other.extreme_persons


@dataclass
class Distribution:
    regency: Region
    kecamatan: Region | None  # set when the rows are the desa of one kecamatan
    scopes: list[str]  # the region prefixes counted
    rows: list[AreaCounts]
    total: AreaCounts
    models: list[tuple[PmtModel, int]]  # the models of the counted scores, with their family counts
    latest_scored_at: datetime.datetime | None
    counted_at: datetime.datetime


@dataclass(frozen=True)
class DesaCounts:
    """The grouped counts of a set of scopes, per desa."""

    families: list[tuple]  # (desa, desil, is_poor, is_extremely_poor, model id, families)
    persons: list[tuple]  # (desa, desil, is_poor, is_extremely_poor, persons)
    counted_at: datetime.datetime


def count_per_desa(regency: str, scopes: list[str]) -> DesaCounts:
    """The regency's desil summary (rewritten by every scoring run) within ``scopes``, per desa."""
    rows = DesilSummary.objects.filter(regency_code=regency)
    rows = rows.filter(reduce(or_, (Q(desa_code__startswith=scope) for scope in scopes)))
    families, persons, counted_at = [], [], None
    for row in rows.order_by("desa_code", "desil"):
        key = (row.desa_code, row.desil, row.is_poor, row.is_extremely_poor)
        families.append((*key, row.model_id, row.families))
        persons.append((*key, row.persons))
        counted_at = max(counted_at or row.counted_at, row.counted_at)
    return DesaCounts(families, persons, counted_at or timezone.now())


def _group(counts: DesaCounts, scopes: list[str], length: int) -> tuple[dict[str, AreaCounts], dict[int, int]]:
    """The desa counts inside ``scopes``, summed per code prefix of ``length`` digits, and the
    number of families per PMT model id."""
    areas: dict[str, AreaCounts] = {}
    per_model: dict[int, int] = {}

    def area(desa: str) -> AreaCounts | None:
        if not any(desa.startswith(scope) for scope in scopes):
            return None
        return areas.setdefault(desa[:length], AreaCounts(desa[:length], ""))

    for desa, desil, poor, extreme, model_id, n in counts.families:
        if row := area(desa):
            row.families[desil - 1] += n
            row.poor_families += n if poor else 0
            row.extreme_families += n if extreme else 0
            per_model[model_id] = per_model.get(model_id, 0) + n
    for desa, desil, poor, extreme, n in counts.persons:
        if row := area(desa):
            row.persons[desil - 1] += n
            row.poor_persons += n if poor else 0
            row.extreme_persons += n if extreme else 0
    return areas, per_model


def welfare_distribution(user, kecamatan_code: str = "") -> Distribution:
    """Families and persons per desil in each kecamatan of the regency (or each desa of one
    kecamatan) within the user's membership regions. 404 for a kecamatan outside them."""
    regency = Region.objects.get(code=regency_code())
    user_scopes = scopes = aggregate_scopes(user)
    kecamatan = None
    if kecamatan_code:
        kecamatan = Region.objects.filter(code=kecamatan_code, level=Region.Level.KECAMATAN,
                                          parent=regency).first()
        scopes = _within(scopes, kecamatan_code) if kecamatan else []
        if not scopes:
            raise Http404
    parent, level, length = (kecamatan, Region.Level.DESA, 10) if kecamatan else (regency, Region.Level.KECAMATAN, 6)
    regions = [r for r in Region.objects.filter(parent=parent, level=level, is_current=True).order_by("name")
               if _within(scopes, r.code)]
    desa_counts = count_per_desa(regency.code, user_scopes) if scopes else DesaCounts([], [], timezone.now())
    counts, per_model = _group(desa_counts, scopes, length)
    rows, total = [], AreaCounts(parent.code, parent.name)
    for region in regions:
        row = counts.pop(region.code, AreaCounts(region.code, ""))
        row.name = region.name
        rows.append(row)
        total.add(row)
    for code, row in sorted(counts.items()):  # scored families in a region no longer in the list
        row.name = code
        rows.append(row)
        total.add(row)
    models = PmtModel.objects.in_bulk(list(per_model))
    latest = (WelfareScore.objects.filter(is_current=True, regency_code=regency.code).order_by("-id")
              .values_list("scored_at", flat=True).first())
    return Distribution(regency, kecamatan, scopes, rows, total,
                        [(models[pk], n) for pk, n in sorted(per_model.items(), key=lambda item: -item[1])],
                        latest, desa_counts.counted_at)


# -- PMT models ----------------------------------------------------------------------------------

# Models hold no personal data: every logged-in user may read those of the installation's regency.

def pmt_model_list(user) -> QuerySet[PmtModel]:
    if not getattr(user, "is_authenticated", False):
        return PmtModel.objects.none()
    return PmtModel.objects.filter(regency_code=regency_code()).order_by("-version")


def pmt_model_get(user, pk: int) -> PmtModel:
    return get_object_or_404(pmt_model_list(user).prefetch_related("coefficients"), pk=pk)
