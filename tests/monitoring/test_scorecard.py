"""The scorecard and trends: targets against realisations, and drill-down scoping by region."""

from decimal import Decimal

import pytest
from django.http import Http404

from sejahtera.accounts.roles import Role
from sejahtera.monitoring import selectors, services
from sejahtera.monitoring.computations import refresh_aggregates
from sejahtera.monitoring.models import Indicator, Realisation
from tests.monitoring.conftest import TODAY, YEAR, staff

pytestmark = pytest.mark.django_db


def busiest_kecamatan() -> str:
    """The kecamatan with the most poor families receiving nothing (so its rows hold figures)."""
    rows = Realisation.objects.filter(indicator__code="poor-families-receiving-nothing", period_kind="year",
                                      region_code__regex=r"^\d{6}$").order_by("-value", "region_code")
    return rows.first().region_code


def by_code(rows) -> dict:
    return {row.indicator.code: row for row in rows}


def test_the_regency_scorecard_has_every_indicator_with_target_realisation_and_light(scenario):
    planner = staff(Role.PLANNER, "bappedalitbang", name="perencana")
    rows = by_code(selectors.scorecard(planner, year=YEAR))
    assert set(rows) == set(Indicator.objects.values_list("code", flat=True))
    assert {row.region_code for row in rows.values()} == {"3201"}
    placed = rows["seekers-placed"]
    assert (placed.target, placed.realisation, placed.computed) == (Decimal(3000), Decimal(4), True)
    assert placed.achievement == Decimal("0.13") and placed.light == "red"
    # No realisation of P0 for the year yet: no data, not 0 %.
    assert (rows["p0"].target, rows["p0"].realisation, rows["p0"].achievement, rows["p0"].light) == \
        (Decimal("6.7"), None, None, "none")
    assert rows["poor-families-covered"].target is None and rows["poor-families-covered"].achievement is None
    assert rows["poor-families-covered"].realisation > 0


def test_a_kecamatan_user_sees_only_their_kecamatan(scenario):
    kecamatan = busiest_kecamatan()
    verifier = staff(Role.KECAMATAN_VERIFIER, region=kecamatan, name="verifikator-kec")
    rows = selectors.scorecard(verifier, year=YEAR)
    assert rows and {row.region_code for row in rows} == {kecamatan}
    codes = {row.indicator.code for row in rows}
    assert "p0" not in codes and "tpt" not in codes  # measured for the regency only
    nothing = by_code(rows)["poor-families-receiving-nothing"]
    assert nothing.realisation == Realisation.objects.get(
        indicator__code="poor-families-receiving-nothing", region_code=kecamatan, period_kind="year").value
    desa = Realisation.objects.filter(region_code__startswith=kecamatan, region_code__regex=r"^\d{10}$").first()
    assert {row.region_code for row in selectors.scorecard(verifier, year=YEAR, region=desa.region_code)} == \
        {desa.region_code}
    other = Realisation.objects.filter(region_code__regex=r"^\d{10}$").exclude(
        region_code__startswith=kecamatan).first().region_code
    for outside in ("3201", other, other[:6]):
        with pytest.raises(Http404):
            selectors.scorecard(verifier, year=YEAR, region=outside)
    indicator = Indicator.objects.get(code="seekers-placed")
    assert not selectors.realisation_list(verifier, indicator).exclude(region_code__startswith=kecamatan).exists()
    assert selectors.realisation_list(verifier, indicator).filter(region_code="3201").count() == 0


def test_thresholds_of_the_regency_change_the_lights(scenario):
    planner = staff(Role.PLANNER, "bappedalitbang", name="perencana")
    indicator = Indicator.objects.get(code="blk-trainees")
    row = by_code(selectors.scorecard(planner, year=YEAR))["blk-trainees"]
    services.target_set(actor=planner, indicator=indicator, plan_period=indicator.targets.get(year=YEAR).plan_period,
                        year=YEAR, region_code="3201", value=row.realisation, source="Revised")
    assert by_code(selectors.scorecard(planner, year=YEAR))["blk-trainees"].light == "green"
    services.thresholds_set(actor=planner, regency_code="3201", green_from=101, yellow_from=100)
    assert by_code(selectors.scorecard(planner, year=YEAR))["blk-trainees"].light == "yellow"


def test_trend_has_targets_and_realisations_per_year(scenario):
    planner = staff(Role.PLANNER, "bappedalitbang", name="perencana")
    points = {p.year: p for p in selectors.trend(planner, Indicator.objects.get(code="p0"))}
    assert sorted(points) == [2019, 2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028, 2029]
    assert (points[2023].target, points[2023].realisation, points[2023].achievement) == (Decimal("7.14"), None, None)
    assert (points[2024].target, points[2024].realisation) == (None, Decimal("7.05"))
    placed = {p.year: p for p in selectors.trend(planner, Indicator.objects.get(code="seekers-placed"))}
    assert placed[YEAR].realisation == 4 and placed[2024].realisation == 2676
    assert (placed[2025].target, placed[2025].realisation) == (Decimal(2800), None)  # 2025 not refreshed yet
    refresh_aggregates(2025, today=TODAY)
    placed = {p.year: p for p in selectors.trend(planner, Indicator.objects.get(code="seekers-placed"))}
    assert placed[2025].realisation == 1 and placed[YEAR].realisation == 4
