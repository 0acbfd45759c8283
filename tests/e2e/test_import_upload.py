"""A desa operator uploads a small CSV, follows the background import live, and downloads the report."""

import csv
import datetime
import io
import re

import pytest
from playwright.sync_api import expect

from sejahtera.registry.identity import nik_for_birth, no_kk_for_issue
from sejahtera.registry.models import ImportBatch, Person
from tests.conftest import DESA_A
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e



def small_csv() -> bytes:
    """Two families of three persons, and a row whose NIK has 15 digits (rejected)."""
    kecamatan, issued = DESA_A[:6], datetime.date(2015, 3, 2)
    rows = [
        (1, 1, "Asep Sunandar", "L", datetime.date(1980, 5, 17), "Kepala Keluarga"),
        (2, 1, "Euis Komariah", "P", datetime.date(1985, 7, 9), "Istri"),
        (3, 3, "Dedi Mulyadi", "L", datetime.date(1979, 1, 30), "Kepala Keluarga"),
        (4, 4, "Ujang Salah", "L", datetime.date(1990, 2, 1), "Kepala Keluarga"),
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["no_kk", "nik", "nama", "jenis_kelamin", "tanggal_lahir", "hubungan_keluarga", "kode_desa"])
    for serial, family, name, sex, birth, relationship in rows:
        nik = nik_for_birth(kecamatan, birth, sex, serial)
        writer.writerow([no_kk_for_issue(kecamatan, issued, family), nik[:15] if serial == 4 else nik, name, sex,
                         birth.strftime("%d/%m/%Y"), relationship, DESA_A])
    return buffer.getvalue().encode("utf-8")


def run_worker_once() -> None:
    """What ``sejahtera db_worker`` does: take the queued task, run it, stop when the queue is empty."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
           max_tasks=None, worker_id="e2e-worker", excluded_queue_names=[]).run()


def test_operator_uploads_a_csv_and_follows_the_import(page, screenshot, operator_a, settings, tmp_path):
    settings.SEJAHTERA_IMPORT_DIR = tmp_path / "imports"
    log_in(page, operator_a.username)

    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Impor").click()
    expect(page.get_by_role("heading", name="Impor", exact=True)).to_be_visible()
    expect(page.get_by_text("Belum ada impor.")).to_be_visible()
    page.get_by_role("link", name="Impor berkas").click()
    expect(page.get_by_role("heading", name="Impor berkas registri")).to_be_visible()
    expect(page.get_by_role("link", name="Templat Excel (XLSX)")).to_have_count(2)
    expect(page.get_by_label("Periksa saja, jangan simpan")).not_to_be_checked()

    page.get_by_label("Berkas registri (CSV atau XLSX)").set_input_files(
        files=[{"name": "warga-pondok-rajeg.csv", "mimeType": "text/csv", "buffer": small_csv()}])
    screenshot("import_upload")
    page.get_by_role("button", name="Unggah dan impor").click()

    # The batch waits for the worker; the page polls its status every second.
    batch = ImportBatch.objects.get()
    expect(page).to_have_url(re.compile(rf"/imports/{batch.pk}/$"))
    expect(page.get_by_role("heading", name="Impor: warga-pondok-rajeg.csv")).to_be_visible()
    status = page.locator("#import-status")
    expect(status).to_have_attribute("data-status", "pending")
    expect(status.get_by_text("Menunggu proses impor dimulai…")).to_be_visible()
    expect(status.locator("progress")).to_be_visible()
    screenshot("import_waiting")

    run_worker_once()

    # Without reloading, the summary replaces the progress bar.
    expect(status).to_have_attribute("data-status", "done-finished")
    expect(status.locator('[data-count="inserted"]')).to_have_text("3")
    expect(status.locator('[data-count="rejected"]')).to_have_text("1")
    expect(status.locator("progress")).to_have_count(0)
    screenshot("import_done")
    assert Person.objects.count() == 3

    with page.expect_download() as download_info:
        status.get_by_role("link", name="Unduh laporan (XLSX)").click()
    assert download_info.value.suggested_filename == f"laporan-impor-{batch.pk}-warga-pondok-rajeg.xlsx"

    # The history lists the import with its counts.
    page.get_by_role("link", name="← Impor").click()
    row = page.get_by_role("row").filter(has_text="warga-pondok-rajeg.csv")
    expect(row).to_contain_text("Selesai")
    expect(row).to_contain_text(batch.file_sha256[:12])
