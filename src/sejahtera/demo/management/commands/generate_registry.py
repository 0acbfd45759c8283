import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sejahtera.demo.synthetic.files import write_registry_files
from sejahtera.demo.synthetic.generator import iter_families
from sejahtera.demo.synthetic.geography import load_geography
from sejahtera.registry.dedup.perturb import neighbour_map

MEAN_FAMILY_SIZE = 3.4  # persons per family in the synthetic regency


class Command(BaseCommand):
    help = ("Write synthetic import files of the regency (individu.csv, survei.csv) at any size, "
            "optionally with injected errors and near-duplicates and their ground truth, and the "
            "calibration sample of the surveys that measured consumption (sampel_kalibrasi.csv).")

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, required=True, help="about how many persons")
        parser.add_argument("--out", type=Path, required=True, help="folder for the files")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--dirty", type=float, default=0.0,
                            help="share of rows with errors and near-duplicates (e.g. 0.02)")
        parser.add_argument("--regency", default=settings.SEJAHTERA_REGENCY)

    def handle(self, *args, persons, out, seed, dirty, regency, **options):
        if persons < 1 or not 0 <= dirty < 0.5:
            raise CommandError("--persons must be positive and --dirty between 0 and 0.5")
        started = time.monotonic()
        geography = load_geography(regency.replace(".", ""))
        families = max(1, round(persons / MEAN_FAMILY_SIZE))
        neighbours = neighbour_map(desa.code for desa in geography.desas) if dirty else None
        summary = write_registry_files(iter_families(geography, families=families, seed=seed), out,
                                       dirty_rate=dirty, seed=seed, neighbours=neighbours)
        self.stdout.write(
            f"{summary.families:,} families, {summary.persons:,} person rows, {summary.surveys:,} surveys, "
            f"{summary.sample:,} with measured consumption; "
            f"{summary.rejected_rows:,} damaged rows, {summary.duplicates:,} near-duplicates "
            f"in {time.monotonic() - started:.1f} s"
        )
        for path in summary.paths:
            self.stdout.write(f"  {path}")
