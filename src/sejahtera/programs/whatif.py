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

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from sejahtera.core.scoping import region_prefix_q
from sejahtera.programs.models import Cycle, EligibilityRule, Programme
from sejahtera.programs.rules import RuleError, matches
from sejahtera.programs.services.periods import cycle_periods
from sejahtera.regions.models import Region
from sejahtera.registry.importing.sql import drop_temp_table, execute, fetchall, statement_memory
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
    poorest_families: int = 0  # families of desil 1-4 in the user's regions (by the desa they were scored in)
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


def current_scores(scopes: list[str], desil: tuple[int, int]) -> QuerySet[WelfareScore]:
    """Current scores in ``scopes`` (by the desa the family was scored in) with desil in the range."""
    low, high = desil
    scores = WelfareScore.objects.filter(is_current=True, desil__gte=low, desil__lte=high)
    return scores.filter(region_prefix_q("desa_code", scopes))


MATCHED = "whatif_matched"
# The rule's rows are read once, into a temporary table (a parallel scan on PostgreSQL), which is
# then joined to the current scores once per figure: per kecamatan the matches and those in
# desil 7-10; the distinct matched families and those in desil 1-4 scored in the user's regions
# (the last parameters).
FIGURES_SQL = f"""
    WITH s AS (SELECT family_id, desil, desa_code FROM welfare_welfarescore WHERE is_current)
    SELECT substr(m.m_desa, 1, 6), count(*), sum(CASE WHEN s.desil BETWEEN %s AND %s THEN 1 ELSE 0 END)
    FROM {MATCHED} m LEFT JOIN s ON s.family_id = m.m_family GROUP BY 1
    UNION ALL
    SELECT NULL, count(*), sum(CASE WHEN s.desil BETWEEN %s AND %s AND ({{in_scope}}) THEN 1 ELSE 0 END)
    FROM (SELECT DISTINCT m_family FROM {MATCHED}) f LEFT JOIN s ON s.family_id = f.m_family"""


def scenario(programme: Programme, scopes: list[str], *, text: str, quota: int | None, amount: int,
             periods: int, reference_date: datetime.date, poorest_families: int) -> Scenario:
    """Count what ``text`` selects within ``scopes`` (region prefixes; none: nothing): one statement."""
    result = Scenario(text, quota, amount, periods, poorest_families=poorest_families)
    try:
        rows = matches(text, programme.target, reference_date)
    except RuleError as error:
        result.error = error
        return result
    if not scopes:
        return result
    family = "family_id" if programme.target == Programme.Target.PERSON else "id"
    rows = rows.filter(region_prefix_q("desa__pk", scopes)).order_by().values(m_desa=F("desa_id"), m_family=F(family))
    rows_sql, rows_params = rows.query.sql_with_params()
    in_scope = " OR ".join(["s.desa_code LIKE %s"] * len(scopes))
    with transaction.atomic(), statement_memory():
        execute(f"CREATE TEMPORARY TABLE {MATCHED} AS {rows_sql}", rows_params)
        try:
            figures = fetchall(FIGURES_SQL.format(in_scope=in_scope),
                               [*RICHEST, *POOREST, *(f"{code}%" for code in scopes)])
        finally:
            drop_temp_table(MATCHED)
    for kecamatan, n, in_desil in figures:
        if kecamatan is None:
            result.families, result.poorest_covered = n, in_desil or 0
        else:
            result.per_kecamatan[kecamatan] = n
            result.matches += n
            result.richest_matches += in_desil or 0
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
    poorest = current_scores(scopes, POOREST).count() if scopes else 0
    published = None
    if rule is not None:
        published = scenario(programme, scopes, text=rule.text, quota=_int_or_none(programme.quota),
                             amount=programme.amount, periods=periods, reference_date=today,
                             poorest_families=poorest)
    draft = scenario(programme, scopes, text=text, quota=_int_or_none(quota), amount=int(amount), periods=periods,
                     reference_date=today, poorest_families=poorest)
    return WhatIf(programme, periods, cycle.label, rule, published, draft, kecamatan_rows(published, draft))


def kecamatan_rows(published: Scenario | None, draft: Scenario) -> list[KecamatanRow]:
    """Each kecamatan either side matches in, with both counts, largest change first."""
    before = published.per_kecamatan if published else {}
    codes = set(before) | set(draft.per_kecamatan)
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    rows = [KecamatanRow(code, names.get(code, code), before.get(code, 0), draft.per_kecamatan.get(code, 0))
            for code in codes]
    return sorted(rows, key=lambda row: (-abs(row.difference), row.name))
