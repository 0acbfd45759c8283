"""The perturbation module: realistic near-duplicates with their ground truth."""

import datetime
import random

from sejahtera.registry.dedup import perturb
from sejahtera.registry.dedup.features import name_core, name_key


def _record(i, **fields):
    record = {"id": i, "nik": f"32010117058{i:05d}", "name": "Muhamad Rizky", "sex": "L",
              "birth_date": datetime.date(1985, 3, 7), "desa": "3201012003", "no_kk": f"32010102031500{i:02d}"}
    record.update(fields)
    return record


def test_swap_day_month():
    assert perturb.swap_day_month(datetime.date(1985, 3, 7)) == datetime.date(1985, 7, 3)
    assert perturb.swap_day_month(datetime.date(1985, 3, 17)) is None  # no 17th month
    assert perturb.swap_day_month(datetime.date(1985, 5, 5)) is None  # the same date


def test_birth_date_typo_changes_one_part():
    rng = random.Random(3)
    original = datetime.date(1985, 3, 7)
    for _ in range(50):
        typo = perturb.birth_date_typo(rng, original)
        assert typo != original
        same = (typo.year == original.year) + (typo.month == original.month) + (typo.day == original.day)
        assert same == 2


def test_nik_typo_changes_one_digit_and_avoids_taken_numbers():
    rng = random.Random(1)
    nik = "3201011703850001"
    for _ in range(50):
        typo = perturb.nik_typo(rng, nik, taken={"3201011703850002"}.__contains__)
        assert sum(a != b for a, b in zip(nik, typo, strict=True)) == 1
        assert typo[:2] == "32" and typo != "3201011703850002"


def test_neighbour_map_stays_in_the_kecamatan():
    neighbours = perturb.neighbour_map(["3201012001", "3201012002", "3201012003", "3201022001"])
    assert neighbours["3201012002"] == ["3201012001", "3201012003"]
    assert neighbours["3201012003"] == ["3201012002"]
    assert neighbours["3201022001"] == []


def test_name_variants_keep_the_normalised_name_close():
    rng = random.Random(5)
    assert perturb.muhammad_variant(rng, "Asep Sunandar") is None
    for _ in range(30):
        variant = perturb.muhammad_variant(rng, "Muhamad Rizky")
        assert variant != "Muhamad Rizky" and name_key(variant) == name_key("Muhamad Rizky")
        spaced = perturb.space_variant(rng, "Siti Nurhaliza")
        assert name_key(spaced) == name_key("Siti Nurhaliza")
        title = perturb.title_variant(rng, "Asep Sunandar", "L")
        assert name_core(title) == name_core("Asep Sunandar")


def test_inject_duplicates_returns_ground_truth():
    records = [_record(i, name=f"Nama{chr(65 + i % 26)} Test") for i in range(1, 501)]
    taken = {r["nik"] for r in records}
    injected = perturb.inject_duplicates(records, rate=0.04, seed=2, nik_taken=taken.__contains__)
    assert len(injected.records) == 20
    by_id = {r["id"]: r for r in records + injected.records}
    assert len(by_id) == 520  # new ids
    for a, b in injected.pairs:
        assert a < b
        dup = by_id[b]
        assert dup["errors"]
        # A duplicate in the registry never carries its original's NIK.
        assert dup["nik"] is None or dup["nik"] != by_id[a]["nik"]
        if "desa_neighbour" in dup["errors"]:
            assert dup["no_kk"] != by_id[a]["no_kk"]
    assert {b for _, b in injected.pairs} == {d["id"] for d in injected.records}


def test_inject_duplicates_may_keep_the_nik_when_asked():
    records = [_record(i) for i in range(1, 201)]
    injected = perturb.inject_duplicates(records, rate=0.2, seed=4, unique_nik=False)
    originals = {r["id"]: r for r in records}
    kept = [d for d in injected.records
            for a, b in injected.pairs if b == d["id"] and a in originals and d["nik"] == originals[a]["nik"]]
    assert kept
