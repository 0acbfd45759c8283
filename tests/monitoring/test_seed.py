"""The seed: Kabupaten Bogor's RPJMD indicators with the published figures, each with its source."""

import datetime
from decimal import Decimal

import pytest

from sejahtera.monitoring.computations import computation_for
from sejahtera.monitoring.models import Indicator, PlanPeriod, Realisation, Target

pytestmark = pytest.mark.django_db


def realised(code: str) -> dict[int, Decimal]:
    rows = Realisation.objects.filter(indicator__code=code, region_code="3201", period_kind="year")
    return {row.period_start.year: row.value for row in rows}


def test_poverty_and_unemployment_rates_are_the_published_bps_figures():
    assert realised("p0") == {2019: Decimal("6.66"), 2021: Decimal("8.13"), 2022: Decimal("7.73"),
                              2024: Decimal("7.05")}
    assert realised("tpt") == {2020: Decimal("14.29"), 2021: Decimal("12.22"), 2022: Decimal("10.64"),
                               2023: Decimal("8.47"), 2024: Decimal("7.34")}
    for code in ("p0", "tpt"):
        indicator = Indicator.objects.get(code=code)
        assert (indicator.unit, indicator.polarity, indicator.kind, indicator.accumulation) == \
            ("percent", "lower", "manual", "latest")
    target = Target.objects.get(indicator__code="p0", plan_period__name="RPJMD 2018-2023", year=2023)
    assert target.value == Decimal("7.14") and "RPJMD" in target.source


def test_programme_figures_are_seeded_and_every_figure_has_a_source():
    assert realised("seekers-facilitated")[2024] == 48578
    assert realised("vacancies")[2024] == 104
    assert realised("seekers-placed")[2024] == 2676
    assert realised("blk-trainees")[2024] == 325
    assert set(Target.objects.filter(indicator__code="s1-scholarships").values_list("value", flat=True)) == {1200}
    assert not Realisation.objects.filter(source="").exists()
    assert not Target.objects.filter(source="").exists()
    assert all("BPS" in row.source for row in Realisation.objects.filter(indicator__code__in=["p0", "tpt"]))


def test_invented_targets_say_they_are_demo_values():
    next_plan = Target.objects.filter(plan_period__name="RPJMD 2025-2029").exclude(indicator__code="s1-scholarships")
    assert next_plan.count() == 30
    assert all(target.source.startswith("Nilai demo") for target in next_plan)
    assert {(p.name, p.start_year, p.end_year) for p in PlanPeriod.objects.all()} >= {
        ("RPJMD 2018-2023", 2018, 2023), ("RPJMD 2025-2029", 2025, 2029)}


def test_computed_indicators_name_a_known_computation():
    computed = Indicator.objects.filter(kind="computed")
    assert set(computed.values_list("code", flat=True)) == {
        "seekers-placed", "blk-trainees", "s1-scholarships", "pbi-daerah-enrolled", "poor-families-covered",
        "poor-families-receiving-nothing"}
    for indicator in computed:
        computation_for(indicator.computation)
        assert indicator.level == "desa"
    assert Realisation.objects.filter(period_start__gt=datetime.date(2024, 12, 31)).count() == 0


def test_a_database_seeded_in_english_gets_the_indonesian_texts():
    from django.apps import apps

    from sejahtera.monitoring.seed import relabel

    Indicator.objects.filter(code="p0").update(name="Poverty rate (P0)", source="BPS")
    p0_2023 = Target.objects.filter(indicator__code="p0", plan_period__name="RPJMD 2018-2023", year=2023)
    p0_2023.update(source="RPJMD Kabupaten Bogor 2018-2023, target for 2023 (as quoted in Sejahtera's design notes)")
    demo = Target.objects.filter(indicator__code="tpt", plan_period__name="RPJMD 2025-2029", year=2026)
    demo.update(source="Demo value, not a published target: to be replaced by the RPJMD 2025-2029 figure.")
    entered = Target.objects.filter(indicator__code="tpt", plan_period__name="RPJMD 2025-2029", year=2027)
    entered.update(source="Keputusan Bupati 2026")  # set by a planner: left alone
    bps_2019 = Realisation.objects.filter(indicator__code="p0", period_start=datetime.date(2019, 1, 1))
    bps_2019.update(source="BPS Kabupaten Bogor, poverty rate P0 2019 (as quoted in Sejahtera's design notes)")

    relabel(apps)

    p0 = Indicator.objects.get(code="p0")
    assert (p0.name, p0.source) == ("Persentase penduduk miskin (P0)", "BPS Kabupaten Bogor")
    assert p0_2023.get().source.startswith("RPJMD Kabupaten Bogor 2018-2023, target tahun 2023")
    assert demo.get().source.startswith("Nilai demo")
    assert entered.get().source == "Keputusan Bupati 2026"
    assert bps_2019.get().source.startswith("BPS Kabupaten Bogor, persentase penduduk miskin (P0) 2019")
