"""Benchmark of the programme engine on PostgreSQL at regency scale: opening a cycle and approving
100,000 enrolments.

    DEBUG=1 .venv/bin/python benchmarks/programs_benchmark.py --database-url postgres://.../sejahtera_progbench

The database must hold a scored registry (current welfare scores) and the programme tables; with
``--migrate`` the script first migrates it. It then times, through the services:

1. ``cycle_open`` of a family programme whose rule is ``desil <= 4`` (about 40 % of the families):
   the rule compiled and run, every candidate written with one ``INSERT … SELECT`` and one audit
   row per candidate;
2. ``enrolments_verify`` of the first 120,000 candidates in priority order (one statement);
3. ``enrolments_approve`` of all verified enrolments with a quota of 100,000: the 100,000 highest
   priorities are approved, the rest left out;
4. ``payment_batch_create`` for one month of the 100,000 beneficiaries, its two approvals, the
   bank's payment list (``payment_batch_export_xlsx``) and the reconciliation of a bank result
   file (CSV) paying all of them;
5. 200 single ``enrolment_approve`` calls (each locks the cycle row), as a latency figure.

Everything runs in one transaction that is rolled back at the end (``--commit`` commits each step
instead, for a disposable copy), so the script can run against a copy of a production database
again and again: ``createdb -T sejahtera_full sejahtera_progbench`` makes one.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from contextlib import contextmanager


class Rollback(Exception):
    pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rule", default="desil <= 4", help="family rule of the benchmark programme")
    parser.add_argument("--approve", type=int, default=100_000, help="enrolments to approve (the quota)")
    parser.add_argument("--migrate", action="store_true", help="migrate the database first")
    parser.add_argument("--commit", action="store_true", help="commit each step (use a disposable copy)")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sejahtera.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        print("This benchmark is for PostgreSQL.", file=sys.stderr)
        return 2
    if args.migrate:
        call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM welfare_welfarescore WHERE is_current")
        scored = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM registry_family")
        families = cursor.fetchone()[0]
    if not scored:
        print("The database has no current welfare scores: score it first (sejahtera score_welfare).",
              file=sys.stderr)
        return 2
    print(f"registry: {families:,} families, {scored:,} with a current welfare score")

    if args.commit:
        return run(args)
    try:
        with transaction.atomic():
            run(args)
            raise Rollback
    except Rollback:
        print("rolled back")
    return 0


@contextmanager
def timed(label: str, figures: dict):
    started = time.perf_counter()
    yield
    figures[label] = time.perf_counter() - started
    print(f"{label:<48} {figures[label]:8.2f} s", flush=True)


def run(args) -> int:
    from django.db.models import Q

    from sejahtera.accounts.models import Agency, Membership, User
    from sejahtera.accounts.roles import Role
    from sejahtera.programs import services
    from sejahtera.programs.models import Enrolment, Programme
    from sejahtera.welfare.models import PmtModel

    regency = PmtModel.objects.filter(is_active=True).values_list("regency_code", flat=True).first()
    stamp = datetime.datetime.now().strftime("%Y%m%d%H%M%S")
    agency = Agency.objects.get(code="dinsos")

    def user(role, name):
        account = User.objects.create_user(username=f"bench-{name}-{stamp}", password=None)
        Membership.objects.create(user=account, role=role, region_id=regency,
                                  agency=agency if role in (Role.AGENCY_OFFICER, Role.AGENCY_HEAD) else None)
        return account

    officer, head = user(Role.AGENCY_OFFICER, "officer"), user(Role.AGENCY_HEAD, "head")
    checker, verifier = user(Role.AGENCY_OFFICER, "checker"), user(Role.KECAMATAN_VERIFIER, "verifier")
    programme = Programme.objects.create(
        regency_code=regency, code=f"bench-{stamp}", name="Benchmark cash transfer", agency=agency,
        target="family", benefit="cash", amount=300_000, period="month", quota=args.approve)
    services.rule_publish(actor=officer, rule=services.rule_draft_save(actor=officer, programme=programme,
                                                                       text=args.rule))
    cycle = services.cycle_create(actor=officer, programme=programme, label="2026",
                                  starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31))
    figures: dict[str, float] = {}

    with timed(f"cycle_open ({args.rule})", figures):
        cycle = services.cycle_open(actor=officer, cycle=cycle)
    print(f"  {cycle.candidates:,} candidates")
    verify = int(args.approve * 1.2)
    with timed(f"enrolments_verify (first {verify:,})", figures):
        result = services.enrolments_verify(actor=verifier, cycle=cycle, ids_or_filter=Q(priority__lte=verify))
    print(f"  {result.changed:,} verified")
    with timed(f"enrolments_approve (quota {args.approve:,})", figures):
        result = services.enrolments_approve(actor=head, cycle=cycle, ids_or_filter=None)
    print(f"  {result.changed:,} approved, {result.left_out:,} left out")
    with timed("payment_batch_create (one month)", figures):
        batch = services.payment_batch_create(actor=checker, cycle=cycle, period="2026-01")
    print(f"  {batch.payments_count:,} payments, Rp{batch.total:,}")
    services.payment_batch_approve(actor=officer, batch=batch)
    services.payment_batch_approve(actor=head, batch=batch)
    with timed("payment_batch_export_xlsx", figures):
        workbook = services.payment_batch_export_xlsx(actor=officer, batch=batch)
    print(f"  {len(workbook):,} bytes")
    keys = batch.payments.values_list("idempotency_key", flat=True)
    result_file = "idempotency_key,status,bank_reference,date,reason\n" + "".join(
        f"{key},paid,TRX{i:08d},2026-01-27,\n" for i, key in enumerate(keys.iterator()))
    with timed("payment_batch_reconcile (CSV, all paid)", figures):
        outcome = services.payment_batch_reconcile(actor=officer, batch=batch, file=result_file.encode())
    print(f"  {outcome.paid:,} paid, {outcome.pending:,} pending")
    with timed("payment_batch_reconcile (same file again)", figures):
        outcome = services.payment_batch_reconcile(actor=officer, batch=batch, file=result_file.encode())
    print(f"  {outcome.unchanged:,} unchanged")

    # Latency of single approvals: exit a few to make room, then approve one at a time.
    singles = list(Enrolment.objects.filter(cycle=cycle, status="verified").order_by("priority")[:200])
    services.enrolments_exit(actor=officer, cycle=cycle, ids_or_filter=Q(priority__lte=len(singles)),
                             reason="benchmark")
    latencies = []
    for enrolment in singles:
        started = time.perf_counter()
        services.enrolment_approve(actor=head, enrolment=enrolment)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    print(f"{'enrolment_approve (single), ms':<48} p50 {statistics.median(latencies):.1f}  "
          f"p99 {latencies[int(len(latencies) * 0.99) - 1]:.1f}")
    cycle.refresh_from_db()
    assert cycle.approved_count <= args.approve
    print(f"cycle totals: {cycle.approved_count:,} approved, Rp{cycle.approved_amount:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
