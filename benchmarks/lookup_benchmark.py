"""Person lookup by NIK over HTTP, on a database that already holds the registry.

    python benchmarks/lookup_benchmark.py --database-url postgres://postgres@127.0.0.1:5432/sejahtera_bench

Starts the application under waitress on 127.0.0.1, issues an API token to a regency-wide
officer, then sends sequential `POST /api/v1/persons/lookup` requests (keep-alive) for NIKs
drawn at random from the registry, and prints p50, p90 and p99 latency. Every request is a
full request: token authentication, scoped query, access-log write, JSON response.
"""

import argparse
import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
SEJAHTERA = str(Path(sys.executable).with_name("sejahtera"))
SERVE = ("import waitress; from sejahtera.wsgi import application; "
         "waitress.serve(application, host='127.0.0.1', port={port}, threads=4, _quiet=True)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    args = parser.parse_args()
    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": args.database_url, "DEBUG": "0", "SEJAHTERA_HTTPS": "0",
           "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1"}
    setup = ("from sejahtera.accounts.models import Membership, User, Agency; "
             "u, _ = User.objects.get_or_create(username='bench-officer'); "
             "Membership.objects.get_or_create(user=u, role='agency_officer', region_id='3201', "
             "agency=Agency.objects.get(code='dinsos'))")
    subprocess.run([SEJAHTERA, "shell", "-c", setup], env=env, check=True, capture_output=True)
    key = subprocess.run([SEJAHTERA, "create_api_token", "bench-officer", "--name", "benchmark"], env=env,
                         check=True, capture_output=True, text=True).stdout.strip()
    with psycopg.connect(args.database_url) as conn:
        total = conn.execute("SELECT COUNT(*) FROM registry_person WHERE nik IS NOT NULL").fetchone()[0]
        niks = [row[0] for row in conn.execute(
            "SELECT nik FROM registry_person TABLESAMPLE SYSTEM (1) WHERE nik IS NOT NULL LIMIT %s",
            [args.requests * 2]).fetchall()]
    random.Random(1).shuffle(niks)
    server = subprocess.Popen([sys.executable, "-c", SERVE.format(port=args.port)], env=env)
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request("GET", "/login/")
                break
            except OSError:
                time.sleep(0.2)
        conn = http.client.HTTPConnection("127.0.0.1", args.port)
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        timings = []
        for i in range(args.requests + 50):
            body = json.dumps({"nik": niks[i % len(niks)]})
            started = time.perf_counter()
            conn.request("POST", "/api/v1/persons/lookup", body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            if response.status != 200:
                raise SystemExit(f"status {response.status}: {payload[:200]!r}")
            if i >= 50:  # the first requests warm up the server
                timings.append(elapsed)
    finally:
        server.terminate()
        server.wait()
    quantiles = statistics.quantiles(timings, n=100)
    figures = {"persons_with_nik": total, "requests": len(timings), "p50_ms": round(quantiles[49], 2),
               "p90_ms": round(quantiles[89], 2), "p99_ms": round(quantiles[98], 2)}
    print(json.dumps(figures, indent=2))
    out = HERE / "results" / f"lookup-{total}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
