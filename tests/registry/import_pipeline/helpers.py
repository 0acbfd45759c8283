"""Helpers of the import pipeline tests: real CSV and XLSX files written into tmp_path, and imports.

Messages are checked in Indonesian: the import writes its report in Indonesian whatever the
active language is.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from django.core.management import call_command

from sejahtera.registry.identity import nik_for_birth, no_kk_for_issue
from sejahtera.registry.importing.pipeline import FileResult, import_file
from tests.conftest import DESA_A, DESA_B, KECAMATAN_A

KECAMATAN_B = DESA_B[:6]
BIRTH = datetime.date(1980, 5, 17)
ISSUED = datetime.date(2015, 3, 2)

# The individuals template, optional columns included.
HEADER = ["no_kk", "nik", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "hubungan_keluarga",
          "status_perkawinan", "pendidikan", "pekerjaan", "kode_desa", "alamat", "rt", "rw"]
REQUIRED_HEADER = ["no_kk", "nik", "nama", "jenis_kelamin", "tanggal_lahir", "hubungan_keluarga", "kode_desa"]

SURVEY_HEADER = ["no_kk", "tanggal_survei", "enumerator", "luas_lantai", "jenis_lantai", "jenis_dinding",
                 "jenis_atap", "sumber_air_minum", "fasilitas_bab", "sumber_penerangan", "daya_listrik",
                 "bahan_bakar_memasak", "status_kepemilikan_rumah", "memiliki_lahan", "kulkas", "sepeda_motor",
                 "ternak_kecil", "pengeluaran_per_kapita"]


def kk(serial: int, kecamatan: str = KECAMATAN_A) -> str:
    return no_kk_for_issue(kecamatan, ISSUED, serial)


def nik(serial: int, *, birth: datetime.date = BIRTH, sex: str = "L", kecamatan: str = KECAMATAN_A) -> str:
    return nik_for_birth(kecamatan, birth, sex, serial)


@dataclass
class Row:
    """One row of an individuals file; ``cells(header)`` gives it in the header's order."""

    no_kk: object
    nik: object
    nama: str
    jenis_kelamin: str = "L"
    tanggal_lahir: object = "17/05/1980"
    hubungan_keluarga: str = "Kepala Keluarga"
    kode_desa: str = DESA_A
    tempat_lahir: str = "Bogor"
    status_perkawinan: str = "Kawin"
    pendidikan: str = "SLTA/Sederajat"
    pekerjaan: str = "Petani"
    alamat: str = "Jl. Melati No. 1"
    rt: str = "001"
    rw: str = "002"
    extra: dict = field(default_factory=dict)

    def cells(self, header=HEADER) -> list:
        return [self.extra[name] if name in self.extra else getattr(self, name) for name in header]


def person_row(serial: int, name: str, *, family: int | None = None, sex: str = "L", birth: datetime.date = BIRTH,
               relationship: str = "Kepala Keluarga", kecamatan: str = KECAMATAN_A, desa: str = DESA_A,
               **values) -> Row:
    """A consistent row: the NIK encodes the birth date and sex; No. KK ``family`` (default ``serial``)."""
    return Row(kk(family or serial, kecamatan), nik(serial, birth=birth, sex=sex, kecamatan=kecamatan), name,
               jenis_kelamin=sex, tanggal_lahir=birth.strftime("%d/%m/%Y"), hubungan_keluarga=relationship,
               kode_desa=desa, **values)


def write_csv(path: Path, rows, header=HEADER, *, encoding: str = "utf-8", delimiter: str = ",",
              bom: bool = False) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row.cells(header) if isinstance(row, Row) else row)
    data = buffer.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_xlsx(path: Path, rows, header=HEADER, *, title: str = "Individu") -> Path:
    """Cells keep their Python types: an int NIK becomes a numeric cell, as when Excel converted it."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row.cells(header) if isinstance(row, Row) else row)
    workbook.save(path)
    return path


def run(path: Path, **kwargs) -> FileResult:
    return import_file(path, **kwargs)


def counts(result: FileResult) -> dict[str, int]:
    batch = result.batch
    return {name: getattr(batch, name) for name in ("inserted", "updated", "unchanged", "flagged", "rejected")
            if getattr(batch, name)}


def lines_of(result: FileResult, row: int) -> list:
    return [line for line in result.lines if line.row == row]


def outcome_of(result: FileResult, row: int) -> str | None:
    """The outcome the report gives a row (flagged or rejected), None when it is not in the report."""
    outcomes = {line.outcome for line in lines_of(result, row)}
    assert len(outcomes) <= 1, outcomes
    return outcomes.pop() if outcomes else None


def messages_of(result: FileResult, row: int) -> str:
    return " | ".join(line.message for line in lines_of(result, row))


def command(*args) -> str:
    out = io.StringIO()
    call_command("import_registry", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def read_report(path: Path) -> list[dict]:
    if path.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(path, read_only=True).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))

