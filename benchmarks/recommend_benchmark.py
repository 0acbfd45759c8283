"""Recommendations from the database on PostgreSQL: a vacancy's top-50 candidates, a seeker's top-10 vacancies.

    .venv/bin/python benchmarks/recommend_benchmark.py --setup   # once: creates and fills the database
    .venv/bin/python benchmarks/recommend_benchmark.py [--vacancies 20] [--seekers 20]

``--setup`` creates the database (default ``sejahtera_recommend_bench``; ``--database-url`` names another),
migrates it, writes a synthetic registry (``--families``, default 40,000: about 135,000 persons),
scores it (desil), and seeds the career center with ``careers.demo.seed`` at scale (default 50,000
seekers, 7,000 vacancies, 600 employers), opens submitted vacancies until exactly
``--open-vacancies`` (default 5,000) are public, as the issue has it, then gives about half of the
seekers one or two past jobs (position and KBJI code), so experience requirements and texts have
something to work on, and ``--accounts`` (default 20,000) of them a portal login.

The measurement signs in as a regency-wide Disnaker officer and first builds the match cache of the
process (``recommend.warm()``: every seeker's and public vacancy's profile in numpy arrays; a
server builds it on its first request and again each day), printing the time it takes. It then
times, through the functions the pages call (``sejahtera.careers.recommend``), in one process as a
server would run them:

- ``candidates_for_vacancy(limit=50)`` for ``--vacancies`` open vacancies drawn at random, twice
  (cold: each top seeker's text encoded for the first time in this process; warm);
- ``vacancies_for_seeker(limit=10)`` for ``--seekers`` active seekers over every open vacancy, cold
  and warm;
- with ``--batch``, ``careers.batch.recommend_all(limit=10)``: the top 10 of every active seeker,
  stored in ``careers_recommendation``; then ``notify_new_matches`` as if the vacancies opened at
  the latest opening moment had opened since the previous run (it writes the notifications).

It prints p50/p95/max of each pass and the load average before and after.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sejahtera_recommend_bench"


def _create_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def setup(args) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from sejahtera.careers import demo
    from sejahtera.careers.models import JobSeeker, WorkExperience
    from sejahtera.demo.synthetic.generator import generate_regency
    from sejahtera.demo.synthetic.writer import write_regency
    from sejahtera.registry.models import Person
    from sejahtera.welfare.scoring import welfare_score

    call_command("migrate", verbosity=0)
    step = time.perf_counter()
    if not Person.objects.exists():
        write_regency(generate_regency("3201", families=args.families, seed=args.seed,
                                       reference_date=timezone.localdate()))
        print(f"registry: {Person.objects.count():,} persons in {time.perf_counter() - step:.0f} s")
        step = time.perf_counter()
        welfare_score()
        print(f"scored in {time.perf_counter() - step:.0f} s")
    step = time.perf_counter()
    summary = demo.seed("3201", seed=args.seed, employers=args.employers, vacancies=args.total_vacancies,
                        seekers=args.total_seekers)
    print(f"career center: {summary} in {time.perf_counter() - step:.0f} s")
    if not WorkExperience.objects.exists():
        rng = random.Random(args.seed)
        jobs = list(demo.JOBS.values())
        rows = []
        for seeker_id, issued in JobSeeker.objects.order_by("id").values_list("id", "ak1_issued_on"):
            for _ in range(rng.choice([0, 0, 1, 2])):
                job = rng.choice(jobs)
                start = issued - datetime.timedelta(days=rng.randint(200, 2500))
                end = start + datetime.timedelta(days=rng.randint(90, 1500))
                rows.append(WorkExperience(seeker_id=seeker_id, employer_name="CV Usaha Bersama", position=job.title,
                                           kbji_code=job.kbji, started_on=start.replace(day=1),
                                           ended_on=min(end, issued).replace(day=1)))
        WorkExperience.objects.bulk_create(rows, batch_size=5000)
        print(f"{len(rows):,} past jobs added")
    if not JobSeeker.objects.filter(user__isnull=False).exists():  # some seekers sign in to the portal
        from django.contrib.auth import get_user_model
        from django.contrib.auth.hashers import make_password

        chosen = list(JobSeeker.objects.order_by("id")[:args.accounts])
        users = get_user_model().objects.bulk_create(
            [get_user_model()(username=f"pencaker-{seeker.pk}", password=make_password(None)) for seeker in chosen],
            batch_size=5000)
        for seeker, user in zip(chosen, users, strict=True):
            seeker.user = user
        JobSeeker.objects.bulk_update(chosen, ["user"], batch_size=5000)
        print(f"{len(users):,} seekers given a portal login")
    from sejahtera.careers.models import Vacancy
    from sejahtera.careers.selectors import public_vacancies

    missing = args.open_vacancies - public_vacancies().count()
    if missing > 0:  # as the issue has it: exactly this many open vacancies
        ids = list(Vacancy.objects.filter(status=Vacancy.Status.SUBMITTED).order_by("id")
                   .values_list("pk", flat=True)[:missing])
        Vacancy.objects.filter(pk__in=ids).update(status=Vacancy.Status.OPEN,
                                                  deadline=timezone.localdate() + datetime.timedelta(days=60))
    print(f"{public_vacancies().count():,} open vacancies")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _officer():
    from sejahtera.accounts.models import Agency, Membership, User
    from sejahtera.accounts.roles import Role

    user, created = User.objects.get_or_create(username="bench-disnaker")
    if created:
        Membership.objects.create(user=user, role=Role.AGENCY_OFFICER, region_id="3201",
                                  agency=Agency.objects.get(code="disnaker"))
    return User.objects.get(pk=user.pk)


def _summary(label: str, times: list[float], target: str = "") -> None:
    ordered = sorted(times)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    print(f"{label}: p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
          f"max {ordered[-1] * 1000:.0f} ms over {len(ordered)}{target}")


def measure(args) -> None:
    from django.utils import translation

    from sejahtera.careers import recommend
    from sejahtera.careers.matching import default_text_similarity
    from sejahtera.careers.models import JobSeeker, Vacancy
    from sejahtera.careers.selectors import public_vacancies

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    user = _officer()
    default_text_similarity()
    started = time.perf_counter()
    recommend.warm()
    import resource

    print(f"match cache built in {time.perf_counter() - started:.1f} s (once per process and day); "
          f"process peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(f"{JobSeeker.objects.filter(status='active').count():,} active seekers, "
          f"{public_vacancies().count():,} open vacancies")
    vacancy_ids = sorted(public_vacancies().values_list("pk", flat=True))
    chosen = [Vacancy.objects.select_related("employer").get(pk=pk)
              for pk in rng.sample(vacancy_ids, args.vacancies)]
    with translation.override("id"):
        for label in ("cold", "warm"):
            times, sizes = [], []
            for vacancy in chosen:
                started = time.perf_counter()
                result = recommend.candidates_for_vacancy(user, vacancy, limit=50)
                times.append(time.perf_counter() - started)
                sizes.append(len(result))
            _summary(f"candidates_for_vacancy top 50, {label}", times, " (target p95 <= 100 ms)")
        seeker_ids = list(JobSeeker.objects.filter(status="active").order_by("id").values_list("pk", flat=True))
        seekers = [JobSeeker.objects.get(pk=pk) for pk in rng.sample(seeker_ids, args.seekers)]
        for label in ("cold", "warm"):
            times = []
            for seeker in seekers:
                started = time.perf_counter()
                recommend.vacancies_for_seeker(user, seeker, limit=10)
                times.append(time.perf_counter() - started)
            _summary(f"vacancies_for_seeker top 10, {label}", times, " (target p95 <= 50 ms)")
    if args.batch:
        from sejahtera.careers.batch import recommend_all

        print(f"load average before the batch: {os.getloadavg()[0]:.2f}")
        started = time.perf_counter()
        stored = recommend_all(limit=10)
        print(f"recommend_all(limit=10): {stored:,} rows for "
              f"{JobSeeker.objects.filter(status='active').count():,} active seekers in "
              f"{time.perf_counter() - started:.1f} s (target < 120 s)")
        # the nightly run's notifications, as if the vacancies of the latest opening moment were new
        from sejahtera.careers.batch import notify_new_matches

        moments = list(Vacancy.objects.filter(opened_at__isnull=False).order_by("-opened_at")
                       .values_list("opened_at", flat=True).distinct()[:2])
        since = moments[-1]
        new = Vacancy.objects.filter(opened_at__gt=since).count()
        started = time.perf_counter()
        notified = notify_new_matches(since=since)
        print(f"notify_new_matches ({new} newest vacancies as new): {notified:,} of "
              f"{JobSeeker.objects.filter(user__isnull=False).count():,} seekers with a login notified in "
              f"{time.perf_counter() - started:.2f} s")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--setup", action="store_true", help="create and fill the database first")
    parser.add_argument("--families", type=int, default=40_000)
    parser.add_argument("--employers", type=int, default=600)
    parser.add_argument("--total-vacancies", type=int, default=7_000)
    parser.add_argument("--total-seekers", type=int, default=50_000)
    parser.add_argument("--vacancies", type=int, default=20, help="vacancies timed")
    parser.add_argument("--seekers", type=int, default=20, help="seekers timed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--accounts", type=int, default=20_000, help="with --setup: seekers with a portal login")
    parser.add_argument("--batch", action="store_true", help="also time recommend_all (every active seeker)")
    parser.add_argument("--open-vacancies", type=int, default=5_000,
                        help="with --setup: open submitted vacancies until exactly this many are public")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sejahtera.settings")
    os.environ.setdefault("DEBUG", "1")
    if args.setup:
        _create_database(args.database_url)
    import django

    django.setup()
    if args.setup:
        setup(args)
    measure(args)


if __name__ == "__main__":
    main()
