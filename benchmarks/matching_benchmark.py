"""Matching speed on synthetic seekers and vacancies (seeded, no database).

    python benchmarks/matching_benchmark.py [--seekers 50000] [--vacancies 500] [--seed 1]

Generates seekers and vacancies over 60 common KBJI unit groups of Kabupaten Bogor's labour
market, with skills, education, ages, work areas over 40 kecamatan, and texts of 20-60 words made
of the classification's own wording. Times:

- ``rank_seekers`` for one vacancy over every seeker, cold (each seeker's text encoded for the
  first time) and warm (encodings cached, as in a running server), full list and top 50;
- ``rank_vacancies`` for one seeker over every vacancy, cold and warm, full list and top 10.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sejahtera.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from sejahtera.careers import kbji  # noqa: E402
from sejahtera.careers.matching import (  # noqa: E402
    MatchSettings,
    SeekerProfile,
    VacancyProfile,
    default_text_similarity,
    rank_seekers,
    rank_vacancies,
)

UNIT_GROUPS = (
    "4110 4132 4311 4321 4226 5230 5223 5242 5131 5120 9112 9111 5414 8322 8332 8321 8344 9333 9321 "
    "8153 7533 8142 8160 8183 7543 7223 7212 7231 7233 7127 7411 7421 7422 3512 8212 8152 7115 7112 "
    "9313 7131 7512 6111 9211 6122 2221 2222 3213 3212 2341 2330 2342 2514 2166 3322 3313 4214 9621 "
    "5141 5311 9412"
).split()
SKILLS = (
    "microsoft excel;microsoft word;mengemudi;sim a;sim b1;sim c;las listrik;las mig;las argon;bubut;cnc;"
    "menjahit;obras;pola;kasir;pelayanan pelanggan;penjualan;negosiasi;bahasa inggris;akuntansi;pajak;"
    "myob;gudang;stock opname;forklift;k3;listrik;elektronik;ac;jaringan komputer;pemrograman;python;"
    "php;desain grafis;photoshop;memasak;tata boga;kebersihan;keamanan;bela diri;perawatan pasien;"
    "persalinan;farmasi;laboratorium;mengajar;administrasi;arsip;komunikasi;packing;quality control"
).split(";")
KECAMATAN = [f"3201{n:02d}" for n in range(1, 41)]
WORDS = "kerja keras jujur disiplin teliti tim shift pabrik toko kantor pengalaman tahun lulusan siap".split()


def _text_about(rng: random.Random, code: str, length: int) -> str:
    unit = kbji.occupation(code)
    pool = (unit.title + " " + unit.description).split() + WORDS
    return " ".join(rng.choice(pool) for _ in range(length))


def make_seekers(n: int, rng: random.Random) -> list[SeekerProfile]:
    seekers = []
    for i in range(n):
        codes = frozenset(rng.sample(UNIT_GROUPS, rng.randint(1, 3)))
        seekers.append(SeekerProfile(
            id=i + 1,
            education=rng.choice((3, 4, 5, 5, 5, 6, 7, 8)),
            major=rng.choice(("", "", "teknik mesin", "akuntansi", "keperawatan", "tata boga", "ipa")),
            skills=frozenset(rng.sample(SKILLS, rng.randint(1, 6))),
            kbji_codes=codes,
            work_areas=frozenset(rng.sample(KECAMATAN, rng.randint(0, 4))),
            home_kecamatan=rng.choice(KECAMATAN),
            age=rng.randint(17, 55),
            experience_months=rng.choice((0, 0, 6, 12, 24, 36, 60, 120)),
            expected_wage=rng.choice((None, 3_500_000, 4_500_000, 5_000_000)),
            text=_text_about(rng, sorted(codes)[0], rng.randint(20, 60)),
            desil=rng.choice((None, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)),
        ))
    return seekers


def make_vacancies(n: int, rng: random.Random) -> list[VacancyProfile]:
    vacancies = []
    for i in range(n):
        code = rng.choice(UNIT_GROUPS)
        age_min = rng.choice((None, 18, 20))
        vacancies.append(VacancyProfile(
            id=i + 1,
            title=kbji.title(code),
            description=_text_about(rng, code, rng.randint(30, 80)),
            kbji_code=rng.choice([child.code for child in kbji.children(code)]),
            min_education=rng.choice((None, 3, 4, 5, 5, 7, 8)),
            majors=frozenset(rng.sample(("teknik mesin", "akuntansi", "keperawatan"), rng.randint(0, 1))),
            skills=frozenset(rng.sample(SKILLS, rng.randint(0, 5))),
            age_min=age_min,
            age_max=rng.choice((None, 30, 35, 45)),
            min_experience_months=rng.choice((0, 0, 12, 24)),
            kecamatan=rng.choice(KECAMATAN),
            wage_min=rng.choice((None, 3_000_000, 4_000_000)),
            wage_max=None,
        ))
    return vacancies


def timed(function, *args, repeat: int = 1, **kwargs) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function(*args, **kwargs)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=50_000)
    parser.add_argument("--vacancies", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    default_text_similarity()
    print(f"text model fitted in {time.perf_counter() - started:.2f} s; load average {os.getloadavg()[0]:.2f}")
    seekers = make_seekers(args.seekers, rng)
    vacancies = make_vacancies(args.vacancies, rng)
    settings = MatchSettings(poor_priority=True)

    with translation.override("id"):
        cold, matches = timed(rank_seekers, vacancies[0], seekers, settings)
        eligible = sum(m.eligible for m in matches)
        print(f"rank_seekers, {len(seekers):,} seekers, cold (texts encoded): {cold:.2f} s ({eligible:,} eligible)")
        warm, _ = timed(rank_seekers, vacancies[1], seekers, settings, repeat=3)
        print(f"rank_seekers, {len(seekers):,} seekers, warm: {warm:.2f} s (target < 2 s)")
        top, _ = timed(rank_seekers, vacancies[2], seekers, settings, limit=50, repeat=3)
        print(f"rank_seekers top 50, warm: {top:.2f} s")

        cold, _ = timed(rank_vacancies, seekers[0], vacancies, settings)
        print(f"rank_vacancies, {len(vacancies):,} vacancies, cold: {cold * 1000:.0f} ms")
        warm, _ = timed(rank_vacancies, seekers[1], vacancies, settings, repeat=5)
        print(f"rank_vacancies, {len(vacancies):,} vacancies, warm: {warm * 1000:.0f} ms (target < 200 ms)")
        top, _ = timed(rank_vacancies, seekers[2], vacancies, settings, limit=10, repeat=5)
        print(f"rank_vacancies top 10, warm: {top * 1000:.0f} ms")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
