"""``sejahtera recommend_vacancies [--limit 10]``: store the top vacancies of every active seeker."""

import time

from django.core.management.base import BaseCommand

from sejahtera.careers.batch import recommend_all


class Command(BaseCommand):
    help = "Compute the top vacancies of every active job seeker and store them (careers_recommendation)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=10, help="vacancies kept per seeker (default 10)")

    def handle(self, *args, limit: int, **options):
        started = time.perf_counter()
        stored = recommend_all(limit=limit)
        self.stdout.write(f"{stored} recommendations stored in {time.perf_counter() - started:.1f} s")
