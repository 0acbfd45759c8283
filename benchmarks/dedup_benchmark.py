"""Benchmark of duplicate detection: N generated persons with injected near-duplicates.

    DEBUG=1 .venv/bin/python benchmarks/dedup_benchmark.py [--persons 1000000] [--rate 0.02]
    DATABASE_URL=postgres://.../empty_db DEBUG=1 .venv/bin/python benchmarks/dedup_benchmark.py --through-database

Persons come from the synthetic regency generator (``sejahtera.demo.synthetic``) over the
regency's real kecamatan and desa (read from the region list shipped with the package, no
database needed); ``sejahtera.registry.dedup.perturb`` injects the duplicates and returns the
ground truth. The engine (``linkage.build_features`` + ``linkage.find_pairs``) runs on an
in-memory DuckDB holding the records, as ``find_duplicates`` does after loading the registry.
Timed: the engine only (features, model, prediction); with ``--through-database`` the whole
``find_duplicates`` scan of a PostgreSQL registry (load, engine, writing the review queue).
Printed: time, precision, recall, and what the missed and the wrongly paired pairs looked like.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import math
import os
import random
import sys
import time


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sejahtera.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def geography(regency_code: str):
    """The regency's kecamatan and desa from the shipped region list (no database)."""
    from sejahtera.demo.synthetic.geography import Desa, Geography, Kecamatan
    from sejahtera.demo.synthetic.names import place_name
    from sejahtera.regions.loading import read_region_rows

    province = regency_code[:2]
    desas: dict[str, list] = {}
    kecamatan_names: dict[str, str] = {}
    regencies: dict[str, str] = {}
    for row in read_region_rows():
        code = row["code"]
        if not code.startswith(province):
            continue
        if row["level"] == "desa" and code.startswith(regency_code):
            is_kelurahan = row["desa_type"] == "kelurahan" or (not row["desa_type"] and code[6] == "1")
            desas.setdefault(code[:6], []).append(Desa(code, row["name"], is_kelurahan))
        elif row["level"] == "kecamatan":
            kecamatan_names[code] = row["name"]
        elif row["level"] == "kabupaten":
            regencies[code] = row["name"]
    kecamatans = tuple(Kecamatan(code, kecamatan_names.get(code, code), tuple(desas[code])) for code in sorted(desas))
    others: dict[str, list[str]] = {}
    for code in sorted(kecamatan_names):
        if not code.startswith(regency_code):
            others.setdefault(code[:4], []).append(code)
    other_regencies = tuple((place_name(regencies[code]), tuple(kecs)) for code, kecs in sorted(others.items())
                            if code in regencies)
    return Geography(regency_code, regencies[regency_code], kecamatans, other_regencies)


def generate_records(persons: int, seed: int, regency_code: str) -> list[dict]:
    """``persons`` plain person records of the synthetic regency."""
    from sejahtera.demo.synthetic.generator import generate

    geo = geography(regency_code)
    families = max(1, math.ceil(persons / 3.3))
    regency = generate(geo, families=families, seed=seed, reference_date=datetime.date(2025, 6, 1))
    records = []
    for family in regency.families:
        for member in family.members:
            records.append({"id": len(records) + 1, "nik": member.nik, "name": member.name, "sex": member.sex,
                            "birth_date": member.birth_date, "desa": family.desa_code, "no_kk": family.no_kk})
            if len(records) == persons:
                return records
    return records


def to_duckdb(con, records: list[dict], table: str = "persons_raw") -> None:
    import pyarrow as pa

    columns = ("id", "nik", "name", "sex", "birth_date", "desa", "no_kk")
    types = (pa.int64(), pa.string(), pa.string(), pa.string(), pa.date32(), pa.string(), pa.string())
    arrow = pa.table({c: pa.array([r[c] for r in records], t) for c, t in zip(columns, types, strict=True)})
    con.register("persons_arrow", arrow)
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM persons_arrow")
    con.unregister("persons_arrow")


def load_into_database(records: list[dict]) -> None:
    """Families and persons into the (PostgreSQL) registry with COPY; ids are the record ids."""
    import json

    from django.db import connection
    from django.utils import timezone

    from sejahtera.registry.models import Family, Person

    if connection.vendor != "postgresql":
        raise SystemExit("--through-database needs DATABASE_URL pointing to PostgreSQL")
    if Person.objects.exists():
        raise SystemExit("--through-database needs a registry without persons (use a database of its own)")
    now = timezone.now().isoformat()
    families: dict[str, int] = {}
    family_rows, person_rows, niks = [], [], set()
    for record in records:
        no_kk = record["no_kk"]
        if no_kk not in families:
            families[no_kk] = len(families) + 1
            family_rows.append((families[no_kk], no_kk, record["desa"], "", "", "", "[]", False, now, now))
        nik = record["nik"] if record["nik"] and record["nik"] not in niks else None
        if nik:
            niks.add(nik)
        person_rows.append((record["id"], nik, record["name"], record["sex"], "", record["birth_date"].isoformat(),
                            families[no_kk], record["desa"], 4, 1, 1, "", "not_working", "none", "none", "",
                            json.dumps([]), False, now, now))
    family_columns = "id, no_kk, desa_id, address, rt, rw, warnings, has_warnings, created_at, updated_at"
    person_columns = ("id, nik, name, sex, birth_place, birth_date, family_id, desa_id, relationship, "
                      "marital_status, education, occupation, employment_status, disability, jkn_status, phone, "
                      "warnings, has_warnings, created_at, updated_at")
    with connection.cursor() as cursor:
        for table, columns, rows in ((Family._meta.db_table, family_columns, family_rows),
                                     (Person._meta.db_table, person_columns, person_rows)):
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cursor.execute("ANALYZE")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000, help="persons in all, duplicates included")
    parser.add_argument("--rate", type=float, default=0.02, help="share of the persons that are duplicates")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--regency", default="3201")
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
    parser.add_argument("--show", type=int, default=15, help="examples of misses and false pairs to print")
    parser.add_argument("--parameters", action="store_true", help="print the model's m, u and weights")
    parser.add_argument("--through-database", action="store_true",
                        help="load the persons into the PostgreSQL registry of DATABASE_URL (migrated, without "
                             "persons) and time `find_duplicates` end to end: load, engine, review queue")
    args = parser.parse_args(argv)

    _setup_django()
    import duckdb

    from sejahtera.registry.dedup import linkage, perturb

    t = time.perf_counter()
    duplicates = round(args.persons * args.rate)
    records = generate_records(args.persons - duplicates, args.seed, args.regency)
    niks = {r["nik"] for r in records if r["nik"]}
    injected = perturb.inject_duplicates(records, rate=duplicates / len(records), seed=args.seed,
                                         nik_taken=niks.__contains__)
    rng = random.Random(args.seed)
    everyone = records + injected.records
    rng.shuffle(everyone)  # ids say nothing about order
    print(f"generated {len(records):,} persons + {len(injected.records):,} duplicates "
          f"({len(injected.pairs):,} true pairs) in {time.perf_counter() - t:.1f} s")

    threshold = args.threshold if args.threshold is not None else linkage.DEFAULT_THRESHOLD
    con = duckdb.connect()
    if args.threads:
        con.execute(f"SET threads = {args.threads}")
    if args.through_database:
        from sejahtera.registry.dedup.scan import find_duplicates
        from sejahtera.registry.models import DuplicateCandidate

        t = time.perf_counter()
        load_into_database(everyone)
        print(f"loaded into the database in {time.perf_counter() - t:.1f} s")
        start = time.perf_counter()
        scan = find_duplicates(threshold=threshold, threads=args.threads)
        elapsed = time.perf_counter() - start
        found = set(DuplicateCandidate.objects.values_list("person_a_id", "person_b_id"))
        persons, timings, result = scan.persons, scan.timings, None
        print(f"review queue: {scan.created:,} new pairs")
    else:
        to_duckdb(con, everyone)
        start = time.perf_counter()
        persons = linkage.build_features(con, "persons_raw")
        timings = {"features": time.perf_counter() - start}
        result = linkage.find_pairs(con, threshold=threshold)
        timings.update(result.timings)
        elapsed = time.perf_counter() - start
        found = {(a, b) for a, b in con.execute(f"SELECT id_l, id_r FROM {result.pairs_table}").fetchall()}

    true_positive = len(found & injected.pairs)
    precision = true_positive / len(found) if found else 1.0
    recall = true_positive / len(injected.pairs) if injected.pairs else 1.0
    print(f"persons {persons:,}; pairs found {len(found):,}; threshold {threshold}")
    print("timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    print(f"TOTAL {elapsed:.1f} s   precision {precision:.4f}   recall {recall:.4f}")
    if args.parameters and result is not None:
        print(f"prior {math.log2(duplicates * 2 / persons / persons):.1f} bits; m, u and weight (bits) per level:")
        for p in result.parameters:
            print(f"    {p['comparison']:11} {p['level']:20} m {p['m']:.4f}  u {p['u']:.3g}  w {p['weight']:+.1f}")

    by_id = {r["id"]: r for r in everyone}
    missed = injected.pairs - found
    kinds = collections.Counter()
    for a, b in missed:
        dup = by_id[b] if "errors" in by_id[b] else by_id[a]
        kinds["+".join(dup.get("errors", []))] += 1
    totals = collections.Counter("+".join(d["errors"]) for d in injected.records)
    print("missed by error kind:", ", ".join(f"{k} {v}/{totals.get(k, 0)}" for k, v in kinds.most_common()))
    if args.show and result is not None:
        scores = {(a, b): (p, rest) for a, b, p, *rest in con.execute(
            f"SELECT id_l, id_r, probability, name, birth_date, sex, place, nik FROM {result.pairs_table}")
            .fetchall()}

        def show(pair):
            a, b = by_id[pair[0]], by_id[pair[1]]
            for r in (a, b):
                print(f"    {r['id']:>8} {r['nik'] or '-':16} {r['name']:30} {r['sex']} {r['birth_date']} "
                      f"{r['desa']} {r['no_kk']} {'+'.join(r.get('errors', []))}")
            if pair in scores:
                print(f"    -> {scores[pair]}")

        print("examples of missed pairs:")
        for pair in list(missed)[: args.show]:
            show(pair)
        print("examples of false pairs:")
        for pair in list(found - injected.pairs)[: args.show]:
            show(pair)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    sys.exit(main())
