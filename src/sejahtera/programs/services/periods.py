"""The payment periods of a cycle: what a payment batch pays for, and how many times a cycle pays."""

from sejahtera.programs.models import Cycle, Programme


def cycle_periods(cycle: Cycle) -> list[str]:
    """Labels of the periods ``cycle`` pays for, in order.

    Monthly programmes pay for each month the cycle touches (``2026-07``), half-yearly ones for
    each semester (``2026-S2``), yearly ones for each year (``2026``); a one-off payment has one
    period named after the cycle.
    """
    period = cycle.programme.period
    start, end = cycle.starts_on, cycle.ends_on
    if period == Programme.Period.ONCE or end < start:
        return [cycle.label]
    if period == Programme.Period.MONTH:
        first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
        return [f"{m // 12}-{m % 12 + 1:02d}" for m in range(first, last + 1)]
    if period == Programme.Period.SEMESTER:
        first, last = start.year * 2 + (start.month - 1) // 6, end.year * 2 + (end.month - 1) // 6
        return [f"{s // 2}-S{s % 2 + 1}" for s in range(first, last + 1)]
    return [str(year) for year in range(start.year, end.year + 1)]


def commitment(cycle: Cycle, amount: int) -> int:
    """What one beneficiary receives over the whole cycle: what the cycle's budget is held against."""
    return amount * len(cycle_periods(cycle))
