"""The monitoring dashboards (``web:monitoring_overview`` and ``web:monitoring_kecamatan``) on a
PostgreSQL database that holds a scored registry with its monitoring aggregates refreshed.

    python benchmarks/dashboard_benchmark.py --database-url postgres://postgres@127.0.0.1:5432/NAME

Requests the regency overview and the dashboards of three kecamatan (the three with the most scored
families) ``--requests`` times each (default 50, after ``--warmup`` unmeasured requests) through
the Django test client — URL routing, middleware, view, template and response — as an existing
planner (``--user``, default the demo's ``perencana``), and prints p50, p95 and max latency and the
number of queries per page.

The run is read-only: every connection is put in ``default_transaction_read_only``, sessions are
signed cookies, and logging in does not update ``last_login``. Run ``sejahtera`` ``refresh_monitoring``
(or ``refresh_aggregates()``) on the database first, so the coverage summary exists; the pages read
only precomputed rows (monitoring realisations, the desil and coverage summaries).
"""

import argparse
import os
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
    from django.conf import settings

    django.setup()
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    from django.contrib.auth.models import update_last_login
    from django.contrib.auth.signals import user_logged_in
    from django.db.backends.signals import connection_created

    user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")

    def read_only(sender, connection, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SET default_transaction_read_only = on")

    connection_created.connect(read_only)


def busiest_kecamatan(regency: str, n: int) -> list[str]:
    from django.db.models import Sum
    from django.db.models.functions import Substr

    from sejahtera.welfare.models import DesilSummary

    rows = (DesilSummary.objects.filter(regency_code=regency).annotate(kecamatan=Substr("desa_code", 1, 6))
            .values("kecamatan").annotate(n=Sum("families")).order_by("-n", "kecamatan"))
    return [row["kecamatan"] for row in rows[:n]]


def measure(client, url: str, requests: int, warmup: int) -> dict:
    from django.db import connection

    for _ in range(warmup):
        assert client.get(url).status_code == 200, url
    queries = []  # counted by a wrapper: the request_started signal empties connection.queries

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    times.sort()
    return {"url": url, "p50": statistics.median(times), "p95": times[max(0, round(0.95 * len(times)) - 1)],
            "max": times[-1], "queries": len(queries), "bytes": len(response.content)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--user", default="perencana")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--year", type=int)
    args = parser.parse_args()
    setup(args.database_url)

    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from sejahtera.accounts.models import User
    from sejahtera.monitoring.models import CoverageSummary
    from sejahtera.welfare.models import DesilSummary, WelfareScore
    from sejahtera.welfare.selectors import regency_code

    regency = regency_code()
    year = args.year or timezone.localdate().year
    client = Client()
    client.force_login(User.objects.get(username=args.user))
    families = WelfareScore.objects.filter(is_current=True, regency_code=regency).count()
    print(f"Database: {families:,} families with a current score; "
          f"{DesilSummary.objects.filter(regency_code=regency).count():,} desil summary rows, "
          f"{CoverageSummary.objects.filter(regency_code=regency).count():,} coverage summary rows")
    pages = [("regency", reverse("web:monitoring_overview"))]
    pages += [(f"kecamatan {code}", reverse("web:monitoring_kecamatan", args=[code]))
              for code in busiest_kecamatan(regency, 3)]
    print(f"{'page':<20} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8} {'KB':>6}")
    worst = 0.0
    for name, url in pages:
        result = measure(client, f"{url}?year={year}", args.requests, args.warmup)
        worst = max(worst, result["p95"])
        print(f"{name:<20} {result['p50']:8.1f} {result['p95']:8.1f} {result['max']:8.1f} "
              f"{result['queries']:8d} {result['bytes'] / 1024:6.0f}")
    print(f"{args.requests} requests per page after {args.warmup} warm-up; worst p95 {worst:.1f} ms "
          f"({'within' if worst <= 300 else 'over'} the 300 ms goal)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
