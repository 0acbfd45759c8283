"""The precomputed programme coverage equals what the targeting analytics count live."""

import pytest

from sejahtera.accounts.roles import Role
from sejahtera.monitoring import coverage
from sejahtera.monitoring.models import CoverageSummary
from sejahtera.programs import analytics
from sejahtera.welfare.models import WelfareScore
from tests.monitoring.conftest import staff

pytestmark = pytest.mark.django_db
FIELDS = ("poorest", "covered", "poor", "excluded", "receiving", "included")


def figures(area) -> tuple:
    return tuple(getattr(area, name) for name in FIELDS)


def test_the_summary_written_by_the_refresh_equals_the_targeting_analytics(scenario):
    assert CoverageSummary.objects.exists()  # written by refresh_aggregates in the scenario
    admin = staff(Role.SYSTEM_ADMIN, name="admin")
    live = analytics.targeting(admin)
    stored = coverage.coverage_figures(["3201"], 6)
    assert live.total.covered > 0 and live.total.excluded > 0
    for row in live.rows:
        if row.poorest or row.receiving or row.poor:
            assert figures(stored[row.code]) == figures(row), row.code
    assert figures(coverage.coverage_figures(["3201"], 4)["3201"]) == figures(live.total)
    kecamatan = max(live.rows, key=lambda row: row.covered).code
    per_desa = analytics.targeting(admin, kecamatan_code=kecamatan)
    stored = coverage.coverage_figures([kecamatan], 10)
    for row in per_desa.rows:
        if row.poorest or row.receiving or row.poor:
            assert figures(stored[row.code]) == figures(row), row.code


def test_coverage_by_desil_counts_the_current_scores(scenario):
    by_desil = coverage.coverage_by_desil(["3201"])
    assert [row.desil for row in by_desil] == list(range(1, 11))
    for row in by_desil:
        scores = WelfareScore.objects.filter(is_current=True, desil=row.desil, desa_code__startswith="3201")
        assert row.families == scores.count()
        assert row.receiving == scores.filter(analytics.receives()).count()
    assert sum(row.receiving for row in by_desil[:4]) == analytics.targeting(
        staff(Role.SYSTEM_ADMIN, name="admin2")).total.covered
