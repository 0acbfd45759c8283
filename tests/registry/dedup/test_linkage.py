"""The detection engine (Splink on DuckDB) over plain records: the listed errors, and no false pairs."""

import datetime

import pytest

from sejahtera.registry.dedup import perturb
from tests.registry.dedup.conftest import run_engine

D = datetime.date
DESA = "3201011003"  # a desa of Cibinong
NEIGHBOUR = "3201011004"
OTHER_KECAMATAN = "3201022005"


def _person(i, name, birth, *, nik=None, sex="L", desa=DESA, no_kk=None):
    return {"id": i, "nik": nik, "name": name, "sex": sex, "birth_date": birth, "desa": desa,
            "no_kk": no_kk or f"{desa[:6]}0203150{i % 1000:03d}"}


# (description, record, record): each pair is one person registered twice.
DUPLICATES = [
    ("Muhamad/Muhammad", _person(100001, "Muhamad Fajar Hidayat", D(1988, 4, 21), nik="3201012104880001"),
     _person(100002, "Muhammad Fajar Hidayat", D(1988, 4, 21))),
    ("Siti Nurhaliza/Siti Nur Haliza",
     _person(100003, "Siti Nurhaliza", D(1992, 8, 30), sex="P", nik="3201017008920001"),
     _person(100004, "Siti Nur Haliza", D(1992, 8, 30), sex="P", no_kk="3201010505190444")),
    ("day and month swapped",
     _person(100005, "Dadang Kurniawan", D(1975, 3, 7), nik="3201010703750001", no_kk="3201011111110111"),
     _person(100006, "Dadang Kurniawan", D(1975, 7, 3), no_kk="3201011111110111")),
    ("desa typo: the neighbouring desa",
     _person(100007, "Yayan Supriatna", D(1969, 12, 2), nik="3201010212690001"),
     _person(100008, "Yayan Supriatna", D(1969, 12, 2), desa=NEIGHBOUR)),
    ("NIK typo and M.", _person(100009, "M. Ilham Nugraha", D(2001, 1, 15), nik="3201011501010003"),
     _person(100010, "Muhammad Ilham Nugraha", D(2001, 1, 15), nik="3201011501010803")),
    ("title and degree", _person(100011, "Hj. Euis Komariah, S.Pd.", D(1970, 6, 9), sex="P", nik="3201014906700001"),
     _person(100012, "Euis Komariah", D(1970, 6, 9), sex="P")),
]

# Pairs that look alike but are two persons.
DISTINCT = [
    ("twins with different names",
     _person(200001, "Hasan Saputra", D(2010, 5, 14), nik="3201011405100001", no_kk="3201012222220222"),
     _person(200002, "Husein Saputra", D(2010, 5, 14), nik="3201011405100002", no_kk="3201012222220222")),
    ("twins, one without NIK yet",
     _person(200003, "Dimas Pratama", D(2024, 11, 3), nik="3201010311240001", no_kk="3201013333330333"),
     _person(200004, "Raka Pratama", D(2024, 11, 3), no_kk="3201013333330333")),
    ("father and son with the same name",
     _person(200005, "Asep Sunandar", D(1961, 2, 11), nik="3201011102610001", no_kk="3201014444440444"),
     _person(200006, "Asep Sunandar", D(1989, 7, 23), nik="3201012307890001", no_kk="3201014444440444")),
    ("namesakes born the same day in other kecamatan",
     _person(200007, "Ujang Suryana", D(1979, 9, 1), nik="3201010109790004"),
     _person(200008, "Ujang Suryana", D(1979, 9, 1), nik="3201020109790001", desa=OTHER_KECAMATAN)),
    ("mother and daughter", _person(200009, "Siti Aisyah", D(1965, 1, 20), sex="P", nik="3201016001650001",
                                    no_kk="3201015555550555"),
     _person(200010, "Siti Aisyah", D(1993, 10, 5), sex="P", nik="3201014510930001", no_kk="3201015555550555")),
]


@pytest.fixture
def found(synthetic_records):
    records = synthetic_records(4000, seed=11)
    for _, a, b in DUPLICATES + DISTINCT:
        records += [a, b]
    return run_engine(records)


@pytest.mark.parametrize("case", [d[0] for d in DUPLICATES])
def test_finds_the_listed_errors(found, case):
    _, a, b = next(d for d in DUPLICATES if d[0] == case)
    assert (a["id"], b["id"]) in found


@pytest.mark.parametrize("case", [d[0] for d in DISTINCT])
def test_does_not_pair_distinct_persons(found, case):
    _, a, b = next(d for d in DISTINCT if d[0] == case)
    assert (a["id"], b["id"]) not in found


def test_precision_and_recall_on_a_generated_registry(synthetic_records):
    """~2 % injected duplicates among ~6,000 generated persons."""
    records = synthetic_records(6000, seed=21)
    taken = {r["nik"] for r in records if r["nik"]}
    injected = perturb.inject_duplicates(records, rate=0.02, seed=21, nik_taken=taken.__contains__)
    found = run_engine(records + injected.records)
    true_positives = len(found & injected.pairs)
    precision = true_positives / len(found)
    recall = true_positives / len(injected.pairs)
    assert len(injected.pairs) >= 115
    assert precision >= 0.98, (precision, found - injected.pairs)
    assert recall >= 0.95, (recall, injected.pairs - found)


def test_empty_and_tiny_registries():
    assert run_engine([]) == set()
    assert run_engine([_person(1, "Asep", D(1980, 1, 1))]) == set()


def test_features_flag_default_birth_dates_and_drop_malformed_niks():
    import duckdb

    con = duckdb.connect()
    con.execute("CREATE TABLE persons_raw (id BIGINT, nik VARCHAR, name VARCHAR, sex VARCHAR, birth_date DATE, "
                "desa VARCHAR, no_kk VARCHAR)")
    rows = [(i, None, f"Orang {i}", "L", D(1960, 1, 1), DESA, None) for i in range(1, 121)]
    rows += [(1000 + i, None, f"Lain {i}", "P", D(1990, 1, 1) + datetime.timedelta(days=i), DESA, None)
             for i in range(200)]
    rows += [(5000, "3.20101E+15", "Excel", "L", D(1990, 1, 1), DESA, None),
             (5001, " 3201011501010003 ", "Spasi", "L", D(2001, 1, 15), DESA, None)]
    con.executemany("INSERT INTO persons_raw VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    from sejahtera.registry.dedup import linkage

    assert linkage.build_features(con, "persons_raw") == 322
    flags = dict(con.execute("SELECT birth_date, bool_or(common_birth_date) FROM dedup_persons GROUP BY 1")
                 .fetchall())
    assert flags[D(1960, 1, 1)] is True and flags[D(1990, 1, 2)] is False
    niks = dict(con.execute("SELECT unique_id, nik FROM dedup_persons WHERE unique_id >= 5000").fetchall())
    assert niks == {5000: None, 5001: "3201011501010003"}
    fits = con.execute("SELECT nik_fits FROM dedup_persons WHERE unique_id = 5001").fetchall()[0][0]
    assert fits is True
