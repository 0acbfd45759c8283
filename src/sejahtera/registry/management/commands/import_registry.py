import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from sejahtera.registry.importing.columns import SURVEYS
from sejahtera.registry.importing.pipeline import ImportFileError, check_file, import_file
from sejahtera.registry.importing.workers import import_batches_mark_interrupted
from sejahtera.registry.importing.report import write_report

OUTCOMES = ("inserted", "updated", "unchanged", "flagged", "rejected")


class TerminalProgress:
    """A one-line progress bar on a terminal; silent when the output is a file or a pipe."""

    def __init__(self, stream, label: str):
        self.stream, self.label, self.started = stream, label, time.monotonic()
        self.enabled = stream.isatty()

    def __call__(self, rows: int, fraction: float | None) -> None:
        if not self.enabled:
            return
        rate = rows / max(time.monotonic() - self.started, 1e-6)
        bar = ""
        if fraction is not None:
            filled = int(30 * fraction)
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {fraction:4.0%} "
        self.stream.write(f"\r{self.label}: {bar}{rows:,} baris ({rate:,.0f}/detik)")
        self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\n")


class Command(BaseCommand):
    help = ("Import registry files (individuals and household surveys, CSV or XLSX). Each file commits "
            "once: all its accepted rows or nothing. Rejected and flagged rows go to the report.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--report", type=Path, help="report of rejected and flagged rows (.csv or .xlsx)")
        parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
        parser.add_argument("--user", help="import as this user, within their region (default: the whole regency)")

    def handle(self, *args, files, report, dry_run, user, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user {user!r}.")
        templates = {}
        for path in files:
            if not path.is_file():
                raise CommandError(f"{path}: no such file.")
            try:  # every file is checked before the first is imported: an unreadable one stops them all
                templates[path] = check_file(path)
            except ImportFileError as error:
                raise CommandError(f"{path.name}: {error} Nothing was written.") from error
        import_batches_mark_interrupted()  # earlier runs of this host that were killed
        lines = []
        # Families before their surveys: individuals files first.
        for path in sorted(files, key=lambda p: templates[p] is SURVEYS):
            started = time.monotonic()
            progress = TerminalProgress(sys.stderr, path.name)
            try:
                result = import_file(path, actor=actor, dry_run=dry_run, progress=progress)
            except ImportFileError as error:
                progress.done()
                raise CommandError(f"{path.name}: {error} Nothing was written.") from error
            progress.done()
            batch = result.batch
            lines += result.lines
            counts = ", ".join(f"{getattr(batch, name):,} {name}" for name in OUTCOMES)
            trial = " (dry run, nothing written)" if dry_run else ""
            self.stdout.write(f"{path.name}: {batch.rows_total:,} rows: {counts} "
                              f"in {time.monotonic() - started:.1f} s{trial}")
        if report:
            write_report(lines, report)
            self.stdout.write(f"Report: {report} ({len(lines):,} lines)")
