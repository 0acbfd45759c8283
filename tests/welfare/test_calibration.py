"""calibrate_pmt: recovering known coefficients, the held-out report, bad rows, activation, and the
generator's calibration sample, on SQLite and PostgreSQL."""

import csv
import datetime
import io
import math
import random
import re
from functools import cache

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sejahtera.core.models import AuditEvent
from sejahtera.demo.synthetic.files import write_registry_files
from sejahtera.demo.synthetic.generator import generate_regency
from sejahtera.demo.synthetic.writer import write_regency
from sejahtera.regions.models import Region
from sejahtera.registry import choices as c
from sejahtera.registry.importing import vocabulary as vocab
from sejahtera.registry.models import Family
from sejahtera.welfare import calibration, sample
from sejahtera.welfare.models import PmtModel, WelfareScore
from sejahtera.welfare.pmt import VARIABLES
from sejahtera.welfare.scoring import score_regency

pytestmark = pytest.mark.django_db

REGENCY = "3201"
HEADER = ["kode_desa", "jumlah_anggota", "jumlah_anggota_di_bawah_15", "pendidikan_kepala", "luas_lantai",
          "jenis_lantai", "jenis_dinding", "jenis_atap", "sumber_air_minum", "fasilitas_bab", "sumber_penerangan",
          "daya_listrik", "bahan_bakar_memasak", "status_kepemilikan_rumah", "memiliki_lahan", "memiliki_rumah_lain",
          "kulkas", "ac", "televisi", "komputer", "emas", "sepeda_motor", "mobil", "ternak_besar", "ternak_kecil",
          "pengeluaran_per_kapita"]
# log consumption = INTERCEPT + sum(KNOWN[v] * v) + N(0, NOISE), the features computed here in Python.
INTERCEPT = 13.0
NOISE = 0.05
KNOWN = {
    "log_household_size": -0.25, "child_share": -0.3, "head_education": 0.06, "urban": 0.12,
    "log_floor_area_per_capita": 0.2, "floor_fine": 0.15, "wall_masonry": 0.1, "roof_sheet": -0.08,
    "water_unprotected": -0.1, "toilet_own_septic": 0.09, "power_1300_plus": 0.25, "fuel_solid": -0.12,
    "home_rent": -0.05, "has_refrigerator": 0.08, "has_car": 0.3, "small_livestock": -0.01,
}
# With 4,000 training rows and noise 0.05 the standard errors are at most about 0.006 (child share);
# 0.03 is five of them, and far below any coefficient's size.
TOLERANCE = 0.03
INTERCEPT_TOLERANCE = 0.06


def spelling(rng, vocabulary, value):
    return rng.choice(vocabulary[value])


def draw_household(rng, desas):
    """The cells of one sample row (varied spellings) and the features of KNOWN computed from them."""
    n = rng.randint(1, 8)
    kids = rng.randint(0, n - 1)
    education = rng.randint(1, 10)
    desa = rng.choice(desas)
    area = rng.randint(12, 200)
    floor, wall, roof = (rng.choice(list(choices.values)) for choices in (c.FloorMaterial, c.WallMaterial,
                                                                          c.RoofMaterial))
    water, toilet, lighting = (rng.choice(list(choices.values)) for choices in (c.DrinkingWater, c.Toilet,
                                                                               c.Lighting))
    fuel, ownership = rng.choice(list(c.CookingFuel.values)), rng.choice(list(c.HomeOwnership.values))
    power = rng.choice([0, 450, 900, 1300, 2200, 3500])
    assets = [rng.random() < 0.4 for _ in range(9)]  # lahan, rumah lain, kulkas, ac, tv, komputer, emas, motor, mobil
    large, small = rng.choice([0, 0, 0, 1, 2]), rng.choice([0, 0, 1, 3, 6])
    features = {
        "log_household_size": math.log(n), "child_share": kids / n, "head_education": education,
        "urban": 1 if desa[6] == "1" else 0, "log_floor_area_per_capita": math.log(area / n),
        "floor_fine": int(floor in ("marble", "ceramic", "parquet")), "wall_masonry": int(wall == "masonry"),
        "roof_sheet": int(roof in ("zinc", "asbestos")),
        "water_unprotected": int(water in ("unprotected_well", "unprotected_spring", "surface", "rain")),
        "toilet_own_septic": int(toilet == "own_septic"), "power_1300_plus": int(power >= 1300),
        "fuel_solid": int(fuel in ("firewood", "charcoal", "kerosene")), "home_rent": int(ownership == "rent"),
        "has_refrigerator": int(assets[2]), "has_car": int(assets[8]), "small_livestock": small,
    }
    log_c = INTERCEPT + sum(KNOWN[name] * value for name, value in features.items()) + rng.gauss(0, NOISE)
    consumption = round(math.exp(log_c))
    cells = [
        rng.choice([desa, f"{desa[:2]}.{desa[2:4]}.{desa[4:6]}.{desa[6:]}"]), str(n), str(kids),
        rng.choice([spelling(rng, vocab.EDUCATION, education), str(education)]), rng.choice([str(area), f"{area} m2"]),
        spelling(rng, vocab.FLOOR_MATERIAL, floor), spelling(rng, vocab.WALL_MATERIAL, wall),
        spelling(rng, vocab.ROOF_MATERIAL, roof), spelling(rng, vocab.DRINKING_WATER, water),
        spelling(rng, vocab.TOILET, toilet), spelling(rng, vocab.LIGHTING, lighting),
        ">2200" if power == 3500 else str(power), spelling(rng, vocab.COOKING_FUEL, fuel),
        spelling(rng, vocab.HOME_OWNERSHIP, ownership), *(rng.choice(["Ya", "Y", "1"]) if a else
                                                         rng.choice(["Tidak", "T", "0"]) for a in assets),
        str(large), str(small), rng.choice([str(consumption), f"Rp{consumption:,}".replace(",", ".")]),
    ]
    return cells, features, math.log(consumption)


def regency_desas():
    codes = list(Region.objects.filter(level=Region.Level.DESA, code__startswith=REGENCY)
                 .values_list("code", flat=True).order_by("code"))
    return [code for code in codes if code[6] == "1"][:20] + [code for code in codes if code[6] == "2"][:60]


def write_csv(path, rows, header=HEADER):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def known_sample(path, rows=5000, seed=3):
    rng = random.Random(seed)
    desas = regency_desas()
    households = [draw_household(rng, desas) for _ in range(rows)]
    write_csv(path, [cells for cells, _features, _y in households])
    return households


def calibrate(path, *args):
    out = io.StringIO()
    call_command("calibrate_pmt", str(path), *args, stdout=out)
    return PmtModel.objects.filter(regency_code=REGENCY).order_by("-version").first(), out.getvalue()


def coefficients(model):
    return dict(model.coefficients.values_list("variable", "value"))


def test_calibration_recovers_known_coefficients(tmp_path):
    known_sample(tmp_path / "sampel.csv")
    model, _out = calibrate(tmp_path / "sampel.csv", "--variables", ",".join(KNOWN))
    fitted = coefficients(model)
    assert set(fitted) == set(KNOWN)
    for name, value in KNOWN.items():
        assert fitted[name] == pytest.approx(value, abs=TOLERANCE), name
    assert model.intercept == pytest.approx(INTERCEPT, abs=INTERCEPT_TOLERANCE)
    assert model.calibration["held_out"]["r2"] > 0.9


def bottom(values, share):
    k = round(share * len(values))
    return {i for _value, i in sorted((value, i) for i, value in enumerate(values))[:k]}


def test_held_out_report_equals_an_independent_computation(tmp_path):
    households = known_sample(tmp_path / "sampel.csv", seed=4)
    # The poverty line at the observed 20th percentile: 20 % poor, 30 % ranked poor.
    line = round(sorted(math.exp(log_c) for _cells, _features, log_c in households)[len(households) // 5])
    model, out = calibrate(tmp_path / "sampel.csv", "--variables", ",".join(KNOWN), "--seed", "9",
                           "--held-out-share", "0.25", "--cutoff", "0.3", "--poverty-line", str(line))
    report = model.calibration
    assert set(report) == {"source", "method", "sample", "split", "train", "held_out", "means"}
    assert set(report["held_out"]) == {"n", "r2", "rmse_log", "cutoff_share", "poverty_line", "poor",
                                       "inclusion_error", "exclusion_error"}
    assert report["sample"] == {"file": "sampel.csv", "rows": 5000}

    train, held_out = calibration.split(len(households), 0.25, 9)
    assert report["split"] == {"train": len(train), "held_out": len(held_out), "held_out_share": 0.25, "seed": 9}
    assert len(held_out) == 1250 and not set(train) & set(held_out)
    fitted = coefficients(model)
    observed, predicted = [], []
    for i in held_out:
        _cells, features, log_c = households[i]
        observed.append(log_c)
        predicted.append(model.intercept + sum(fitted[name] * value for name, value in features.items()))
    mean = sum(observed) / len(observed)
    ss_res = sum((o - p) ** 2 for o, p in zip(observed, predicted, strict=True))
    r2 = 1 - ss_res / sum((o - mean) ** 2 for o in observed)
    poor = {i for i, log_c in enumerate(observed) if round(math.exp(log_c)) < line}  # the file holds whole Rupiah
    ranked_poor = bottom(predicted, 0.3)
    inclusion = len(ranked_poor - poor) / len(ranked_poor)
    exclusion = len(poor - ranked_poor) / len(poor)
    held = report["held_out"]
    assert held["n"] == 1250 and held["cutoff_share"] == 0.3
    assert held["poverty_line"] == line and held["poor"] == len(poor)
    # More are ranked poor than are poor: the inclusion error carries the difference.
    assert inclusion > exclusion
    assert held["r2"] == pytest.approx(r2, abs=1e-4)
    assert held["rmse_log"] == pytest.approx(math.sqrt(ss_res / len(observed)), abs=1e-4)
    assert held["inclusion_error"] == pytest.approx(inclusion, abs=1e-4)
    assert held["exclusion_error"] == pytest.approx(exclusion, abs=1e-4)
    assert 0.3 < inclusion < 0.5 and 0 <= exclusion < 0.1
    for name in KNOWN:
        training_mean = sum(households[i][1][name] for i in train) / len(train)
        assert report["means"][name] == pytest.approx(training_mean, abs=1e-4), name
    # Printed Indonesian style: decimal comma, "R² 0,81", "12,3 %"; inclusion and exclusion error come last.
    printed_r2 = [float(x.replace(",", ".")) for x in re.findall(r"R² (\d,\d\d)\b", out)]
    assert printed_r2 == pytest.approx([report["train"]["r2"], held["r2"]], abs=0.0051)
    percents = [float(x.replace(",", ".")) for x in re.findall(r"\b(\d{1,3},\d) %", out)]
    assert percents[-2:] == pytest.approx([100 * inclusion, 100 * exclusion], abs=0.051)


def test_xlsx_sample_gives_the_model_of_the_same_csv_sample(tmp_path):
    from openpyxl import Workbook

    households = known_sample(tmp_path / "sampel.csv", rows=600)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sampel Kalibrasi"
    sheet.append(["Sampel kalibrasi PMT"])  # a title row above the table
    sheet.append(HEADER)
    for cells, _features, _y in households:
        sheet.append([int(cell) if cell.isdigit() and len(cell) < 10 else cell for cell in cells])
    workbook.save(tmp_path / "sampel.xlsx")
    from_csv, _out = calibrate(tmp_path / "sampel.csv", "--variables", ",".join(KNOWN))
    from_xlsx, _out = calibrate(tmp_path / "sampel.xlsx", "--variables", ",".join(KNOWN))
    assert coefficients(from_xlsx) == coefficients(from_csv)
    assert from_xlsx.calibration["held_out"] == from_csv.calibration["held_out"]


def test_bad_rows_are_reported_and_nothing_is_written(tmp_path):
    rng = random.Random(5)
    desas = regency_desas()
    rows = [draw_household(rng, desas)[0] for _ in range(60)]
    column = HEADER.index
    damage = {  # file row (the header is row 1) -> (column, bad cell)
        3: ("pengeluaran_per_kapita", "abc"),
        5: ("luas_lantai", "3.20101E+15"),
        6: ("jenis_lantai", "Batu Akik"),
        8: ("pengeluaran_per_kapita", ""),
        9: ("jumlah_anggota", "3201011234567890"),
        11: ("kode_desa", "3273011001"),
        12: ("pengeluaran_per_kapita", "0"),
    }
    for row, (name, cell) in damage.items():
        rows[row - 2][column(name)] = cell
    rows[14 - 2][column("jumlah_anggota")], rows[14 - 2][column("jumlah_anggota_di_bawah_15")] = "2", "3"
    damage[14] = ("jumlah_anggota_di_bawah_15", "3")
    path = write_csv(tmp_path / "sampel.csv", rows)
    models_before = list(PmtModel.objects.values_list("pk", "is_active"))

    found = sample.read_sample(path, regency_code=REGENCY)
    assert {(p.row, p.column) for p in found.problems} == {(row, name) for row, (name, _cell) in damage.items()}
    assert all(p.message for p in found.problems)
    assert len(found.rows) == 60 - len(damage)

    with pytest.raises(CommandError) as raised:
        calibrate(path)
    lines = str(raised.value).splitlines()
    for row, (name, _cell) in damage.items():
        assert any(re.search(rf"\b{row}\b", line) and name in line for line in lines), (row, name)
    assert list(PmtModel.objects.values_list("pk", "is_active")) == models_before
    assert not AuditEvent.objects.filter(object_type="welfare.pmtmodel").exists()


def test_a_file_without_the_consumption_column_is_refused(tmp_path):
    rng = random.Random(6)
    rows = [draw_household(rng, regency_desas())[0][:-1] for _ in range(30)]
    path = write_csv(tmp_path / "sampel.csv", rows, header=HEADER[:-1])
    count = PmtModel.objects.count()
    with pytest.raises(CommandError, match="pengeluaran_per_kapita"):
        calibrate(path)
    assert PmtModel.objects.count() == count


def test_activate_switches_the_active_model_and_without_it_the_active_one_stays(tmp_path):
    known_sample(tmp_path / "sampel.csv", rows=800)
    before = PmtModel.objects.get(regency_code=REGENCY, is_active=True)

    draft, out = calibrate(tmp_path / "sampel.csv", "--name", "Uji tanpa aktivasi")
    assert draft.version == before.version + 1 and draft.name == "Uji tanpa aktivasi"
    assert not draft.is_active
    assert PmtModel.objects.get(regency_code=REGENCY, is_active=True) == before
    assert draft.coefficients.count() == len(VARIABLES)

    active, out = calibrate(tmp_path / "sampel.csv", "--activate")
    assert active.version == draft.version + 1 and active.is_active
    assert list(PmtModel.objects.filter(regency_code=REGENCY, is_active=True)) == [active]
    before.refresh_from_db()
    assert not before.is_active
    assert AuditEvent.objects.filter(object_type="welfare.pmtmodel", object_id=str(active.pk),
                                     channel="command").exists()


def test_split_is_deterministic_and_the_seed_changes_it():
    assert calibration.split(100, 0.2, 1) == calibration.split(100, 0.2, 1)
    train, held_out = calibration.split(100, 0.2, 1)
    assert len(held_out) == 20 and sorted(train + held_out) == list(range(100))
    assert calibration.split(100, 0.2, 2)[1] != held_out


def test_fit_solves_an_exact_system():
    rng = random.Random(1)
    x = [[rng.random(), rng.random() * 3] for _ in range(200)]
    y = [1.5 + 2.0 * a - 0.5 * b for a, b in x]
    intercept, beta, report = calibration.fit(x, y, ridge=0.0)
    assert intercept == pytest.approx(1.5, abs=1e-9)
    assert beta == pytest.approx([2.0, -0.5], abs=1e-9)
    assert report["r2"] == 1.0 and report["n"] == 200


# --- the generator's calibration sample ------------------------------------------------------

REFERENCE = datetime.date(2025, 6, 30)


@cache
def generated():
    return generate_regency(REGENCY, families=6000, seed=5, reference_date=REFERENCE)


def measured(regency):
    return [family for family in regency.families if family.survey.consumption_per_capita is not None]


def test_generated_sample_holds_the_measured_households_and_calibrates(tmp_path):
    regency = generated()
    summary = write_registry_files(regency.families, tmp_path)
    path = tmp_path / "sampel_kalibrasi.csv"
    assert path in summary.paths
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    families = measured(regency)
    assert summary.sample == len(rows) == len(families) > 700
    assert list(rows[0]) == HEADER
    for row, family in zip(rows, families, strict=True):
        # The observed, noisy consumption of the survey, not the family's hidden true one.
        assert int(row["pengeluaran_per_kapita"]) == family.survey.consumption_per_capita
        assert row["kode_desa"] == family.desa_code and int(row["jumlah_anggota"]) == family.size
    hidden = [family.consumption_per_capita for family in families]
    assert [int(row["pengeluaran_per_kapita"]) for row in rows] != hidden

    model, _out = calibrate(path)
    held = model.calibration["held_out"]
    assert held["r2"] > 0.6, held
    # Nearly every household below the demo's poverty line is in the poorest 40 % by prediction. Ranking
    # 40 % when fewer are poor includes non-poor even when perfect: the inclusion error is at least that floor.
    assert held["poverty_line"] == 550_000 and 0 < held["poor"] < 0.2 * held["n"], held
    assert held["exclusion_error"] < 0.15, held
    floor = 1 - held["poor"] / round(0.4 * held["n"])
    assert floor <= held["inclusion_error"] < floor + 0.1, held


def test_a_fitted_model_scores_what_it_was_fitted_on(tmp_path):
    """Scoring the registry gives each measured family the prediction calibration made from its sample row."""
    regency = generated()
    write_regency(regency)
    write_registry_files(regency.families, tmp_path)
    path = tmp_path / "sampel_kalibrasi.csv"
    model, _out = calibrate(path, "--activate")
    scoring_day = REFERENCE
    score_regency(model, now=timezone.make_aware(datetime.datetime.combine(scoring_day, datetime.time(12))))

    fitted = coefficients(model)
    read = sample.read_sample(path, regency_code=REGENCY)
    features = {row[0]: row[2:] for row in sample.features(read.rows, list(fitted))}
    kids = sample.LOADED_COLUMNS.index("kids")
    kids_on_survey = {row[0]: row[kids] for row in read.rows}
    scores = dict(WelfareScore.objects.filter(is_current=True).values_list("family__no_kk", "log_predicted"))
    fifteen_before = scoring_day.replace(year=scoring_day.year - 15)
    compared = 0
    for row_number, family in enumerate(measured(regency), start=2):
        if kids_on_survey[row_number] != sum(1 for p in family.members if p.birth_date > fifteen_before):
            continue  # a member turned 15 between the survey and the scoring day
        predicted = model.intercept + sum(b * float(v) for b, v in zip(fitted.values(), features[row_number],
                                                                        strict=True))
        assert scores[family.no_kk] == pytest.approx(predicted, abs=1e-9), family.no_kk
        compared += 1
    assert compared > 0.9 * len(features)
    assert Family.objects.count() == len(regency.families)
