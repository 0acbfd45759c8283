"""KBJI suggestion: accuracy on the labelled vacancy titles and speed.

    python benchmarks/kbji_suggest_benchmark.py [--labels tests/careers/data/vacancy_titles.csv] [--misses]

Each row of the labelled set holds a vacancy title as job adverts word it, a short description,
and the 4-digit KBJI unit group a Disnaker officer would code. Prints top-1 and top-5 accuracy at
the 4-digit level with the title alone and with title and description, the time to build the
index, and suggestions per second. ``--misses`` lists the rows whose code is not in the top 5.
"""

import argparse
import csv
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sejahtera.careers.matching.suggest import suggest_kbji  # noqa: E402

LABELS = ROOT / "tests" / "careers" / "data" / "vacancy_titles.csv"


def read_labels(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def accuracy(rows: list[dict], *, use_description: bool) -> tuple[float, float, list[tuple[dict, list[str]]]]:
    top1 = top5 = 0
    misses = []
    for row in rows:
        codes = [s.unit_group for s in suggest_kbji(row["title"], row["description"] if use_description else "")]
        top1 += bool(codes) and codes[0] == row["kbji"]
        top5 += row["kbji"] in codes
        if row["kbji"] not in codes:
            misses.append((row, codes))
    return top1 / len(rows), top5 / len(rows), misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    rows = read_labels(args.labels)

    started = time.perf_counter()
    suggest_kbji("warm up")
    build = time.perf_counter() - started
    print(f"labelled titles: {len(rows)}   load average: {os.getloadavg()[0]:.2f}")
    print(f"index built in {build:.2f} s (KBJI loaded, TF-IDF fitted, 2,137 occupations indexed)")

    for use_description in (False, True):
        started = time.perf_counter()
        top1, top5, misses = accuracy(rows, use_description=use_description)
        elapsed = time.perf_counter() - started
        what = "title + description" if use_description else "title only         "
        print(f"{what}: top-1 {top1:.1%}  top-5 {top5:.1%}  ({len(rows) / elapsed:.0f} suggestions/s)")
        if args.misses:
            for row, codes in misses:
                print(f"    {row['title']!r}: expected {row['kbji']}, got {codes}")


if __name__ == "__main__":
    main()
