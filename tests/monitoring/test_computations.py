"""Computed indicators equal counts made here in plain Python over the scenario's records."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest

from sejahtera.careers.models import Placement
from sejahtera.monitoring.computations import refresh_aggregates
from sejahtera.monitoring.models import Indicator, Realisation
from sejahtera.programs.models import Enrolment
from sejahtera.training.models import Trainee
from sejahtera.welfare.models import WelfareScore
from tests.monitoring.conftest import TODAY, YEAR

pytestmark = pytest.mark.django_db
HOLDING = {"approved", "active", "completed", "graduated"}
MONTH = datetime.date(YEAR, TODAY.month, 1)


def stored(code: str, kind: str, start: datetime.date) -> dict[str, Decimal]:
    rows = Realisation.objects.filter(indicator__code=code, period_kind=kind, period_start=start, computed=True)
    return {row.region_code: row.value for row in rows}


def expected_levels(per_desa: Counter) -> dict[str, int]:
    """The desa counts, with their kecamatan and regency sums."""
    out = Counter()
    for desa, n in per_desa.items():
        for length in (10, 6, 4):
            out[desa[:length]] += n
    return {code: n for code, n in out.items() if n}


def test_poor_families_covered_and_receiving_nothing(scenario):
    receiving = {e.family_id for e in Enrolment.objects.all() if e.status in HOLDING}
    covered, nothing = Counter(), Counter()
    for score in WelfareScore.objects.filter(is_current=True):
        if score.is_poor:
            (covered if score.family_id in receiving else nothing)[score.desa_code] += 1
    assert sum(covered.values()) > 0 and sum(nothing.values()) > 0
    assert stored("poor-families-covered", "month", MONTH) == expected_levels(covered)
    assert stored("poor-families-receiving-nothing", "month", MONTH) == expected_levels(nothing)
    # A stock's year value is its latest month.
    assert stored("poor-families-covered", "year", datetime.date(YEAR, 1, 1)) == expected_levels(covered)


def test_pbi_daerah_enrolled_counts_persons_receiving_in_a_running_cycle(scenario):
    enrolled = Counter(e.desa_code for e in Enrolment.objects.filter(cycle=scenario.pbi_cycle)
                       if e.status in HOLDING)
    assert 0 < sum(enrolled.values()) < Enrolment.objects.filter(cycle=scenario.pbi_cycle).count()
    assert stored("pbi-daerah-enrolled", "month", MONTH) == expected_levels(enrolled)


def test_scholarships_granted_fall_in_the_month_the_cycle_starts(scenario):
    granted = Counter(e.desa_code for e in Enrolment.objects.filter(cycle=scenario.s1_cycle) if e.status in HOLDING)
    assert sum(granted.values()) > 0
    assert stored("s1-scholarships", "month", datetime.date(YEAR, 8, 1)) == expected_levels(granted)
    assert stored("s1-scholarships", "year", datetime.date(YEAR, 1, 1)) == expected_levels(granted)
    assert not stored("s1-scholarships", "month", datetime.date(YEAR, 1, 1))


def test_trainees_per_batch_month_and_year(scenario):
    per_month = {}
    for trainee in Trainee.objects.select_related("batch"):
        if trainee.status in ("accepted", "attending", "completed"):
            per_month.setdefault(trainee.batch.starts_on.replace(day=1), Counter())[trainee.desa_code] += 1
    assert sorted(per_month) == [datetime.date(YEAR, 2, 1), datetime.date(YEAR, 9, 1)]
    assert sum(per_month[datetime.date(YEAR, 2, 1)].values()) == 5  # capacity 5 of 8 applicants
    for month, counts in per_month.items():
        assert stored("blk-trainees", "month", month) == expected_levels(counts)
    assert stored("blk-trainees", "year", datetime.date(YEAR, 1, 1)) == expected_levels(
        sum(per_month.values(), Counter()))


def test_placements_per_month_by_the_seekers_desa_and_only_in_the_year(scenario):
    this_year = Counter()
    for placement in Placement.objects.select_related("seeker"):
        if placement.start_date.year == YEAR:
            this_year[placement.seeker.desa_code] += 1
    assert sum(this_year.values()) == 4
    assert stored("seekers-placed", "year", datetime.date(YEAR, 1, 1)) == expected_levels(this_year)
    months = Realisation.objects.filter(indicator__code="seekers-placed", region_code="3201", period_kind="month")
    assert {row.period_start: row.value for row in months} == {datetime.date(YEAR, 3, 1): 2,
                                                                datetime.date(YEAR, 10, 1): 2}


def test_a_refresh_keeps_hand_entered_figures_and_is_repeatable(scenario):
    indicator = Indicator.objects.get(code="seekers-placed")
    before = sorted(Realisation.objects.filter(computed=True).values_list(
        "indicator_id", "region_code", "period_kind", "period_start", "value"))
    Realisation.objects.filter(indicator=indicator, region_code="3201", period_kind="year",
                               period_start=datetime.date(YEAR, 1, 1)).update(computed=False, value=99,
                                                                               source="Laporan Disnaker")
    refresh_aggregates(YEAR, today=TODAY)
    hand = Realisation.objects.get(indicator=indicator, region_code="3201", period_kind="year",
                                   period_start=datetime.date(YEAR, 1, 1))
    assert (hand.value, hand.computed, hand.source) == (99, False, "Laporan Disnaker")
    after = sorted(Realisation.objects.filter(computed=True).values_list(
        "indicator_id", "region_code", "period_kind", "period_start", "value"))
    assert after == [row for row in before if row[:4] != (indicator.pk, "3201", "year", datetime.date(YEAR, 1, 1))]
    # The published figure of 2024 survives a refresh of 2024.
    refresh_aggregates(2024, today=TODAY)
    assert Realisation.objects.get(indicator=indicator, region_code="3201", period_kind="year",
                                   period_start=datetime.date(2024, 1, 1)).value == 2676
