"""Programme coverage per desa and desil, precomputed for the dashboards.

``coverage_refresh(regency)`` counts the regency's current welfare scores per desa, desil and
poverty flag, and the families among them that receive a programme (``programs.analytics``: an
enrolment of the family or a member in a holding status), in two grouped queries — the receiving
ones with ``EXISTS`` in the WHERE clause, as the targeting analytics count them — and rewrites the
regency's ``CoverageSummary`` rows (at most desa × 10 desil × 2 rows). ``refresh_aggregates`` calls
it, so the figures are as fresh as the computed indicators.

``coverage_figures(scopes, length)`` reads the summary back, summed per region code prefix of
``length`` digits (6: kecamatan, 10: desa, 4: the regency) within ``scopes``, as the targeting
analytics' ``AreaFigures`` (coverage of desil 1-4, exclusion, inclusion; ``multi`` is not counted
here), and ``coverage_by_desil(scopes)`` the families and receiving families per desil.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from sejahtera.core.scoping import region_prefix_q
from sejahtera.monitoring.models import CoverageSummary
from sejahtera.programs import analytics
from sejahtera.programs.analytics import POOREST_DESIL, RICHEST_FROM, AreaFigures


def _grouped(scores) -> dict[tuple[str, int, bool], int]:
    rows = scores.order_by().values("desa_code", "desil", "is_poor").annotate(n=Count("pk"))
    return {(row["desa_code"], row["desil"], row["is_poor"]): row["n"] for row in rows}


@transaction.atomic
def coverage_refresh(regency: str, *, now: datetime.datetime | None = None) -> int:
    """Rewrite the regency's coverage summary; the number of rows written."""
    now = now or timezone.now()
    scores = analytics.current_scores([regency]).filter(desil__isnull=False)
    everyone = _grouped(scores)
    receiving = _grouped(scores.filter(analytics.receives()))
    CoverageSummary.objects.filter(regency_code=regency).delete()
    rows = [CoverageSummary(regency_code=regency, desa_code=desa, desil=desil, is_poor=poor, families=n,
                            receiving=receiving.get((desa, desil, poor), 0), counted_at=now)
            for (desa, desil, poor), n in sorted(everyone.items())]
    CoverageSummary.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _summary(scopes: list[str]):
    q = region_prefix_q("desa_code", scopes)
    return CoverageSummary.objects.filter(q) if q is not None else CoverageSummary.objects.none()


def coverage_figures(scopes: list[str], length: int) -> dict[str, AreaFigures]:
    """The coverage figures per region code prefix of ``length`` digits, within ``scopes``."""
    areas: dict[str, AreaFigures] = {}
    for desa, desil, poor, n, got in _summary(scopes).values_list("desa_code", "desil", "is_poor", "families",
                                                                  "receiving"):
        code = desa[:length]
        area = areas.setdefault(code, AreaFigures(code, code))
        if desil <= POOREST_DESIL:
            area.poorest += n
            area.covered += got
        if poor:
            area.poor += n
            area.excluded += n - got
        area.receiving += got
        area.included += got if desil >= RICHEST_FROM else 0
    return areas


@dataclass
class DesilCoverage:
    desil: int
    families: int
    receiving: int

    @property
    def rate(self) -> float | None:
        return round(100 * self.receiving / self.families, 1) if self.families else None


def coverage_by_desil(scopes: list[str]) -> list[DesilCoverage]:
    """Families and receiving families per desil 1-10 within ``scopes``."""
    sums = {row["desil"]: row for row in _summary(scopes).order_by().values("desil")
            .annotate(families=Sum("families"), receiving=Sum("receiving"))}
    return [DesilCoverage(d, sums.get(d, {}).get("families") or 0, sums.get(d, {}).get("receiving") or 0)
            for d in range(1, 11)]


def counted_at(scopes: list[str]) -> datetime.datetime | None:
    return _summary(scopes).aggregate(at=Max("counted_at"))["at"]
