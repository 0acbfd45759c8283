"""Registry imports from the web: store the upload, import it in a background task, show its progress.

``import_submit`` (in the web request) stores the file under ``settings.SEJAHTERA_IMPORT_DIR`` with a
generated name, creates the ImportBatch (status pending) and enqueues ``import_run`` when the
transaction commits. The task, run by ``sejahtera db_worker`` (django-tasks-db), calls the import
pipeline and writes the report (XLSX) next to the upload.

Progress. The pipeline imports a file in one transaction on the task's connection: a progress
UPDATE of the batch row on that connection would stay invisible until the commit (PostgreSQL), and
on SQLite no other connection may write while that transaction holds the write lock. So progress
does not go through the database: the task replaces a small JSON file beside the upload at most
once a second (write, then atomic rename), and the status page reads it while the batch runs. The
final counts land on the ImportBatch row when the import commits. The web servers and the worker
share the import folder anyway (the upload goes one way, the report the other).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import secrets
import time
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext

from sejahtera.core.scoping import region_prefix_q
from sejahtera.registry.importing.pipeline import ImportFileError, common_region, import_file
from sejahtera.registry.importing.readers import UnreadableFile
from sejahtera.registry.importing.report import write_report
from sejahtera.registry.importing.workers import import_batches_mark_interrupted
from sejahtera.registry.models import ImportBatch

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL = 1.0  # seconds between two progress writes
# Kept as the stored file's extension (for people looking into the folder); the reader sniffs the content.
KNOWN_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods"}
STORED_NAME = re.compile(r"^[0-9]{8,}-[0-9a-f]{16}\.[a-z]{3,4}$")
REPORT_SUFFIX = "-laporan.xlsx"
# A done batch whose progress file is this old (seconds) lost its worker while writing the report.
REPORT_GRACE = 600


def import_dir() -> Path:
    return Path(settings.SEJAHTERA_IMPORT_DIR)


def max_upload_bytes() -> int:
    return settings.SEJAHTERA_IMPORT_MAX_MB * 1024 * 1024


def _display_name(name: str) -> str:
    """The uploaded file's own name, for people: no folders, no control characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:255] or "upload"


def _stored_name(batch_id: int, original: str) -> str:
    suffix = Path(original).suffix.lower()
    return f"{batch_id:08d}-{secrets.token_hex(8)}{suffix if suffix in KNOWN_SUFFIXES else '.bin'}"


def _upload_path(stored_name: str) -> Path:
    if not STORED_NAME.match(stored_name):  # never a path from outside the import folder
        raise ValueError(f"not a stored import file name: {stored_name!r}")
    return import_dir() / stored_name


# -- submitting ----------------------------------------------------------------------------------

@transaction.atomic
def import_submit(*, actor, upload, dry_run: bool = False) -> ImportBatch:
    """Store an uploaded registry file and queue its import; returns the pending ImportBatch.

    The task is enqueued when the transaction commits, so the worker never sees a batch that
    does not exist yet.
    """
    if not actor.edit_scopes:
        raise PermissionDenied
    batch = ImportBatch.objects.create(
        created_by=actor, file_name=_display_name(upload.name), file_size=upload.size,
        scope_code=common_region(actor.edit_scopes), dry_run=dry_run, status=ImportBatch.Status.PENDING,
    )
    folder = import_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stored = _stored_name(batch.pk, upload.name)
    path = folder / stored
    digest = hashlib.sha256()
    try:
        with path.open("xb") as out:
            for chunk in upload.chunks():
                digest.update(chunk)
                out.write(chunk)
        batch.file_sha256 = digest.hexdigest()
        batch.save(update_fields=["file_sha256"])
    except BaseException:
        path.unlink(missing_ok=True)  # the batch row goes with the transaction
        raise
    transaction.on_commit(partial(import_run.enqueue, batch.pk, stored))
    return batch


# -- running -------------------------------------------------------------------------------------

class ProgressFile:
    """The pipeline's progress callback: ``{"rows": n, "fraction": f, "phase": ...}`` in a JSON file.

    Written at most every ``interval`` seconds (and when reading the file ends), by writing a
    temporary file and renaming it over the old one, so a reader never sees half a file.
    """

    def __init__(self, batch_id: int, *, interval: float | None = None, clock=time.monotonic):
        self.path = progress_path(batch_id)
        self.interval = PROGRESS_INTERVAL if interval is None else interval
        self.clock = clock
        self.last: float | None = None

    def __call__(self, rows: int, fraction: float | None) -> None:
        now = self.clock()
        final = fraction is not None and fraction >= 1.0
        if not final and self.last is not None and now - self.last < self.interval:
            return
        self.last = now
        self.write(rows=rows, fraction=fraction, phase="merging" if final else "reading")

    def write(self, **values) -> None:
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            temporary.write_text(json.dumps(values))
            os.replace(temporary, self.path)
        except OSError:  # progress is a courtesy; the import goes on without it
            logger.warning("Cannot write import progress to %s", self.path, exc_info=True)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def progress_path(batch_id: int) -> Path:
    return import_dir() / f"{batch_id:08d}.progress.json"


def _fail(batch: ImportBatch, message: str) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.FAILED, error=message,
                                                    finished_at=timezone.now())


@task()
def import_run(batch_id: int, stored_name: str) -> dict:
    """Import one uploaded file (see the module's docstring); returns the outcome counts."""
    import_batches_mark_interrupted()  # imports of an earlier worker on this host that was killed
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.status != ImportBatch.Status.PENDING:  # run already (a second enqueue, a retry)
        return {"status": batch.status}
    path = _upload_path(stored_name)
    actor = batch.created_by
    progress = ProgressFile(batch.pk)
    progress.write(rows=0, fraction=0.0, phase="reading")
    try:
        if actor is None or not actor.is_active or not actor.edit_scopes:
            with translation.override("id"):
                raise ImportFileError(gettext("The person who uploaded the file may no longer change the "
                                              "registry; nothing was imported."))
        result = import_file(path, actor=actor, dry_run=batch.dry_run, progress=progress, batch=batch)
    except (ImportFileError, UnreadableFile) as error:
        _fail(batch, str(error))
        progress.clear()
        return {"status": ImportBatch.Status.FAILED}
    except Exception:
        logger.exception("Import of batch %s stopped", batch.pk)
        with translation.override("id"):
            _fail(batch, gettext("The import stopped because of an unexpected error; nothing was saved. "
                                 "Please tell the system administrator."))
        progress.clear()
        raise
    progress.write(rows=batch.rows_total, fraction=1.0, phase="report")
    report = path.with_name(path.stem + REPORT_SUFFIX)
    try:
        write_report(result.lines, report)
    except Exception:
        logger.exception("Cannot write the report of import batch %s", batch.pk)
        with translation.override("id"):
            ImportBatch.objects.filter(pk=batch.pk).update(error=gettext("The report could not be written."))
    else:
        ImportBatch.objects.filter(pk=batch.pk).update(report_path=report.name)
    finally:
        progress.clear()  # after report_path is set: the status page takes a done batch without it as finished
    return {name: getattr(batch, name) for name in ("rows_total", "inserted", "updated", "unchanged", "flagged",
                                                     "rejected")}


# -- reading -------------------------------------------------------------------------------------

def _covering_codes(scopes: list[str]) -> set[str]:
    """The province, regency and kecamatan (and the region itself) of each scope."""
    return {scope[:n] for scope in scopes for n in (2, 4, 6, 10) if n <= len(scope)}


def import_batch_list(user) -> QuerySet[ImportBatch]:
    """Imports this user may see, newest first.

    A batch's ``scope_code`` is the region its importer could write to. A user sees the batches
    inside their scopes (a kecamatan verifier sees the imports of the kecamatan's desa operators;
    a regency administrator sees all) and those covering their area (a regency-wide import may
    have changed their desa), but only counts: the report of a covering batch names persons
    outside their area (see ``import_report_get``).
    """
    scopes = user.personal_data_scopes
    if not scopes:
        return ImportBatch.objects.none()
    visible = region_prefix_q("scope_code", scopes) | Q(scope_code__in=_covering_codes(scopes)) | Q(created_by=user)
    return ImportBatch.objects.filter(visible).select_related("created_by").order_by("-created_at", "-id")


def import_batch_get(user, pk: int) -> ImportBatch:
    try:
        return import_batch_list(user).get(pk=pk)
    except ImportBatch.DoesNotExist:
        raise Http404 from None


def can_download_report(user, batch: ImportBatch) -> bool:
    """The report lists NIKs of every reported row: only for users who see full NIKs in all of the
    batch's region, or for its importer while they still see full NIKs somewhere."""
    if not user.full_nik_scopes:
        return False
    if batch.created_by_id == user.pk:
        return True
    return any(batch.scope_code.startswith(scope) for scope in user.full_nik_scopes) and bool(batch.scope_code)


def import_report_get(user, pk: int) -> tuple[ImportBatch, Path]:
    """The batch and its report file; 404 when the user may not have it or it is not written."""
    batch = import_batch_get(user, pk)
    if not batch.report_path or not can_download_report(user, batch):
        raise Http404
    path = import_dir() / Path(batch.report_path).name
    if not path.is_file():
        raise Http404
    return batch, path


def import_progress(batch: ImportBatch) -> dict | None:
    """What the task last wrote about a running batch, or None."""
    try:
        data = json.loads(progress_path(batch.pk).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def is_finished(batch: ImportBatch) -> bool:
    """Nothing more will change: failed, or done with its report written.

    The pipeline marks the batch done before the task writes the report; the progress file stays
    until the report is written (or is given up on when its worker died, after REPORT_GRACE).
    Batches imported from the command line have no progress file: done is finished.
    """
    if batch.status == ImportBatch.Status.FAILED:
        return True
    if batch.status != ImportBatch.Status.DONE:
        return False
    try:
        written = progress_path(batch.pk).stat().st_mtime
    except OSError:
        return True
    return time.time() - written > REPORT_GRACE


@task()
def duplicates_after_import(batch_id: int) -> int:
    """Probable duplicates among the persons an import inserted or changed, against their whole region.

    Enqueued when an individuals import commits; returns how many new pairs went to the review queue.
    """
    from sejahtera.registry.dedup.scan import find_duplicates
    from sejahtera.registry.models import Person

    batch = ImportBatch.objects.get(pk=batch_id)
    persons = Person.objects.filter(updated_at__gte=batch.created_at, merged_into__isnull=True)
    if batch.scope_code:
        persons = persons.filter(desa__pk__startswith=batch.scope_code)
    focus = list(persons.values_list("id", flat=True))
    if not focus:
        return 0
    return find_duplicates(region=batch.scope_code, source="import", batch_id=batch.pk, focus_ids=focus).created
