"""``sejahtera demo``: a local demo with a synthetic regency, ready in well under a minute.

1. migrate (quietly; the migrations load the region list and the agencies);
2. when the registry is empty, generate the synthetic regency of settings.SEJAHTERA_REGENCY
   and create the demo users (and an unprinted district verifier for every kecamatan), in one
   transaction; a registry the demo did not create never gets the demo users (their passwords
   are printed for everyone to see); then score it and put work under way (``demo.activity``:
   this year's cycle of each of the seven programmes, worked through by the demo users, and the
   career center's data);
3. print the demo credentials and serve on 127.0.0.1 with waitress (unless --no-serve), with the
   background-task worker (``sejahtera db_worker``, which runs web imports) in a child process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from sejahtera.demo.activity import career_activity, portal_accounts, programme_activity
from sejahtera.demo.synthetic.generator import generate_regency
from sejahtera.monitoring.computations import refresh_aggregates
from sejahtera.demo.synthetic.writer import write_regency
from sejahtera.demo.users import demo_credentials, ensure_demo_users, ensure_field_verifiers
from sejahtera.regions.models import Region
from sejahtera.registry.models import Family
from sejahtera.welfare.models import DesilSummary
from sejahtera.welfare.scoring import welfare_score


def _process_age() -> float:
    """Seconds since this process started (Linux), so the timing includes Python's start-up."""
    try:
        with open("/proc/self/stat") as stat, open("/proc/uptime") as uptime:
            started_ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
            return max(0.0, float(uptime.read().split()[0]) - started_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


def _seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = "Start a local demo: migrate, generate a synthetic regency when the registry is empty, and serve."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Port on 127.0.0.1 (default 8000).")
        parser.add_argument("--families", type=int, default=20_000,
                            help="Families to generate on first start (default 20000).")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the synthetic regency (default 1).")
        parser.add_argument("--no-serve", action="store_true", help="Stop after setting up the data.")

    def handle(self, *args, port: int, families: int, seed: int, no_serve: bool, **options):
        started = time.perf_counter() - _process_age()
        if families < 1:
            raise CommandError("--families must be at least 1.")
        regency_code = settings.SEJAHTERA_REGENCY
        out = self.stdout

        step = time.perf_counter()
        out.write("Menyiapkan basis data (migrasi)...", ending=" ")
        out.flush()
        call_command("migrate", verbosity=0, interactive=False)
        out.write(f"{_seconds(time.perf_counter() - step)} detik")

        with transaction.atomic():  # data and demo users together, or neither
            generate = not Family.objects.exists()
            if generate:
                self._generate(regency_code, families, seed)
                out.write(f"Pengguna demo dibuat: {', '.join(ensure_demo_users(regency_code))}")
                verifiers = ensure_field_verifiers(regency_code)
                out.write(f"  dan {_number(verifiers)} verifikator kecamatan untuk pemeriksaan lapangan "
                          f"(tanpa kata sandi)")
        if not DesilSummary.objects.exists():
            self._score()
        if generate:
            self._activity(regency_code, seed)
        if not generate:
            count = Family.objects.count()
            out.write(f"Data yang ada dipakai lagi: {_number(count)} keluarga (tidak dibuat ulang).")
            if not demo_credentials():
                # Never add users with published passwords to a registry the demo did not create.
                out.write(self.style.WARNING(
                    "Registri ini tidak dibuat oleh demo: akun demo tidak dibuat. "
                    "Pakai folder data kosong (SEJAHTERA_DATA_DIR) untuk demo."))
        self._print_credentials()

        elapsed = time.perf_counter() - started
        if no_serve:
            out.write(self.style.SUCCESS(f"Siap dalam {_seconds(elapsed)} detik."))
            return
        url = f"http://127.0.0.1:{port}/"
        out.write(self.style.SUCCESS(f"Siap dalam {_seconds(elapsed)} detik. Buka {url} di peramban."))
        out.write("Tekan Ctrl+C untuk berhenti.")
        out.flush()
        self._serve(port)

    def _generate(self, regency_code: str, families: int, seed: int) -> None:
        out = self.stdout
        step = time.perf_counter()
        out.write(f"Membuat data sintetis {_number(families)} keluarga (seed {seed})...", ending=" ")
        out.flush()
        try:
            regency = generate_regency(regency_code, families=families, seed=seed,
                                       reference_date=timezone.localdate())
        except Region.DoesNotExist as error:
            raise CommandError(f"SEJAHTERA_REGENCY={regency_code} bukan kode kabupaten/kota yang dikenal.") from error
        summary = write_regency(regency)
        out.write(f"{_seconds(time.perf_counter() - step)} detik")
        out.write(f"  {regency.regency_name}: {_number(summary.families)} keluarga, "
                  f"{_number(summary.persons)} jiwa, {_number(summary.surveys)} survei rumah tangga")

    def _score(self) -> None:
        step = time.perf_counter()
        self.stdout.write("Memberi peringkat kesejahteraan (desil)...", ending=" ")
        self.stdout.flush()
        scored = sum(run.scored for run in welfare_score())
        self.stdout.write(f"{_number(scored)} keluarga, {_seconds(time.perf_counter() - step)} detik")

    def _activity(self, regency_code: str, seed: int) -> None:
        step = time.perf_counter()
        self.stdout.write("Menyiapkan kegiatan program dan pusat karier...", ending=" ")
        self.stdout.flush()
        programmes = programme_activity(regency_code, timezone.localdate(), seed)
        careers = career_activity(regency_code, seed)
        # The dashboards read precomputed figures: compute them now, not when the worker gets to it.
        refresh_aggregates()
        self.stdout.write(f"{_seconds(time.perf_counter() - step)} detik")
        for p in programmes:
            line = (f"  {p.name} {p.cycle}: {_number(p.candidates)} calon, {_number(p.verified)} diverifikasi, "
                    f"{_number(p.rejected)} ditolak, {_number(p.approved)} disetujui")
            if p.paid:
                line += f", {_number(p.paid)} dibayar (Rp{_number(p.paid_amount)})"
            self.stdout.write(line)
        self.stdout.write(f"  Pusat karier: {_number(careers.employers)} perusahaan, "
                          f"{_number(careers.vacancies)} lowongan, {_number(careers.seekers)} pencari kerja, "
                          f"{_number(careers.placements)} penempatan")

    def _print_credentials(self) -> None:
        rows = [("Pengguna", "Kata sandi", "Peran", "Instansi", "Wilayah")]
        rows += [(c.username, c.password, c.role_label, c.agency_label, c.scope_label) for c in demo_credentials()]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        line = "  ".join("-" * w for w in widths)
        self.stdout.write("")
        self.stdout.write("Akun demo (hanya untuk demo di komputer ini):")
        for index, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if index == 0:
                self.stdout.write(line)
        self.stdout.write("")
        accounts = portal_accounts()
        if accounts:
            self.stdout.write("Akun portal kerja (/kerja/masuk/):")
            width = max(len(account.username) for account in accounts)
            for account in accounts:
                self.stdout.write(f"  {account.username.ljust(width)}  {account.password}  {account.label}: {account.name}")
            self.stdout.write("")

    def _serve(self, port: int) -> None:
        import waitress

        from sejahtera.wsgi import application

        worker = self._start_worker()
        # Stopped by SIGTERM (not only Ctrl+C): stop the worker too, instead of leaving it behind.
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        try:
            waitress.serve(application, host="127.0.0.1", port=port, threads=8)
        except KeyboardInterrupt:
            self.stdout.write("Demo dihentikan.")
        except OSError as error:
            raise CommandError(f"Tidak bisa membuka port {port}: {error}. Coba --port lain.") from error
        finally:
            self._stop_worker(worker)

    def _start_worker(self) -> subprocess.Popen:
        """The background-task worker (web imports), in its own process beside the web server."""
        env = {**os.environ, "SEJAHTERA_DATA_DIR": str(settings.DATA_DIR)}
        return subprocess.Popen(
            [sys.executable, "-m", "sejahtera", "db_worker", "--no-reload", "--interval", "1", "--verbosity", "0"],
            env=env)

    def _stop_worker(self, worker: subprocess.Popen) -> None:
        if worker.poll() is None:
            worker.terminate()  # the worker finishes its current task, then stops
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
