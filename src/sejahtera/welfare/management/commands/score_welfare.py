"""``sejahtera score_welfare [--changed-only] [--regency CODE]``: PMT scores, ranks and desil in SQL."""

import time

from django.core.management.base import BaseCommand

from sejahtera.monitoring.tasks import request_refresh
from sejahtera.welfare.scoring import welfare_score


class Command(BaseCommand):
    help = "Score families with the active PMT model of their regency and rank them into desil."

    def add_arguments(self, parser):
        parser.add_argument("--changed-only", action="store_true",
                            help="Rescore only families whose survey or members changed since their current score "
                                 "(ranks and desil are still recomputed regency-wide).")
        parser.add_argument("--regency", default=None, help="Only this regency (4-digit code).")

    def handle(self, *args, changed_only=False, regency=None, **options):
        started = time.perf_counter()
        runs = welfare_score(changed_only=changed_only, regency_code=regency)
        if not runs:
            self.stderr.write("No active PMT model.")
        for run in runs:
            self.stdout.write(f"{run.regency_code}: model {run.model_id}, scored {run.scored}, "
                              f"previous scores retired {run.retired}, re-ranked {run.reranked}")
        if any(run.scored or run.retired for run in runs):
            request_refresh()  # the monitoring figures that count by desil and poverty
        self.stdout.write(f"done in {time.perf_counter() - started:.1f} s")
