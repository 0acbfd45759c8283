from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from sejahtera.regions.loading import SHIPPED_LIST, load_regions
from sejahtera.regions.models import Region


class Command(BaseCommand):
    help = "Load the Kemendagri region list shipped with Sejahtera, or an older list of codes."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, default=SHIPPED_LIST,
                            help="CSV with code,name,level,desa_type (default: the shipped list)")
        parser.add_argument("--older", action="store_true",
                            help="the file is an older region list: its codes are kept as not current")

    @transaction.atomic
    def handle(self, *args, file: Path, older: bool, **options):
        count = load_regions(Region, file, is_current=not older)
        self.stdout.write(f"{count} regions read from {file.name}; {Region.objects.count()} in the database.")
