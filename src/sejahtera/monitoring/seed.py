"""Kabupaten Bogor's RPJMD indicators with their published figures, seeded for regency 3201.

Every stored figure keeps its source. The published figures are those of Sejahtera's design notes
(BPS poverty and open-unemployment rates, the RPJMD 2018-2023 poverty target, the Bogor Career
Center and scholarship figures). The programme figures are quoted there without a year; they are
recorded as 2024 and their source says so. Every target of RPJMD 2025-2029 except the 1,200 S1
scholarships is invented for the demo, and its source says "Demo value". The computed indicators
whose size depends on the registry (PBI Daerah enrolled, poor families covered or receiving
nothing) have no seeded target.
"""

REGENCY = "3201"
DEMO = "Demo value, not a published target: to be replaced by the RPJMD 2025-2029 figure."
DESIGN = "as quoted in Sejahtera's design notes"
PROGRAMME_YEAR = "the year of the figure is not stated there; recorded as 2024"

PLAN_PERIODS = [("RPJMD 2018-2023", 2018, 2023), ("RPJMD 2025-2029", 2025, 2029)]

# code, name, unit, polarity, level, kind, accumulation, computation, agency, description, source
INDICATORS = [
    ("p0", "Poverty rate (P0)", "percent", "lower", "regency", "manual", "latest", "", "bappedalitbang",
     "Share of the population below the poverty line.", "BPS Kabupaten Bogor"),
    ("tpt", "Open unemployment rate (TPT)", "percent", "lower", "regency", "manual", "latest", "", "disnaker",
     "Unemployed as a share of the labour force (Sakernas, August).", "BPS Kabupaten Bogor, Sakernas August"),
    ("seekers-facilitated", "Job seekers facilitated", "persons", "higher", "regency", "manual", "sum", "",
     "disnaker", "Job seekers served by the Bogor Career Center.", "Disnaker Kabupaten Bogor"),
    ("vacancies", "Job vacancies published", "count", "higher", "regency", "manual", "sum", "", "disnaker",
     "Vacancies published by the Bogor Career Center.", "Disnaker Kabupaten Bogor"),
    ("seekers-placed", "Job seekers placed", "persons", "higher", "desa", "computed", "sum", "placements",
     "disnaker", "Placements recorded in the career center, by the month the job started and the seeker's desa.",
     "Sejahtera: careers placements"),
    ("blk-trainees", "BLK trainees", "persons", "higher", "desa", "computed", "sum", "trainees", "disnaker",
     "Trainees accepted in a BLK training batch (accepted, attending or completed), by the batch's start "
     "month and the trainee's desa.", "Sejahtera: training trainees"),
    ("s1-scholarships", "S1 scholarships granted", "persons", "higher", "desa", "computed", "sum",
     "granted:beasiswa-s1", "disdik",
     "Approved S1 scholarship enrolments (approved, active, completed, graduated), by the cycle's start month.",
     "Sejahtera: programme enrolments"),
    ("pbi-daerah-enrolled", "PBI JKN Daerah enrolled", "persons", "higher", "desa", "computed", "latest",
     "enrolled:pbi-jkn-daerah", "dinkes",
     "Persons with a receiving PBI JKN Daerah enrolment in a cycle running in the month.",
     "Sejahtera: programme enrolments"),
    ("poor-families-covered", "Poor families covered by at least one programme", "families", "higher", "desa",
     "computed", "latest", "poor_covered", "bappedalitbang",
     "Families below the poverty line (current welfare score) receiving at least one programme.",
     "Sejahtera: welfare scores and programme enrolments"),
    ("poor-families-receiving-nothing", "Poor families receiving nothing", "families", "lower", "desa",
     "computed", "latest", "poor_uncovered", "bappedalitbang",
     "Families below the poverty line (current welfare score) receiving no programme.",
     "Sejahtera: welfare scores and programme enrolments"),
]

# indicator, year, value, source (regency-wide year figures)
REALISATIONS = [
    ("p0", 2019, "6.66", f"BPS Kabupaten Bogor, poverty rate P0 2019 ({DESIGN})"),
    ("p0", 2021, "8.13", f"BPS Kabupaten Bogor, poverty rate P0 2021 ({DESIGN})"),
    ("p0", 2022, "7.73", f"BPS Kabupaten Bogor, poverty rate P0 2022 ({DESIGN})"),
    ("p0", 2024, "7.05", f"BPS Kabupaten Bogor, poverty rate P0 2024 ({DESIGN})"),
    ("tpt", 2020, "14.29", f"BPS Kabupaten Bogor, open unemployment rate, August 2020 ({DESIGN})"),
    ("tpt", 2021, "12.22", f"BPS Kabupaten Bogor, open unemployment rate, August 2021 ({DESIGN})"),
    ("tpt", 2022, "10.64", f"BPS Kabupaten Bogor, open unemployment rate, August 2022 ({DESIGN})"),
    ("tpt", 2023, "8.47", f"BPS Kabupaten Bogor, open unemployment rate, August 2023 ({DESIGN})"),
    ("tpt", 2024, "7.34", f"BPS Kabupaten Bogor, open unemployment rate, August 2024 ({DESIGN})"),
    ("seekers-facilitated", 2024, "48578",
     f"Bappedalitbang Kabupaten Bogor, RPJMD priority programmes: Bogor Career Center ({DESIGN}; {PROGRAMME_YEAR})"),
    ("vacancies", 2024, "104",
     f"Bappedalitbang Kabupaten Bogor, RPJMD priority programmes: Bogor Career Center ({DESIGN}; {PROGRAMME_YEAR})"),
    ("seekers-placed", 2024, "2676",
     f"Bappedalitbang Kabupaten Bogor, RPJMD priority programmes: Bogor Career Center ({DESIGN}; {PROGRAMME_YEAR})"),
    ("blk-trainees", 2024, "325",
     f"Bappedalitbang Kabupaten Bogor, RPJMD priority programmes: BLK training ({DESIGN}; {PROGRAMME_YEAR})"),
]

NEXT = "RPJMD 2025-2029"
S1_SOURCE = (f"Bappedalitbang Kabupaten Bogor, RPJMD priority programmes: S1 scholarships for 1,200 outstanding "
             f"students ({DESIGN}); the same figure set for each year is a demo assumption")


def _yearly(code: str, values: list[str], source: str = DEMO) -> list[tuple]:
    return [(code, NEXT, 2025 + i, value, source) for i, value in enumerate(values)]


# indicator, plan period, year, value, source (regency-wide)
TARGETS = [
    ("p0", "RPJMD 2018-2023", 2023, "7.14", f"RPJMD Kabupaten Bogor 2018-2023, target for 2023 ({DESIGN})"),
    *_yearly("p0", ["6.90", "6.70", "6.50", "6.30", "6.10"]),
    *_yearly("tpt", ["7.10", "6.80", "6.50", "6.20", "5.90"]),
    *_yearly("seekers-facilitated", ["50000", "52000", "54000", "56000", "58000"]),
    *_yearly("vacancies", ["110", "120", "130", "140", "150"]),
    *_yearly("seekers-placed", ["2800", "3000", "3200", "3400", "3600"]),
    *_yearly("blk-trainees", ["350", "375", "400", "425", "450"]),
    *_yearly("s1-scholarships", ["1200"] * 5, S1_SOURCE),
]


def seed(apps, schema_editor=None) -> None:
    """Write the plan periods, indicators, targets and published realisations (idempotent)."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    Agency = apps.get_model("accounts", "Agency")
    PlanPeriod = apps.get_model("monitoring", "PlanPeriod")
    Indicator = apps.get_model("monitoring", "Indicator")
    Target = apps.get_model("monitoring", "Target")
    Realisation = apps.get_model("monitoring", "Realisation")
    now = timezone.now()
    periods = {}
    for name, start, end in PLAN_PERIODS:
        periods[name], _ = PlanPeriod.objects.get_or_create(regency_code=REGENCY, name=name,
                                                            defaults={"start_year": start, "end_year": end})
    indicators = {}
    for order, (code, name, unit, polarity, level, kind, accumulation, computation, agency, description,
                source) in enumerate(INDICATORS, start=1):
        indicators[code], _ = Indicator.objects.get_or_create(code=code, defaults=dict(
            regency_code=REGENCY, name=name, unit=unit, polarity=polarity, level=level, kind=kind,
            accumulation=accumulation, computation=computation, agency=Agency.objects.get(code=agency),
            description=description, source=source, order=order))
    for code, period, year, value, source in TARGETS:
        Target.objects.get_or_create(indicator=indicators[code], plan_period=periods[period], year=year,
                                     region_code=REGENCY, defaults={"value": Decimal(value), "source": source})
    for code, year, value, source in REALISATIONS:
        Realisation.objects.get_or_create(
            indicator=indicators[code], region_code=REGENCY, period_kind="year",
            period_start=datetime.date(year, 1, 1),
            defaults={"value": Decimal(value), "source": source, "entered_at": now, "computed": False})


def unseed(apps, schema_editor=None) -> None:
    codes = [row[0] for row in INDICATORS]
    apps.get_model("monitoring", "Indicator").objects.filter(code__in=codes).delete()
    apps.get_model("monitoring", "PlanPeriod").objects.filter(
        regency_code=REGENCY, name__in=[name for name, _s, _e in PLAN_PERIODS]).delete()
