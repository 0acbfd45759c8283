"""``sejahtera find_duplicates``: find probable duplicate persons and queue them for review."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from sejahtera.registry.dedup import linkage
from sejahtera.registry.dedup.scan import find_duplicates


class Command(BaseCommand):
    help = ("Find probable duplicate persons in the registry (Splink on DuckDB) and put the new pairs in "
            "the review queue. Pairs already in the queue, open or decided, are left as they are.")

    def add_arguments(self, parser):
        parser.add_argument("--threshold", type=float, default=linkage.DEFAULT_THRESHOLD,
                            help="minimum match probability of a pair (default %(default)s)")
        parser.add_argument("--region", default="",
                            help="only persons of this region (kabupaten, kecamatan or desa code, dots allowed)")
        parser.add_argument("--limit-pairs", type=int, default=None,
                            help="queue at most this many pairs, the most probable first")
        parser.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")

    def handle(self, *args, threshold, region, limit_pairs, threads, **options):
        if not 0 < threshold < 1:
            raise CommandError("--threshold must be between 0 and 1.")
        region = region.replace(".", "").strip()
        if region and (not region.isdigit() or len(region) not in (2, 4, 6, 10)):
            raise CommandError("--region must be a province, kabupaten, kecamatan or desa code.")
        if limit_pairs is not None and limit_pairs < 1:
            raise CommandError("--limit-pairs must be at least 1.")
        result = find_duplicates(threshold=threshold, region=region, limit_pairs=limit_pairs, threads=threads)
        timings = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.timings.items())
        self.stdout.write(f"Persons scanned: {result.persons}")
        self.stdout.write(f"Pairs at or above {threshold}: {result.pairs}")
        self.stdout.write(f"New in the review queue: {result.created}; already known: {result.known}")
        self.stdout.write(f"Time: {timings}")
