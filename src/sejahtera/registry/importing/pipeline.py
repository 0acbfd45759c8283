"""Importing one registry file: read, check each row, stage, merge set-based, report.

A file is imported in one transaction: after a crash at any moment the registry holds none of
it, and a rerun imports it whole. Per-row work is parsing and validation in Python; everything
that compares rows with each other or with the registry is SQL over a staging table.
"""

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from sejahtera.core.audit import audit_record
from sejahtera.core.models import AuditEvent
from sejahtera.regions.models import Region
from sejahtera.regions.selectors import known_kecamatan_codes
from sejahtera.registry.dedup.services import candidate_from_nik_conflict
from sejahtera.registry.identity import Issue, issues_as_json, nik_agrees, validate_nik, validate_no_kk
from sejahtera.registry.importing import person_merge, sql, survey_merge
from sejahtera.registry.importing.columns import (
    INDIVIDUALS,
    SURVEYS,
    HeaderProblem,
    RowParser,
    Template,
    detect_template,
    map_header,
)
from sejahtera.registry.importing.readers import UnreadableFile, open_table
from sejahtera.registry.importing.report import ReportLine, lines_from_staged, message_for
from sejahtera.registry.importing.workers import current_worker
from sejahtera.registry.models import ImportBatch, Person
from sejahtera.welfare.tasks import request_rescoring

Progress = Callable[[int, float | None], None]  # (rows read, fraction of the file or None)
PROGRESS_EVERY = 10_000

# Individuals columns -> staging columns, for the optional ones the merge updates only when present.
OPTIONAL_COLUMNS = {
    "tempat_lahir": "birth_place", "status_perkawinan": "marital_status", "pendidikan": "education",
    "pekerjaan": "occupation", "status_pekerjaan": "employment_status", "disabilitas": "disability",
    "status_jkn": "jkn_status", "no_hp": "phone", "alamat": "address", "rt": "rt", "rw": "rw",
}


class ImportFileError(Exception):
    """The file cannot be imported at all (unknown format, missing columns); nothing was written."""


@dataclass
class FileResult:
    batch: ImportBatch
    lines: list[ReportLine] = field(default_factory=list)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def user_scopes(actor) -> list[str]:
    """Where an importer may write: their edit scopes, or the whole regency for the system itself."""
    if actor is None:
        return [settings.SEJAHTERA_REGENCY]
    return actor.edit_scopes


def common_region(codes: list[str]) -> str:
    """The narrowest region code (province, regency, kecamatan or desa) holding all of ``codes``."""
    prefix = os.path.commonprefix(codes) if codes else ""
    return next((prefix[:n] for n in (10, 6, 4, 2) if len(prefix) >= n), "")


def _open(path: Path):
    try:
        table = open_table(path, header_test=lambda header: detect_template(header) is not None)
        template = detect_template(table.header)
        if template is None:
            table.close()
            raise ImportFileError(translation.gettext(
                "The file has neither the columns of the individuals template nor those of the survey "
                "template. Download the template and compare the column names."))
        header_map = map_header(table.header, template)
    except UnreadableFile as error:
        raise ImportFileError(str(error)) from error
    except HeaderProblem as error:
        table.close()
        raise ImportFileError(str(error)) from error
    return table, template, header_map


def check_file(path: Path) -> Template:
    """The template of ``path``, read from its header only; raises ImportFileError like import_file."""
    with translation.override("id"):
        table, template, _header_map = _open(Path(path))
    table.close()
    return template


def import_file(path: Path, *, actor=None, dry_run: bool = False, progress: Progress | None = None,
                batch: ImportBatch | None = None) -> FileResult:
    """Import one CSV or XLSX file; raises ImportFileError when it cannot be read at all."""
    path = Path(path)
    with translation.override("id"):
        table, template, header_map = _open(path)
        with table:
            created = batch is None
            if batch is None:
                batch = ImportBatch(created_by=actor, file_name=path.name)
            batch.file_sha256 = file_sha256(path)
            batch.file_size = path.stat().st_size
            batch.kind = ImportBatch.Kind.INDIVIDUALS if template is INDIVIDUALS else ImportBatch.Kind.SURVEYS
            batch.scope_code = common_region(user_scopes(actor))
            batch.dry_run, batch.status = dry_run, ImportBatch.Status.RUNNING
            batch.worker = current_worker()
            batch.save()
            result = FileResult(batch)
            try:
                with transaction.atomic():
                    counts = _import_rows(table, template, header_map, result, actor, progress)
                    if dry_run:
                        transaction.set_rollback(True)
                    else:  # the batch is done in the transaction that writes its rows: never one without the other
                        _finish(batch, counts, actor)
            except UnreadableFile as error:  # the file breaks off after its first rows: none of it stays
                if created:
                    batch.delete()
                raise ImportFileError(str(error)) from error
    if dry_run:
        _finish(batch, counts, actor)
    for line in result.lines:
        line.file = path.name
    return result


def _import_rows(table, template: Template, header_map, result: FileResult, actor, progress) -> dict[str, int]:
    batch = result.batch
    parser = RowParser(header_map)
    now = timezone.now()
    merge = person_merge if template is INDIVIDUALS else survey_merge
    # On failure the transaction rolls back and takes the staging tables with it (a DROP would fail on
    # PostgreSQL after a failed COPY and hide the error); create_staging drops leftovers on SQLite.
    merge.create_staging()
    if template is INDIVIDUALS:
        rows = _person_rows(table, parser, result, progress, RowChecks.load(actor))
        sql.bulk_load(person_merge.STAGE, person_merge.LOADED_COLUMNS, rows)
        present = frozenset(OPTIONAL_COLUMNS[name] for name in OPTIONAL_COLUMNS if name in header_map)
        context = person_merge.MergeContext(
            actor_id=actor.pk if actor else None, scopes=user_scopes(actor), now=now,
            today=timezone.localdate(), present=present, batch_id=batch.pk)
        counts = person_merge.merge(context)
        _queue_identity_conflicts(batch)
    else:
        rows = _survey_rows(table, parser, result, progress)
        sql.bulk_load(survey_merge.STAGE, survey_merge.LOADED_COLUMNS, rows)
        present = frozenset(col.field for col in SURVEYS.columns[1:] if col.name in header_map)
        counts = survey_merge.merge(survey_merge.SurveyContext(
            actor_id=actor.pk if actor else None, scopes=user_scopes(actor), now=now, present=present,
            batch_id=batch.pk))
    result.lines += lines_from_staged(
        person_merge.reported_rows(context) if template is INDIVIDUALS else survey_merge.reported_rows())
    merge.drop_staging()
    # Rows rejected while reading never reached the staging table; every rejected row has a line.
    counts["rejected"] = len({line.row for line in result.lines if line.outcome == "rejected"})
    return counts


def _queue_identity_conflicts(batch: ImportBatch) -> None:
    """Rows whose NIK names another person go to the verifiers' review queue (few per file)."""
    conflicts = person_merge.identity_conflicts()
    persons = Person.objects.in_bulk([row["person_id"] for row in conflicts])
    for row in conflicts:
        candidate_from_nik_conflict(person=persons[row["person_id"]], incoming=row, batch_id=batch.pk)


def _rows_with_progress(table, progress: Progress | None, batch: ImportBatch) -> Iterator[tuple[int, list]]:
    count = 0
    for row_number, cells in table.rows():
        count += 1
        if count % PROGRESS_EVERY == 0:
            batch.rows_done = count
            if progress:
                progress(count, table.progress)
        yield row_number, cells
    batch.rows_total = batch.rows_done = count
    if progress:
        progress(count, 1.0)


def _reject(result: FileResult, row: int, column: str, nik, message: str) -> None:
    result.lines.append(ReportLine(row, column, "" if nik is None else str(nik), "rejected", message))


NO_WARNINGS = "[]"


@dataclass(frozen=True)
class RowChecks:
    """What the row checks need from the database, read before the rows stream into COPY."""

    known_kecamatan: frozenset[str]
    desa_codes: frozenset[str]
    scopes: tuple[str, ...]

    @classmethod
    def load(cls, actor) -> "RowChecks":
        desa = Region.objects.filter(level=Region.Level.DESA).values_list("code", flat=True)
        return cls(known_kecamatan_codes(), frozenset(desa), tuple(user_scopes(actor)))


def _person_rows(table, parser: RowParser, result: FileResult, progress, checks: RowChecks) -> Iterator[tuple]:
    """Rows for the staging table. It runs inside PostgreSQL's COPY, so it must not query the database."""
    known = checks.known_kecamatan
    today = timezone.localdate()
    kk_checks: dict[str, tuple] = {}
    without_nik: dict[tuple, int] = {}  # (no_kk, NAME, birth date) -> first row, for persons without NIK
    nik_index = parser_index(parser, "nik")
    for row_number, cells in _rows_with_progress(table, progress, result.batch):
        values, problems, warnings = parser(cells)
        raw_nik = cells[nik_index] if nik_index is not None and nik_index < len(cells) else None
        if problems:
            for column, problem in problems:
                _reject(result, row_number, column, raw_nik, problem.message)
            continue
        desa = values["kode_desa"]
        if desa not in checks.desa_codes or not desa.startswith(checks.scopes):
            code = "unknown_desa" if desa not in checks.desa_codes else "desa_outside_scope"
            _reject(result, row_number, "kode_desa", raw_nik, message_for(code))
            continue
        person_warnings, kk_warnings = [], []
        for column, issue in warnings or ():
            (kk_warnings if column == "no_kk" else person_warnings).append(issue)
        no_kk = values["no_kk"]
        kk_check = kk_checks.get(no_kk)
        if kk_check is None:
            checked = validate_no_kk(no_kk, known_kecamatan=known, today=today)
            kk_check = kk_checks[no_kk] = ([i.message for i in checked.errors], checked.warnings)
        if kk_check[0]:
            for message in kk_check[0]:
                _reject(result, row_number, "no_kk", raw_nik, message)
            continue
        kk_warnings += kk_check[1]
        nik = values["nik"]
        if nik and nik_agrees(nik, sex=values["jenis_kelamin"], birth_date=values["tanggal_lahir"],
                              known_kecamatan=known):
            pass
        elif nik:
            checked = validate_nik(nik, sex=values["jenis_kelamin"], birth_date=values["tanggal_lahir"],
                                   known_kecamatan=known, today=today)
            if checked.errors:
                for issue in checked.errors:
                    _reject(result, row_number, "nik", raw_nik, issue.message)
                continue
            person_warnings += checked.warnings
        else:
            if not any(issue.code == "nik_missing" for issue in person_warnings):  # the file has no NIK column
                person_warnings.append(Issue("nik_missing", translation.gettext("The person has no NIK.")))
            key = (values["no_kk"], values["nama"].upper(), values["tanggal_lahir"])
            first = without_nik.setdefault(key, row_number)
            if first != row_number:
                _reject(result, row_number, "nama", raw_nik, message_for("duplicate_person_in_file", str(first)))
                continue
        # Optional columns the file lacks carry their defaults; the merge neither compares nor updates them.
        yield (
            row_number, no_kk, nik or None, values["nama"], values["jenis_kelamin"], values["tempat_lahir"],
            values["tanggal_lahir"], values["hubungan_keluarga"], values["status_perkawinan"],
            values["pendidikan"], values["pekerjaan"], values["status_pekerjaan"], values["disabilitas"],
            values["status_jkn"], values["no_hp"], desa, values["alamat"], values["rt"], values["rw"],
            json.dumps(issues_as_json(person_warnings)) if person_warnings else NO_WARNINGS,
            json.dumps(issues_as_json(kk_warnings)) if kk_warnings else NO_WARNINGS,
        )


def parser_index(parser: RowParser, name: str) -> int | None:
    return next((index for column, index, *_rest in parser.plan if column == name), None)


def _survey_rows(table, parser: RowParser, result: FileResult, progress) -> Iterator[tuple]:
    names = [column.name for column in SURVEYS.columns[1:]]
    for row_number, cells in _rows_with_progress(table, progress, result.batch):
        values, problems, _warnings = parser(cells)
        if problems:
            for column, problem in problems:
                _reject(result, row_number, column, None, problem.message)
            continue
        checked = validate_no_kk(values["no_kk"])
        if checked.errors:
            for issue in checked.errors:
                _reject(result, row_number, "no_kk", None, issue.message)
            continue
        yield (row_number, values["no_kk"], *[None if name in parser.absent else values[name] for name in names])


def _finish(batch: ImportBatch, counts: dict[str, int], actor) -> None:
    for outcome in ("inserted", "updated", "unchanged", "flagged", "rejected"):
        setattr(batch, outcome, counts.get(outcome, 0))
    batch.status = ImportBatch.Status.DONE
    batch.finished_at = timezone.now()
    batch.save()
    if not batch.dry_run and batch.kind == ImportBatch.Kind.INDIVIDUALS and batch.inserted + batch.flagged \
            + batch.updated:
        from sejahtera.registry.tasks import duplicates_after_import

        transaction.on_commit(lambda: duplicates_after_import.enqueue(batch.pk))
    if not batch.dry_run and batch.inserted + batch.flagged + batch.updated:
        request_rescoring()
    if not batch.dry_run:
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=batch, region_code=batch.scope_code,
                     channel="import",
                     summary=f"{batch.file_name}: {batch.inserted} inserted, {batch.updated} updated, "
                             f"{batch.flagged} flagged, {batch.rejected} rejected")
