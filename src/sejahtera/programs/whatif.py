"""What-if: a draft rule, quota and amount set beside the programme's published ones, in counts.

Nothing is saved. For each side (published, draft) the rule is run in the database within the
user's aggregate regions (as ``selectors.rule_preview`` does) and counted: the matching persons or
families, the families they belong to, the beneficiaries a cycle could take (the matches up to the
quota), what a cycle would cost, the share of the poorest families (desil 1-4) with at least one
match (coverage), the matches in desil 7-10 (inclusion) and the matches per kecamatan.

Every figure is a grouped count over the rule's queryset: no row leaves the database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr
from django.utils import timezone

from sejahtera.core.scoping import region_prefix_q
from sejahtera.programs.models import Cycle, EligibilityRule, Programme
from sejahtera.programs.rules import RuleError, matches
from sejahtera.programs.services.periods import cycle_periods
from sejahtera.regions.models import Region
from sejahtera.registry.models import Family
from sejahtera.welfare.models import WelfareScore
from sejahtera.welfare.selectors import aggregate_scopes

POOREST = (1, 4)  # the desil whose coverage is measured
RICHEST = (7, 10)  # the desil whose matches count as inclusion errors


@dataclass
class Scenario:
    """One side of the comparison. ``error`` is set (and every count 0) when the rule is not valid."""

    text: str
    quota: int | None
    amount: int
    periods: int
    error: RuleError | None = None
    matches: int = 0
    families: int = 0  # families with at least one match
    poorest_families: int = 0  # families of desil 1-4 in the user's regions
    poorest_covered: int = 0  # of those, the ones with at least one match
    richest_matches: int = 0  # matches whose family is in desil 7-10
    per_kecamatan: dict[str, int] = field(default_factory=dict)

    @property
    def beneficiaries(self) -> int:
        return self.matches if self.quota is None else min(self.matches, self.quota)

    @property
    def cost(self) -> int:
        """What one cycle pays: each beneficiary the amount, once per period the cycle pays for."""
        return self.beneficiaries * self.amount * self.periods

    @property
    def coverage(self) -> float | None:
        """Share (0-1) of the desil 1-4 families with at least one match; None without such families."""
        return self.poorest_covered / self.poorest_families if self.poorest_families else None


@dataclass
class KecamatanRow:
    code: str
    name: str
    published: int
    draft: int

    @property
    def difference(self) -> int:
        return self.draft - self.published


@dataclass
class WhatIf:
    programme: Programme
    periods: int
    period_cycle: str  # the cycle the periods are counted for: the latest one, or a calendar year
    published_rule: EligibilityRule | None
    published: Scenario | None
    draft: Scenario
    rows: list[KecamatanRow]


def reference_cycle(programme: Programme, today: datetime.date) -> Cycle:
    """The programme's latest cycle, or (without one) an unsaved cycle of the calendar year."""
    latest = programme.cycles.order_by("-starts_on").first()
    if latest is not None:
        return latest
    year = today.year
    return Cycle(programme=programme, label=str(year), starts_on=datetime.date(year, 1, 1),
                 ends_on=datetime.date(year, 12, 31))


def published_rule(programme: Programme) -> EligibilityRule | None:
    return programme.rules.filter(published_at__isnull=False).order_by("-version").first()


def current_desil(family_ref: str) -> Subquery:
    """The current desil of the family ``family_ref`` (an outer field) names; NULL when unscored."""
    scores = WelfareScore.objects.filter(family=OuterRef(family_ref), is_current=True)
    return Subquery(scores.values("desil")[:1])


def poorest_families(scopes: list[str]) -> QuerySet[Family]:
    """Families in ``scopes`` whose current desil is 1-4."""
    low, high = POOREST
    poorest = WelfareScore.objects.filter(family=OuterRef("pk"), is_current=True, desil__gte=low, desil__lte=high)
    return Family.objects.filter(region_prefix_q("desa__pk", scopes)).filter(Exists(poorest))


def scenario(programme: Programme, scopes: list[str], *, text: str, quota: int | None, amount: int,
             periods: int, reference_date: datetime.date) -> Scenario:
    """Count what ``text`` selects within ``scopes`` (region prefixes; none: nothing)."""
    result = Scenario(text, quota, amount, periods)
    try:
        rows = matches(text, programme.target, reference_date)
    except RuleError as error:
        result.error = error
        return result
    if not scopes:
        return result
    family_field = "family_id" if programme.target == Programme.Target.PERSON else "pk"
    rows = rows.filter(region_prefix_q("desa__pk", scopes)).order_by()
    low, high = RICHEST
    grouped = (rows.annotate(kecamatan=Substr("desa_id", 1, 6), desil=current_desil(family_field))
               .values("kecamatan")
               .annotate(n=Count("pk"), rich=Count("pk", filter=Q(desil__gte=low, desil__lte=high))))
    for row in grouped:
        result.per_kecamatan[row["kecamatan"]] = row["n"]
        result.matches += row["n"]
        result.richest_matches += row["rich"]
    matched_families = rows.values(family_field)
    result.families = rows.aggregate(n=Count(family_field, distinct=True))["n"]
    poorest = poorest_families(scopes)
    result.poorest_families = poorest.count()
    result.poorest_covered = poorest.filter(pk__in=matched_families).count()
    return result


def _int_or_none(value) -> int | None:
    return None if value is None else int(value)


def programme_whatif(user, programme: Programme, *, text: str, quota: int | None, amount: int,
                     reference_date: datetime.date | None = None) -> WhatIf:
    """The published rule with the programme's quota and amount beside ``text`` with ``quota`` and
    ``amount``, counted within the regions of the user's memberships (counts only)."""
    today = reference_date or timezone.localdate()
    scopes = aggregate_scopes(user) if getattr(user, "is_authenticated", False) else []
    cycle = reference_cycle(programme, today)
    periods = len(cycle_periods(cycle))
    rule = published_rule(programme)
    published = None
    if rule is not None:
        published = scenario(programme, scopes, text=rule.text, quota=_int_or_none(programme.quota),
                             amount=programme.amount, periods=periods, reference_date=today)
    draft = scenario(programme, scopes, text=text, quota=_int_or_none(quota), amount=int(amount), periods=periods,
                     reference_date=today)
    return WhatIf(programme, periods, cycle.label, rule, published, draft, kecamatan_rows(published, draft))


def kecamatan_rows(published: Scenario | None, draft: Scenario) -> list[KecamatanRow]:
    """Each kecamatan either side matches in, with both counts, largest change first."""
    before = published.per_kecamatan if published else {}
    codes = set(before) | set(draft.per_kecamatan)
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    rows = [KecamatanRow(code, names.get(code, code), before.get(code, 0), draft.per_kecamatan.get(code, 0))
            for code in codes]
    return sorted(rows, key=lambda row: (-abs(row.difference), row.name))
