"""Kabupaten Bogor's RPJMD indicators with their published figures, seeded for regency 3201.

Every stored figure keeps its source. The published figures are those of Sejahtera's design notes
(BPS poverty and open-unemployment rates, the RPJMD 2018-2023 poverty target, the Bogor Career
Center and scholarship figures). The programme figures are quoted there without a year; they are
recorded as 2024 and their source says so. Every target of RPJMD 2025-2029 except the 1,200 S1
scholarships is invented for the demo, and its source says "Nilai demo". Names, descriptions and
sources are Indonesian: they are the regency's own data, printed as they are in its reports. The computed indicators
whose size depends on the registry (PBI Daerah enrolled, poor families covered or receiving
nothing) have no seeded target.
"""

REGENCY = "3201"
DEMO = "Nilai demo, bukan target resmi: ganti dengan angka RPJMD 2025-2029."
DESIGN = "sebagaimana dikutip dalam catatan rancangan Sejahtera"
PROGRAMME_YEAR = "tahun angka tidak disebutkan di sana; dicatat sebagai 2024"

PLAN_PERIODS = [("RPJMD 2018-2023", 2018, 2023), ("RPJMD 2025-2029", 2025, 2029)]

# code, name, unit, polarity, level, kind, accumulation, computation, agency, description, source
INDICATORS = [
    ("p0", "Persentase penduduk miskin (P0)", "percent", "lower", "regency", "manual", "latest", "", "bappedalitbang",
     "Persentase penduduk di bawah garis kemiskinan.", "BPS Kabupaten Bogor"),
    ("tpt", "Tingkat pengangguran terbuka (TPT)", "percent", "lower", "regency", "manual", "latest", "", "disnaker",
     "Penganggur sebagai persentase angkatan kerja (Sakernas Agustus).", "BPS Kabupaten Bogor, Sakernas Agustus"),
    ("seekers-facilitated", "Pencari kerja yang difasilitasi", "persons", "higher", "regency", "manual", "sum", "",
     "disnaker", "Pencari kerja yang dilayani Bogor Career Center.", "Disnaker Kabupaten Bogor"),
    ("vacancies", "Lowongan kerja yang diumumkan", "count", "higher", "regency", "manual", "sum", "", "disnaker",
     "Lowongan yang diumumkan Bogor Career Center.", "Disnaker Kabupaten Bogor"),
    ("seekers-placed", "Pencari kerja yang ditempatkan", "persons", "higher", "desa", "computed", "sum", "placements",
     "disnaker", "Penempatan yang tercatat di pusat karier, menurut bulan mulai bekerja dan desa pencari kerja.",
     "Sejahtera: penempatan pusat karier"),
    ("blk-trainees", "Peserta pelatihan BLK", "persons", "higher", "desa", "computed", "sum", "trainees", "disnaker",
     "Peserta yang diterima pada angkatan pelatihan BLK (diterima, mengikuti atau selesai), menurut "
     "bulan mulai angkatan dan desa peserta.", "Sejahtera: peserta pelatihan"),
    ("s1-scholarships", "Beasiswa S1 yang diberikan", "persons", "higher", "desa", "computed", "sum",
     "granted:beasiswa-s1", "disdik",
     "Kepesertaan Beasiswa S1 yang disetujui (disetujui, aktif, selesai, lulus), menurut bulan mulai periode.",
     "Sejahtera: kepesertaan program"),
    ("pbi-daerah-enrolled", "Peserta PBI JKN Daerah", "persons", "higher", "desa", "computed", "latest",
     "enrolled:pbi-jkn-daerah", "dinkes",
     "Orang dengan kepesertaan PBI JKN Daerah yang menerima manfaat pada periode yang berjalan di bulan itu.",
     "Sejahtera: kepesertaan program"),
    ("poor-families-covered", "Keluarga miskin yang menerima minimal satu program", "families", "higher", "desa",
     "computed", "latest", "poor_covered", "bappedalitbang",
     "Keluarga di bawah garis kemiskinan (skor kesejahteraan terkini) yang menerima minimal satu program.",
     "Sejahtera: skor kesejahteraan dan kepesertaan program"),
    ("poor-families-receiving-nothing", "Keluarga miskin yang tidak menerima program apa pun", "families", "lower", "desa",
     "computed", "latest", "poor_uncovered", "bappedalitbang",
     "Keluarga di bawah garis kemiskinan (skor kesejahteraan terkini) yang tidak menerima program apa pun.",
     "Sejahtera: skor kesejahteraan dan kepesertaan program"),
]

# indicator, year, value, source (regency-wide year figures)
REALISATIONS = [
    ("p0", 2019, "6.66", f"BPS Kabupaten Bogor, persentase penduduk miskin (P0) 2019 ({DESIGN})"),
    ("p0", 2021, "8.13", f"BPS Kabupaten Bogor, persentase penduduk miskin (P0) 2021 ({DESIGN})"),
    ("p0", 2022, "7.73", f"BPS Kabupaten Bogor, persentase penduduk miskin (P0) 2022 ({DESIGN})"),
    ("p0", 2024, "7.05", f"BPS Kabupaten Bogor, persentase penduduk miskin (P0) 2024 ({DESIGN})"),
    ("tpt", 2020, "14.29", f"BPS Kabupaten Bogor, tingkat pengangguran terbuka Agustus 2020 ({DESIGN})"),
    ("tpt", 2021, "12.22", f"BPS Kabupaten Bogor, tingkat pengangguran terbuka Agustus 2021 ({DESIGN})"),
    ("tpt", 2022, "10.64", f"BPS Kabupaten Bogor, tingkat pengangguran terbuka Agustus 2022 ({DESIGN})"),
    ("tpt", 2023, "8.47", f"BPS Kabupaten Bogor, tingkat pengangguran terbuka Agustus 2023 ({DESIGN})"),
    ("tpt", 2024, "7.34", f"BPS Kabupaten Bogor, tingkat pengangguran terbuka Agustus 2024 ({DESIGN})"),
    ("seekers-facilitated", 2024, "48578",
     f"Bappedalitbang Kabupaten Bogor, program prioritas RPJMD: Bogor Career Center ({DESIGN}; {PROGRAMME_YEAR})"),
    ("vacancies", 2024, "104",
     f"Bappedalitbang Kabupaten Bogor, program prioritas RPJMD: Bogor Career Center ({DESIGN}; {PROGRAMME_YEAR})"),
    ("seekers-placed", 2024, "2676",
     f"Bappedalitbang Kabupaten Bogor, program prioritas RPJMD: Bogor Career Center ({DESIGN}; {PROGRAMME_YEAR})"),
    ("blk-trainees", 2024, "325",
     f"Bappedalitbang Kabupaten Bogor, program prioritas RPJMD: pelatihan BLK ({DESIGN}; {PROGRAMME_YEAR})"),
]

NEXT = "RPJMD 2025-2029"
S1_SOURCE = (f"Bappedalitbang Kabupaten Bogor, program prioritas RPJMD: beasiswa S1 bagi 1.200 mahasiswa "
             f"berprestasi ({DESIGN}); angka yang sama untuk setiap tahun adalah asumsi demo")


def _yearly(code: str, values: list[str], source: str = DEMO) -> list[tuple]:
    return [(code, NEXT, 2025 + i, value, source) for i, value in enumerate(values)]


# indicator, plan period, year, value, source (regency-wide)
TARGETS = [
    ("p0", "RPJMD 2018-2023", 2023, "7.14", f"RPJMD Kabupaten Bogor 2018-2023, target tahun 2023 ({DESIGN})"),
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


def relabel(apps, schema_editor=None) -> None:
    """Bring the seeded rows of a database seeded earlier (in English) to the texts above: the
    indicators by code, the seeded targets and published realisations by their key."""
    import datetime

    Indicator = apps.get_model("monitoring", "Indicator")
    Target = apps.get_model("monitoring", "Target")
    Realisation = apps.get_model("monitoring", "Realisation")
    for code, name, *_rest, description, source in INDICATORS:
        Indicator.objects.filter(code=code).update(name=name, description=description, source=source)
    for code, period, year, _value, source in TARGETS:
        Target.objects.filter(indicator__code=code, plan_period__name=period, year=year, region_code=REGENCY,
                              source__regex=r"^(Demo value|RPJMD Kabupaten Bogor 2018-2023, target for|"
                                            r"Bappedalitbang Kabupaten Bogor, RPJMD priority)").update(source=source)
    for code, year, _value, source in REALISATIONS:
        Realisation.objects.filter(indicator__code=code, region_code=REGENCY, period_kind="year",
                                   period_start=datetime.date(year, 1, 1), computed=False,
                                   source__contains="design notes").update(source=source)


def unseed(apps, schema_editor=None) -> None:
    codes = [row[0] for row in INDICATORS]
    apps.get_model("monitoring", "Indicator").objects.filter(code__in=codes).delete()
    apps.get_model("monitoring", "PlanPeriod").objects.filter(
        regency_code=REGENCY, name__in=[name for name, _s, _e in PLAN_PERIODS]).delete()
