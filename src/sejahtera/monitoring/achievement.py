"""Achievement of a target, a year's value from its periods, and the scorecard's traffic light.

**Achievement (%)**, the convention of the regional performance reports (e-Monev / LKjIP under
Permendagri 86/2017):

- higher is better: ``realisation / target × 100``;
- lower is better: ``(2 × target − realisation) / target × 100``, i.e. ``(target − (realisation −
  target)) / target``: on target = 100 %, every point above the target costs as much as a point
  below it earns. (The other formula in use, ``target / realisation × 100``, rewards an
  improvement less than it punishes a deterioration, and explodes near 0.)

The result is rounded to two decimals and floored at 0 (a realisation twice as bad as the target, or
worse, is 0 %, never negative). It is ``None`` — shown as "no data", never as 0 — when the target or
the realisation is missing, or the target is 0 (no ratio to a zero target exists).

**A year's value** from the rows of that year: a year row when there is one; otherwise the rows of
the finest period kind present (months before quarters), added up for indicators that accumulate
(counts of events: placements, trainees) or the one with the latest start for the others (rates
such as P0 and TPT, and stocks such as persons enrolled now).

**Traffic light**: green from ``green_from`` (default 90 %), yellow from ``yellow_from`` (default
60 %), red below; none without an achievement.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from sejahtera.monitoring.models import Indicator, Realisation, ScorecardThreshold

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

GREEN, YELLOW, RED, NONE = "green", "yellow", "red", "none"


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def achievement(target, realisation, polarity: str) -> Decimal | None:
    """Achievement in % of ``realisation`` against ``target``; ``None`` when it cannot be said."""
    target, realisation = _decimal(target), _decimal(realisation)
    if target is None or realisation is None or target == 0:
        return None
    if polarity == Indicator.Polarity.LOWER:
        ratio = (2 * target - realisation) / target
    else:
        ratio = realisation / target
    return max(ratio * HUNDRED, Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)


def light(value: Decimal | None, thresholds: ScorecardThreshold | None = None) -> str:
    """``green``, ``yellow``, ``red``, or ``none`` when there is no achievement."""
    if value is None:
        return NONE
    green = thresholds.green_from if thresholds else ScorecardThreshold.DEFAULT_GREEN
    yellow = thresholds.yellow_from if thresholds else ScorecardThreshold.DEFAULT_YELLOW
    if value >= green:
        return GREEN
    if value >= yellow:
        return YELLOW
    return RED


FINEST_FIRST = (Realisation.PeriodKind.MONTH, Realisation.PeriodKind.QUARTER)


def year_value(rows: Iterable, accumulation: str) -> Decimal | None:
    """The value of a year from its rows (objects with ``period_kind``, ``period_start`` and
    ``value``), by the rule above; ``None`` without rows."""
    rows = list(rows)
    for row in rows:
        if row.period_kind == Realisation.PeriodKind.YEAR:
            return _decimal(row.value)
    for kind in FINEST_FIRST:
        parts = [row for row in rows if row.period_kind == kind]
        if not parts:
            continue
        if accumulation == Indicator.Accumulation.SUM:
            return sum((_decimal(row.value) for row in parts), Decimal(0))
        return _decimal(max(parts, key=lambda row: row.period_start).value)
    return None


def thresholds_for(regency_code: str) -> ScorecardThreshold:
    """The regency's thresholds, or the defaults (unsaved) when it has set none."""
    found = ScorecardThreshold.objects.filter(regency_code=regency_code).first()
    return found or ScorecardThreshold(regency_code=regency_code)
