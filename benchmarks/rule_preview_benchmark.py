"""Benchmark of the rule preview (matches per kecamatan) and the what-if at regency scale on PostgreSQL.

    DEBUG=1 .venv/bin/python benchmarks/rule_preview_benchmark.py --database-url postgres://.../db [--runs 5]

The database must hold a scored registry. For each rule the script runs
``programs.selectors.rule_preview`` as a user whose scope is the whole regency, ``--runs`` times,
and prints the median and the slowest run. The first run of each rule is included: the preview
answers a user typing, so a cold plan counts. Then it times the what-if (published rule beside a
draft, both counted) of two seeded programmes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

RULES = [
    ("family", "desil <= 4"),
    ("family", "poor and size >= 5"),
    ("person", 'desil <= 4 and jkn == "none"'),
    ("person", 'age between 18 and 25 and education >= "SLTA" and family.desil <= 5'),
    ("person", 'age between 18 and 45 and employment in ["unemployed", "not_working"]'),
]

WHATIF = [
    ("pbi-jkn-daerah", 'family.desil <= 3 and jkn == "none"'),
    ("beasiswa-s1", 'age between 18 and 24 and education >= "SLTA" and family.desil <= 4'),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sejahtera.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from types import SimpleNamespace

    from sejahtera.programs.models import Programme
    from sejahtera.programs.selectors import rule_preview
    from sejahtera.programs.whatif import programme_whatif
    from sejahtera.registry.importing.sql import fetchall

    regency = fetchall("SELECT substr(desa_id, 1, 4) FROM registry_family LIMIT 1")[0][0]
    # The preview scopes by the user's memberships: one planner membership for the whole regency.
    user = SimpleNamespace(is_authenticated=True, active_memberships=[SimpleNamespace(region_id=regency)])
    worst = 0.0
    for target, text in RULES:
        timings, total = [], 0
        for _ in range(args.runs):
            started = time.perf_counter()
            total = rule_preview(user, text=text, target=target).total
            timings.append(time.perf_counter() - started)
        worst = max(worst, max(timings))
        print(f"{target:<7} {text:<75} {total:>10,}  median {statistics.median(timings):5.2f} s  "
              f"max {max(timings):5.2f} s")
    print(f"slowest preview: {worst:.2f} s")
    for code, draft in WHATIF:
        programme = Programme.objects.get(code=code)
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            programme_whatif(user, programme, text=draft, quota=programme.quota, amount=programme.amount)
            timings.append(time.perf_counter() - started)
        print(f"what-if {code:<20} {draft:<62} median {statistics.median(timings):5.2f} s  max {max(timings):5.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
