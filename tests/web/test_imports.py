"""Web import: template downloads, upload -> background task -> batch, live progress, report, history."""

import csv
import datetime
import hashlib
import io
import re
import threading

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.tasks import TaskResultStatus
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from sejahtera.accounts.roles import Role
from sejahtera.core.models import AuditEvent
from sejahtera.registry import tasks
from sejahtera.registry.identity import nik_for_birth, no_kk_for_issue
from sejahtera.registry.importing import pipeline
from sejahtera.registry.importing.columns import INDIVIDUALS, SURVEYS
from sejahtera.registry.models import Family, ImportBatch, Person
from tests.conftest import DESA_A, DESA_B, KECAMATAN_A, REGENCY

pytestmark = pytest.mark.django_db

HEADER = ["no_kk", "nik", "nama", "jenis_kelamin", "tanggal_lahir", "hubungan_keluarga", "kode_desa"]
ISSUED = datetime.date(2015, 3, 2)
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def person_row(serial: int, name: str, *, family: int | None = None, sex: str = "L",
               birth: datetime.date = datetime.date(1980, 5, 17), relationship: str = "Kepala Keluarga",
               desa: str = DESA_A) -> list[str]:
    kecamatan = desa[:6]
    return [no_kk_for_issue(kecamatan, ISSUED, family or serial), nik_for_birth(kecamatan, birth, sex, serial), name,
            sex, birth.strftime("%d/%m/%Y"), relationship, desa]


def csv_bytes(rows, header=HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


# Two families of three persons, and one row with a NIK of 15 digits (rejected).
GOOD_ROWS = [
    person_row(1, "Asep Sunandar", family=1),
    person_row(2, "Euis Komariah", family=1, sex="P", birth=datetime.date(1985, 7, 9), relationship="Istri"),
    person_row(3, "Dedi Mulyadi", family=3),
]
BAD_ROW = person_row(4, "Ujang Salah", family=4)
BAD_ROW[1] = BAD_ROW[1][:15]


@pytest.fixture(autouse=True)
def import_folder(settings, tmp_path):
    settings.SEJAHTERA_IMPORT_DIR = tmp_path / "imports"
    return settings.SEJAHTERA_IMPORT_DIR


@pytest.fixture
def immediate_tasks(settings):
    """Run enqueued tasks at once, in the request that enqueues them (after its commit)."""
    settings.TASKS = IMMEDIATE


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """POST a file to the upload page; on_commit callbacks (the enqueue) run as after a real commit."""

    def post(client, data: bytes, name: str = "warga.csv", *, dry_run: bool = False):
        form = {"file": SimpleUploadedFile(name, data, content_type="text/csv")}
        if dry_run:
            form["dry_run"] = "on"
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("web:import_upload"), form)

    return post


def latest_batch() -> ImportBatch:
    return ImportBatch.objects.latest("id")


# -- templates -----------------------------------------------------------------------------------

@pytest.mark.parametrize("template", [INDIVIDUALS, SURVEYS], ids=lambda t: t.name)
def test_xlsx_template_has_the_header_as_text_columns(login, operator_a, template):
    response = login(operator_a).get(reverse("web:import_template", args=[template.name, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == [column.name for column in template.columns]
    assert {cell.number_format for cell in sheet[1]} == {"@"}
    # Cells typed later in the columns are text as well (NIK and No. KK keep their 16 digits).
    assert sheet.column_dimensions["A"].number_format == "@"
    assert "Petunjuk" in workbook.sheetnames


@pytest.mark.parametrize("template", [INDIVIDUALS, SURVEYS], ids=lambda t: t.name)
def test_csv_template_is_the_header_line(login, operator_a, template):
    response = login(operator_a).get(reverse("web:import_template", args=[template.name, "csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert next(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [column.name for column in template.columns]


def test_unknown_template_is_404(login, operator_a):
    client = login(operator_a)
    assert client.get(reverse("web:import_template", args=["families", "xlsx"])).status_code == 404
    assert client.get(reverse("web:import_template", args=["individuals", "pdf"])).status_code == 404


def test_upload_page_links_the_templates(login, operator_a):
    html = login(operator_a).get(reverse("web:import_upload")).content.decode()
    for kind in ("individuals", "surveys"):
        for fmt in ("xlsx", "csv"):
            assert reverse("web:import_template", args=[kind, fmt]) in html
    assert 'enctype="multipart/form-data"' in html and 'name="dry_run"' in html


# -- who may import ------------------------------------------------------------------------------

def test_only_registry_editors_may_upload(login, agency_officer, planner, operator_a, upload):
    assert login(agency_officer).get(reverse("web:import_upload")).status_code == 403
    assert upload(login(agency_officer), csv_bytes(GOOD_ROWS)).status_code == 403
    assert login(planner).get(reverse("web:import_upload")).status_code == 403
    assert not ImportBatch.objects.exists()
    html = login(operator_a).get(reverse("web:family_list")).content.decode()
    assert reverse("web:import_list") in html


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("web:import_upload"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# -- upload -> task -> batch ---------------------------------------------------------------------

def test_upload_imports_the_file_in_a_background_task(login, operator_a, upload, import_folder, immediate_tasks):
    data = csv_bytes([*GOOD_ROWS, BAD_ROW])
    client = login(operator_a)
    response = upload(client, data, name="../../warga desa.csv")
    batch = latest_batch()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:import_detail", args=[batch.pk])

    assert batch.status == ImportBatch.Status.DONE
    assert (batch.inserted, batch.updated, batch.unchanged, batch.rejected) == (3, 0, 0, 1)
    assert batch.rows_total == batch.rows_done == 4
    assert batch.kind == ImportBatch.Kind.INDIVIDUALS and not batch.dry_run
    assert batch.created_by == operator_a and batch.scope_code == DESA_A
    assert batch.file_name == "warga desa.csv"
    assert batch.file_sha256 == hashlib.sha256(data).hexdigest() and batch.file_size == len(data)
    assert set(Person.objects.values_list("name", flat=True)) == {"Asep Sunandar", "Euis Komariah", "Dedi Mulyadi"}
    assert Family.objects.count() == 2

    # The upload is stored under a generated name, the report beside it.
    stored = {path.suffix: path.name for path in import_folder.iterdir()}
    assert len(stored) == 2, stored
    assert re.fullmatch(rf"{batch.pk:08d}-[0-9a-f]{{16}}\.csv", stored[".csv"])
    assert batch.report_path == stored[".xlsx"] == stored[".csv"].replace(".csv", "-laporan.xlsx")

    # The status page shows the summary, stops polling and links the report.
    html = client.get(reverse("web:import_detail", args=[batch.pk])).content.decode()
    assert 'data-status="done-finished"' in html and "hx-trigger" not in html
    assert re.search(r'data-count="inserted">3<', html) and re.search(r'data-count="rejected">1<', html)
    assert reverse("web:import_report", args=[batch.pk]) in html


def test_dry_run_checks_without_saving(login, operator_a, upload, immediate_tasks):
    upload(login(operator_a), csv_bytes(GOOD_ROWS), dry_run=True)
    batch = latest_batch()
    assert batch.dry_run and batch.status == ImportBatch.Status.DONE
    assert batch.inserted == 3 and batch.report_path
    assert not Person.objects.exists() and not Family.objects.exists()


def test_the_enqueued_task_is_run_by_the_database_worker(login, operator_a, upload, monkeypatch):
    """With the configured django-tasks-db backend: the upload enqueues, the worker's loop runs it."""
    from django_tasks_db.management.commands import db_worker

    client = login(operator_a)
    upload(client, csv_bytes(GOOD_ROWS))
    batch = latest_batch()
    assert batch.status == ImportBatch.Status.PENDING
    queued = DBTaskResult.objects.get()
    assert queued.status == TaskResultStatus.READY
    assert queued.task_path == "sejahtera.registry.tasks.import_run"
    assert queued.args_kwargs["args"][0] == batch.pk

    # Before the worker: the status page waits and polls.
    html = client.get(reverse("web:import_detail", args=[batch.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in html and 'data-status="pending"' in html

    # The worker's loop in batch mode: claim the task, run it, record the result, stop when the queue
    # is empty. (Its connection check would end the test's transaction, so it is skipped here.)
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    db_worker.Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                     max_tasks=None, worker_id="test-worker", excluded_queue_names=[]).run()

    result = tasks.import_run.get_result(str(queued.pk))
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["inserted"] == 3
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.inserted == 3 and batch.report_path
    html = client.get(reverse("web:import_detail", args=[batch.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in html and 'data-count="inserted">3<' in html


def test_a_batch_is_imported_once(login, operator_a, upload, immediate_tasks):
    upload(login(operator_a), csv_bytes(GOOD_ROWS))
    batch = latest_batch()
    stored = next(path.name for path in tasks.import_dir().iterdir() if path.suffix == ".csv")
    assert tasks.import_run.call(batch.pk, stored) == {"status": "done"}
    assert Person.objects.count() == 3


def test_the_task_refuses_a_path_outside_the_import_folder(operator_a):
    batch = ImportBatch.objects.create(created_by=operator_a, file_name="x.csv", file_sha256="0" * 64)
    with pytest.raises(ValueError):
        tasks.import_run.call(batch.pk, "../../etc/passwd")


def test_too_large_files_are_refused(login, operator_a, upload, settings):
    settings.SEJAHTERA_IMPORT_MAX_MB = 1
    response = upload(login(operator_a), b"x" * (1024 * 1024 + 1))
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ImportBatch.objects.exists() and not tasks.import_dir().exists()


# -- progress ------------------------------------------------------------------------------------

@pytest.fixture
def committed_data(transactional_db):
    """For a test whose data must be committed: regions come from a migration, which a flush removes."""
    from sejahtera.regions.loading import load_regions
    from sejahtera.regions.models import Region
    from sejahtera.regions.selectors import known_kecamatan_codes

    if not Region.objects.exists():
        load_regions(Region)
        known_kecamatan_codes.cache_clear()


def in_another_thread(function):
    """Run ``function`` in a thread of its own, with its own database connection (as the web server)."""
    result = {}

    def run():
        try:
            result["value"] = function()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()
    return result["value"]


def test_progress_is_visible_while_the_import_runs(committed_data, operator_a, immediate_tasks, monkeypatch,
                                                   settings):
    """While the import's transaction is open, another connection (a web request) sees the progress.

    The callback runs inside the pipeline's COPY on PostgreSQL, where the task's own connection
    cannot even be queried: progress goes to a file, and the status page reads it.
    """
    settings.SECURE_SSL_REDIRECT = False
    client = Client()
    client.force_login(operator_a)
    monkeypatch.setattr(pipeline, "PROGRESS_EVERY", 500)  # the pipeline reports every 500 rows
    monkeypatch.setattr(tasks, "PROGRESS_INTERVAL", 3600)  # all within "one second"
    seen = []
    report = tasks.ProgressFile.__call__

    def look(batch_id):
        batch = ImportBatch.objects.get(pk=batch_id)
        html = client.get(reverse("web:import_detail", args=[batch_id]), HTTP_HX_REQUEST="true").content.decode()
        shown = re.search(r'data-rows="(\d+)"', html)
        return batch.status, int(shown[1]) if shown else None, 'hx-trigger="every 1s"' in html, Person.objects.count()

    def report_and_look(self, rows, fraction):
        report(self, rows, fraction)
        batch_id = int(self.path.name.split(".")[0])
        seen.append((rows, *in_another_thread(lambda: look(batch_id))))

    monkeypatch.setattr(tasks.ProgressFile, "__call__", report_and_look)
    # 2,000 rows (about 130 kB): the reader's position tells how much of the file is read.
    data = csv_bytes([person_row(serial, f"Warga {serial}", birth=datetime.date(1950, 1, 1)
                                 + datetime.timedelta(days=serial)) for serial in range(1, 2001)])
    response = client.post(reverse("web:import_upload"), {"file": SimpleUploadedFile("warga.csv", data)})
    assert response.status_code == 302

    assert [rows for rows, *_ in seen] == [500, 1000, 1500, 2000, 2000]
    assert all(status == "running" and polling for _rows, status, _shown, polling, _persons in seen)
    # The first report is written; the next ones within the interval are skipped, and the end of
    # the file is always written.
    shown = [shown for _rows, _status, shown, _polling, _persons in seen]
    assert shown[:2] == [500, 500] and shown[-1] == 2000
    # Meanwhile the registry shows none of the file: it commits at the end, all at once.
    assert {persons for *_rest, persons in seen} == {0}
    batch = latest_batch()
    assert batch.status == ImportBatch.Status.DONE and batch.inserted == 2000
    assert not tasks.progress_path(batch.pk).exists()  # gone when the import is over


def test_progress_file_is_written_at_most_once_a_second(tmp_path, settings):
    settings.SEJAHTERA_IMPORT_DIR = tmp_path
    now = [100.0]
    progress = tasks.ProgressFile(5, clock=lambda: now[0])
    batch = ImportBatch(pk=5)
    progress(10_000, 0.1)
    assert tasks.import_progress(batch) == {"rows": 10_000, "fraction": 0.1, "phase": "reading"}
    now[0] += 0.5
    progress(20_000, 0.2)
    assert tasks.import_progress(batch)["rows"] == 10_000
    now[0] += 0.6
    progress(30_000, None)
    assert tasks.import_progress(batch) == {"rows": 30_000, "fraction": None, "phase": "reading"}
    progress(31_000, 1.0)  # the end of the file is always written
    assert tasks.import_progress(batch) == {"rows": 31_000, "fraction": 1.0, "phase": "merging"}
    progress.clear()
    assert tasks.import_progress(batch) is None


def test_a_done_batch_is_followed_until_its_report_is_written(login, operator_a):
    batch = ImportBatch.objects.create(created_by=operator_a, scope_code=DESA_A, file_name="warga.csv",
                                       file_sha256="0" * 64, status=ImportBatch.Status.DONE, inserted=3)
    tasks.import_dir().mkdir(parents=True)
    progress = tasks.ProgressFile(batch.pk)
    progress.write(rows=3, fraction=1.0, phase="report")  # the pipeline is done, the report not yet
    client = login(operator_a)
    url = reverse("web:import_detail", args=[batch.pk])
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="done"' in html and 'hx-trigger="every 1s"' in html
    progress.clear()
    # Without a progress file (also a batch imported with the command) a done batch is finished.
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="done-finished"' in html and "hx-trigger" not in html
    assert reverse("web:import_report", args=[batch.pk]) not in html  # it has no report


# -- unreadable files ------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "data", "message"), [
    ("laporan.pdf", b"%PDF-1.4\n1 0 obj\n", "PDF"),
    ("kosong.xlsx", b"PK\x03\x04 not really a zip", "rusak"),
    ("lain.csv", b"nomor,judul\n1,apa\n", "templat"),
], ids=["pdf", "damaged-xlsx", "unknown-columns"])
def test_an_unreadable_file_fails_with_its_message(login, operator_a, upload, immediate_tasks, name, data, message,
                                                   make_family):
    make_family(operator_a)
    before = (Family.objects.count(), Person.objects.count(), AuditEvent.objects.count())
    client = login(operator_a)
    upload(client, data, name=name)
    batch = latest_batch()
    assert batch.status == ImportBatch.Status.FAILED
    assert message in batch.error
    assert batch.finished_at is not None and not batch.report_path
    assert (Family.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == before
    html = client.get(reverse("web:import_detail", args=[batch.pk])).content.decode()
    assert 'data-status="failed-finished"' in html and "hx-trigger" not in html
    assert message in html and 'role="alert"' in html


def test_a_file_unreadable_in_the_middle_fails_and_writes_nothing(login, operator_a, upload, immediate_tasks):
    # Three good rows, then a quoted field that never ends: the reader gives up after row 4.
    data = csv_bytes(GOOD_ROWS) + b'"unterminated,quote\r\n' + b"x" * 200_000
    upload(login(operator_a), data)
    batch = latest_batch()
    assert batch.status == ImportBatch.Status.FAILED
    assert "setelah baris 4" in batch.error  # "cannot be read after row 4", in Indonesian like the report
    assert not Person.objects.exists() and not Family.objects.exists()


# -- report --------------------------------------------------------------------------------------

def test_report_download_is_scoped(login, make_user, operator_a, operator_b, agency_officer, planner, upload,
                                   immediate_tasks):
    upload(login(operator_a), csv_bytes([*GOOD_ROWS, BAD_ROW]))
    batch = latest_batch()
    url = reverse("web:import_report", args=[batch.pk])

    response = login(operator_a).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"laporan-impor-{batch.pk}-warga.xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["row", "column", "nik", "outcome", "message", "file"]
    assert [row[0] for row in rows[1:]] == [5] and rows[1][3] == "rejected" and rows[1][2] == BAD_ROW[1]
    assert AuditEvent.objects.filter(action="export", object_type="registry.importbatch",
                                     object_id=str(batch.pk), actor=operator_a).exists()

    # A verifier of the kecamatan may have it; another desa's operator does not even see the batch.
    verifier = make_user(Role.KECAMATAN_VERIFIER, KECAMATAN_A)
    assert login(verifier).get(url).status_code == 200
    assert login(operator_b).get(url).status_code == 404
    assert login(operator_b).get(reverse("web:import_detail", args=[batch.pk])).status_code == 404
    # An agency officer sees the batch but not the report: it holds whole NIKs.
    officer = login(agency_officer)
    assert officer.get(reverse("web:import_detail", args=[batch.pk])).status_code == 200
    assert url not in officer.get(reverse("web:import_detail", args=[batch.pk])).content.decode()
    assert officer.get(url).status_code == 404
    assert login(planner).get(url).status_code == 403


# -- history -------------------------------------------------------------------------------------

def test_history_is_scoped(login, make_user, operator_a, operator_b, agency_officer, planner):
    admin = make_user(Role.SYSTEM_ADMIN, REGENCY)
    verifier = make_user(Role.KECAMATAN_VERIFIER, KECAMATAN_A)
    for name, user, scope in [("desa-a.csv", operator_a, DESA_A), ("desa-b.csv", operator_b, DESA_B),
                              ("kecamatan-a.csv", verifier, KECAMATAN_A), ("kabupaten.csv", admin, REGENCY),
                              ("kecamatan-b.csv", admin, DESA_B[:6])]:
        ImportBatch.objects.create(created_by=user, file_name=name, file_sha256="ab" * 32, scope_code=scope,
                                   kind=ImportBatch.Kind.INDIVIDUALS, status=ImportBatch.Status.DONE, inserted=7)

    def listed(user) -> set[str]:
        response = login(user).get(reverse("web:import_list"))
        assert response.status_code == 200
        return {batch.file_name for batch in response.context["page"].object_list}

    # Batches inside one's area, and those covering it (a regency-wide import may have touched it).
    assert listed(operator_a) == {"desa-a.csv", "kecamatan-a.csv", "kabupaten.csv"}
    assert listed(operator_b) == {"desa-b.csv", "kecamatan-b.csv", "kabupaten.csv"}
    assert listed(verifier) == {"desa-a.csv", "kecamatan-a.csv", "kabupaten.csv"}
    everything = {"desa-a.csv", "desa-b.csv", "kecamatan-a.csv", "kabupaten.csv", "kecamatan-b.csv"}
    assert listed(admin) == everything
    assert listed(agency_officer) == everything
    assert login(planner).get(reverse("web:import_list")).status_code == 403

    html = login(operator_a).get(reverse("web:import_list")).content.decode()
    assert "abababababab" in html and "ab" * 32 in html  # short hash shown, whole hash in its title
    assert "Pondok Rajeg" in html  # the area by name

    # The report of a batch covering one's area stays closed: it lists persons outside it.
    wide = ImportBatch.objects.get(file_name="kabupaten.csv")
    wide.report_path = "00000001-0123456789abcdef-laporan.xlsx"
    wide.save()
    assert not tasks.can_download_report(operator_a, wide)
    assert tasks.can_download_report(admin, wide)
