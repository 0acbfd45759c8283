"""The family profile page (``web:family_profile``) on a database that holds the full registry.

    python benchmarks/family_profile_benchmark.py --database-url postgres://postgres@127.0.0.1:5432/bench

Calls the view in-process (request factory, template rendered, response body built) for
``--families`` families drawn at random, as a regency-wide district verifier (who sees every
section: full NIKs, every programme, the career center), and prints p50, p95 and p99 latency
and the number of queries per page.

The run is read-only: every connection is put in ``default_transaction_read_only``, and the one
write of the page, the access-log row, is left out (the figures exclude that one-row INSERT).
The user is an unsaved object with an in-memory membership, so nothing is created either.

``--open-cycles`` (default on) stands in, in memory, an open cycle for each active programme
with a published rule, so the page computes the eligible-but-not-received list with one rule
query per programme as it does when cycles are open; ``--no-open-cycles`` leaves the cycles as
the database has them.
"""

import argparse
import datetime
import os
import random
import secrets
import statistics
import sys
import time


def setup(database_url: str) -> None:
    os.environ.update({"DATABASE_URL": database_url, "DEBUG": "0", "SEJAHTERA_HTTPS": "0",
                       "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
                       "ALLOWED_HOSTS": "testserver"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sejahtera.settings")
    import django

    django.setup()
    from django.db.backends.signals import connection_created

    def read_only(sender, connection, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SET default_transaction_read_only = on")

    connection_created.connect(read_only)


def regency_user(regency: str):
    """An unsaved regency-wide district verifier: no row is written for the benchmark."""
    from sejahtera.accounts.models import Membership, User
    from sejahtera.accounts.roles import Role
    from sejahtera.regions.models import Region

    user = User(username="bench-profile")
    membership = Membership(user=user, role=Role.KECAMATAN_VERIFIER, region=Region.objects.get(code=regency),
                            is_active=True)
    user.__dict__["active_memberships"] = [membership]
    return user


def simulated_cycles(regency: str):
    """An open cycle (in memory) for each active programme with a published rule."""
    from sejahtera.programs.models import Cycle, Programme

    cycles = []
    programmes = Programme.objects.filter(regency_code=regency, is_active=True).select_related("agency")
    for index, programme in enumerate(programmes.order_by("name"), start=1):
        rule = programme.rules.filter(published_at__isnull=False).order_by("-version").first()
        if rule is not None:
            cycles.append(Cycle(pk=-index, programme=programme, rule=rule, label="bench", status=Cycle.Status.OPEN,
                                starts_on=datetime.date.today(), ends_on=datetime.date.today()))
    return cycles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--families", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--open-cycles", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args()
    setup(args.database_url)

    from django.conf import settings
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from sejahtera.registry import selectors as registry_selectors
    from sejahtera.web import profile
    from sejahtera.web.views.family_profile import family_profile

    regency = settings.SEJAHTERA_REGENCY
    registry_selectors.access_log = lambda **kwargs: None  # the page's only write
    if args.open_cycles:
        cycles = simulated_cycles(regency)
        profile.open_cycles = lambda region_code: cycles
    user = regency_user(regency)

    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id), count(*) FROM registry_family")
        low, high, total = cursor.fetchone()
    rng = random.Random(args.seed)
    wanted = args.families + args.warmup
    ids: list[int] = []
    while len(ids) < wanted:  # random ids that exist
        probe = [rng.randint(low, high) for _ in range(wanted * 2)]
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM registry_family WHERE id = ANY(%s)", [probe])
            found = {row[0] for row in cursor.fetchall()}
        ids += [pk for pk in probe if pk in found and pk not in ids][:wanted - len(ids)]

    factory = RequestFactory()

    def page(pk: int) -> int:
        request = factory.get(reverse("web:family_profile", args=[pk]))
        request.user = user
        response = family_profile(request, pk)
        if response.status_code != 200:
            raise SystemExit(f"family {pk}: status {response.status_code}")
        return len(response.content)

    for pk in ids[:args.warmup]:
        page(pk)
    timings, sizes = [], []
    for pk in ids[args.warmup:]:
        started = time.perf_counter()
        sizes.append(page(pk))
        timings.append((time.perf_counter() - started) * 1000)
    counts = []
    for pk in ids[args.warmup:args.warmup + 20]:
        with CaptureQueriesContext(connection) as queries:
            page(pk)
        counts.append(len(queries))

    cuts = statistics.quantiles(timings, n=100)
    load = os.getloadavg()
    print(f"family profile, {len(timings)} random families of {total:,} "
          f"({'%d simulated open cycles' % len(cycles) if args.open_cycles else 'cycles as stored'})")
    print(f"p50 {cuts[49]:.1f} ms   p95 {cuts[94]:.1f} ms   p99 {cuts[98]:.1f} ms   max {max(timings):.1f} ms")
    print(f"queries per page: {min(counts)}-{max(counts)}   page size: median {statistics.median(sizes) / 1024:.0f} KiB")
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    sys.exit(main())
