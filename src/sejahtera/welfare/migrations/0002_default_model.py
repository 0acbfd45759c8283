"""The demo's default PMT model and Kabupaten Bogor's poverty lines.

The coefficients were fitted with ``sejahtera.welfare.calibration.fit`` (least squares, ridge 1.0)
on the 6,113 surveys with measured consumption among 40,000 synthetic families of regency 3201
(``generate_regency("3201", families=40000, seed=7)``): R² 0.812, RMSE 0.214 on log consumption.
They fit the synthetic generator, not real data: a real installation calibrates its own model
on Susenas and activates it as a new version.
"""

from django.db import migrations

REGENCY = "3201"
INTERCEPT = 12.7667
COEFFICIENTS = {
    "log_household_size": 0.072, "child_share": -0.0563, "head_education": 0.037, "urban": -0.0128,
    "log_floor_area_per_capita": 0.1751, "floor_fine": 0.11, "floor_tile": 0.0404, "floor_earth_bamboo": -0.0567,
    "wall_masonry": 0.0751, "wall_bamboo": -0.0184, "roof_concrete": 0.1146, "roof_sheet": -0.0816,
    "roof_poor": -0.134, "water_bought_piped": 0.0624, "water_unprotected": -0.0745, "toilet_own_septic": 0.0834,
    "toilet_none_public": -0.0884, "lighting_not_metered": -0.064, "power_900": 0.1257, "power_1300_plus": 0.2539,
    "power_2200_plus": 0.1052, "fuel_large_lpg_electric": 0.1035, "fuel_solid": -0.0965, "home_rent": 0.0142,
    "home_rent_free": -0.038, "owns_land": 0.0324, "owns_other_house": 0.0766, "has_refrigerator": 0.0773,
    "has_air_conditioner": 0.0912, "has_television": 0.0601, "has_computer": 0.0624, "has_gold": 0.0645,
    "has_motorbike": 0.0602, "has_car": 0.0687, "large_livestock": 0.0048, "small_livestock": -0.0021,
}
CALIBRATION = {
    "source": "synthetic demo data: generate_regency('3201', families=40000, seed=7), measured surveys only",
    "method": "ordinary least squares on log consumption per capita, ridge 1.0",
    "n": 6113, "r2": 0.8124, "rmse_log": 0.2144,
}
LINES = [
    # kind, year, amount, source
    ("extreme", 2024, 322_170,
     "Extreme-poverty line of Kabupaten Bogor, Rp322,170 per capita per month "
     "(Sejahtera DESIGN notes, 'Published figures the demo and the monitoring defaults may use')."),
    ("poverty", 2024, 550_000,
     "CONFIGURABLE PLACEHOLDER, not an official figure: the poverty line of the synthetic demo "
     "generator (sejahtera.demo.synthetic.welfare.POVERTY_LINE). Replace with BPS's Garis Kemiskinan "
     "of the regency for the year before using the poverty flag."),
]


def seed(apps, schema_editor):
    PmtModel = apps.get_model("welfare", "PmtModel")
    PmtCoefficient = apps.get_model("welfare", "PmtCoefficient")
    PovertyLine = apps.get_model("welfare", "PovertyLine")
    model = PmtModel.objects.create(
        regency_code=REGENCY, version=1, name="Demo PMT (synthetic calibration)", is_active=True,
        intercept=INTERCEPT, calibration=CALIBRATION,
        notes="Fitted on synthetic data for the demo; not for real targeting.",
    )
    PmtCoefficient.objects.bulk_create(
        PmtCoefficient(model=model, variable=name, value=value) for name, value in COEFFICIENTS.items())
    for kind, year, amount, source in LINES:
        PovertyLine.objects.create(regency_code=REGENCY, year=year, kind=kind, amount=amount, source=source)


def unseed(apps, schema_editor):
    apps.get_model("welfare", "PmtModel").objects.filter(regency_code=REGENCY, version=1).delete()
    apps.get_model("welfare", "PovertyLine").objects.filter(regency_code=REGENCY, year=2024).delete()


class Migration(migrations.Migration):
    dependencies = [("welfare", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
