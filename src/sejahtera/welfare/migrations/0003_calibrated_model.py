"""Version 2 of the demo PMT model of regency 3201, with its held-out report; it becomes the active one.

The numbers are what ``sejahtera.welfare.calibration.calibrate`` (what ``sejahtera calibrate_pmt`` runs,
with its defaults: all variables, ridge 1.0, held-out share 0.2, split seed 1, cut-off 0.4) gave on the
``sampel_kalibrasi.csv`` that ``demo.synthetic.files.write_registry_files`` writes for
``generate_regency("3201", families=40000, seed=7, reference_date=datetime.date(2026, 11, 28))``: the
6,113 families whose survey measured consumption, 4,890 fitted and 1,223 held out, identical on SQLite
and PostgreSQL. On log consumption: training R² 0.8138, RMSE 0.2134; held out R² 0.8055, RMSE 0.2191.
Of the 1,223 held-out households, 80 are poor (observed consumption below the demo's poverty line of
Rp550,000); taking the poorest 40 % by prediction (489) as the poor leaves none of them out (exclusion
error 0 %) and includes 409 who are not poor (inclusion error 83.64 %, which is the floor when 40 % are
taken and 6.5 % are poor). Version 1 (0002) was fitted on all 6,113 rows without a held-out split.
Synthetic data: a real installation calibrates on Susenas and activates its own version.
"""

from django.db import migrations

REGENCY = "3201"
VERSION = 2
INTERCEPT = 12.789457
COEFFICIENTS = {
    "log_household_size": 0.070482, "child_share": -0.057572, "head_education": 0.038319, "urban": -0.019221,
    "log_floor_area_per_capita": 0.166278, "floor_fine": 0.108241, "floor_tile": 0.036168,
    "floor_earth_bamboo": -0.052894, "wall_masonry": 0.070727, "wall_bamboo": -0.027515, "roof_concrete": 0.110055,
    "roof_sheet": -0.07855, "roof_poor": -0.13008, "water_bought_piped": 0.063599, "water_unprotected": -0.074046,
    "toilet_own_septic": 0.080392, "toilet_none_public": -0.096863, "lighting_not_metered": -0.062146,
    "power_900": 0.136829, "power_1300_plus": 0.259571, "power_2200_plus": 0.117262,
    "fuel_large_lpg_electric": 0.102523, "fuel_solid": -0.089866, "home_rent": 0.0083, "home_rent_free": -0.034591,
    "owns_land": 0.03222, "owns_other_house": 0.073229, "has_refrigerator": 0.07521, "has_air_conditioner": 0.089401,
    "has_television": 0.056089, "has_computer": 0.060719, "has_gold": 0.064948, "has_motorbike": 0.063077,
    "has_car": 0.074011, "large_livestock": 0.00426, "small_livestock": -0.003714,
}
CALIBRATION = {
    "source": "synthetic demo data: generate_regency('3201', families=40000, seed=7, "
              "reference_date=date(2026, 11, 28)), sampel_kalibrasi.csv (surveys that measured consumption)",
    "method": "least squares on log monthly consumption per capita, ridge 1.0, intercept not penalised; "
              "features by the scoring SQL (sejahtera.welfare.pmt.VARIABLES)",
    "sample": {"file": "sampel_kalibrasi.csv", "rows": 6113},
    "split": {"train": 4890, "held_out": 1223, "held_out_share": 0.2, "seed": 1},
    "train": {"r2": 0.8138, "rmse_log": 0.2134},
    "held_out": {"n": 1223, "r2": 0.8055, "rmse_log": 0.2191, "cutoff_share": 0.4,
                 "poverty_line": 550000, "poor": 80, "inclusion_error": 0.8364, "exclusion_error": 0.0},
    "means": {
        "log_household_size": 1.1007, "child_share": 0.2257, "head_education": 4.0151, "urban": 0.072,
        "log_floor_area_per_capita": 2.5467, "floor_fine": 0.5865, "floor_tile": 0.0818, "floor_earth_bamboo": 0.036,
        "wall_masonry": 0.8542, "wall_bamboo": 0.0648, "roof_concrete": 0.0272, "roof_sheet": 0.1409,
        "roof_poor": 0.0235, "water_bought_piped": 0.3943, "water_unprotected": 0.099, "toilet_own_septic": 0.7534,
        "toilet_none_public": 0.0417, "lighting_not_metered": 0.0859, "power_900": 0.4423, "power_1300_plus": 0.2192,
        "power_2200_plus": 0.0771, "fuel_large_lpg_electric": 0.1137, "fuel_solid": 0.0622, "home_rent": 0.1076,
        "home_rent_free": 0.0538, "owns_land": 0.48, "owns_other_house": 0.0669, "has_refrigerator": 0.5802,
        "has_air_conditioner": 0.0898, "has_television": 0.5836, "has_computer": 0.1898, "has_gold": 0.1894,
        "has_motorbike": 0.6953, "has_car": 0.0996, "large_livestock": 0.0953, "small_livestock": 0.3061,
    },
}


def add_version_2(apps, schema_editor):
    PmtModel = apps.get_model("welfare", "PmtModel")
    PmtCoefficient = apps.get_model("welfare", "PmtCoefficient")
    PmtModel.objects.filter(regency_code=REGENCY, is_active=True).update(is_active=False)
    model = PmtModel.objects.create(
        regency_code=REGENCY, version=VERSION, name="Demo PMT v2 (synthetic calibration, held-out report)",
        is_active=True, intercept=INTERCEPT, calibration=CALIBRATION,
        notes="Fitted on synthetic data for the demo; not for real targeting.",
    )
    PmtCoefficient.objects.bulk_create(
        PmtCoefficient(model=model, variable=name, value=value) for name, value in COEFFICIENTS.items())


def remove_version_2(apps, schema_editor):
    PmtModel = apps.get_model("welfare", "PmtModel")
    model = PmtModel.objects.filter(regency_code=REGENCY, version=VERSION).first()
    if model is None:
        return
    if apps.get_model("welfare", "WelfareScore").objects.filter(model=model).exists():
        raise RuntimeError("PMT model 3201 v2 has welfare scores, which keep the model they were made with; "
                           "it cannot be removed by reversing this migration.")
    model.delete()
    PmtModel.objects.filter(regency_code=REGENCY, version=1).update(is_active=True)


class Migration(migrations.Migration):
    dependencies = [("welfare", "0002_default_model")]
    operations = [migrations.RunPython(add_version_2, remove_version_2)]
