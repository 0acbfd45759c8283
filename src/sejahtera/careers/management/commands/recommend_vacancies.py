"""``sejahtera recommend_vacancies [--limit 10]``: store the top vacancies of every active seeker (nightly).

Then each seeker with an account is notified of the vacancies opened since the previous run that
are among their best five (none on the first run).
"""

import time

from django.core.management.base import BaseCommand

from sejahtera.careers.batch import last_run, notify_new_matches, recommend_all


class Command(BaseCommand):
    help = "Compute the top vacancies of every active job seeker and store them (careers_recommendation)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=10, help="vacancies kept per seeker (default 10)")

    def handle(self, *args, limit: int, **options):
        started = time.perf_counter()
        previous = last_run()
        stored = recommend_all(limit=limit)
        self.stdout.write(f"{stored} recommendations stored in {time.perf_counter() - started:.1f} s")
        if previous is not None:
            notified = notify_new_matches(since=previous)
            self.stdout.write(f"{notified} job seekers notified of new vacancies")
