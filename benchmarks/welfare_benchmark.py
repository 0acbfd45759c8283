"""Benchmark of welfare scoring: on PostgreSQL ``score_welfare`` against one raw statement; on SQLite
``score_welfare`` of a generated regency.

    DEBUG=1 .venv/bin/python benchmarks/welfare_benchmark.py --database-url postgres://.../db [--synthesize-surveys]
    DEBUG=1 .venv/bin/python benchmarks/welfare_benchmark.py --sqlite-families 100000

With ``--sqlite-families N`` the script generates N families into a new SQLite file (the embedded
default), scores them, and prints the time; the rest of this text is about PostgreSQL.

The database must already hold a registry. The script migrates it (adds the welfare tables and
the default PMT model), then times, in the same run:

1. ``score_welfare`` (full run, empty score table), the same again (which also retires the
   previous 1 score per family), and ``score_welfare --changed-only`` with nothing changed;
2. one hand-written ``INSERT … SELECT`` computing the same linear score and ``ntile(10)`` into an
   unindexed scratch temporary table (``DISTINCT ON`` for the latest survey, literal ``float8``
   coefficients, the scorer's ``work_mem`` and JIT).

``--synthesize-surveys`` gives every family without a survey one synthetic survey first (set-based,
answers drawn in SQL from a random latent welfare), for registries loaded without surveys. It
writes to the registry: use it on a copy.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

SYNTHESIZE = """
INSERT INTO registry_householdsurvey
    (created_at, updated_at, family_id, surveyed_on, enumerator, floor_area_m2, floor_material, wall_material,
     roof_material, drinking_water, toilet, lighting, installed_power_va, cooking_fuel, home_ownership, owns_land,
     owns_other_house, has_refrigerator, has_air_conditioner, has_television, has_computer, has_gold,
     has_motorbike, has_car, large_livestock, small_livestock)
SELECT now(), now(), id, DATE '2025-01-15', 'benchmark',
       greatest(9, round(36 * exp(0.28 * z + 0.3 * (random() - 0.5))))::int,
       CASE WHEN z + n1 < -2.0 THEN 'earth' WHEN z + n1 < -0.4 THEN 'cement' WHEN z + n1 < 2.5 THEN 'ceramic'
            ELSE 'marble' END,
       CASE WHEN z + n2 < -1.9 THEN 'woven_bamboo' WHEN z + n2 < -1.3 THEN 'wood' ELSE 'masonry' END,
       CASE WHEN z + n3 < -2.6 THEN 'thatch' WHEN z + n3 < -1.3 THEN 'zinc' WHEN z + n3 > 2.3 THEN 'concrete'
            ELSE 'roof_tile' END,
       CASE WHEN z + n1 < -1.8 THEN 'unprotected_well' WHEN z + n1 < -0.5 THEN 'protected_well'
            WHEN z + n1 < 1.2 THEN 'borehole' ELSE 'refill' END,
       CASE WHEN z + n2 < -2.4 THEN 'none' WHEN z + n2 < -1.6 THEN 'shared' WHEN z + n2 < -0.75 THEN 'own_no_septic'
            ELSE 'own_septic' END,
       CASE WHEN z + n3 < -2.0 THEN 'pln_shared' ELSE 'pln_metered' END,
       CASE WHEN z + n3 < -2.0 THEN 0 WHEN z + n1 < -0.5 THEN 450 WHEN z + n1 < 0.9 THEN 900
            WHEN z + n1 < 1.8 THEN 1300 ELSE 2200 END,
       CASE WHEN z + n2 < -1.9 THEN 'firewood' WHEN z + n2 < 1.9 THEN 'lpg_3kg' ELSE 'lpg_large' END,
       CASE WHEN random() < 0.12 THEN 'rent' ELSE 'own' END,
       z + n1 > 0.4, z + n2 > 2.8, z + n3 > -0.2, z + n1 > 2.4, z + n2 > -0.3, z + n3 > 1.6,
       z + n1 > 1.5, z + n2 > -0.8, z + n3 > 2.0, 0, CASE WHEN random() < 0.1 THEN 2 ELSE 0 END
FROM (SELECT id, (random() + random() + random() + random() - 2.0) * 1.7 AS z,
             (random() - 0.5) * 2 AS n1, (random() - 0.5) * 2 AS n2, (random() - 0.5) * 2 AS n3
      FROM registry_family f
      WHERE NOT EXISTS (SELECT 1 FROM registry_householdsurvey s WHERE s.family_id = f.id)) g
"""


def sqlite_benchmark(families: int) -> int:
    import datetime
    import tempfile

    folder = tempfile.mkdtemp(prefix="welfare-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sejahtera.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from sejahtera.demo.synthetic.generator import generate_regency
    from sejahtera.demo.synthetic.writer import write_regency
    from sejahtera.registry.importing.sql import fetchall

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with transaction.atomic():
        write_regency(generate_regency("3201", families=families, seed=5, reference_date=datetime.date(2025, 6, 30)))
    print(f"generated {families:,} families into {folder}/bench.sqlite3 in {time.perf_counter() - started:.1f} s")
    timings = []
    for label in ("score_welfare (empty score table)", "score_welfare (retiring previous scores)"):
        started = time.perf_counter()
        call_command("score_welfare", verbosity=0)
        timings.append(time.perf_counter() - started)
        print(f"{label:<48} {timings[-1]:8.2f} s")
    started = time.perf_counter()
    call_command("score_welfare", "--changed-only", verbosity=0)
    print(f"{'score_welfare --changed-only (nothing changed)':<48} {time.perf_counter() - started:8.2f} s")
    print(f"current scores: {fetchall('SELECT count(*) FROM welfare_welfarescore WHERE is_current')[0][0]:,}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--database-url")
    target.add_argument("--sqlite-families", type=int, metavar="N")
    parser.add_argument("--synthesize-surveys", action="store_true")
    args = parser.parse_args()
    if args.sqlite_families:
        return sqlite_benchmark(args.sqlite_families)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sejahtera.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from sejahtera.registry.importing.sql import execute, fetchall
    from sejahtera.welfare.models import PmtModel
    from sejahtera.welfare.pmt import VARIABLES
    from sejahtera.welfare.scoring import child_cutoff

    if connection.vendor != "postgresql":
        print("PostgreSQL only", file=sys.stderr)
        return 2
    call_command("migrate", verbosity=0)
    if args.synthesize_surveys:
        started = time.perf_counter()
        # The family ids come from registry_family itself: skip the 1.7 million deferred FK checks,
        # which take minutes at commit (session_replication_role needs a superuser; use a copy).
        execute("SET session_replication_role = replica")
        added = execute(SYNTHESIZE)
        execute("SET session_replication_role = DEFAULT")
        execute("ANALYZE registry_householdsurvey")
        print(f"synthesized {added:,} surveys in {time.perf_counter() - started:.1f} s")
    families, surveyed, persons = fetchall(
        "SELECT (SELECT count(*) FROM registry_family), (SELECT count(DISTINCT family_id) FROM "
        "registry_householdsurvey), (SELECT count(*) FROM registry_person)")[0]
    print(f"registry: {families:,} families, {surveyed:,} with a survey, {persons:,} persons")
    if not surveyed:
        print("no surveys to score (try --synthesize-surveys on a copy)", file=sys.stderr)
        return 1

    def timed(label, run):
        started = time.perf_counter()
        run()
        elapsed = time.perf_counter() - started
        print(f"{label:<48} {elapsed:8.2f} s")
        return elapsed

    model = PmtModel.objects.get(is_active=True, regency_code=fetchall(
        "SELECT substr(desa_id, 1, 4) FROM registry_family LIMIT 1")[0][0])
    execute("DELETE FROM welfare_welfarescore WHERE regency_code = %s", [model.regency_code])
    execute("VACUUM ANALYZE welfare_welfarescore")

    first = timed("score_welfare (empty score table)", lambda: call_command("score_welfare", verbosity=0))
    again = timed("score_welfare (retiring previous scores)", lambda: call_command("score_welfare", verbosity=0))
    unchanged = timed("score_welfare --changed-only (nothing changed)",
                      lambda: call_command("score_welfare", "--changed-only", verbosity=0))

    coefficients = model.coefficients.order_by("variable")
    terms = " + ".join(f"{c.value!r}::float8 * ({VARIABLES[c.variable]})" for c in coefficients)
    cutoff = child_cutoff(timezone.localdate()).isoformat()
    prefix = model.regency_code
    raw = f"""
        INSERT INTO welfare_raw_scratch (family_id, s, predicted, desil)
        SELECT family_id, s, round(exp(s))::int, ntile(10) OVER (ORDER BY s, family_id)
        FROM (SELECT f.id AS family_id, {model.intercept!r}::float8 + {terms} AS s
              FROM registry_family f
              JOIN (SELECT DISTINCT ON (family_id) * FROM registry_householdsurvey
                    ORDER BY family_id, surveyed_on DESC, id DESC) hs ON hs.family_id = f.id
              JOIN (SELECT family_id, count(*) AS n,
                           sum(CASE WHEN birth_date > DATE '{cutoff}' THEN 1 ELSE 0 END) AS kids,
                           max(CASE WHEN relationship = 1 THEN education END) AS head_edu
                    FROM registry_person WHERE family_id IS NOT NULL AND merged_into_id IS NULL
                    GROUP BY family_id) m ON m.family_id = f.id
              WHERE f.desa_id LIKE '{prefix}%%') y"""
    execute("DROP TABLE IF EXISTS welfare_raw_scratch")
    execute("CREATE TEMPORARY TABLE welfare_raw_scratch (family_id bigint, s float8, predicted int, desil int)")
    def run_raw():
        with transaction.atomic():  # with the scorer's own work_mem and JIT
            execute("SET LOCAL work_mem = '256MB'")
            execute("SET LOCAL jit = on")
            execute(raw)

    raw_time = timed("raw INSERT … SELECT into a scratch table", run_raw)
    execute("DROP TABLE welfare_raw_scratch")

    scored = fetchall("SELECT count(*) FROM welfare_welfarescore WHERE is_current")[0][0]
    print(f"current scores: {scored:,}")
    print(f"ratio score_welfare / raw: {first / raw_time:.2f} (first run), {again / raw_time:.2f} (re-run); "
          f"changed-only no-op {unchanged:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
