"""Achievement arithmetic: both polarities, missing data, a year's value from its periods, lights."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from sejahtera.monitoring.achievement import achievement, light, year_value
from sejahtera.monitoring.models import ScorecardThreshold

D = Decimal


@pytest.mark.parametrize(("target", "real", "expected"), [
    (100, 100, D("100.00")),
    (1200, 900, D("75.00")),
    (2800, 2676, D("95.57")),
    (104, 208, D("200.00")),  # over the target: no upper cap
    (50, 0, D("0.00")),
])
def test_higher_is_better_is_realisation_over_target(target, real, expected):
    assert achievement(target, real, "higher") == expected


@pytest.mark.parametrize(("target", "real", "expected"), [
    ("7.14", "7.14", D("100.00")),
    ("7.14", "7.73", D("91.74")),  # (2 x 7.14 - 7.73) / 7.14
    ("7.10", "6.39", D("110.00")),  # below the target: better than 100 %
    ("6.10", "12.20", D("0.00")),  # twice the target: 0 %
    ("6.10", "20", D("0.00")),  # worse still: floored at 0, never negative
])
def test_lower_is_better_uses_twice_the_target_minus_the_realisation(target, real, expected):
    assert achievement(D(target), D(real), "lower") == expected


@pytest.mark.parametrize("polarity", ["higher", "lower"])
def test_missing_target_realisation_or_zero_target_is_no_data_not_zero(polarity):
    assert achievement(None, D("7.05"), polarity) is None
    assert achievement(D("7.14"), None, polarity) is None
    assert achievement(0, 5, polarity) is None
    assert achievement(0, 0, polarity) is None


def test_lights_follow_default_and_configured_thresholds():
    assert [light(D(v)) for v in ("90", "89.99", "60", "59.99")] == ["green", "yellow", "yellow", "red"]
    assert light(None) == "none"
    strict = ScorecardThreshold(regency_code="3201", green_from=D("95"), yellow_from=D("75"))
    assert [light(D(v), strict) for v in ("95", "94", "75", "74.99")] == ["green", "yellow", "yellow", "red"]


def row(kind, start, value):
    return SimpleNamespace(period_kind=kind, period_start=start, value=D(value))


def test_counts_add_up_over_the_year_and_rates_take_the_latest_period():
    months = [row("month", datetime.date(2026, m, 1), str(m * 10)) for m in (3, 1, 2)]
    assert year_value(months, "sum") == D(60)
    assert year_value(months, "latest") == D(30)


def test_a_year_row_wins_and_months_come_before_quarters():
    quarters = [row("quarter", datetime.date(2026, 1, 1), "5"), row("quarter", datetime.date(2026, 4, 1), "7")]
    months = [row("month", datetime.date(2026, 5, 1), "1")]
    assert year_value(quarters, "sum") == D(12)
    assert year_value(quarters, "latest") == D(7)
    assert year_value(quarters + months, "sum") == D(1)
    assert year_value([*quarters, row("year", datetime.date(2026, 1, 1), "100")], "sum") == D(100)
    assert year_value([], "sum") is None
